"""Every report at once, from what the other services were asked to do over their APIs.

The reporting service is stopped halfway and restarted (it catches up from the broker), then
its projections are rebuilt into a fresh database: every report is the same from each.
"""

from __future__ import annotations

import asyncio
import io
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader

from services.agreements import tables as agreements_tables
from services.passports import tables as passports_tables
from services.reporting import tables as reporting_tables
from services.reporting.history.rebuild import rebuild
from services.visits import tables as visits_tables
from tests.harness import (
    VISIT,
    auth,
    count_rows,
    eventually,
    remember_personal_data,
    running,
    settings_for,
)

TODAY = datetime.now(UTC).date()
DAY = str(TODAY)
H = auth()
PLAN_CSV = """ref,title_ka,title_en,source_reference,area,lead_unit,supporting_units,deadline
M1,ვაჭრობის ღონისძიება,Trade measure,1.1,Chapter A,Policy,,2030-12-31
M2,ტარიფების ღონისძიება,Tariff measure,1.2,Chapter A,Policy,,2030-12-31
M3,სასამართლო რეფორმა,Court reform,1.3,Chapter A,Legal,Policy,2030-12-31
M4,ანტიკორუფციული ღონისძიება,Anti-corruption measure,2.1,Chapter B,Legal,,2020-01-01
M5,მონაცემთა დაცვა,Data protection,2.2,Chapter B,Legal,,2030-12-31
"""
UN_CSV = (
    "ref,title_en,source_kind,source_reference,source2_kind,source2_reference,lead_unit,"
    "deadline,support_level\n"
    "U1,Ratify the convention,upr_recommendation,148.1,,,Legal,2030-01-01,supported\n"
    "U2,Review the law,upr_recommendation,148.2,un_treaty_body,CAT/C/GEO/CO/4 para 9,"
    "Legal,2020-01-01,supported_in_part\n"
    "H1,Resolution follow-up,un_hrc_resolution,A/HRC/RES/52/1,,,Policy,2030-01-01,\n"
)
HOLDER = {"name_ka": "ნინო ბერიძე", "personal_number": "01001055443", "unit": "Europe",
          "date_of_birth": "1985-05-05", "category": "head_of_department"}  # fmt: skip
remember_personal_data(HOLDER["personal_number"], HOLDER["date_of_birth"], "DS7777777")


async def ok(answer: Any) -> dict[str, Any]:
    response = await answer
    assert response.is_success, response.text
    return response.json()


