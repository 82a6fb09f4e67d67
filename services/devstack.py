"""``make run``: the embedded broker and the services on SQLite files under ``var/``.

It refuses to start when a port it needs is taken (another stack would answer in its place),
waits for its *own* processes (each names its pid on ``/health/live``), says what it is doing
while they start, and keeps them up: a service that dies is started again with backoff, and the
broker (whose topics live in its memory) is never stopped for a service's sake.
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from services import NAMES
from shared.auth import SCOPES, issue_token
from shared.embedded_broker import EmbeddedBroker
from shared.mailserver import LocalMailServer
from shared.settings import load_settings

START_TIMEOUT = 180.0
FIRST_BACKOFF, MAX_BACKOFF = 1.0, 30.0
STABLE_AFTER = 60.0  # a service up this long starts its backoff afresh
STOP_SECONDS = 20.0  # after the signal, how long the services have to stop before they are killed


def say(message: str) -> None:
    print(message, flush=True)


def _dev_secret(var: Path) -> str:
    """A local signing key, made once and kept under var/ (never committed)."""
    path = var / "dev-jwt-secret"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()


def taken_ports(ports: dict[str, int]) -> list[str]:
    """The ports (by what needs them) that something else already listens on."""
    taken = []
    for what, port in ports.items():
        with socket.socket() as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                taken.append(f"{port} ({what})")
    return taken


@dataclass
class Supervised:
    """One service process, started again when it dies."""

    name: str
    port: int
    env: dict[str, str]
    log_path: Path
    process: subprocess.Popen[bytes] | None = None
    started_at: float = 0.0
    backoff: float = FIRST_BACKOFF
    restart_at: float | None = None
    restarts: int = field(default=0)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        log = open(self.log_path, "ab")  # noqa: SIM115 - the child keeps it
        self.process = subprocess.Popen(
            [sys.executable, "-m", "services.cli", "serve", self.name, "--port", str(self.port)],
            env={**self.env, "IRP_SERVICE": self.name},
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        log.close()
        self.started_at = time.monotonic()
        self.restart_at = None

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def ready(self) -> bool:
        """Its own process answers: live with its pid, and ready."""
        if not self.alive():
            return False
        assert self.process is not None
        live = _get_json(f"{self.url}/health/live")
        return bool(live and live.get("pid") == self.process.pid) and bool(
            _get_json(f"{self.url}/health/ready")
        )

    def watch(self, now: float) -> None:
        """Restart with backoff when it died; called every half second."""
        if self.restart_at is not None:
            if now >= self.restart_at:
                self.restarts += 1
                say(f"{self.name}: starting again (restart {self.restarts})")
                self.start()
            return
        if self.alive():
            if now - self.started_at > STABLE_AFTER:
                self.backoff = FIRST_BACKOFF
            return
        code = self.process.returncode if self.process else None
        say(
            f"{self.name}: exited with code {code}; starting again in {self.backoff:.0f} s "
            f"(log: {self.log_path})"
        )
        self.restart_at = now + self.backoff
        self.backoff = min(self.backoff * 2, MAX_BACKOFF)

    def stop(self) -> None:
        if self.alive():
            assert self.process is not None
            self.process.send_signal(signal.SIGTERM)

    def wait_stopped(self, deadline: float) -> None:
        """Wait for it until ``deadline`` (monotonic), then kill it."""
        if self.process is None:
            return
        try:
            self.process.wait(max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def stop_side_by_side(services: Iterable[Supervised]) -> None:
    """Signal every service, then give them ``STOP_SECONDS`` in all to stop, side by side;
    one still running then is killed."""
    stopping = list(services)
    for service in stopping:
        service.stop()
    deadline = time.monotonic() + STOP_SECONDS
    for service in stopping:
        service.wait_stopped(deadline)


def _get_json(url: str) -> dict | None:  # type: ignore[type-arg]
    try:
        with urllib.request.urlopen(url, timeout=3) as answer:
            return json.loads(answer.read()) if answer.status == 200 else None
    except (OSError, ValueError):
        return None


def _wait_until_ready(services: list[Supervised]) -> None:
    started = time.monotonic()
    waiting = {s.name: s for s in services}
    last_note = started
    while waiting:
        now = time.monotonic()
        if now - started > START_TIMEOUT:
            raise SystemExit(
                f"not ready after {START_TIMEOUT:.0f} s: {', '.join(waiting)}; see "
                + ", ".join(str(s.log_path) for s in waiting.values())
            )
        for name, service in list(waiting.items()):
            service.watch(now)
            if service.ready():
                say(f"{name:<11} ready in {now - started:4.1f} s   {service.url}")
                del waiting[name]
        if waiting and now - last_note > 10:
            say(f"... still starting: {', '.join(waiting)} ({now - started:.0f} s)")
            last_note = now
        time.sleep(0.2)


def _keep_running(services: list[Supervised], broker: EmbeddedBroker) -> None:
    try:
        while True:
            now = time.monotonic()
            if not broker.alive():
                say("the embedded broker stopped; starting it again (its topics start empty)")
                broker.start()
            for service in services:
                service.watch(now)
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass


def _interrupt(*_: object) -> None:
    raise KeyboardInterrupt


def run_dev_stack(base_port: int = 8001) -> None:
    signal.signal(signal.SIGTERM, _interrupt)  # stop as Ctrl-C does, cleaning up
    # Ctrl-C stops it even when started from a shell that ignores SIGINT (a background job)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    var = Path(os.environ.get("IRP_VAR_DIR", "var")).resolve()
    var.mkdir(parents=True, exist_ok=True)
    secret = os.environ.get("IRP_JWT_SECRET") or _dev_secret(var)
    kafka_port = int(os.environ.get("IRP_EMBEDDED_KAFKA_PORT", "9092"))
    smtp_port = int(os.environ.get("IRP_SMTP_PORT", "8025"))
    ports = {"embedded Kafka broker": kafka_port, "local mail server": smtp_port}
    ports |= {name: base_port + offset for offset, name in enumerate(NAMES)}
    taken = taken_ports(ports)
    if taken:
        raise SystemExit(
            f"cannot start: port(s) already in use: {', '.join(taken)}. Stop what uses them "
            f"(another `make run`?), or choose others: irp dev --port N (services "
            f"N..N+{len(NAMES) - 1}), IRP_EMBEDDED_KAFKA_PORT=M (broker), IRP_SMTP_PORT=P (mail)."
        )
    say(f"starting the embedded Kafka broker on 127.0.0.1:{kafka_port} ...")
    broker = EmbeddedBroker(kafka_port, log_path=var / "broker.log").start()
    mail = LocalMailServer(var / "mail", smtp_port).start()
    urls = {name: f"http://127.0.0.1:{port}" for name, port in ports.items() if name in NAMES}
    env = {
        **os.environ,
        "IRP_JWT_SECRET": secret,
        "IRP_KAFKA_BOOTSTRAP": broker.bootstrap,
        "IRP_VAR_DIR": str(var),
        "IRP_SMTP_HOST": "127.0.0.1",
        "IRP_SMTP_PORT": str(smtp_port),
        "IRP_SERVICE_URLS": json.dumps(urls),
    }
    services = [
        Supervised(name, port, env, var / f"{name}.log")
        for name, port in ports.items()
        if name in NAMES
    ]
    try:
        for service in services:
            service.start()
        say(f"starting {', '.join(NAMES)} (migrations on first start; logs under {var}) ...")
        _wait_until_ready(services)
        token = issue_token(
            load_settings("cli", jwt_secret=secret), "local-developer", list(SCOPES)
        )
        say(f"\nKafka (embedded): {broker.bootstrap}")
        say(f"Mail (local SMTP 127.0.0.1:{smtp_port}): every message kept as .eml in {mail.folder}")
        for s in services:
            say(f"{s.name:<11} {s.url}   docs: {s.url}/docs   logs: {s.log_path}")
        office = next(s for s in services if s.name == "reporting").url
        say(f"\nThe reporting office's page: {office}/office/ (an account: "
            f"IRP_VAR_DIR={var} irp office-account add NAME)")  # fmt: skip
        say(f"\nAccess token (all scopes, 8 h):\n{token}\n")
        say("Ctrl-C stops everything.")
        _keep_running(services, broker)
    finally:
        stop_side_by_side(services)
        broker.stop()
        mail.stop()
        say("stopped")
