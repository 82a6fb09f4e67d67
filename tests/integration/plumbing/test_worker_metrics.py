"""A relay worker (``irp worker``, no HTTP API) still reports to Prometheus: its /metrics
on the port the settings give, with its relay's and outbox's series."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import httpx

from tests.harness import env_for, free_port, settings_for


def _metrics(port: int) -> str:
    try:
        return httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=2).text
    except httpx.HTTPError:
        return ""


def test_a_relay_worker_serves_its_metrics_and_shows_it_holds_the_relay(tmp_path, kafka, prefix):
    port = free_port()
    settings = settings_for("visits", f"sqlite:///{tmp_path}/visits.db", kafka.bootstrap, prefix)
    env = {**os.environ, **env_for(settings), "IRP_WORKER_METRICS_PORT": str(port)}
    worker = subprocess.Popen(
        [sys.executable, "-m", "services.cli", "worker", "visits"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while 'irp_relay_is_leader{service="visits"} 1.0' not in (text := _metrics(port)):
            assert worker.poll() is None, worker.stderr.read().decode()[-3000:]  # type: ignore[union-attr]
            assert time.monotonic() < deadline, text or "no /metrics answered"
            time.sleep(0.3)
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    assert 'irp_outbox_pending{service="visits"}' in text
    assert 'irp_publish_failures_total{service="visits"} 0.0' in text
