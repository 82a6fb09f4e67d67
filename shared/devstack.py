"""``make run``: the embedded broker and the four services on SQLite files under ``var/``."""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from shared.auth import SCOPES, issue_token
from shared.embedded_broker import EmbeddedBroker
from shared.services import NAMES
from shared.settings import load_settings


def _dev_secret(var: Path) -> str:
    """A local signing key, made once and kept under var/ (never committed)."""
    path = var / "dev-jwt-secret"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()


def run_dev_stack(base_port: int = 8001) -> None:
    var = Path(os.environ.get("IRP_VAR_DIR", "var")).resolve()
    var.mkdir(parents=True, exist_ok=True)
    secret = os.environ.get("IRP_JWT_SECRET") or _dev_secret(var)
    kafka_port = int(os.environ.get("IRP_EMBEDDED_KAFKA_PORT", "9092"))
    broker = EmbeddedBroker(kafka_port, log_path=var / "broker.log").start()
    env = {
        **os.environ,
        "IRP_JWT_SECRET": secret,
        "IRP_KAFKA_BOOTSTRAP": broker.bootstrap,
        "IRP_VAR_DIR": str(var),
    }
    processes: list[subprocess.Popen[bytes]] = []
    urls = {}
    try:
        for offset, name in enumerate(NAMES):
            port = base_port + offset
            log = open(var / f"{name}.log", "ab")  # noqa: SIM115
            processes.append(
                subprocess.Popen(
                    [
                        sys.executable, "-m", "uvicorn", "--factory",
                        f"services.{name}.app:create_app",
                        "--host", "127.0.0.1", "--port", str(port), "--no-access-log",
                    ],
                    env={**env, "IRP_SERVICE": name},
                    stdout=log,
                    stderr=subprocess.STDOUT,
                )
            )  # fmt: skip
            urls[name] = f"http://127.0.0.1:{port}"
        for url in urls.values():
            _wait_until_ready(url)
        token = issue_token(
            load_settings("cli", jwt_secret=secret), "local-developer", list(SCOPES)
        )
        print(f"Kafka (embedded): {broker.bootstrap}")
        for name, url in urls.items():
            print(f"{name:<11} {url}   docs: {url}/docs   logs: {var / (name + '.log')}")
        print(f"\nAccess token (all scopes, 8 h):\n{token}\n")
        print("Ctrl-C stops everything.")
        sys.stdout.flush()
        _wait_until_interrupted(processes)
    finally:
        for p in processes:
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
        for p in processes:
            try:
                p.wait(15)
            except subprocess.TimeoutExpired:
                p.kill()
        broker.stop()
        print("stopped")


def _wait_until_ready(url: str, timeout: float = 90.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/health/ready", timeout=3) as answer:
                if answer.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.1)
    raise TimeoutError(f"{url} not ready after {timeout}s; see its log")


def _wait_until_interrupted(processes: list[subprocess.Popen[bytes]]) -> None:
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    try:
        while True:
            for p in processes:
                if p.poll() is not None:
                    print(
                        f"a service exited with code {p.returncode}; see its log", file=sys.stderr
                    )
                    return
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
