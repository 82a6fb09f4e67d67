"""The activity report's month-by-month figures, counted by the database on SQLite and
PostgreSQL alike, each record in the month its date falls in and within the unit asked."""

from __future__ import annotations

from datetime import date

from services.reporting import tables
from services.reporting.reports import activity
from shared.db import Database
from shared.migrations import upgrade_async


def _visit(n: int, direction: str, on: date, unit: str = "IR") -> dict[str, object]:
    return {"visit_id": f"v{n}", "direction": direction, "kind": "official", "status": "planned",
            "start_date": on, "unit": unit, "version": 1}  # fmt: skip


async def test_each_month_counts_what_started_signed_or_was_issued_in_it(databases):
    db = Database(await databases.new("reporting"))
    await upgrade_async("services.reporting", db.url)
    try:
        async with db.unit_of_work() as session:
            await session.execute(tables.visits.insert(), [
                _visit(1, "incoming", date(2025, 12, 31)),  # before the period
                _visit(2, "incoming", date(2026, 1, 1)),
                _visit(3, "outgoing", date(2026, 1, 31)),
                _visit(4, "incoming", date(2026, 3, 2)),
                _visit(5, "incoming", date(2026, 3, 3), unit="Legal"),
            ])  # fmt: skip
            await session.execute(tables.activities.insert(), [
                {"activity_id": "a1", "activity_type": "meeting", "status": "held",
                 "start_date": date(2026, 2, 10), "unit": None, "version": 1},
                {"activity_id": "a2", "activity_type": "business_trip", "status": "requested",
                 "start_date": date(2026, 3, 9), "unit": "IR", "version": 1},
            ])  # fmt: skip
            await session.execute(tables.agreements.insert(), [
                {"agreement_id": "g1", "agreement_type": "memorandum", "status": "signed",
                 "countries": ["PL"], "signed_on": date(2026, 2, 1), "unit": "IR", "version": 1},
            ])  # fmt: skip
            await session.execute(tables.passports.insert(), [
                {"passport_id": "p1", "holder_id": "h1", "unit": "IR", "passport_type": "service",
                 "status": "issued", "issued_day": date(2026, 3, 31), "version": 1},
            ])  # fmt: skip
        async with db.unit_of_work(write=False) as session:
            office = await activity.activity(session, date(2026, 1, 1), date(2026, 3, 31))
            unit = await activity.activity(session, date(2026, 1, 1), date(2026, 3, 31), "IR")
    finally:
        await db.dispose()

    def months(report: dict[str, object]) -> dict[str, dict[str, int]]:
        return {
            m.month: {k: v for k, v in m.model_dump().items() if v and k != "month"}
            for m in report["by_month"]  # type: ignore[attr-defined]
        }

    assert months(office) == {
        "2026-01": {"incoming_visits": 1, "outgoing_visits": 1},
        "2026-02": {"meetings": 1, "agreements_signed": 1},
        "2026-03": {"incoming_visits": 2, "business_trips": 1, "passports_issued": 1},
    }
    assert months(unit) == {
        "2026-01": {"incoming_visits": 1, "outgoing_visits": 1},
        "2026-02": {"agreements_signed": 1},  # a ministerial meeting has no unit
        "2026-03": {"incoming_visits": 1, "business_trips": 1, "passports_issued": 1},
    }
