"""The whole embedded stack as `make run` starts it, over real HTTP."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime

import httpx

from shared.embedded_broker import free_port
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


def test_make_run_stack_shows_a_new_visit_in_the_activity_report_within_a_second(tmp_path):
    base = free_port()
    env = {
        **os.environ,
        "IRP_VAR_DIR": str(tmp_path / "var"),
        "IRP_EMBEDDED_KAFKA_PORT": str(free_port()),
    }
    env.pop("IRP_JWT_SECRET", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "shared.cli", "dev", "--port", str(base)],
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
        posted = time.monotonic()
        while visits_created() < 1:
            assert time.monotonic() - posted < 1.0, "not in the activity report within a second"
            time.sleep(0.02)

        metrics = httpx.get(f"{visits}/metrics").text
        assert 'irp_events_published_total{service="visits"' in metrics
        assert "irp_http_request_duration_seconds_bucket" in metrics
    finally:
        process.send_signal(signal.SIGINT)
        output, _ = process.communicate(timeout=60)
    assert process.returncode == 0, output
    assert "stopped" in output
