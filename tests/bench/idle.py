"""`make bench`: what a `make run` stack left alone costs. Every process of the stack (the
launcher with its broker and mail server, and each service) is measured by the CPU time
the kernel accounts to it over a minute of nothing to do.

Prints figures; asserts nothing.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from services import NAMES
from services.devstack import taken_ports
from shared.embedded_broker import free_port

SECONDS = float(os.environ.get("BENCH_IDLE_SECONDS", "60"))
SETTLE = 15.0  # after ready: first sweeps, consumers joined, trend's first run
TICK = os.sysconf("SC_CLK_TCK")


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue
    return found


def tree(pid: int) -> list[int]:
    """The process and all its descendants."""
    pids, todo = [], [pid]
    while todo:
        current = todo.pop()
        pids.append(current)
        todo += _children(current)
    return pids


def cpu_seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICK  # utime, stime


def name_of(pid: int) -> str:
    try:
        args = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return str(pid)
    words = [a.decode(errors="replace") for a in args if a]
    return " ".join(w for w in words[-3:] if not w.startswith("/"))[:40] or str(pid)


def _free_base() -> int:
    while True:
        base = random.randint(20000, 40000)
        if not taken_ports({n: base + i for i, n in enumerate(NAMES)}):
            return base


def main() -> None:
    var = Path(tempfile.mkdtemp(prefix="irp-bench-idle-"))
    env = {**os.environ, "IRP_VAR_DIR": str(var), "IRP_EMBEDDED_KAFKA_PORT": str(free_port()),
           "IRP_SMTP_PORT": str(free_port()), "IRP_LOG_LEVEL": "WARNING"}  # fmt: skip
    env.pop("IRP_OIDC_ISSUER", None)
    stack = subprocess.Popen(
        [sys.executable, "-m", "services.cli", "dev", "--port", str(_free_base())],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 300
        assert stack.stdout is not None
        for line in stack.stdout:
            if "Ctrl-C stops everything" in line:
                break
            if time.monotonic() > deadline or stack.poll() is not None:
                print(f"idle cost: the stack did not start (see {var})")
                return
        time.sleep(SETTLE)
        pids = tree(stack.pid)
        before = {p: cpu_seconds(p) for p in pids}
        started = time.monotonic()
        time.sleep(SECONDS)
        elapsed = time.monotonic() - started
        used = {p: cpu_seconds(p) - before[p] for p in pids}
        total = sum(used.values()) / elapsed * 100
        print(f"idle cost of a make run stack left alone ({len(pids)} processes, {elapsed:.0f} s)")
        print(f"  all processes: {total:.2f} % of one core (target < 2 %)")
        for pid, seconds in sorted(used.items(), key=lambda kv: -kv[1]):
            print(f"    {name_of(pid):<40} {seconds / elapsed * 100:6.2f} %")
    finally:
        stack.send_signal(signal.SIGINT)
        try:
            stack.wait(60)
        except subprocess.TimeoutExpired:
            stack.kill()


if __name__ == "__main__":
    main()