class Office:
    """The other services, driven the way the ministry's systems drive them."""

    def __init__(self, visits: Any, agreements: Any, passports: Any) -> None:
        self.visits, self.agreements, self.passports = visits, agreements, passports
        self.measures: dict[str, str] = {}

    async def obligations(self, csv: str, plan_id: str | None = None) -> None:
        query = f"?action_plan_id={plan_id}" if plan_id else ""
        await ok(self.agreements.post(f"/v1/obligations/import{query}", content=csv.encode(),
                                      headers={**H, "Content-Type": "text/csv"}))  # fmt: skip
        listed = await ok(self.agreements.get("/v1/obligations?limit=100", headers=H))
        self.measures |= {o["external_ref"]: o["id"] for o in listed["items"]}

    async def move(self, ref: str, *steps: str) -> None:
        for to in steps:
            url = f"/v1/obligations/{self.measures[ref]}/transitions"
            body = {"to": to, "reason": "as decided"}
            await ok(self.agreements.post(url, json=body, headers=H))

    async def approve(self, ref: str, percent: int, period: str) -> None:
        base = f"/v1/obligations/{self.measures[ref]}/progress"
        narrative = {"en": f"{percent}% done", "ka": f"{percent}% შესრულდა"}
        report = await ok(self.agreements.post(base, headers=H, json={
            "period": period, "percent": percent, "reporting_unit": "Legal",
            "narrative": narrative}))  # fmt: skip
        await ok(self.agreements.post(f"{base}/{report['id']}/transitions",
                                      json={"to": "approved"}, headers=H))  # fmt: skip

    async def commission(self) -> str:
        commission = await ok(self.agreements.post("/v1/commissions", headers=H, json={
            "partner_country": "AZ", "name": {"en": "Georgia-Azerbaijan commission"},
            "our_co_chair": "Minister", "partner_co_chair": "Minister of Economy"}))  # fmt: skip
        base = f"/v1/commissions/{commission['id']}"
        await ok(self.agreements.post(f"{base}/sessions", headers=H, json={
            "number": 1, "held_on": "2025-05-10", "place": "Baku",
            "protocol_items": [{"number": 1, "topic": "Transport"}]}))  # fmt: skip
        decided = [
            await ok(self.agreements.post(f"{base}/sessions/1/decisions", headers=H, json={
                "text": {"en": text}, "responsible_unit": "Customs", "deadline": deadline}))
            for text, deadline in (("Open a checkpoint", "2026-06-30"),
                                   ("Harmonise tariffs", "2030-12-31"))
        ]  # fmt: skip
        for to in ("in_progress", "completed"):
            await ok(self.agreements.post(f"/v1/obligations/{decided[0]['id']}/transitions",
                                          json={"to": to}, headers=H))  # fmt: skip
        item_one = {"number": 1, "topic": "The previous session's decisions"}
        await ok(self.agreements.post(f"{base}/sessions", headers=H, json={
            "number": 2, "held_on": "2026-05-10", "place": "Tbilisi",
            "protocol_items": [item_one]}))  # fmt: skip
        return commission["id"]

    async def visits_and_activities(self) -> None:
        dates = {"start_date": DAY, "end_date": str(TODAY + timedelta(days=2))}
        german = await ok(self.visits.post("/v1/visits", headers=H, json={
            **VISIT, **dates, "country_code": "DE", "lead_level": "minister",
            "responsible_unit": "Protocol"}))  # fmt: skip
        await ok(self.visits.patch(f"/v1/visits/{german['id']}", headers=H,
                                   json={"responsible_unit": "Europe"}))  # fmt: skip
        await ok(self.visits.post("/v1/visits", headers=H, json={
            **VISIT, **dates, "direction": "outgoing", "country_code": "AZ",
            "lead_level": "deputy_minister", "responsible_unit": "Europe"}))  # fmt: skip
        await ok(
            self.visits.post(
                "/v1/visits",
                headers=H,
                json={**VISIT, "start_date": "2020-01-01", "end_date": "2020-01-02"},
            )
        )  # another period
        await ok(self.visits.post("/v1/meetings", headers=H, json={
            "official_level": "minister", "official_name": "Minister",
            "counterpart_type": "ambassador", "counterpart": "Ambassador of Japan",
            "counterpart_country": "JP", "starts_at": f"{DAY}T10:00:00",
            "ends_at": f"{DAY}T11:00:00"}))  # fmt: skip
        await ok(self.visits.post("/v1/business-trips", headers=H, json={
            "traveller": "N. Beridze", "unit": "Europe", "destination_country": "FR",
            "purpose": {"en": "Seminar"}, "funding": "ministry", **dates}))  # fmt: skip
        await ok(self.visits.post("/v1/international-events", headers=H, json={
            "event_kind": "conference", "title": {"en": "Black Sea forum", "ka": "ფორუმი"},
            "responsible_unit": "Protocol", **dates}))  # fmt: skip

    async def agreement_signed_and_in_force(self) -> None:
        created = await ok(self.agreements.post("/v1/agreements", headers=H, json={
            "agreement_type": "memorandum", "title": {"en": "MoU on transit"},
            "parties": {"countries": ["AZ"]}, "responsible_unit": "Europe"}))  # fmt: skip
        for to in ("drafting", "internal_review", "negotiation", "agreed", "signed", "in_force"):
            await ok(self.agreements.post(f"/v1/agreements/{created['id']}/transitions",
                                          json={"to": to}, headers=H))  # fmt: skip

    async def passport_handed_over(self) -> None:
        holder = await ok(self.passports.post("/v1/holders", json=HOLDER, headers=H))
        passport = await ok(self.passports.post("/v1/passports", headers=H, json={
            "holder_id": holder["id"], "passport_type": "service"}))  # fmt: skip
        base = f"/v1/passports/{passport['id']}"
        for to in ("approved", "submitted"):
            await ok(self.passports.post(f"{base}/transitions", json={"to": to}, headers=H))
        await ok(self.passports.post(f"{base}/issue", headers=H, json={
            "number": "DS7777777", "issued_on": DAY,
            "expires_on": str(TODAY + timedelta(days=1800))}))  # fmt: skip
        await ok(self.passports.post(f"{base}/transitions", json={"to": "handed_over"}, headers=H))

    async def published(self) -> int:
        """Every event the three services have written to their outboxes."""
        return sum([
            await count_rows(self.visits_db, visits_tables.outbox),
            await count_rows(self.agreements_db, agreements_tables.outbox),
            await count_rows(self.passports_db, passports_tables.outbox),
        ])  # fmt: skip


