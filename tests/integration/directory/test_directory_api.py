"""The directory over HTTP: units renamed and merged with their history, counterparts with
standard identifiers, people in posts over time; events published without people's names."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from services.directory import tables
from services.reporting import tables as reporting_tables
from shared import topics
from tests.harness import (
    auth,
    count_rows,
    events_on,
    eventually,
    remember_personal_data,
    running,
    settings_for,
)

AMBASSADOR, AMBASSADOR_MAIL = "Sébastien Surun", "s.surun@diplomatie.example.fr"
remember_personal_data(AMBASSADOR, AMBASSADOR_MAIL)
IR = {"ka": "საერთაშორისო ურთიერთობების დეპარტამენტი", "en": "International Relations Department"}
EU = {"ka": "ევროინტეგრაციის სამმართველო", "en": "European Integration Division"}


@pytest.fixture
async def directory(databases, kafka, prefix):
    settings = settings_for("directory", await databases.new(), kafka.bootstrap, prefix)
    async with running("directory", settings) as service:
        yield service


async def _unit(directory, name, **fields):  # type: ignore[no-untyped-def]
    body = {"name": name, "kind": "department", "valid_from": "2019-07-01", **fields}
    created = await directory.client.post("/v1/units", json=body, headers=auth())
    assert created.status_code == 201, created.text
    return created.json()


async def test_a_unit_renamed_then_merged_keeps_its_history(directory):
    ir = await _unit(directory, IR, notice_email="ir@mes.gov.ge")
    division = await _unit(directory, EU, kind="division", parent_id=ir["id"])
    assert division["parent_id"] == ir["id"] and ir["status"] == "active"

    renamed = await directory.client.post(
        f"/v1/units/{division['id']}/renaming",
        json={"name": {"ka": "", "en": "EU Integration Division"}, "on": "2025-01-01"},
        headers={**auth(), "If-Match": f'"{division["version"]}"'},
    )
    assert renamed.status_code == 200, renamed.text
    assert renamed.json()["former_names"] == [
        {"name": EU, "valid_from": None, "valid_to": "2024-12-31"}
    ]
    stale = await directory.client.post(
        f"/v1/units/{division['id']}/renaming",
        json={"name": EU, "on": "2026-01-01"},
        headers={**auth(), "If-Match": f'"{division["version"]}"'},
    )
    assert stale.status_code == 412

    merged = await directory.client.post(
        f"/v1/units/{division['id']}/merger",
        json={"into": ir["id"], "on": "2027-01-01"},
        headers=auth(),
    )
    assert merged.status_code == 200, merged.text
    body = merged.json()
    assert (body["status"], body["merged_into"], body["valid_to"]) == (
        "merged",
        ir["id"],
        "2026-12-31",
    )
    again = await directory.client.post(
        f"/v1/units/{division['id']}/closure", json={"reason": "x", "on": "2027-02-01"},
        headers=auth(),
    )  # fmt: skip
    assert again.status_code == 422 and "final" in again.json()["detail"]

    on_day = await directory.client.get("/v1/units?on=2027-06-01", headers=auth())
    assert [u["id"] for u in on_day.json()["items"]] == [ir["id"]]
    before = await directory.client.get("/v1/units?on=2026-06-01", headers=auth())
    assert {u["id"] for u in before.json()["items"]} == {ir["id"], division["id"]}


async def test_a_unit_cannot_be_placed_under_itself_or_an_unknown_parent(directory):
    ir = await _unit(directory, IR)
    division = await _unit(directory, EU, kind="division", parent_id=ir["id"])
    cycle = await directory.client.patch(
        f"/v1/units/{ir['id']}", json={"parent_id": division["id"]}, headers=auth()
    )
    assert cycle.status_code == 422 and "under itself" in cycle.json()["detail"]
    cleared = await directory.client.patch(
        f"/v1/units/{ir['id']}", json={"kind": None}, headers=auth()
    )
    assert cleared.status_code == 422 and cleared.json()["errors"][0]["field"] == "body.kind"
    unknown = await directory.client.post(
        "/v1/units",
        json={"name": EU, "kind": "division", "valid_from": "2020-01-01", "parent_id": "nope"},
        headers=auth(),
    )
    assert unknown.status_code == 422 and "no unit with id nope" in unknown.json()["detail"]
    assert await count_rows(directory.db, tables.units) == 2


async def test_counterparts_and_the_people_in_their_posts_over_time(directory, kafka, prefix):
    embassy = await directory.client.post(
        "/v1/counterparts",
        json={"name": {"ka": "საფრანგეთის საელჩო", "en": "Embassy of France"},
              "kind": "embassy", "country_code": "FR"},
        headers=auth(),
    )  # fmt: skip
    assert embassy.status_code == 201, embassy.text
    org = embassy.json()["id"]
    wrong = await directory.client.post(
        "/v1/counterparts",
        json={"name": {"ka": "", "en": "UNDP"}, "kind": "donor", "identifiers": {"iati": "41114"}},
        headers=auth(),
    )
    assert wrong.status_code == 422
    assert wrong.json()["errors"][0]["field"] == "body.identifiers"

    posts = []
    for name, start, end in (("Diego Colas", "2021-09-01", "2025-08-31"),
                             (AMBASSADOR, "2025-09-01", None)):  # fmt: skip
        taken = await directory.client.post(
            "/v1/posts",
            json={"person_name_latin": name, "title": {"ka": "", "en": "Ambassador"},
                  "organisation_id": org, "valid_from": start, "work_email": AMBASSADOR_MAIL},
            headers=auth(),
        )  # fmt: skip
        assert taken.status_code == 201, taken.text
        posts.append(taken.json())
        if end:
            ended = await directory.client.post(
                f"/v1/posts/{taken.json()['id']}/end", json={"on": end}, headers=auth()
            )
            assert ended.json()["status"] == "ended"
    in_2024 = await directory.client.get(f"/v1/posts?organisation_id={org}&on=2024-05-01",
                                         headers=auth())  # fmt: skip
    assert [p["person_name_latin"] for p in in_2024.json()["items"]] == ["Diego Colas"]
    now = await directory.client.get(f"/v1/posts?organisation_id={org}&on=2026-11-01",
                                     headers=auth())  # fmt: skip
    assert [p["person_name_latin"] for p in now.json()["items"]] == [AMBASSADOR]
    assert now.headers["cache-control"] == "no-store"
    unread = await directory.client.get("/v1/posts", headers=auth("visits:read"))
    assert unread.status_code == 403

    async def published() -> list[dict]:
        return await events_on(kafka.bootstrap, prefix + topics.DIRECTORY)

    await eventually(lambda: _count_at_least(published, 4), timeout=30)
    events = await published()
    assert {e["type"] for e in events} >= {
        "irp.directory.CounterpartRegistered.v1", "irp.directory.PostTaken.v1",
        "irp.directory.PostEnded.v1",
    }  # fmt: skip
    assert not any(AMBASSADOR in json.dumps(e) or AMBASSADOR_MAIL in json.dumps(e) for e in events)


async def _count_at_least(read, n: int) -> bool:  # type: ignore[no-untyped-def]
    return len(await read()) >= n


async def test_listing_people_in_posts_is_recorded_for_the_audit(directory):
    unit = await _unit(directory, IR)
    taken = await directory.client.post(
        "/v1/posts",
        json={"person_name_latin": AMBASSADOR, "title": {"ka": "", "en": "Head"},
              "unit_id": unit["id"], "heads_unit": True, "valid_from": "2024-01-01"},
        headers=auth(),
    )  # fmt: skip
    assert taken.status_code == 201, taken.text
    listed = await directory.client.get("/v1/posts", headers=auth(subject="crm-export"))
    assert [p["id"] for p in listed.json()["items"]] == [taken.json()["id"]]

    refused = await directory.client.get("/v1/audit/post-reads", headers=auth("directory:read"))
    assert refused.status_code == 403
    reads = await directory.client.get(
        "/v1/audit/post-reads?subject=crm-export", headers=auth("directory:audit")
    )
    assert [(r["post_id"], r["endpoint"]) for r in reads.json()["items"]] == [
        (taken.json()["id"], "GET /v1/posts")
    ]


async def test_the_country_dossier_lists_the_countrys_counterparts_named_as_on_its_day(
    databases, kafka, prefix
):
    today = datetime.now(UTC).date()
    directory_settings = settings_for(
        "directory", await databases.new("d"), kafka.bootstrap, prefix
    )
    reporting_settings = settings_for(
        "reporting", await databases.new("r"), kafka.bootstrap, prefix
    )
    async with (
        running("directory", directory_settings) as directory,
        running("reporting", reporting_settings) as reporting,
    ):
        h = auth()
        made = {}
        for key, body in {
            "embassy": {"name": {"ka": "", "en": "Embassy of France"}, "kind": "embassy",
                        "country_code": "FR"},
            "agency": {"name": {"ka": "", "en": "French Development Agency"},
                       "kind": "foreign_agency", "country_code": "FR", "acronym": "AFD"},
            "undp": {"name": {"ka": "", "en": "UNDP"}, "kind": "donor"},
        }.items():  # fmt: skip
            answer = await directory.client.post("/v1/counterparts", json=body, headers=h)
            assert answer.status_code == 201, answer.text
            made[key] = answer.json()["id"]
        for key, name, on in (("embassy", "Embassy of the French Republic", today + timedelta(1)),
                              ("agency", "Agence française de développement", today)):  # fmt: skip
            renamed = await directory.client.post(
                f"/v1/counterparts/{made[key]}/renaming",
                json={"name": {"ka": "", "en": name}, "on": str(on)}, headers=h,
            )  # fmt: skip
            assert renamed.status_code == 200, renamed.text

        async def applied() -> bool:
            return await count_rows(reporting.db, reporting_tables.events) >= 5

        await eventually(applied)
        dossier = (await reporting.client.get("/v1/reports/countries/FR", headers=h)).json()
        sheet = await reporting.client.get(
            "/v1/reports/countries/FR", params={"format": "csv"}, headers=h
        )
    # the agency's new name holds from today; the embassy's only from tomorrow; UNDP is no FR's
    assert [(c["name"], c["kind"], c["acronym"]) for c in dossier["counterparts"]] == [
        ("Agence française de développement", "foreign_agency", "AFD"),
        ("Embassy of France", "embassy", None),
    ]
    assert sheet.status_code == 200
