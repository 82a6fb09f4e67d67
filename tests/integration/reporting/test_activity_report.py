"""The activity report counts what the other services did, from their events alone."""

from __future__ import annotations

import asyncio
import io
from datetime import UTC, datetime, timedelta

from openpyxl import load_workbook

from services.reporting import tables as reporting_tables
from services.reporting.history.rebuild import rebuild
from tests.harness import (
    VISIT,
    auth,
    count_rows,
    eventually,
    remember_personal_data,
    running,
    sqlite_settings,
)

TODAY = datetime.now(UTC).date()
DAY = str(TODAY)
HOLDER = {"name_ka": "ლევან კაპანაძე", "personal_number": "01001099887",
          "date_of_birth": "1980-01-09", "category": "head_of_department"}  # fmt: skip
remember_personal_data(HOLDER["personal_number"], HOLDER["date_of_birth"], "DS5555555")


async def test_the_activity_report_counts_visits_meetings_trips_agreements_and_passports(
    tmp_path, kafka, prefix
):
    settings = sqlite_settings(tmp_path, kafka.bootstrap, prefix)

    async with (
        running("visits", settings("visits")) as visits,
        running("agreements", settings("agreements")) as agreements,
        running("passports", settings("passports")) as passports,
        running("reporting", settings("reporting")) as reporting,
    ):
        h = auth()
        dates = {"start_date": DAY, "end_date": str(TODAY + timedelta(days=1))}
        for body in (
            {**VISIT, **dates, "country_code": "DE", "lead_level": "minister"},
            {**VISIT, **dates, "country_code": "DE", "lead_level": "head_of_government"},
            {**VISIT, **dates, "direction": "outgoing", "country_code": "BE"},
            {**VISIT, "start_date": "2020-01-01", "end_date": "2020-01-02"},  # another period
        ):
            assert (await visits.client.post("/v1/visits", json=body, headers=h)).is_success
        meeting = {"official_level": "minister", "official_name": "Minister",
                   "counterpart_type": "ambassador", "counterpart": "Ambassador of Japan",
                   "counterpart_country": "JP", "starts_at": f"{DAY}T10:00:00",
                   "ends_at": f"{DAY}T11:00:00"}  # fmt: skip
        assert (await visits.client.post("/v1/meetings", json=meeting, headers=h)).is_success
        trip = {"traveller": "N. Beridze", "unit": "IR", "destination_country": "FR",
                "purpose": {"en": "Seminar"}, "funding": "ministry", **dates}  # fmt: skip
        assert (await visits.client.post("/v1/business-trips", json=trip, headers=h)).is_success

        agreement = {"agreement_type": "memorandum", "title": {"en": "MoU"},
                     "parties": {"countries": ["PL"]}}  # fmt: skip
        created = await agreements.client.post("/v1/agreements", json=agreement, headers=h)
        base = f"/v1/agreements/{created.json()['id']}"
        for to in ("drafting", "internal_review", "negotiation", "agreed", "signed"):
            moved = await agreements.client.post(f"{base}/transitions", json={"to": to}, headers=h)
            assert moved.is_success, moved.text

        holder = (await passports.client.post("/v1/holders", json=HOLDER, headers=h)).json()
        passport = (
            await passports.client.post(
                "/v1/passports", json={"holder_id": holder["id"], "passport_type": "service"},
                headers=h,
            )
        ).json()  # fmt: skip
        pbase = f"/v1/passports/{passport['id']}"
        for to in ("approved", "submitted"):
            await passports.client.post(f"{pbase}/transitions", json={"to": to}, headers=h)
        issue = {"number": "DS5555555", "issued_on": DAY,
                 "expires_on": str(TODAY + timedelta(days=1800))}  # fmt: skip
        assert (await passports.client.post(f"{pbase}/issue", json=issue, headers=h)).is_success

        sent = 4 + 1 + 1 + 6 + 1 + 4  # visits, meeting, trip, agreement, holder, passport

        async def applied() -> bool:
            return await count_rows(reporting.db, reporting_tables.events) >= sent

        await eventually(applied)
        report = (
            await reporting.client.get(
                "/v1/reports/activity", params={"from": DAY, "to": DAY}, headers=auth()
            )
        ).json()
        sheet = await reporting.client.get(
            "/v1/reports/activity", params={"from": DAY, "to": DAY, "format": "xlsx"},
            headers=auth(),
        )  # fmt: skip
        as_of_now = await reporting.client.get(
            "/v1/reports/activity",
            params={"from": DAY, "to": DAY, "as_of": datetime.now(UTC).isoformat()},
            headers=auth(),
        )
        live_url = settings("reporting").database_url
        replayed, found = await rebuild(live_url, f"sqlite:///{tmp_path}/rebuilt.db")

    # the reporting consumer restarted: it resumes where it committed, nothing counted twice
    async with running("reporting", settings("reporting")) as restarted:
        again = (
            await restarted.client.get(
                "/v1/reports/activity", params={"from": DAY, "to": DAY}, headers=auth()
            )
        ).json()
        await asyncio.sleep(1.0)
        assert await count_rows(restarted.db, reporting_tables.events) == sent
    assert {k: v for k, v in again.items() if k != "generated_at"} == {
        k: v for k, v in report.items() if k != "generated_at"
    }

    assert report["visits"]["incoming"]["total"] == 2
    assert report["visits"]["incoming"]["by_country"] == {"DE": 2}
    assert report["visits"]["outgoing"]["by_country"] == {"BE": 1}
    assert report["visits"]["by_level"] == {"—": 1, "head_of_government": 1, "minister": 1}
    assert report["meetings"]["by_country"] == {"JP": 1}
    assert report["business_trips"]["by_status"] == {"requested": 1}
    assert report["international_events"]["total"] == 0
    assert report["agreements"] == {"signed": 1, "entered_into_force": 0,
                                    "by_type_signed": {"memorandum": 1}}  # fmt: skip
    assert report["passports"]["issued"] == 1
    assert report["by_month"] == [
        {"month": f"{TODAY:%Y-%m}", "incoming_visits": 2, "outgoing_visits": 1, "meetings": 1,
         "international_events": 0, "business_trips": 1, "agreements_signed": 1,
         "passports_issued": 1}
    ]  # fmt: skip
    assert "belongs_to_period" in report["definitions"]
    assert (replayed, found) == (sent, [])
    rows = [
        [c.value for c in r]
        for r in load_workbook(io.BytesIO(sheet.content))["Activity"].iter_rows()
    ]
    assert ["incoming visits", "total", None, 2] in rows
    replayed_report = as_of_now.json()
    assert replayed_report["visits"] == report["visits"]
    assert replayed_report["passports"] == report["passports"]