def reports(commission_id: str, **extra: str) -> dict[str, tuple[str, dict[str, str]]]:
    today = {"from": DAY, "to": DAY}
    return {
        name: (url, {**params, **extra})
        for name, (url, params) in {
            "eu": ("/v1/reports/eu-association", {"year": "2026"}),
            "eu_policy": ("/v1/reports/eu-association", {"year": "2026", "unit": "Policy"}),
            "un": ("/v1/reports/un-obligations", {}),
            "commission": (f"/v1/reports/commissions/{commission_id}", {}),
            "activity": ("/v1/reports/activity", today),
            "activity_europe": ("/v1/reports/activity", {**today, "unit": "Europe"}),
            "activity_protocol": ("/v1/reports/activity", {**today, "unit": "Protocol"}),
            "dossier": ("/v1/reports/countries/AZ", {}),
            "dossier_europe": ("/v1/reports/countries/AZ", {"unit": "Europe"}),
            "un_due_by_2025": ("/v1/reports/un-obligations", {"to": "2025-12-31"}),
        }.items()
    }


async def every_report(
    client: httpx.AsyncClient, commission_id: str, only: tuple[str, ...] = (), **extra: str
) -> dict:
    found = {}
    for name, (url, params) in reports(commission_id, **extra).items():
        if only and name not in only:
            continue
        body = await ok(client.get(url, params=params, headers=auth()))
        body.pop("generated_at", None)
        found[name] = body
    return found


