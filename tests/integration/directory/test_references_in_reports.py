"""The directory's units and counterparts referred to by id across the services: visits,
meetings, trips, events, agreements, obligations and commission decisions name them by id
(checked against each service's view, named as the directory names them); every report
groups by unit as on its day — before and after a rename and a merger, live and as of a
moment before the merger — and the country and counterpart dossiers list the contact
history."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

from services.reporting import tables as reporting_tables
from tests.harness import (
    auth,
    count_rows,
    created,
    created_once_known,
    eventually,
    running,
    settings_for,
)

TODAY = datetime.now(UTC).date()
SOON = TODAY + timedelta(days=3)
IR = {"ka": "საერთაშორისო ურთიერთობების დეპარტამენტი", "en": "International Relations Department"}
IR_RENAMED = {"ka": "", "en": "International Relations and Protocol"}
EU = {"ka": "ევროინტეგრაციის დეპარტამენტი", "en": "EU Integration Department"}
MINISTRY = {"ka": "", "en": "Ministry of National Education"}
EMBASSY = {"ka": "საფრანგეთის საელჩო", "en": "Embassy of France"}
UNDP = {"ka": "", "en": "UNDP"}


async def test_records_refer_to_the_directory_by_id_and_reports_follow_renames_and_mergers(
    databases, kafka, prefix
):
    def settings(service: str, url: str):  # type: ignore[no-untyped-def]
        return settings_for(service, url, kafka.bootstrap, prefix)

    names = ("directory", "visits", "agreements", "reporting")
    urls = {s: await databases.new(s) for s in names}
    async with (
        running("directory", settings("directory", urls["directory"])) as directory,
        running("visits", settings("visits", urls["visits"])) as visits,
        running("agreements", settings("agreements", urls["agreements"])) as agreements,
        running("reporting", settings("reporting", urls["reporting"])) as reporting,
    ):
        d, v, a, r = directory.client, visits.client, agreements.client, reporting.client
        unit = {"kind": "department", "valid_from": "2019-07-01"}
        ir = await created(d, "/v1/units", {**unit, "name": IR})
        eu = await created(d, "/v1/units", {**unit, "name": EU})
        ministry = await created(
            d,
            "/v1/counterparts",
            {"name": MINISTRY, "kind": "foreign_ministry", "country_code": "FR"},
        )
        embassy = await created(
            d, "/v1/counterparts", {"name": EMBASSY, "kind": "embassy", "country_code": "FR"}
        )
        undp = await created(
            d, "/v1/counterparts",
            {"name": UNDP, "kind": "donor", "identifiers": {"iati": "XM-DAC-41114"}},
        )  # fmt: skip
        ambassador = await created(
            d, "/v1/posts",
            {"person_name_latin": "Sophie Martin", "title": {"ka": "", "en": "Ambassador"},
             "organisation_id": embassy["id"], "valid_from": "2025-09-01"},
        )  # fmt: skip

        # visits names its records by id; the names become the directory's
        visit = await created_once_known(v, "/v1/visits", {
            "direction": "incoming", "kind": "official", "country_code": "FR",
            "title": {"en": "Visit of the French education minister"},
            "start_date": str(SOON), "end_date": str(SOON + timedelta(days=1)),
            "organisation_id": ministry["id"], "responsible_unit_id": eu["id"],
            "organisation": "typed by hand", "responsible_unit": "typed by hand",
        })  # fmt: skip
        assert visit["organisation"] == MINISTRY["en"]
        assert visit["responsible_unit"] == EU["en"]
        edit = f"/v1/visits/{visit['id']}"
        wrong = await v.patch(edit, json={"responsible_unit_id": "no-such-unit"}, headers=auth())
        assert wrong.status_code == 422 and "no unit no-such-unit" in wrong.json()["detail"]
        typed = await v.patch(  # a name typed during the deprecation is linked when known
            edit, json={"responsible_unit": " eu INTEGRATION department"}, headers=auth()
        )
        assert typed.json()["responsible_unit_id"] == eu["id"]
        assert typed.json()["responsible_unit"] == EU["en"]
        meeting = await created_once_known(v, "/v1/meetings", {
            "official_level": "minister", "official_name": "Minister",
            "counterpart_type": "ambassador", "counterpart": "Ambassador of France",
            "counterpart_country": "FR", "counterpart_post_id": ambassador["id"],
            "starts_at": f"{SOON}T10:00:00+04:00", "ends_at": f"{SOON}T11:00:00+04:00",
        })  # fmt: skip
        assert meeting["organisation_id"] == embassy["id"]  # the post's organisation follows
        assert meeting["organisation"] == EMBASSY["en"]
        travel = {
            "traveller": "Nino Beridze", "unit_id": eu["id"], "destination_country": "FR",
            "purpose": {"en": "Working group"}, "start_date": str(SOON),
            "end_date": str(SOON + timedelta(days=2)), "funding": "ministry",
        }  # fmt: skip
        trip = await created_once_known(v, "/v1/business-trips", travel)
        assert trip["unit"] == EU["en"]
        event = await created_once_known(v, "/v1/international-events", {
            "event_kind": "conference", "title": {"en": "Education donors' conference"},
            "start_date": str(SOON), "end_date": str(SOON), "responsible_unit_id": ir["id"],
            "partner_ids": [undp["id"]],
        })  # fmt: skip
        assert event["partners"] == ["UNDP"] and event["responsible_unit"] == IR["en"]
        unknown = await v.post(
            "/v1/business-trips", json={**travel, "unit_id": "no-such-unit"}, headers=auth()
        )
        assert unknown.status_code == 422 and "no unit no-such-unit" in unknown.json()["detail"]

        # agreements too
        agreement = await created_once_known(a, "/v1/agreements", {
            "agreement_type": "interagency", "title": {"en": "Memorandum on teacher training"},
            "parties": {"countries": ["FR"], "organisation_ids": [ministry["id"]]},
            "responsible_unit_id": eu["id"],
        })  # fmt: skip
        assert agreement["parties"]["organisations"] == [MINISTRY["en"]]
        plan = await created(
            a, "/v1/action-plans", {"year": TODAY.year, "title": {"en": "Action Plan"}}
        )
        measure = await created_once_known(a, "/v1/obligations", {
            "sources": [{"kind": "eu_action_plan", "reference": "7.1"},
                        {"kind": "upr_recommendation", "reference": "148.12",
                         "support_level": "supported"}],
            "title": {"en": "Teacher exchange"}, "lead_unit_id": eu["id"],
            "supporting_unit_ids": [ir["id"]], "action_plan_id": plan["id"],
            "external_ref": "7.1", "deadline": str(TODAY - timedelta(days=1)),
        })  # fmt: skip
        assert measure["supporting_units"] == [IR["en"]]
        commission = await created(a, "/v1/commissions", {
            "partner_country": "FR", "name": {"en": "Georgia-France commission"},
            "our_co_chair": "Minister", "partner_co_chair": "Minister of Education",
        })  # fmt: skip
        base = f"/v1/commissions/{commission['id']}"
        session = {"number": 1, "held_on": str(TODAY), "place": "Tbilisi",
                   "protocol_items": [{"number": 1, "topic": "Schools"}]}  # fmt: skip
        await created(a, f"{base}/sessions", session)
        decision = await created(a, f"{base}/sessions/1/decisions", {
            "text": {"en": "Twin ten schools"}, "responsible_unit_id": eu["id"],
            "deadline": str(TODAY + timedelta(days=90)),
        })  # fmt: skip
        assert decision["lead_unit_id"] == eu["id"] and decision["lead_unit"] == EU["en"]

        # integrators find records by the directory's ids
        of_eu = await v.get("/v1/visits", params={"responsible_unit_id": eu["id"]}, headers=auth())
        assert [x["id"] for x in of_eu.json()["items"]] == [visit["id"]]
        of_ir = await a.get("/v1/obligations", params={"unit_id": ir["id"]}, headers=auth())
        assert [o["id"] for o in of_ir.json()["items"]] == [measure["id"]]  # as supporting unit

        renamed = await d.post(
            f"/v1/units/{ir['id']}/renaming",
            json={"name": IR_RENAMED, "on": str(TODAY - timedelta(days=1))}, headers=auth(),
        )  # fmt: skip
        assert renamed.status_code == 200, renamed.text

        async def settled() -> bool:  # reporting has every event so far
            kept = await count_rows(reporting.db, reporting_tables.events)
            return kept >= 6 + 4 + 7 + 1  # directory, visits, agreements, the rename

        await eventually(settled, timeout=60)
        await asyncio.sleep(1.1)  # a moment strictly between the rename and the merger
        before_merger = datetime.now(UTC)
        await asyncio.sleep(1.1)
        merged = await d.post(
            f"/v1/units/{eu['id']}/merger", json={"into": ir["id"], "on": str(TODAY)},
            headers=auth(),
        )  # fmt: skip
        assert merged.status_code == 200, merged.text

        async def merger_arrived() -> bool:
            units = reporting_tables.directory_units
            return await count_rows(reporting.db, units, units.c.merged_into == ir["id"]) == 1

        await eventually(merger_arrived, timeout=30)

        async def report(path: str, **params: Any) -> tuple[dict[str, Any], dict[str, Any]]:
            """The report live and as of the moment before the merger."""
            live = await r.get(path, params=params, headers=auth())
            then = await r.get(
                path, params={**params, "as_of": before_merger.isoformat()}, headers=auth()
            )
            assert live.status_code == then.status_code == 200, (live.text, then.text)
            return live.json(), then.json()

        period = {"from": str(TODAY - timedelta(days=30)), "to": str(TODAY + timedelta(days=30))}
        activity_now, activity_then = await report("/v1/reports/activity", **period,
                                                   unit=ir["id"])  # fmt: skip
        eu_now, eu_then = await report("/v1/reports/eu-association", year=TODAY.year)
        un_now, un_then = await report("/v1/reports/un-obligations")
        unit_dossier_now, unit_dossier_then = await report(
            "/v1/reports/countries/FR", unit=IR_RENAMED["en"]
        )
        commission_now, commission_then = await report(
            f"/v1/reports/commissions/{commission['id']}"
        )
        country, _ = await report("/v1/reports/countries/FR")
        of_embassy, _ = await report(f"/v1/reports/counterparts/{embassy['id']}")
        of_ambassador, _ = await report(f"/v1/reports/counterparts/{ambassador['id']}")
        of_ministry, _ = await report(f"/v1/reports/counterparts/{ministry['id']}")
        of_undp, _ = await report(f"/v1/reports/counterparts/{undp['id']}")

    # the merged unit's work counts under the unit it joined from the merger on
    assert activity_now["unit"] == IR_RENAMED["en"]
    assert activity_now["visits"]["incoming"]["total"] == 1
    assert activity_now["business_trips"]["total"] == 1
    assert activity_now["international_events"]["total"] == 1
    assert activity_then["visits"]["incoming"]["total"] == 0
    assert activity_then["business_trips"]["total"] == 0
    assert activity_then["international_events"]["total"] == 1

    def by_unit(report: dict[str, Any]) -> dict[str, int]:
        return {u["name"]: u["measures"] for u in report["by_unit"]}

    assert by_unit(eu_now) == {IR_RENAMED["en"]: 1}
    assert by_unit(eu_then) == {EU["en"]: 1}
    assert [m["lead_unit"] for m in eu_now["overdue"]] == [IR_RENAMED["en"]]
    assert [i["lead_unit"] for i in un_now["items"]] == [IR_RENAMED["en"]]
    assert [i["lead_unit"] for i in un_then["items"]] == [EU["en"]]
    assert [e["what"] for e in unit_dossier_now["visits"]] == ["incoming visit"]
    assert unit_dossier_then["visits"] == []  # the visit was the EU unit's then
    assert [d["responsible_unit"] for d in commission_now["taken"]] == [IR_RENAMED["en"]]
    assert [d["responsible_unit"] for d in commission_then["taken"]] == [EU["en"]]

    # the dossiers list the contact history with each counterpart
    assert [c["name"] for c in country["counterparts"]] == [EMBASSY["en"], MINISTRY["en"]]
    assert sorted((c["counterpart"], c["what"]) for c in country["contacts"]) == [
        (EMBASSY["en"], "meeting"),
        (MINISTRY["en"], "agreement"),
        (MINISTRY["en"], "incoming visit"),
    ]
    assert [(c["counterpart"], c["what"]) for c in of_embassy["contacts"]] == [
        (f"{EMBASSY['en']}: Ambassador", "meeting")
    ]
    assert [p["title"] for p in of_embassy["posts"]] == ["Ambassador"]
    assert "Sophie Martin" not in str(of_embassy) + str(of_ambassador)  # no one's name
    assert of_ambassador["organisation"] == EMBASSY["en"] and of_ambassador["kind"] == "post"
    assert [c["what"] for c in of_ambassador["contacts"]] == ["meeting"]
    assert sorted(c["what"] for c in of_ministry["contacts"]) == ["agreement", "incoming visit"]
    assert [c["what"] for c in of_undp["contacts"]] == ["international event"]