async def test_the_commission_report_and_the_country_dossier(tmp_path, kafka, prefix):
    settings = sqlite_settings(tmp_path, kafka.bootstrap, prefix)

    async with (
        running("visits", settings("visits")) as visits,
        running("agreements", settings("agreements")) as agreements,
        running("reporting", settings("reporting")) as reporting,
    ):
        h = auth()
        commission = (
            await agreements.client.post(
                "/v1/commissions",
                json={"partner_country": "AZ", "name": {"en": "Georgia-Azerbaijan commission"},
                      "our_co_chair": "Minister", "partner_co_chair": "Minister of Economy"},
                headers=h,
            )
        ).json()  # fmt: skip
        base = f"/v1/commissions/{commission['id']}"
        first = {"number": 1, "held_on": "2025-05-10", "place": "Baku",
                 "protocol_items": [{"number": 1, "topic": "Transport"}]}  # fmt: skip
        assert (await agreements.client.post(f"{base}/sessions", json=first, headers=h)).is_success
        decided = []
        for text, deadline in (
            ("Open a checkpoint", "2026-06-30"),
            ("Harmonise tariffs", "2030-12-31"),
        ):
            answer = await agreements.client.post(
                f"{base}/sessions/1/decisions",
                json={"text": {"en": text}, "responsible_unit": "Customs", "deadline": deadline},
                headers=h,
            )
            decided.append(answer.json()["id"])
        for to in ("in_progress", "completed"):
            await agreements.client.post(
                f"/v1/obligations/{decided[0]}/transitions", json={"to": to}, headers=h
            )
        item_one = {"number": 1, "kind": "previous_decisions", "topic": "გადაწყვეტილებები"}
        second = {"number": 2, "held_on": "2026-05-10", "place": "Tbilisi",
                  "protocol_items": [item_one]}  # fmt: skip
        assert (await agreements.client.post(f"{base}/sessions", json=second, headers=h)).is_success
        visit = {**VISIT, "start_date": DAY, "end_date": DAY, "country_code": "AZ"}
        assert (await visits.client.post("/v1/visits", json=visit, headers=h)).is_success

        async def applied() -> bool:  # 9 agreements events (commission, decisions...), 1 visit
            return await count_rows(reporting.db, reporting_tables.events) >= 10

        await eventually(applied)
        url = f"/v1/reports/commissions/{commission['id']}"
        report = (await reporting.client.get(url, headers=auth())).json()
        first_report = (
            await reporting.client.get(url, params={"session": 1}, headers=auth())
        ).json()
        dossier = (await reporting.client.get("/v1/reports/countries/AZ", headers=auth())).json()
        later = (
            await reporting.client.get(
                "/v1/reports/countries/AZ", params={"from": "2030-01-01"}, headers=auth()
            )
        ).json()
        legal = (await reporting.client.get(url, params={"unit": "Legal"}, headers=auth())).json()
        docx = await reporting.client.get(url, params={"format": "docx"}, headers=auth())

    assert (report["session_number"], report["previous_session"]) == (2, 1)
    assert (report["held_on"], report["place"]) == ("2026-05-10", "Tbilisi")
    assert (report["our_co_chair"], report["partner_co_chair"]) == (
        "Minister", "Minister of Economy"
    )  # fmt: skip
    assert [(d["ref"], d["decision"], d["status"]) for d in report["decisions"]] == [
        ("1.1", "Open a checkpoint", "completed"),
        ("1.2", "Harmonise tariffs", "not_started"),
    ]
    assert report["taken"] == []  # session 2 took no decision yet
    assert [d["ref"] for d in first_report["taken"]] == ["1.1", "1.2"]  # its own, before 2
    assert first_report["decisions"] == [] and first_report["previous_session"] is None
    assert report["implementation"]["implemented_percent"] == 50.0
    assert [v["what"] for v in dossier["visits"]] == ["incoming visit"]
    assert sorted(o["title"] for o in dossier["obligations"]) == [
        "Harmonise tariffs",
        "Open a checkpoint",
    ]
    assert docx.status_code == 200 and docx.content[:2] == b"PK"
    assert [o["title"] for o in later["obligations"]] == ["Harmonise tariffs"]  # due 2030
    assert later["visits"] == []
    assert (later["period_from"], later["period_to"]) == ("2030-01-01", None)
    assert legal["decisions"] == []  # both decisions are the Customs unit's


