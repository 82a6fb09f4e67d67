"""Personal data reaches a caller only with ``passports:pii``, audited, never cached — on every
route of the passports service, replayed responses included (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from services.passports import tables
from tests.harness import auth, count_rows, remember_personal_data, running, settings_for

TODAY = datetime.now(UTC).date()
HOLDER = {
    "name_ka": "ლევან კაპანაძე",
    "personal_number": "01024055512",
    "date_of_birth": "1975-02-24",
    "category": "minister",
}
NUMBER = "DP5551234"
remember_personal_data(HOLDER["personal_number"], HOLDER["date_of_birth"], NUMBER)
WRITER = ("passports:read", "passports:write")
OFFICER = (*WRITER, "passports:pii")


@pytest.fixture
async def passports(databases, kafka, prefix):
    url = await databases.new("p")
    settings = settings_for("passports", url, kafka.bootstrap, prefix, run_consumers=False)
    async with running("passports", settings) as service:
        yield service


async def _reads(service) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    async with service.db.unit_of_work(write=False) as session:
        rows = await session.execute(select(tables.pii_reads).order_by(tables.pii_reads.c.id))
        return [(r.subject, r.endpoint) for r in rows]


async def test_registering_a_holder_needs_the_pii_scope(passports):
    refused = await passports.client.post("/v1/holders", json=HOLDER, headers=auth(*WRITER))
    assert refused.status_code == 403
    assert refused.json()["required_scope"] == "passports:pii"
    assert await count_rows(passports.db, tables.holders) == 0


async def test_a_duplicate_personal_number_is_told_only_to_a_caller_with_the_scope(passports):
    assert (
        await passports.client.post("/v1/holders", json=HOLDER, headers=auth(*OFFICER))
    ).is_success
    again = await passports.client.post("/v1/holders", json=HOLDER, headers=auth(*WRITER))
    assert again.status_code == 403
    duplicate = await passports.client.post("/v1/holders", json=HOLDER, headers=auth(*OFFICER))
    assert duplicate.status_code == 409
    assert HOLDER["personal_number"] not in duplicate.text


async def test_a_replayed_creation_is_rendered_for_the_caller_now(passports):
    key = {"Idempotency-Key": "holder-42"}
    first = await passports.client.post(
        "/v1/holders", json=HOLDER, headers={**auth(*OFFICER, subject="clerk"), **key}
    )
    assert first.status_code == 201
    assert first.json()["personal_number"] == HOLDER["personal_number"]
    # The same subject retries with another token: the answer is rendered anew, and audited.
    replayed = await passports.client.post(
        "/v1/holders", json=HOLDER, headers={**auth("passports:write", "passports:pii",
                                                    subject="clerk"), **key},
    )  # fmt: skip
    assert replayed.status_code == 201
    assert replayed.headers["idempotent-replayed"] == "true"
    assert replayed.json()["id"] == first.json()["id"]
    assert replayed.json()["personal_number"] == HOLDER["personal_number"]
    assert await count_rows(passports.db, tables.holders) == 1
    reads_before = await _reads(passports)
    # Without the scope, the retry is refused before anything is replayed.
    narrow = await passports.client.post(
        "/v1/holders", json=HOLDER,
        headers={"Authorization": auth("passports:write", subject="clerk")["Authorization"],
                 **key},
    )  # fmt: skip
    assert narrow.status_code == 403  # submitting the number needs the scope, replay or not
    assert await _reads(passports) == reads_before
    async with passports.db.unit_of_work(write=False) as session:
        stored = (await session.execute(select(tables.idempotency_keys))).all()
    assert stored
    for row in stored:
        kept = " ".join(str(v) for v in row)
        assert HOLDER["personal_number"] not in kept
        assert HOLDER["date_of_birth"] not in kept


async def test_a_replay_shows_the_data_again_only_with_a_new_audit_row(passports):
    key = {"Idempotency-Key": "holder-43"}
    headers = {**auth(*OFFICER, subject="clerk"), **key}
    first = await passports.client.post("/v1/holders", json=HOLDER, headers=headers)
    assert first.status_code == 201
    creations = len(await _reads(passports))
    assert creations == 1  # the creating answer carried the data: audited
    replay = await passports.client.post("/v1/holders", json=HOLDER, headers=headers)
    assert replay.json()["personal_number"] == HOLDER["personal_number"]
    assert replay.headers["cache-control"] == "no-store"
    assert len(await _reads(passports)) == creations + 1


async def test_a_dismissal_answer_is_masked_without_the_scope_and_audited_with_it(passports):
    async def dismissed(personal_number: str, headers: dict[str, str]):  # type: ignore[no-untyped-def]
        holder = {**HOLDER, "personal_number": personal_number}
        created = await passports.client.post("/v1/holders", json=holder, headers=auth(*OFFICER))
        path = f"/v1/holders/{created.json()['id']}/dismissal"
        return await passports.client.post(path, json={"dismissed_on": str(TODAY)}, headers=headers)

    masked = await dismissed(HOLDER["personal_number"], auth(*WRITER))
    assert masked.status_code == 200, masked.text
    assert masked.json()["personal_number"] == "*********12"
    assert masked.json()["date_of_birth"] is None
    assert masked.headers["cache-control"] == "no-store"
    remember_personal_data("01024055513")
    before = await _reads(passports)
    shown = await dismissed("01024055513", auth(*OFFICER, subject="hr-1"))
    assert shown.status_code == 200, shown.text
    assert shown.json()["personal_number"] == "01024055513"
    assert (await _reads(passports))[len(before) + 1 :] == [
        ("hr-1", "POST /v1/holders/{id}/dismissal")
    ]


async def test_every_passport_answer_is_not_stored_and_a_number_needs_the_scope(passports):
    holder = (
        await passports.client.post("/v1/holders", json=HOLDER, headers=auth(*OFFICER))
    ).json()
    passport = await passports.client.post(
        "/v1/passports", json={"holder_id": holder["id"], "passport_type": "diplomatic"},
        headers=auth(*WRITER),
    )  # fmt: skip
    assert passport.headers["cache-control"] == "no-store"
    base = f"/v1/passports/{passport.json()['id']}"
    for to in ("approved", "submitted"):
        moved = await passports.client.post(f"{base}/transitions", json={"to": to},
                                            headers=auth(*WRITER))  # fmt: skip
        assert moved.is_success and moved.headers["cache-control"] == "no-store"
    issue = {"number": NUMBER, "issued_on": str(TODAY),
             "expires_on": str(TODAY + timedelta(days=3000))}  # fmt: skip
    refused = await passports.client.post(f"{base}/issue", json=issue, headers=auth(*WRITER))
    assert refused.status_code == 403
    before = await _reads(passports)
    issued = await passports.client.post(
        f"{base}/issue", json=issue, headers=auth(*OFFICER, subject="issuer")
    )
    assert issued.json()["number"] == NUMBER
    handed = await passports.client.post(
        f"{base}/transitions", json={"to": "handed_over"}, headers=auth(*OFFICER, subject="x")
    )
    assert handed.json()["number"] == NUMBER
    assert (await _reads(passports))[len(before) :] == [
        ("issuer", "POST /v1/passports/{id}/issue"),
        ("x", "POST /v1/passports/{id}/transitions"),
    ]
    for path in (base, "/v1/passports", f"/v1/holders/{holder['id']}", "/v1/holders"):
        shown = await passports.client.get(path, headers=auth(*WRITER))
        assert shown.headers["cache-control"] == "no-store", path
        assert NUMBER not in shown.text and HOLDER["personal_number"] not in shown.text


async def test_the_audit_log_states_its_moments_with_a_time_zone(passports):
    holder = (
        await passports.client.post("/v1/holders", json=HOLDER, headers=auth(*OFFICER))
    ).json()
    await passports.client.get(f"/v1/holders/{holder['id']}", headers=auth(*OFFICER))
    log = await passports.client.get(
        "/v1/audit/personal-data-reads", headers=auth("passports:audit")
    )
    moments = [item["read_at"] for item in log.json()["items"]]
    assert moments
    assert all(datetime.fromisoformat(m).utcoffset() == timedelta(0) for m in moments), moments