async def test_every_report_counts_what_the_services_did_across_a_restart_and_a_rebuild(
    tmp_path, kafka, prefix, databases
):
    def settings(service: str, url: str | None = None, **overrides: Any):  # type: ignore[no-untyped-def]
        url = url or f"sqlite:///{tmp_path}/{service}.db"
        return settings_for(service, url, kafka.bootstrap, prefix, **overrides)

    reporting_url = await databases.new("reporting")
    async with (
        running("visits", settings("visits")) as visits,
        running("agreements", settings("agreements")) as agreements,
        running("passports", settings("passports")) as passports,
    ):
        office = Office(visits.client, agreements.client, passports.client)
        office.visits_db, office.agreements_db = visits.db, agreements.db  # type: ignore[attr-defined]
        office.passports_db = passports.db  # type: ignore[attr-defined]

        async def caught_up(reporting: Any) -> None:
            async def done() -> bool:
                return await count_rows(reporting.db, reporting_tables.events) >= (
                    await office.published()
                )

            await eventually(done, timeout=60)

        async with running("reporting", settings("reporting", reporting_url)) as reporting:
            title = {"en": "Action Plan 2026", "ka": "სამოქმედო გეგმა 2026"}
            plan = await ok(agreements.client.post(
                "/v1/action-plans", json={"year": 2026, "title": title}, headers=H))  # fmt: skip
            await office.obligations(PLAN_CSV, plan["id"])
            await office.obligations(UN_CSV)
            await office.move("M1", "in_progress", "completed")
            await office.move("M3", "in_progress")
            await office.approve("M3", 40, "2026-Q1")
            await caught_up(reporting)
            await asyncio.sleep(0.3)
            between = datetime.now(UTC).isoformat()
            await asyncio.sleep(0.3)

        # reporting is down: the office goes on working
        await office.approve("M3", 80, "2026-Q2")
        await office.move("M2", "cancelled")
        await office.move("M5", "in_progress", "completed")
        await office.move("U1", "in_progress", "completed")
        commission_id = await office.commission()
        await office.visits_and_activities()
        await office.agreement_signed_and_in_force()
        await office.passport_handed_over()

        async with running("reporting", settings("reporting", reporting_url)) as reporting:
            await caught_up(reporting)
            await asyncio.sleep(1.0)  # anything counted twice would show by now
            sent = await office.published()
            assert await count_rows(reporting.db, reporting_tables.events) == sent
            live = await every_report(reporting.client, commission_id)
            past = {"only": ("eu", "un", "activity"), "as_of": between}
            earlier = await every_report(reporting.client, commission_id, **past)  # type: ignore[arg-type]
            again = await every_report(reporting.client, commission_id, **past)  # type: ignore[arg-type]
            documents = await downloads(reporting.client, commission_id)

    rebuilt_url = await databases.new("rebuilt")
    replayed, found = await rebuild(reporting_url, rebuilt_url)
    assert (replayed, found) == (sent, [])
    served = settings("reporting", rebuilt_url, run_consumers=False, run_relay=False)
    async with running("reporting", served) as from_rebuilt:
        assert await every_report(from_rebuilt.client, commission_id) == live

    check_eu(live["eu"], live["eu_policy"])
    check_un(live["un"], live["un_due_by_2025"])
    check_commission(live["commission"])
    check_activity(live["activity"], live["activity_europe"], live["activity_protocol"], sent)
    check_dossier(live["dossier"], live["dossier_europe"])
    check_the_moment_between_the_approvals(earlier)
    assert earlier == again  # a past moment gives the same reports every time
    check_documents(documents, live)


def check_eu(eu: dict, policy: dict) -> None:
    assert eu["overall"] == {
        "measures": 5,
        "by_status": {"cancelled": 1, "completed": 2, "in_progress": 1, "not_started": 1},
        "implemented_percent": 50.0,  # M1, M5 of the 4 not cancelled
        "average_progress_percent": 20.0,  # M3's 80 over 4
    }
    assert eu["cumulative"] == eu["overall"]  # the only plan so far
    chapters = {c["name"]: c for c in eu["by_chapter"]}
    assert (chapters["Chapter A"]["implemented_percent"],
            chapters["Chapter A"]["average_progress_percent"]) == (50.0, 40.0)  # fmt: skip
    assert (chapters["Chapter B"]["implemented_percent"],
            chapters["Chapter B"]["average_progress_percent"]) == (50.0, 0.0)  # fmt: skip
    units = {u["name"]: (u["measures"], u["implemented_percent"]) for u in eu["by_unit"]}
    assert units == {"Legal": (3, 33.3), "Policy": (2, 100.0)}  # by lead unit
    assert [m["ref"] for m in eu["overdue"]] == ["M4"]
    m3 = next(m for m in eu["measures"] if m["ref"] == "M3")
    assert (m3["latest_percent"], m3["latest_period"], m3["latest_narrative"]) == (
        80, "2026-Q2", "80% done"
    )  # fmt: skip
    assert sorted(m["ref"] for m in policy["measures"]) == ["M1", "M2", "M3"]  # M3 supports
    assert policy["overall"]["implemented_percent"] == 50.0  # M1 of M1, M3
    assert set(eu["includes_events_until"]) == {"agreements", "passports", "visits"}


