"""Health: live = the process works; ready = it can do its job (its database answers). A broker
away is *degraded*: writes go on into the outbox, and it shows in ``/health`` and a metric."""

from __future__ import annotations

import re

from prometheus_client import generate_latest

from shared.embedded_broker import free_port
from tests.harness import VISIT, auth, eventually, running, settings_for


def _broker_up(service: str) -> float | None:
    found = re.search(
        rf'^irp_broker_up\{{service="{service}"\}} (\S+)$', generate_latest().decode(), re.M
    )
    return float(found.group(1)) if found else None


async def test_without_the_broker_a_service_stays_ready_and_says_it_is_degraded(
    databases, tmp_path, prefix
):
    nobody = f"127.0.0.1:{free_port()}"  # no broker listens here
    settings = settings_for(
        "visits", await databases.new("v"), nobody, prefix, broker_check_interval=0.2
    )
    async with running("visits", settings) as visits:
        ready = await visits.client.get("/health/ready")
        assert ready.status_code == 200, ready.text
        assert ready.json()["checks"]["database"] == "ok"
        live = await visits.client.get("/health/live")
        assert live.status_code == 200
        created = await visits.client.post("/v1/visits", json=VISIT, headers=auth())
        assert created.status_code == 201
        detail = await visits.client.get("/health")
        assert detail.status_code == 200
        body = detail.json()
        assert body["status"] == "degraded"
        assert body["checks"]["broker"] == "down"
        assert body["checks"]["outbox_pending"] >= 1

        async def broker_down() -> bool:
            return _broker_up("visits") == 0.0

        await eventually(broker_down)


async def test_with_its_database_gone_a_service_is_not_ready(tmp_path, kafka, prefix):
    settings = settings_for(
        "reporting", f"sqlite:///{tmp_path}/r.db", kafka.bootstrap, prefix, run_consumers=False
    )
    async with running("reporting", settings) as reporting:
        assert (await reporting.client.get("/health/ready")).status_code == 200
        await reporting.db.dispose()
        (tmp_path / "r.db").unlink()
        (tmp_path / "r.db").mkdir()  # not a database any more
        answer = await reporting.client.get("/health/ready")
        assert answer.status_code == 503
        assert answer.json()["checks"]["database"] == "down"


async def test_with_the_broker_up_health_is_ok(tmp_path, kafka, prefix):
    settings = settings_for(
        "agreements", f"sqlite:///{tmp_path}/a.db", kafka.bootstrap, prefix,
        broker_check_interval=0.2,
    )  # fmt: skip
    async with running("agreements", settings) as agreements:

        async def healthy() -> bool:
            body = (await agreements.client.get("/health")).json()
            return body["status"] == "ok" and body["checks"]["broker"] == "ok"

        await eventually(healthy)
        assert _broker_up("agreements") == 1.0


async def test_the_broker_probe_sees_the_broker_leave_and_come_back(tmp_path, own_kafka, prefix):
    settings = settings_for(
        "agreements", f"sqlite:///{tmp_path}/a.db", own_kafka.bootstrap, prefix,
        broker_check_interval=0.2, run_consumers=False,
    )  # fmt: skip
    async with running("agreements", settings) as agreements:

        async def broker_is(state: str) -> bool:
            body = (await agreements.client.get("/health")).json()
            return body["checks"]["broker"] == state

        await eventually(lambda: broker_is("ok"))
        own_kafka.stop()
        await eventually(lambda: broker_is("down"))
        assert _broker_up("agreements") == 0.0
        own_kafka.start()  # the same port: the probe's kept connection must find it again
        await eventually(lambda: broker_is("ok"))
        assert _broker_up("agreements") == 1.0
