"""The whole embedded stack as `make run` starts it, over real HTTP."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from datetime import UTC, datetime

import httpx

from services import NAMES
from shared.embedded_broker import free_port, free_port_range
from tests.harness import VISIT


def _read_token(process: subprocess.Popen[str], deadline: float) -> str:
    assert process.stdout is not None
    lines: list[str] = []
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        lines.append(line)
        if re.fullmatch(r"[\w-]+\.[\w-]+\.[\w-]+\n", line):
            return line.strip()
    raise AssertionError("no token printed:\n" + "".join(lines))


def _wait_for(condition, what: str, timeout: float = 120.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, what
        time.sleep(0.1)


def _live_pid(url: str) -> int | None:
    try:
        return httpx.get(f"{url}/health/live", timeout=2).json()["pid"]
    except (httpx.HTTPError, ValueError, KeyError):
        return None


def test_make_run_serves_a_new_visit_in_the_report_and_restarts_a_service_that_died(tmp_path):
    base = free_port_range(len(NAMES))  # a port per service, from base on
    env = {
        **os.environ,
        "IRP_VAR_DIR": str(tmp_path / "var"),
        "IRP_EMBEDDED_KAFKA_PORT": str(free_port()),
        "IRP_SMTP_PORT": str(free_port()),
    }
    env.pop("IRP_JWT_SECRET", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "services.cli", "dev", "--port", str(base)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        token = _read_token(process, time.monotonic() + 90)
        headers = {"Authorization": f"Bearer {token}"}
        visits, reporting = f"http://127.0.0.1:{base}", f"http://127.0.0.1:{base + 3}"
        for port in range(base, base + 4):
            ready = httpx.get(f"http://127.0.0.1:{port}/health/ready", timeout=10)
            assert ready.status_code == 200, ready.text
        today = datetime.now(UTC).date().isoformat()
        report_url = f"{reporting}/v1/reports/activity"

        def visits_created() -> int:
            report = httpx.get(report_url, params={"from": today, "to": today}, headers=headers)
            assert report.status_code == 200, report.text
            counts = {c["type"]: c["count"] for c in report.json()["by_type"]}
            return counts.get("irp.visits.VisitCreated.v1", 0)

        created = httpx.post(f"{visits}/v1/visits", json=VISIT, headers=headers)
        assert created.status_code == 201, created.text
        # How soon is a figure for `make bench`; here only that it arrives (generous bound).
        _wait_for(lambda: visits_created() >= 1, "the new visit never reached the report", 60)

        metrics = httpx.get(f"{visits}/metrics").text
        assert 'irp_events_published_total{service="visits"' in metrics
        assert "irp_http_request_duration_seconds_bucket" in metrics

        # The visits process dies: it is started again; the broker (and its topics) stays.
        died = _live_pid(visits)
        assert died is not None
        os.kill(died, signal.SIGKILL)
        _wait_for(lambda: _live_pid(visits) not in (None, died), "visits was not restarted")
        again = httpx.post(f"{visits}/v1/visits", json=VISIT, headers=headers)
        assert again.status_code == 201, again.text
        _wait_for(lambda: visits_created() >= 2, "the restarted service's visit never arrived")
    finally:
        process.send_signal(signal.SIGINT)
        output, _ = process.communicate(timeout=60)
    assert process.returncode == 0, output
    assert "stopped" in output
    assert "visits: exited with code -9; starting again" in output
    assert "the embedded broker stopped" not in output


def test_make_run_refuses_to_start_when_a_port_is_taken(tmp_path):
    base = free_port_range(len(NAMES))  # a port per service, from base on
    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", base + 2))
        squatter.listen()
        env = {**os.environ, "IRP_VAR_DIR": str(tmp_path / "var"),
               "IRP_EMBEDDED_KAFKA_PORT": str(free_port()),
               "IRP_SMTP_PORT": str(free_port())}  # fmt: skip
        finished = subprocess.run(
            [sys.executable, "-m", "services.cli", "dev", "--port", str(base)],
            env=env, capture_output=True, text=True, timeout=120,
        )  # fmt: skip
    output = finished.stdout + finished.stderr
    assert finished.returncode != 0
    assert "cannot start: port(s) already in use:" in output
    assert f"{base + 2} (passports)" in output  # (another port may be taken by chance too)
    assert "Access token" not in output
    assert not re.search(r"\bready in \d", output)