def check_un(un: dict, due_by_2025: dict) -> None:
    mechanisms = {m["mechanism"]: m for m in un["by_mechanism"]}
    upr = mechanisms["upr_recommendation"]
    assert (upr["measures"], upr["implemented_percent"]) == (2, 50.0)
    assert upr["by_support_level"] == {"supported": 1, "supported_in_part": 1}
    assert mechanisms["un_treaty_body"]["measures"] == 1
    assert mechanisms["un_hrc_resolution"]["measures"] == 1
    assert (un["overall"]["measures"], un["overall"]["implemented_percent"]) == (3, 33.3)
    assert sorted((i["mechanism"], i["reference"]) for i in un["overdue"]) == [
        ("un_treaty_body", "CAT/C/GEO/CO/4 para 9"),
        ("upr_recommendation", "148.2"),
    ]
    assert [i["reference"] for i in due_by_2025["items"]] == ["148.2", "CAT/C/GEO/CO/4 para 9"]
    assert due_by_2025["overall"]["measures"] == 1  # U2 alone is due by then


def check_commission(report: dict) -> None:
    assert (report["session_number"], report["previous_session"]) == (2, 1)
    assert [(d["decision"], d["status"]) for d in report["decisions"]] == [
        ("Open a checkpoint", "completed"),
        ("Harmonise tariffs", "not_started"),
    ]
    assert report["implementation"]["implemented_percent"] == 50.0


def check_activity(office: dict, europe: dict, protocol: dict, sent: int) -> None:
    visits = office["visits"]
    assert (visits["incoming"]["by_country"], visits["outgoing"]["by_country"]) == (
        {"DE": 1},
        {"AZ": 1},
    )  # fmt: skip  (the 2020 visit belongs to another period)
    assert visits["by_level"] == {"deputy_minister": 1, "minister": 1}
    assert office["meetings"]["by_country"] == {"JP": 1}
    assert office["international_events"]["by_kind"] == {"conference": 1}
    assert office["business_trips"]["by_status"] == {"requested": 1}
    assert office["agreements"] == {"signed": 1, "entered_into_force": 1,
                                    "by_type_signed": {"memorandum": 1}}  # fmt: skip
    passports = office["passports"]
    assert (passports["issued"], passports["handed_over"], passports["returned"]) == (1, 1, 0)
    assert office["total"] == sent  # every event happened today
    # the German visit moved from Protocol to Europe; meetings have no unit
    assert (europe["visits"]["incoming"]["total"], europe["visits"]["outgoing"]["total"]) == (1, 1)
    assert (europe["meetings"]["total"], europe["international_events"]["total"]) == (0, 0)
    assert europe["business_trips"]["total"] == 1
    assert (europe["agreements"]["signed"], europe["passports"]["issued"]) == (1, 1)
    assert (europe["total"], europe["by_type"]) == (None, [])
    assert protocol["international_events"]["total"] == 1
    assert protocol["visits"]["incoming"]["total"] == 0
    assert protocol["passports"]["issued"] == 0


def check_dossier(dossier: dict, europe: dict) -> None:
    assert [(v["what"], v["status"]) for v in dossier["visits"]] == [("outgoing visit", "draft")]
    assert [a["status"] for a in dossier["agreements"]] == ["in_force"]
    assert sorted(o["title"] for o in dossier["obligations"]) == [
        "Harmonise tariffs",
        "Open a checkpoint",
    ]
    assert dossier["meetings_events_trips"] == []  # the trip went to France
    assert [v["what"] for v in europe["visits"]] == ["outgoing visit"]
    assert len(europe["agreements"]) == 1
    assert europe["obligations"] == []  # the commission's decisions are the Customs unit's


