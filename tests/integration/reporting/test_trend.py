"""The year month by month: each point is the EU action plan and the UN obligations as they
stood at that month's end, rebuilt from the kept history, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from services.reporting import tables
from services.reporting.projections.apply import apply_events
from services.reporting.reports import eu, trend, un
from shared.db import Database
from shared.migrations import upgrade_async
from tests.harness import auth, running, settings_for
from tests.reporting_history import a_measure_registered_late, a_year_of_obligations


async def _applied(db: Database) -> None:
    async with db.unit_of_work() as session:
        await apply_events(session, a_year_of_obligations())


def test_a_month_is_read_at_its_last_second_and_the_running_month_now():
    until = datetime(2026, 3, 14, 12, tzinfo=UTC)
    assert trend.month_ends(2026, until) == [
        ("2026-01", datetime(2026, 1, 31, 23, 59, 59, tzinfo=UTC)),
        ("2026-02", datetime(2026, 2, 28, 23, 59, 59, tzinfo=UTC)),
        ("2026-03", until),
    ]
    assert trend.month_ends(2026, datetime(2027, 1, 1, tzinfo=UTC))[-1][0] == "2026-12"
    assert trend.month_ends(2027, datetime(2026, 12, 1, tzinfo=UTC)) == []


async def test_each_month_shows_the_year_as_it_stood_at_the_months_end(databases):
    db = Database(await databases.new("reporting"))
    await upgrade_async("services.reporting", db.url)
    try:
        await _applied(db)
        body = await trend.trend(db, None, 2026, "en", None, datetime(2026, 6, 15, tzinfo=UTC))
    finally:
        await db.dispose()
    points = body["points"]
    assert [p.month for p in points] == [f"2026-0{m}" for m in range(1, 7)]
    assert [p.eu.implemented_percent for p in points] == [0.0, 0.0, 50.0, 50.0, 100.0, 100.0]
    assert [p.un.implemented_percent for p in points] == [0.0, 0.0, 0.0, 100.0, 100.0, 100.0]
    assert [p.eu.measures for p in points] == [2] * 6
    assert body["report_date"] == date(2026, 6, 15)


async def test_a_completed_months_point_is_kept_until_an_event_of_that_month_arrives_late(
    databases,
):
    db = Database(await databases.new("reporting"))
    await upgrade_async("services.reporting", db.url)
    until = datetime(2026, 6, 15, tzinfo=UTC)
    try:
        await _applied(db)
        first, computed_first = await trend.month_points(db, None, 2026, None, until, False)
        again, computed_again = await trend.month_points(db, None, 2026, None, until, False)
        async with db.unit_of_work() as session:
            await apply_events(session, [a_measure_registered_late()])
        late, computed_late = await trend.month_points(db, None, 2026, None, until, False)
    finally:
        await db.dispose()
    assert (computed_first, computed_again) == (5, 0)  # January to May; June is running
    assert again == first
    assert computed_late == 4  # February to May: January had no event arrive late
    assert [p.eu.measures for p in late] == [2, 3, 3, 3, 3, 3]
    assert [p.eu.implemented_percent for p in late] == [0.0, 0.0, 33.3, 33.3, 66.7, 66.7]


async def test_the_periodic_refresh_computes_the_completed_months_once(databases):
    db = Database(await databases.new("reporting"))
    await upgrade_async("services.reporting", db.url)
    now = datetime(2026, 6, 15, tzinfo=UTC)
    try:
        await _applied(db)
        first, again = await trend.refresh(db, None, now), await trend.refresh(db, None, now)
        _, left = await trend.month_points(db, None, 2026, None, now, True)
        in_january = await trend.refresh(db, None, datetime(2027, 1, 3, tzinfo=UTC))
    finally:
        await db.dispose()
    assert (first, again, left) == (5, 0, 0)  # January to May; June is still running
    assert in_january == 7  # June to December of the year just ended


async def test_the_running_month_is_read_from_the_live_projections(databases):
    db = Database(await databases.new("reporting"))
    await upgrade_async("services.reporting", db.url)
    try:
        await _applied(db)
        async with db.unit_of_work() as session:  # a live projection the history lacks
            await session.execute(
                tables.obligations.delete().where(tables.obligations.c.obligation_id == "m2")
            )
        points, _ = await trend.month_points(
            db, None, 2026, None, datetime(2026, 6, 15, tzinfo=UTC), True
        )
    finally:
        await db.dispose()
    assert points[4].eu.measures == 2  # May: rebuilt from the history
    assert points[5].eu.measures == 1  # June: the live projections, as they stand


@pytest.mark.parametrize("unit", [None, "Legal", "Customs", "Nobody"])
async def test_a_point_has_the_figures_the_eu_and_un_reports_give(databases, unit):
    db = Database(await databases.new("reporting"))
    await upgrade_async("services.reporting", db.url)
    until = datetime(2026, 6, 15, tzinfo=UTC)
    try:
        await _applied(db)
        points, _ = await trend.month_points(db, None, 2026, unit, until, True)
        async with db.unit_of_work(write=False) as session:
            plan = await eu.eu_association(session, 2026, "en", until.date(), unit)
            obligations = await un.un_obligations(session, "en", until.date(), unit, None, None)
    finally:
        await db.dispose()
    assert points[-1].eu == plan["overall"]
    assert points[-1].un == obligations["overall"]


async def test_the_trend_answers_over_http_in_json_and_as_a_document(tmp_path, kafka, prefix):
    settings = settings_for("reporting", f"sqlite:///{tmp_path}/r.db", kafka.bootstrap, prefix)
    async with running("reporting", settings) as reporting:
        await _applied(reporting.db)
        url = "/v1/reports/trend"
        answer = await reporting.client.get(url, params={"year": 2026}, headers=auth())
        before_the_plan = await reporting.client.get(
            url, params={"year": 2026, "as_of": "2026-01-05T00:00:00Z"}, headers=auth()
        )
        document = await reporting.client.get(
            url, params={"year": 2026, "format": "xlsx", "lang": "ka"}, headers=auth()
        )
    assert answer.status_code == 200, answer.text
    months = {p["month"]: p for p in answer.json()["points"]}
    assert months["2026-03"]["eu"]["implemented_percent"] == 50.0
    assert months["2026-05"]["eu"]["implemented_percent"] == 100.0
    assert before_the_plan.json()["points"][0]["eu"] is None
    assert document.status_code == 200 and document.content[:2] == b"PK"
