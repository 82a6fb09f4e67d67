"""`make bench`: a `make run` stack (`irp dev`) in a process of its own, on free ports and a
fresh folder, for the parts that measure the running system."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from services import NAMES
from services.devstack import taken_ports
from shared.embedded_broker import free_port


@dataclass
class DevStack:
    process: subprocess.Popen[str]
    var: Path
    base_port: int

    def url(self, service: str) -> str:
        return f"http://127.0.0.1:{self.base_port + NAMES.index(service)}"


def _free_base() -> int:
    while True:
        base = random.randint(20000, 40000)
        if not taken_ports({n: base + i for i, n in enumerate(NAMES)}):
            return base


@contextmanager
def dev_stack(**env: str) -> Iterator[DevStack | None]:
    """The stack once it says it is ready (None if it did not start in five minutes); it is
    stopped as Ctrl-C stops it on leaving."""
    var = Path(tempfile.mkdtemp(prefix="irp-bench-stack-"))
    base = _free_base()
    environment = {**os.environ, "IRP_VAR_DIR": str(var), "IRP_LOG_LEVEL": "WARNING",
                   "IRP_EMBEDDED_KAFKA_PORT": str(free_port()), "IRP_SMTP_PORT": str(free_port()),
                   **env}  # fmt: skip
    environment.pop("IRP_OIDC_ISSUER", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "services.cli", "dev", "--port", str(base)],
        env=environment, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    try:
        yield DevStack(process, var, base) if _ready(process) else None
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(60)
        except subprocess.TimeoutExpired:
            process.kill()


def _ready(process: subprocess.Popen[str]) -> bool:
    deadline = time.monotonic() + 300
    assert process.stdout is not None
    for line in process.stdout:
        if "Ctrl-C stops everything" in line:
            return True
        if time.monotonic() > deadline or process.poll() is not None:
            return False
    return False
