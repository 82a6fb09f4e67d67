"""Reports as the office would get them, built directly, for the document tests."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from services.reporting.reports.activity import (
    ActivityReport,
    AgreementFigures,
    Breakdown,
    MonthFigures,
    PassportFigures,
    TypeCount,
    VisitFigures,
)
from services.reporting.reports.commissions import CommissionReport, DecisionStatus
from services.reporting.reports.common import MeasureCounter, figures, groups
from services.reporting.reports.dossiers import CountryDossier, DossierEntry
from services.reporting.reports.eu import EuReport, Measure
from services.reporting.reports.language import Lang

AS_OF = {"agreements": datetime(2026, 6, 30, 9, 5, tzinfo=UTC)}
CHAPTERS = {"Justice, freedom and security": "მართლმსაჯულება", "Trade": "ვაჭრობა"}
STATUSES = ("completed", "in_progress", "not_started", "cancelled", "partially_completed")


def measures(lang: Lang, n: int = 12, chapters: int = 2) -> list[Measure]:
    names = [*CHAPTERS.items(), *((f"Chapter {k}", f"თავი {k}") for k in range(3, chapters + 1))]
    return [
        Measure(
            ref=f"{i + 1}.1", title=f"Measure {i + 1}" if lang == "en" else f"ღონისძიება {i + 1}",
            area=names[i % chapters][0 if lang == "en" else 1], lead_unit="Legal Department",
            sources=["eu_action_plan AP 2026"], deadline=date(2026, 3 + i % 9, 28),
            status=STATUSES[i % len(STATUSES)], overdue=i % 4 == 2,
            latest_percent=(i * 17) % 101, latest_period="2026-Q2",
            latest_narrative="Drafted and under review" if lang == "en" else "მომზადებულია",
        )
        for i in range(n)
    ]  # fmt: skip


def eu_report(lang: Lang = "en", chapters: int = 2) -> EuReport:
    items = measures(lang, n=max(12, chapters * 3), chapters=chapters)
    rows = [{"status": m.status, "latest_percent": m.latest_percent} for m in items]
    chapters: dict[str, MeasureCounter] = {}
    for m, row in zip(items, rows, strict=True):
        chapters.setdefault(m.area or "—", MeasureCounter()).add(row)
    return EuReport(
        title="Action Plan 2026" if lang == "en" else "სამოქმედო გეგმა 2026",
        year=2026, plan_status="in_implementation", language=lang,
        report_date=date(2026, 6, 30), unit=None, overall=figures(rows),
        cumulative=figures(rows), by_chapter=groups(chapters), by_unit=groups(chapters),
        overdue=[m for m in items if m.overdue], measures=items,
        includes_events_until=AS_OF,
    )  # fmt: skip


def _breakdown(total: int, **by: Any) -> Breakdown:
    return Breakdown(total=total, by_status=by.get("status", {}), by_country=by.get("country", {}),
                     by_kind=by.get("kind", {}))  # fmt: skip


def activity_report(lang: Lang = "en") -> ActivityReport:
    return ActivityReport(
        period_from=date(2026, 1, 1), period_to=date(2026, 6, 30), language=lang,
        visits=VisitFigures(
            incoming=_breakdown(2, status={"completed": 2}, country={"DE": 1, "FR": 1},
                                kind={"official": 2}),
            outgoing=_breakdown(1, status={"reported": 1}, country={"LT": 1},
                                kind={"working": 1}),
            by_level={"minister": 3},
        ),
        meetings=_breakdown(1, status={"held": 1}, country={"US": 1}, kind={"ambassador": 1}),
        international_events=_breakdown(0), business_trips=_breakdown(0),
        agreements=AgreementFigures(signed=1, entered_into_force=0, by_type_signed={}),
        passports=PassportFigures(issued=1, handed_over=1, returned=0, cancelled=0,
                                  expiring_notices=0, return_overdue_notices=0),
        total=9, by_month=[_month(m) for m in range(1, 7)],
        by_type=[TypeCount(stream="visits", type="irp.visits.VisitCreated.v1", count=3)],
        generated_at=datetime(2026, 7, 1, 8, tzinfo=UTC), includes_events_until=AS_OF,
    )  # fmt: skip


def commission_report(lang: Lang = "en") -> CommissionReport:
    decision = DecisionStatus(
        ref="1.1", decision="Open a checkpoint", responsible_unit="Customs",
        deadline=date(2026, 9, 1),
        status="in_progress", overdue=False, latest_percent=40, latest_narrative=None,
    )  # fmt: skip
    done = decision.model_copy(update={"ref": "1.2", "decision": "Harmonise tariffs",
                                       "status": "completed", "latest_percent": 100})  # fmt: skip
    return CommissionReport(
        title="Georgia–Lithuania intergovernmental commission", partner_country="LT",
        session_number=2, held_on=date(2026, 5, 10), place="Tbilisi", previous_session=1,
        report_date=date(2026, 6, 30), language=lang, implementation=figures([]),
        decisions=[decision, done, decision.model_copy(update={"ref": "1.3",
                                                               "responsible_unit": "Legal"})],
        taken=[decision.model_copy(update={"ref": "2.1", "decision": "Joint customs training",
                                           "status": "not_started", "latest_percent": None})],
        our_co_chair="Minister of Economy", partner_co_chair="Minister of Economy of Lithuania",
        includes_events_until=AS_OF,
    )  # fmt: skip


def _month(number: int) -> MonthFigures:
    return MonthFigures(
        month=f"2026-{number:02d}", incoming_visits=number % 3, outgoing_visits=number % 2,
        meetings=1 if number == 2 else 0, international_events=0, business_trips=0,
        agreements_signed=1 if number == 4 else 0, passports_issued=1 if number == 5 else 0,
    )  # fmt: skip


def country_dossier(lang: Lang = "en") -> CountryDossier:
    def entry(what: str, on: date, **more: Any) -> DossierEntry:
        return DossierEntry(what=what, kind=more.get("kind"), status="planned", date=on,
                            title=more.get("title"))  # fmt: skip

    return CountryDossier(
        country_code="DE", report_date=date(2026, 6, 30), language=lang,
        visits=[entry("incoming visit", date(2025, 3, 1)),
                entry("outgoing visit", date(2026, 2, 1)),
                entry("incoming visit", date(2026, 4, 1))],
        meetings_events_trips=[entry("meeting", date(2026, 1, 9))],
        agreements=[entry("agreement", date(2025, 7, 1), kind="memorandum")],
        obligations=[entry("obligation", date(2027, 1, 31), title="Open a checkpoint")],
        includes_events_until=AS_OF,
    )  # fmt: skip
