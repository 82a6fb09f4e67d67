"""Passports over HTTP: the whole life of a passport, entitlements, masking and audit."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from aiokafka import AIOKafkaConsumer

from services.passports import tables
from shared import topics
from tests.harness import (
    auth,
    count_rows,
    eventually,
    remember_personal_data,
    running,
    settings_for,
)

TODAY = datetime.now(UTC).date()
MINISTER = {
    "name_ka": "ნინო ბერიძე",
    "personal_number": "01024057788",
    "date_of_birth": "1975-04-02",
    "category": "minister",
    "unit": "Leadership",
}
NUMBER = "GD1234567"
remember_personal_data(MINISTER["personal_number"], MINISTER["date_of_birth"], NUMBER)


@pytest.fixture
async def passports(databases, kafka, prefix):
    settings = settings_for("passports", await databases.new(), kafka.bootstrap, prefix)
    async with running("passports", settings) as service:
        yield service


async def _ok(answer, status: int = 200) -> dict:  # type: ignore[no-untyped-def]
    assert answer.status_code == status, answer.text
    return answer.json()


async def test_a_passport_from_request_to_cancellation(passports, kafka, prefix):
    client, headers = passports.client, auth()
    holder = await _ok(await client.post("/v1/holders", json=MINISTER, headers=headers), 201)
    passport = await _ok(
        await client.post(
            "/v1/passports", json={"holder_id": holder["id"], "passport_type": "diplomatic"},
            headers=headers,
        ),
        201,
    )  # fmt: skip
    base = f"/v1/passports/{passport['id']}"
    for to in ("approved", "submitted"):
        await _ok(await client.post(f"{base}/transitions", json={"to": to}, headers=headers))
    issue = {
        "number": NUMBER,
        "issued_on": str(TODAY),
        "expires_on": str(TODAY + timedelta(days=3650)),
    }
    issued = await _ok(await client.post(f"{base}/issue", json=issue, headers=headers))
    assert issued["status"] == "issued" and issued["number"] == NUMBER
    handed = await _ok(
        await client.post(f"{base}/transitions", json={"to": "handed_over"}, headers=headers)
    )
    assert handed["handed_over_on"] == str(TODAY)
    dismissal = {"dismissed_on": str(TODAY), "return_within_days": 14}
    await _ok(
        await client.post(f"/v1/holders/{holder['id']}/dismissal", json=dismissal, headers=headers)
    )
    due = await _ok(await client.get(base, headers=headers))
    assert due["status"] == "return_due" and due["return_due_by"] == str(TODAY + timedelta(14))
    await _ok(await client.post(f"{base}/transitions", json={"to": "returned"}, headers=headers))
    cancelled = await _ok(
        await client.post(
            f"{base}/transitions", json={"to": "cancelled", "reason": "returned after dismissal"},
            headers=headers,
        )
    )  # fmt: skip
    assert cancelled["status"] == "cancelled"
    again = await client.post(
        "/v1/passports", json={"holder_id": holder["id"], "passport_type": "service"},
        headers=headers,
    )  # fmt: skip
    assert again.status_code == 409  # a dismissed holder gets no new passport

    async def drained() -> bool:
        pending = tables.outbox.c.published_at.is_(None)
        return await count_rows(passports.db, tables.outbox, pending) == 0

    await eventually(drained)
    consumer = AIOKafkaConsumer(
        prefix + topics.PASSPORTS, bootstrap_servers=kafka.bootstrap,
        auto_offset_reset="earliest", group_id=None,
    )  # fmt: skip
    await consumer.start()
    events = []
    try:
        while batch := await consumer.getmany(timeout_ms=1500):
            for records in batch.values():
                events += [json.loads(r.value) for r in records]
    finally:
        await consumer.stop()
    mine = sorted(
        (e for e in events if e["aggregateid"] == passport["id"]),
        key=lambda e: e["aggregateversion"],
    )
    assert [e["type"].split(".")[2] for e in mine] == [
        "PassportRequested", "PassportApproved", "PassportSubmitted", "PassportIssued",
        "PassportHandedOver", "PassportReturnDue", "PassportReturned", "PassportCancelled",
    ]  # fmt: skip
    holder_events = [e["type"].split(".")[2] for e in events if e["aggregateid"] == holder["id"]]
    assert holder_events == ["HolderRegistered", "HolderDismissed"]
    for event in events:
        raw = json.dumps(event)
        assert NUMBER not in raw and MINISTER["personal_number"] not in raw


async def test_entitlements_numbers_and_dates_are_checked(passports):
    client, headers = passports.client, auth()
    lepl = {**MINISTER, "personal_number": "01024057789", "category": "head_of_lepl"}
    remember_personal_data(lepl["personal_number"])
    holder = await _ok(await client.post("/v1/holders", json=lepl, headers=headers), 201)
    refused = await client.post(
        "/v1/passports", json={"holder_id": holder["id"], "passport_type": "diplomatic"},
        headers=headers,
    )  # fmt: skip
    assert refused.status_code == 422
    assert "not entitled" in refused.json()["detail"]
    assert refused.json()["entitled_categories"] == [
        "minister",
        "deputy_minister",
        "head_of_department",
    ]
    service = await _ok(
        await client.post(
            "/v1/passports", json={"holder_id": holder["id"], "passport_type": "service"},
            headers=headers,
        ),
        201,
    )  # fmt: skip
    base = f"/v1/passports/{service['id']}"
    for to in ("approved", "submitted"):
        await _ok(await client.post(f"{base}/transitions", json={"to": to}, headers=headers))
    for bad in (
        {"number": "gd12345", "issued_on": str(TODAY), "expires_on": str(TODAY + timedelta(900))},
        {
            "number": "GD12345678",
            "issued_on": str(TODAY),
            "expires_on": str(TODAY + timedelta(900)),
        },
        {"number": "GD1234568", "issued_on": str(TODAY), "expires_on": str(TODAY)},
        {
            "number": "GD1234568",
            "issued_on": str(TODAY),
            "expires_on": str(TODAY + timedelta(4000)),
        },
    ):
        answer = await client.post(f"{base}/issue", json=bad, headers=headers)
        assert answer.status_code == 422, bad
    assert (await client.get(base, headers=headers)).json()["status"] == "submitted"


async def test_personal_data_is_masked_without_the_scope_and_audited_with_it(passports):
    client = passports.client
    writer = auth("passports:write", "passports:read", "passports:pii")
    holder = await _ok(
        await client.post(
            "/v1/holders", json={**MINISTER, "personal_number": "01024057790"}, headers=writer
        ),
        201,
    )
    remember_personal_data("01024057790")
    masked = await _ok(
        await client.get(f"/v1/holders/{holder['id']}", headers=auth("passports:read"))
    )
    assert masked["personal_number"] == "*********90" and masked["date_of_birth"] is None
    assert await count_rows(passports.db, tables.pii_reads) == 1  # the creating answer
    reader = auth("passports:read", "passports:pii", subject="officer-12")
    full = await _ok(await client.get(f"/v1/holders/{holder['id']}", headers=reader))
    assert full["personal_number"] == "01024057790"
    audit = await client.get("/v1/audit/personal-data-reads", headers=auth("passports:audit"))
    assert [(r["subject"], r["holder_id"]) for r in audit.json()["items"]] == [
        ("tester", holder["id"]),
        ("officer-12", holder["id"]),
    ]
    denied = await client.get("/v1/audit/personal-data-reads", headers=auth("passports:read"))
    assert denied.status_code == 403
    mrz = await client.post(
        "/v1/passports/mrz-check", json={"line": "L898902C36UTO7408122F1204159ZE184226B<<<<<10"},
        headers=writer,
    )  # fmt: skip
    assert mrz.json()["valid"] is True


async def test_the_office_keeps_passports_in_its_safe_and_hands_them_over_for_trips(passports):
    client, headers = passports.client, auth()
    holder = await _ok(await client.post("/v1/holders", json=MINISTER, headers=headers), 201)
    request = {"holder_id": holder["id"], "passport_type": "diplomatic"}
    passport = await _ok(await client.post("/v1/passports", json=request, headers=headers), 201)
    base = f"/v1/passports/{passport['id']}"

    def move(**body):  # type: ignore[no-untyped-def]
        return client.post(f"{base}/transitions", json=body, headers=headers)

    for to in ("approved", "submitted"):
        await _ok(await move(to=to))
    issue = {"number": "GD7654321", "issued_on": str(TODAY - timedelta(days=60)),
             "expires_on": str(TODAY + timedelta(days=3000))}  # fmt: skip
    await _ok(await client.post(f"{base}/issue", json=issue, headers=headers))
    kept = await _ok(await move(to="in_safe", on=str(TODAY - timedelta(days=30))))
    assert (kept["status"], kept["in_safe_since"]) == ("in_safe", str(TODAY - timedelta(30)))

    refused = await move(to="handed_over")
    assert refused.status_code == 422 and "for a trip" in refused.json()["detail"]
    trip = {"trip_id": "trip-brussels", "trip_ends_on": str(TODAY - timedelta(days=10))}
    out = await _ok(await move(to="handed_over", on=str(TODAY - timedelta(days=20)), **trip))
    assert out["safe_return_by"] == str(TODAY - timedelta(days=5))  # 5 days after the trip
    assert out["safe_return_overdue"] is True and out["trip_id"] == "trip-brussels"

    overdue = tables.outbox.c.event_type == "irp.passports.PassportSafeReturnOverdue.v1"
    for _ in range(2):  # the sweep announces it once
        await passports.ctx.schedules[0].run()
    assert await count_rows(passports.db, tables.outbox, overdue) == 1
    listed = await client.get("/v1/passports", headers=headers)
    assert [p["safe_return_overdue"] for p in listed.json()["items"]] == [True]

    back = await _ok(await move(to="in_safe"))
    assert (back["status"], back["safe_return_by"], back["safe_return_overdue"]) == (
        "in_safe", None, False
    )  # fmt: skip