def check_the_moment_between_the_approvals(earlier: dict) -> None:
    eu = earlier["eu"]
    assert eu["overall"]["by_status"] == {"completed": 1, "in_progress": 1, "not_started": 3}
    assert eu["overall"]["implemented_percent"] == 20.0  # M1 of 5, nothing cancelled yet
    assert eu["overall"]["average_progress_percent"] == 8.0  # M3's 40 over 5
    m3 = next(m for m in eu["measures"] if m["ref"] == "M3")
    assert (m3["latest_percent"], m3["latest_narrative"]) == (40, "40% done")
    upr = next(m for m in earlier["un"]["by_mechanism"] if m["mechanism"] == "upr_recommendation")
    assert upr["implemented_percent"] == 0.0  # U1 was completed later
    assert earlier["activity"]["visits"]["incoming"]["total"] == 0
    assert set(earlier["activity"]["includes_events_until"]) == {"agreements"}


async def downloads(client: httpx.AsyncClient, commission_id: str) -> dict[str, bytes]:
    found = {}
    for name, (url, params) in reports(commission_id).items():
        for fmt in ("xlsx", "docx", "pdf"):
            answer = await client.get(url, params={**params, "format": fmt}, headers=auth())
            assert answer.status_code == 200, answer.text
            found[f"{name}.{fmt}"] = answer.content
    georgian = reports(commission_id, lang="ka")["activity"]
    answer = await client.get(georgian[0], params={**georgian[1], "format": "docx"}, headers=auth())
    found["activity_ka.docx"] = answer.content
    return found


def sheet_rows(content: bytes, sheet: str) -> list[list[Any]]:
    return [[c.value for c in row] for row in load_workbook(io.BytesIO(content))[sheet].iter_rows()]


def docx_cells(content: bytes) -> tuple[str, list[str]]:
    document = Document(io.BytesIO(content))
    text = "\n".join(p.text for p in document.paragraphs)
    return text, [c.text for t in document.tables for r in t.rows for c in r.cells]


def check_documents(documents: dict[str, bytes], live: dict) -> None:
    eu = live["eu"]["overall"]
    year = ["The year", 5, eu["implemented_percent"] / 100, eu["average_progress_percent"] / 100]
    assert year in sheet_rows(documents["eu.xlsx"], "Summary")  # percentages typed as such
    text, cells = docx_cells(documents["eu.docx"])
    assert "Action Plan 2026" in text and "Overdue measures" in text
    assert "ანტიკორუფციული ღონისძიება" not in cells  # English asked for
    assert {"50.0", "20.0", "Anti-corruption measure"} <= set(cells)

    un_rows = sheet_rows(documents["un.xlsx"], "By mechanism")
    assert any(r[0] == "UPR recommendation" and 0.5 in r for r in un_rows), un_rows
    _, cells = docx_cells(documents["commission.docx"])
    assert {"Open a checkpoint", "completed", "Harmonise tariffs", "not started"} <= set(cells)

    activity = sheet_rows(documents["activity.xlsx"], "Activity")
    assert ["incoming visits", "by country", "Germany", 1] in activity
    assert ["agreements", "entered into force", None, 1] in activity
    assert ["passports", "handed over", None, 1] in activity
    europe = sheet_rows(documents["activity_europe.xlsx"], "Activity")
    assert ["business trips", "total", None, 1] in europe
    text, cells = docx_cells(documents["activity_ka.docx"])
    assert "საქმიანობის ანგარიში" in text
    assert {"შემომავალი ვიზიტები", "ქვეყნის მიხედვით", "გერმანია"} <= set(cells)
    eu_pdf = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(documents["eu.pdf"])).pages)
    assert "Anti-corruption measure" in eu_pdf and f"{eu['implemented_percent']:.1f}" in eu_pdf
    _, cells = docx_cells(documents["dossier.docx"])
    assert {"Open a checkpoint", "Harmonise tariffs", "outgoing visit"} <= set(cells)
