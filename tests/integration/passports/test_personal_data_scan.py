"""A passport service's life with personal data in every corner — replays, conflicts, a 500
whose database error quotes the values, issue, the sweep — and nothing of it in what it
emits. What the whole suite emitted is scanned at the session's end (``tests/conftest.py``)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from prometheus_client import generate_latest
from sqlalchemy import select, text

from services.passports import tables
from tests.harness import (
    PERSONAL_DATA,
    auth,
    every_message,
    personal_data_in,
    remember_personal_data,
    running,
    settings_for,
)

TODAY = datetime.now(UTC).date()
HOLDER = {
    "name_ka": "გიორგი ჩხეიძე",
    "personal_number": "61001077123",
    "date_of_birth": "1968-10-07",
    "category": "deputy_minister",
}
NUMBER = "DP7654321"


async def test_no_personal_data_in_the_logs_metrics_events_or_idempotency_store_of_a_passport_life(
    tmp_path, kafka, prefix, captured_logs
):
    remember_personal_data(HOLDER["personal_number"], HOLDER["date_of_birth"], NUMBER)
    settings = settings_for("passports", f"sqlite:///{tmp_path}/p.db", kafka.bootstrap, prefix)
    async with running("passports", settings) as passports:  # a life of its own, then the scan
        client, headers = passports.client, auth()
        keyed = {**headers, "Idempotency-Key": "scan-1"}
        holder = (await client.post("/v1/holders", json=HOLDER, headers=keyed)).json()
        replayed = await client.post("/v1/holders", json=HOLDER, headers=keyed)
        assert replayed.headers["idempotent-replayed"] == "true"
        duplicate = await client.post("/v1/holders", json=HOLDER, headers=headers)
        assert duplicate.status_code == 409

        async def failing() -> None:  # a 500 whose database error carries personal data
            async with passports.db.unit_of_work() as session:
                await session.execute(
                    text("UPDATE no_such_table SET n = :n WHERE dob = :dob"),
                    {"n": HOLDER["personal_number"], "dob": HOLDER["date_of_birth"]},
                )

        passports.app.router.add_api_route("/v1/failing", failing, methods=["POST"])
        failed = await client.post("/v1/failing", headers=headers)
        assert failed.status_code == 500 and failed.json()["correlation_id"]
        passport = (
            await client.post(
                "/v1/passports",
                json={"holder_id": holder["id"], "passport_type": "diplomatic"},
                headers=headers,
            )
        ).json()
        base = f"/v1/passports/{passport['id']}"
        for to in ("approved", "submitted"):
            await client.post(f"{base}/transitions", json={"to": to}, headers=headers)
        issue = {"number": NUMBER, "issued_on": str(TODAY),
                 "expires_on": str(TODAY + timedelta(days=100))}  # fmt: skip
        assert (await client.post(f"{base}/issue", json=issue, headers=headers)).is_success
        await client.post(f"{base}/issue", json=issue, headers=headers)  # refused: logged?
        await client.get("/v1/passports", headers=headers)
        await client.get(f"/v1/holders/{holder['id']}", headers=headers)
        await passports.ctx.schedules[0].run()  # the sweep: PassportExpiring
        await passports.ctx.relay.publish_pending_once()
        await passports.ctx.relay.flush_published()
        async with passports.db.unit_of_work(write=False) as session:
            kept = (await session.execute(select(tables.idempotency_keys))).all()
        store = "\n".join(" ".join(str(v) for v in row) for row in kept)

    messages = await every_message(kafka.bootstrap)
    metrics = generate_latest().decode()
    logs = "\n".join(captured_logs.lines)
    assert len(messages) > 10 and len(captured_logs.lines) > 10 and kept
    assert any("unhandled error" in line for line in captured_logs.lines)
    assert any(b"PassportExpiring" in m for m in messages)
    leaks = personal_data_in(messages, logs, metrics)
    leaks |= {value: "idempotency" for value in PERSONAL_DATA if value in store}
    assert leaks == {}
    assert len(PERSONAL_DATA) >= 3
