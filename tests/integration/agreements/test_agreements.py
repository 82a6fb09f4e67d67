"""The agreements service: import, obligations with several sources, progress, follow-ups."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, timedelta

import pytest
from openpyxl import Workbook

from services.agreements import tables
from shared import topics
from shared.contracts.base import LocalizedText
from shared.contracts.visits import FollowUpCommittedV1
from shared.envelope import EventEnvelope
from shared.kafka import OutgoingMessage, Publisher
from tests.harness import auth, count_rows, events_on, eventually, running, settings_for

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TODAY = datetime.now(UTC).date()
HEADER = ["ref", "title_ka", "title_en", "source_kind", "source_reference", "source2_kind",
          "source2_reference", "area", "lead_unit", "supporting_units", "deadline",
          "support_level"]  # fmt: skip


def _measure(n: int) -> list:
    row = [f"AP-{n:03d}", f"ღონისძიება {n}", f"Measure {n}", "eu_action_plan", f"1.{n}",
           None, None, f"Chapter {n % 5 + 1}", "Policy Department", "LEPL A; LEPL B",
           date(2026, 12, 31), None]  # fmt: skip
    if n == 7:  # serves an AA article and a UPR recommendation: one obligation, two sources
        row[3:7] = ["eu_association_agreement", "Article 14", "upr_recommendation", "148.12"]
        row[11] = "supported"
    return row


def _xlsx(rows: list[list]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture
async def agreements(databases, kafka, prefix):
    settings = settings_for("agreements", await databases.new(), kafka.bootstrap, prefix)
    async with running("agreements", settings) as service:
        yield service


async def test_an_action_plan_imports_from_xlsx_all_or_nothing_and_only_once(
    agreements, kafka, prefix
):
    client, headers = agreements.client, auth()
    plan = await client.post(
        "/v1/action-plans",
        json={"year": 2026, "title": {"ka": "სამოქმედო გეგმა", "en": "Action Plan 2026"}},
        headers=headers,
    )
    assert plan.status_code == 201, plan.text
    url = f"/v1/obligations/import?action_plan_id={plan.json()['id']}"
    rows = [_measure(n) for n in range(1, 201)]
    broken = [list(r) for r in rows]
    broken[41][10] = "2026-02-31"  # row 43 of the sheet: no such day
    bad = await client.post(url, content=_xlsx(broken), headers={**headers, "Content-Type": XLSX})
    assert bad.status_code == 422
    assert bad.headers["content-type"] == "application/problem+json"
    assert [(e["row"], e["field"]) for e in bad.json()["errors"]] == [(43, "deadline")]
    assert await count_rows(agreements.db, tables.obligations) == 0

    dry = await client.post(
        url + "&dry_run=true", content=_xlsx(rows), headers={**headers, "Content-Type": XLSX}
    )
    counts = {"rows": 200, "created": 200, "updated": 0, "unchanged": 0, "dry_run": True}
    assert {k: v for k, v in dry.json().items() if k != "items"} == counts
    assert dry.json()["items"][0] == {"row": 2, "ref": "AP-001", "id": None, "outcome": "created"}
    assert await count_rows(agreements.db, tables.obligations) == 0

    good = await client.post(url, content=_xlsx(rows), headers={**headers, "Content-Type": XLSX})
    assert good.json()["created"] == 200, good.text
    created = {i["ref"]: i["id"] for i in good.json()["items"]}
    assert len(set(created.values())) == 200 and None not in created.values()
    again = await client.post(url, content=_xlsx(rows), headers={**headers, "Content-Type": XLSX})
    counts = {"rows": 200, "created": 0, "updated": 0, "unchanged": 200, "dry_run": False}
    assert {k: v for k, v in again.json().items() if k != "items"} == counts
    assert {i["ref"]: i["id"] for i in again.json()["items"]} == created
    assert {i["outcome"] for i in again.json()["items"]} == {"unchanged"}
    assert await count_rows(agreements.db, tables.obligations) == 200

    listed = await client.get(
        "/v1/obligations", params={"kind": "upr_recommendation"}, headers=headers
    )
    (both,) = listed.json()["items"]
    assert both["external_ref"] == "AP-007"
    assert both["sources"] == [  # the answer is the recommendation's
        {"kind": "eu_association_agreement", "reference": "Article 14", "support_level": None},
        {"kind": "upr_recommendation", "reference": "148.12", "support_level": "supported"},
    ]
    assert both["action_plan_id"] == plan.json()["id"]
    aa = await client.get(
        "/v1/obligations", params={"kind": "eu_association_agreement"}, headers=headers
    )
    assert [o["id"] for o in aa.json()["items"]] == [both["id"]]

    measures = (await client.get("/v1/obligations", params={"limit": 3}, headers=headers)).json()
    approved_ids = []
    for measure in measures["items"]:
        base = f"/v1/obligations/{measure['id']}"
        await client.post(f"{base}/transitions", json={"to": "in_progress"}, headers=headers)
        report = await client.post(
            f"{base}/progress",
            json={"period": "2026-Q1", "percent": 40, "reporting_unit": "Policy Department",
                  "narrative": {"en": "Drafting started"}},
            headers=headers,
        )  # fmt: skip
        assert report.status_code == 201, report.text
        decided = await client.post(
            f"{base}/progress/{report.json()['id']}/transitions",
            json={"to": "approved"},
            headers=headers,
        )
        assert decided.json()["status"] == "approved"
        shown = (await client.get(base, headers=headers)).json()
        assert shown["latest_approved_percent"] == 40
        approved_ids.append(measure["id"])

    async def drained() -> bool:
        pending = tables.outbox.c.published_at.is_(None)
        return await count_rows(agreements.db, tables.outbox, pending) == 0

    await eventually(drained)
    events = await events_on(kafka.bootstrap, prefix + topics.AGREEMENTS)
    types = [e["type"].split(".")[2] for e in events]
    assert types.count("ActionPlanDrafted") == 1
    assert types.count("ObligationRegistered") == 200
    assert types.count("ProgressApproved") == 3
    approved = [e for e in events if e["type"].endswith("ProgressApproved.v1")]
    assert sorted(e["data"]["obligation_id"] for e in approved) == sorted(approved_ids)
    for measure_id in approved_ids:
        own = [e["type"].split(".")[2] for e in events if e["aggregateid"] == measure_id]
        assert own == ["ObligationRegistered", "ObligationStatusChanged", "ProgressSubmitted",
                       "ProgressApproved"]  # fmt: skip


async def test_a_visit_follow_up_becomes_exactly_one_obligation(agreements, kafka, prefix):
    commitment = FollowUpCommittedV1(
        visit_id="v-1", commitment_id="c-1", text=LocalizedText(en="Draft an MoU"),
        responsible_unit="Legal", deadline=TODAY + timedelta(days=60), direction="incoming",
        country_code="DE",
    )  # fmt: skip
    first = EventEnvelope.wrap(
        commitment, service="visits", aggregate_id="v-1", aggregate_version=9, correlation_id=None
    )
    resent = EventEnvelope.wrap(
        commitment, service="visits", aggregate_id="v-1", aggregate_version=9, correlation_id=None
    )
    topic = prefix + topics.VISITS
    publisher = Publisher(kafka.bootstrap)
    await publisher.publish_many(
        [OutgoingMessage(topic, "v-1", e.to_bytes(), {}) for e in (first, first, resent)]
    )
    await publisher.close()
    await eventually(lambda: _inbox_has(agreements.db, 2))
    t = tables.obligations
    assert await count_rows(agreements.db, t) == 1
    (obligation,) = (await agreements.client.get("/v1/obligations", headers=auth())).json()["items"]
    assert obligation["origin_ref"] == "c-1"
    assert obligation["sources"][0]["kind"] == "visit_commitment"
    assert obligation["lead_unit"] == "Legal"


async def _inbox_has(db, n: int) -> bool:  # type: ignore[no-untyped-def]
    return await count_rows(db, tables.inbox) >= n


async def test_lifecycles_refuse_invalid_moves_and_codes(agreements):
    client, headers = agreements.client, auth()
    body = {
        "agreement_type": "memorandum",
        "title": {"en": "MoU on cooperation"},
        "parties": {"countries": ["DE"]},
        "funding": {"amount": "5000", "currency": "EUR"},
    }
    for bad in (
        {**body, "parties": {"countries": ["XX"]}},
        {**body, "funding": {"amount": "5000", "currency": "XYZ"}},
        {**body, "parties": {}},
    ):
        answer = await client.post("/v1/agreements", json=bad, headers=headers)
        assert answer.status_code == 422, bad
        assert answer.headers["content-type"] == "application/problem+json"
    created = await client.post("/v1/agreements", json=body, headers=headers)
    base = f"/v1/agreements/{created.json()['id']}"
    jump = await client.post(f"{base}/transitions", json={"to": "signed"}, headers=headers)
    assert jump.status_code == 409
    assert jump.json()["allowed"] == ["drafting", "withdrawn"]
    for step in ("drafting", "internal_review", "negotiation", "agreed"):
        assert (
            await client.post(f"{base}/transitions", json={"to": step}, headers=headers)
        ).is_success
    signed = await client.post(
        f"{base}/transitions", json={"to": "signed", "on": "2026-03-01"}, headers=headers
    )
    assert signed.json()["signed_on"] == "2026-03-01"
    early = await client.post(
        f"{base}/transitions", json={"to": "in_force", "on": "2026-02-01"}, headers=headers
    )
    assert early.status_code == 422  # in force before signature
    misplaced = await client.post(
        "/v1/obligations",
        json={"sources": [{"kind": "agreement_clause", "reference": "Art. 3",
                           "support_level": "supported"}],
              "title": {"en": "Clause"}, "lead_unit": "Policy"},
        headers=headers,
    )  # fmt: skip
    assert misplaced.status_code == 422  # an answer belongs to a UN recommendation only
    obligation = await client.post(
        "/v1/obligations",
        json={"sources": [{"kind": "upr_recommendation", "reference": "148.1",
                           "support_level": "supported"}],
              "title": {"en": "Recommendation"}, "lead_unit": "Policy"},
        headers=headers,
    )  # fmt: skip
    assert obligation.json()["sources"][0]["support_level"] == "supported"
    moved = await client.post(
        f"/v1/obligations/{obligation.json()['id']}/transitions",
        json={"to": "completed"},
        headers=headers,
    )
    assert moved.status_code == 409
    assert moved.json()["allowed"] == ["cancelled", "in_progress"]


async def test_an_agreement_in_force_near_its_expiry_is_flagged(agreements):
    client, headers = agreements.client, auth()
    body = {"agreement_type": "donor_agreement", "title": {"en": "Grant"},
            "parties": {"organisations": ["UNDP"]}}  # fmt: skip
    created = await client.post("/v1/agreements", json=body, headers=headers)
    base = f"/v1/agreements/{created.json()['id']}"
    for step in ("drafting", "internal_review", "negotiation", "agreed", "signed", "in_force"):
        moved = await client.post(f"{base}/transitions", json={"to": step}, headers=headers)
        assert moved.status_code == 200, moved.text
    assert moved.json()["expiring_soon"] is False
    soon = str(TODAY + timedelta(days=30))
    dated = await client.patch(f"{base}/dates", json={"expires_on": soon}, headers=headers)
    assert dated.json()["expiring_soon"] is True
    listed = await client.get("/v1/agreements", params={"expiring": "true"}, headers=headers)
    assert [a["id"] for a in listed.json()["items"]] == [dated.json()["id"]]
    early = await client.post(f"{base}/transitions", json={"to": "expired"}, headers=headers)
    assert early.status_code == 422  # it runs until its expiry date


async def test_a_commission_decision_becomes_an_obligation(agreements):
    client, headers = agreements.client, auth()
    commission = await client.post(
        "/v1/commissions",
        json={"partner_country": "AZ", "name": {"en": "Georgia-Azerbaijan commission"},
              "our_co_chair": "Minister", "partner_co_chair": "Minister of Economy"},
        headers=headers,
    )  # fmt: skip
    assert commission.status_code == 201, commission.text
    base = f"/v1/commissions/{commission.json()['id']}"
    first = {"number": 1, "held_on": "2025-05-10", "place": "Baku",
             "protocol_items": [{"number": 1, "topic": "Transport corridors"}]}  # fmt: skip
    assert (await client.post(f"{base}/sessions", json=first, headers=headers)).status_code == 201
    second = {"number": 2, "held_on": "2026-05-10", "place": "Tbilisi",
              "protocol_items": [{"number": 1, "topic": "Trade"}]}  # fmt: skip
    refused = await client.post(f"{base}/sessions", json=second, headers=headers)
    assert refused.status_code == 422  # item 1 is the previous session's decisions
    decision = {"text": {"en": "Open a joint border checkpoint"}, "responsible_unit": "Customs",
                "deadline": "2026-12-31"}  # fmt: skip
    taken = await client.post(f"{base}/sessions/1/decisions", json=decision, headers=headers)
    assert taken.status_code == 201, taken.text
    assert taken.json()["sources"] == [
        {"kind": "commission_decision", "reference": "session 1, decision 1", "support_level": None}
    ]
    assert taken.json()["external_ref"] == "1.1"
    shown = (await client.get(base, headers=headers)).json()
    assert shown["sessions"][0]["decisions"][0]["obligation_id"] == taken.json()["id"]
    for to in ("agreed", "signed"):
        moved = await client.post(
            f"{base}/sessions/1/protocol/transitions", json={"to": to}, headers=headers
        )
        assert moved.json()["sessions"][0]["protocol_status"] == to
    late = await client.post(f"{base}/sessions/1/decisions", json=decision, headers=headers)
    assert late.status_code == 409
    assert await count_rows(agreements.db, tables.obligations) == 1


async def test_an_imported_row_cites_as_many_sources_as_it_has(agreements):
    sheet = (
        "ref,title_en,source_kind,source_reference,source2_kind,source2_reference,"
        "source3_kind,source3_reference,lead_unit,support_level\n"
        "UN-1,Ratify the Optional Protocol,un_treaty_body,CRC/C/GEO/CO/4 12,"
        "upr_recommendation,148.12,un_hrc_resolution,A/HRC/RES/52/5,Legal Department,supported\n"
    )
    answer = await agreements.client.post(
        "/v1/obligations/import",
        content=sheet.encode(),
        headers={**auth(), "Content-Type": "text/csv"},
    )
    assert answer.status_code == 200, answer.text
    (item,) = answer.json()["items"]
    assert (item["row"], item["ref"], item["outcome"]) == (2, "UN-1", "created")
    kept = await agreements.client.get(f"/v1/obligations/{item['id']}", headers=auth())
    assert [s["reference"] for s in kept.json()["sources"]] == [
        "CRC/C/GEO/CO/4 12", "148.12", "A/HRC/RES/52/5"
    ]  # fmt: skip