async def test_the_activity_report_says_where_passports_were_at_the_periods_end(
    tmp_path, kafka, prefix
):
    settings = sqlite_settings(tmp_path, kafka.bootstrap, prefix)

    async with (
        running("passports", settings("passports")) as passports,
        running("reporting", settings("reporting")) as reporting,
    ):
        h = auth()
        holder = (await passports.client.post("/v1/holders", json=HOLDER, headers=h)).json()
        moves = (  # one kept in the safe; one out for a trip that ended weeks ago
            [{"to": "in_safe"}],
            [{"to": "in_safe"}, {"to": "handed_over", "on": str(TODAY - timedelta(days=30)),
                                 "trip_id": "t1", "trip_ends_on": str(TODAY - timedelta(20))}],
        )  # fmt: skip
        for number, (kind, steps) in enumerate(zip(("service", "diplomatic"), moves, strict=True)):
            request = {"holder_id": holder["id"], "passport_type": kind}
            created = await passports.client.post("/v1/passports", json=request, headers=h)
            base = f"/v1/passports/{created.json()['id']}"
            for to in ("approved", "submitted"):
                await passports.client.post(f"{base}/transitions", json={"to": to}, headers=h)
            issue = {"number": f"DS55{number}5555", "issued_on": str(TODAY - timedelta(60)),
                     "expires_on": str(TODAY + timedelta(days=1800))}  # fmt: skip
            assert (await passports.client.post(f"{base}/issue", json=issue, headers=h)).is_success
            for step in steps:
                moved = await passports.client.post(f"{base}/transitions", json=step, headers=h)
                assert moved.is_success, moved.text
        sent = 1 + 2 * 5 + 1  # holder; each passport 5 events; the diplomatic one's trip

        async def applied() -> bool:
            return await count_rows(reporting.db, reporting_tables.events) >= sent

        await eventually(applied)

        async def passports_in(last: str) -> dict:
            params = {"from": str(TODAY - timedelta(days=90)), "to": last}
            answer = await reporting.client.get("/v1/reports/activity", params=params, headers=h)
            return answer.json()["passports"]

        now, before = await passports_in(DAY), await passports_in(str(TODAY - timedelta(1)))
    assert (now["in_hand_at_end"], now["in_safe_at_end"], now["overdue_at_end"]) == (1, 1, 1)
    # every event happened today: at yesterday's end no passport was anywhere yet
    assert (before["in_hand_at_end"], before["in_safe_at_end"], before["overdue_at_end"]) == (
        0, 0, 0
    )  # fmt: skip
