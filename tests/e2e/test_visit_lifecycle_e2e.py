"""Two visits walked through their whole lifecycle over HTTP, checked against the broker."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from aiokafka import AIOKafkaConsumer

from services.visits import tables
from shared import topics
from tests.harness import auth, count_rows, running, settings_for

TODAY = datetime.now(UTC).date()
START, END = TODAY - timedelta(days=1), TODAY + timedelta(days=1)


def _at(day_offset: int, hour: int) -> str:
    return (
        datetime.combine(START + timedelta(days=day_offset), datetime.min.time())
        .replace(hour=hour)
        .isoformat()
    )


async def _events_on_broker(bootstrap: str, topic: str, aggregate_id: str) -> list[dict]:
    consumer = AIOKafkaConsumer(
        topic, bootstrap_servers=bootstrap, auto_offset_reset="earliest", group_id=None
    )
    await consumer.start()
    found: list[dict] = []
    try:
        while True:
            batch = await consumer.getmany(timeout_ms=1500)
            if not batch:
                break
            for records in batch.values():
                for r in records:
                    if r.key == aggregate_id.encode():
                        found.append(json.loads(r.value))
    finally:
        await consumer.stop()
    return sorted(found, key=lambda e: e["aggregateversion"])


async def _ok(answer, status: int = 200) -> dict:  # type: ignore[no-untyped-def]
    assert answer.status_code == status, answer.text
    return answer.json()


async def _walk(client, headers, visit: dict, members: list[dict], programme: list[dict]) -> str:  # type: ignore[no-untyped-def]
    visit_id = (await _ok(await client.post("/v1/visits", json=visit, headers=headers), 201))["id"]
    base = f"/v1/visits/{visit_id}"
    go = lambda to, reason=None: client.post(  # noqa: E731
        f"{base}/transitions", json={"to": to, "reason": reason}, headers=headers
    )
    await _ok(await go("planned"))
    refused = await go("confirmed")
    assert refused.status_code == 422 and "head of delegation" in refused.json()["detail"]
    for member in members:
        await _ok(await client.post(f"{base}/delegation", json=member, headers=headers), 201)
    items = []
    for item in programme:
        items.append(
            await _ok(await client.post(f"{base}/programme", json=item, headers=headers), 201)
        )
    clash = {**programme[0], "title": "Double-booked", "participants": ["Someone else"]}
    refused = await client.post(f"{base}/programme", json=clash, headers=headers)
    assert refused.status_code == 422 and "clash" in refused.json()["detail"]
    points = await _ok(
        await client.post(
            f"{base}/talking-points",
            json={"programme_item_id": items[0]["id"], "subject": "Bilateral agenda",
                  "due_date": str(TODAY)},
            headers=headers,
        ),
        201,
    )  # fmt: skip
    for to in ("drafted", "approved"):
        moved = await client.post(
            f"{base}/talking-points/{points['id']}/transitions", json={"to": to}, headers=headers
        )
        assert (await _ok(moved))["status"] == to
    await _ok(await go("confirmed"))
    await _ok(await go("in_progress"))
    outcome = {
        "summary": {"ka": "შეხვედრა შედგა", "en": "The meeting took place"},
        "follow_ups": [
            {"text": {"en": "Draft a memorandum on cooperation"}, "responsible_unit": "Legal",
             "deadline": str(TODAY + timedelta(days=60))},
            {"text": {"en": "Exchange expert delegations"}, "responsible_unit": "Policy",
             "deadline": str(TODAY + timedelta(days=90))},
        ],
    }  # fmt: skip
    await _ok(await client.post(f"{base}/outcome", json=outcome, headers=headers), 201)
    await _ok(await go("completed"))
    final = await _ok(await go("reported"))
    assert final["status"] == "reported" and final["outcome_recorded"]
    return visit_id


async def test_an_incoming_delegation_and_an_outgoing_visit_walk_their_whole_lifecycle(
    tmp_path, kafka, prefix
):
    settings = settings_for("visits", f"sqlite:///{tmp_path}/v.db", kafka.bootstrap, prefix)
    dates = {"start_date": str(START), "end_date": str(END)}
    incoming = {
        "direction": "incoming", "kind": "delegation", "lead_level": "minister",
        "country_code": "DE", "counterpart_lead_official": "Federal Minister",
        "our_lead_official": "Minister", "title": {"ka": "გერმანიის დელეგაცია",
        "en": "German ministerial delegation"}, "city": "Tbilisi", **dates,
    }  # fmt: skip
    outgoing = {
        "direction": "outgoing", "kind": "working", "lead_level": "deputy_minister",
        "country_code": "BE", "organisation": "European Commission",
        "title": {"en": "Working visit to Brussels"}, "city": "Brussels", **dates,
    }  # fmt: skip
    incoming_members = [
        {"name_latin": "Anna Schmidt", "role": "head", "precedence": 1, "position": "Minister"},
        {"name_latin": "Peter Braun", "role": "member", "precedence": 2},
        {"name_latin": "Eva Klein", "role": "interpreter", "precedence": 3},
    ]
    outgoing_members = [
        {"name_ka": "ნინო ბერიძე", "name_latin": "Nino Beridze", "role": "head", "precedence": 1,
         "visa": {"status": "issued", "issued_on": str(TODAY - timedelta(days=20))}},
        {"name_latin": "Giorgi Kapanadze", "role": "protocol", "precedence": 2,
         "visa": {"status": "not_required"}},
    ]  # fmt: skip
    programme = [
        {"item_type": "meeting", "title": "Talks with the Minister", "starts_at": _at(0, 10),
         "ends_at": _at(0, 11), "venue": "Ministry, Hall A", "participants": ["Anna Schmidt"]},
        {"item_type": "meal", "title": "Working lunch", "starts_at": _at(0, 12),
         "ends_at": _at(0, 13), "venue": "Hotel", "participants": ["Anna Schmidt"]},
    ]  # fmt: skip
    async with running("visits", settings) as visits:
        headers = auth()
        walked = [
            await _walk(visits.client, headers, incoming, incoming_members, programme),
            await _walk(visits.client, headers, outgoing, outgoing_members, programme),
        ]
        outbox = tables.outbox
        pending = outbox.c.published_at.is_(None)

        async def drained() -> bool:
            return await count_rows(visits.db, outbox, pending) == 0

        from tests.harness import eventually

        await eventually(drained)
        await visits.ctx.relay.flush_published()

    expected_incoming = [
        "VisitCreated", "VisitPlanned", "DelegationMemberAdded", "DelegationMemberAdded",
        "DelegationMemberAdded", "ProgrammeItemScheduled", "ProgrammeItemScheduled",
        "TalkingPointsRequested", "TalkingPointsDrafted", "TalkingPointsApproved",
        "VisitConfirmed", "VisitStarted", "VisitOutcomeRecorded", "FollowUpCommitted",
        "FollowUpCommitted", "VisitCompleted", "VisitReported",
    ]  # fmt: skip
    expected_outgoing = [t for t in expected_incoming if t != "DelegationMemberAdded"]
    expected_outgoing[2:2] = ["DelegationMemberAdded"] * 2
    for visit_id, expected in zip(walked, (expected_incoming, expected_outgoing), strict=True):
        events = await _events_on_broker(kafka.bootstrap, prefix + topics.VISITS, visit_id)
        names = [e["type"].split(".")[2] for e in events]
        assert names == expected
        assert [e["aggregateversion"] for e in events] == list(range(1, len(expected) + 1))
        follow_ups = [e["data"] for e in events if e["type"].endswith("FollowUpCommitted.v1")]
        assert [f["responsible_unit"] for f in follow_ups] == ["Legal", "Policy"]
        assert all(f["visit_id"] == visit_id for f in follow_ups)
        for e in events:  # names of delegation members stay in the visits service
            assert "Anna Schmidt" not in json.dumps(e["data"])
            assert "Nino Beridze" not in json.dumps(e["data"])
