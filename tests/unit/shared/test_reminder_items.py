"""What a due or overdue fact reminds a unit of: one item a record, thing and stage, titled
in both languages without personal data; and which items the settling events close."""

from __future__ import annotations

from datetime import date

import pytest

from shared.contracts import agreements, passports, visits
from shared.contracts.base import LocalizedText
from shared.reminder_items import Settled, item_of, settled_by

PASSPORT = {"passport_id": "p1", "holder_id": "h1", "passport_type": "diplomatic",
            "status": "handed_over", "return_due_by": date(2026, 11, 25)}  # fmt: skip
TRIP = {"business_trip_id": "t1", "unit": "Protocol", "unit_id": "u-protocol",
        "funding": "ministry", "status": "completed", "country_code": "BE",
        "start_date": date(2026, 11, 22), "end_date": date(2026, 11, 24)}  # fmt: skip


def _progress_due(stage: str, period: str = "2026-Q3") -> agreements.ObligationDueV1:
    return agreements.ObligationDueV1(
        obligation_id="o1", what="progress_report", stage=stage, due_on=date(2026, 10, 10),
        period=period, title=LocalizedText(en="Draft the law", ka="კანონპროექტი"),
        external_ref="12.1", lead_unit="Policy", lead_unit_id="u-policy", status="in_progress",
    )  # fmt: skip


def test_each_record_thing_period_and_stage_is_one_item_for_the_lead_unit():
    due, overdue = item_of(_progress_due("due"), {}), item_of(_progress_due("overdue"), {})
    assert due is not None and overdue is not None
    assert due.key == "obligation:o1:progress_report:2026-Q3:due"
    assert overdue.key == "obligation:o1:progress_report:2026-Q3:overdue"
    assert (due.unit_id, due.title["ka"], due.ref, due.link) == (
        "u-policy",
        "კანონპროექტი",
        "12.1",
        "/v1/obligations/o1",
    )
    assert item_of(_progress_due("due", "2026-Q4"), {}).key != due.key  # type: ignore[union-attr]


def test_a_passport_reminds_its_holders_unit_by_its_type_never_its_holder_or_number():
    fact = passports.PassportReturnOverdueV1(**PASSPORT)
    item = item_of(fact, {"h1": ("u-protocol", "Protocol")})
    assert item is not None
    assert (item.unit_id, item.what, item.stage, item.due_on) == (
        "u-protocol",
        "passport_return",
        "overdue",
        date(2026, 11, 25),
    )
    assert item.title == {"en": "diplomatic passport", "ka": "დიპლომატიური პასპორტი"}
    assert "h1" not in repr(item.row())
    assert item_of(fact, {}).unit_id is None  # type: ignore[union-attr]  (the office's then)


def test_a_trip_report_is_titled_by_country_and_dates_in_each_language():
    fact = visits.BusinessTripReportDueV1(**TRIP, stage="due", due_on=date(2026, 11, 27))
    item = item_of(fact, {})
    assert item is not None
    assert item.title == {"en": "Belgium, 22–24 Nov 2026", "ka": "ბელგია, 22–24 ნოე, 2026"}


def test_an_event_that_is_no_reminder_makes_no_item():
    changed = agreements.ObligationStatusChangedV1(
        obligation_id="o1", status="in_progress", from_status="not_started"
    )
    assert item_of(changed, {}) is None and settled_by(changed) is None


@pytest.mark.parametrize(
    ("event", "settles"),
    [
        (agreements.ObligationStatusChangedV1(obligation_id="o1", status="completed",
                                              from_status="in_progress"),
         Settled("obligation", "o1")),
        (agreements.ProgressSubmittedV1(obligation_id="o1", progress_id="r1", period="2026-Q3",
                                        percent=50, reporting_unit="Policy"),
         Settled("obligation", "o1", "progress_report", "2026-Q3")),
        (passports.PassportReturnedV1(**{**PASSPORT, "status": "returned"}),
         Settled("passport", "p1")),
        (visits.BusinessTripReportSubmittedV1(**{**TRIP, "status": "report_submitted"}),
         Settled("business_trip", "t1", "trip_report")),
    ],
)  # fmt: skip
def test_settling_events_close_their_records_items(event, settles):
    assert settled_by(event) == settles


def test_a_period_reported_closes_that_periods_items_only():
    settled = Settled("obligation", "o1", "progress_report", "2026-Q3")
    q3 = item_of(_progress_due("overdue"), {}).row()  # type: ignore[union-attr]
    q4 = item_of(_progress_due("due", "2026-Q4"), {}).row()  # type: ignore[union-attr]
    deadline = {**q3, "what": "deadline", "part": None}
    assert [settled.covers(i) for i in (q3, q4, deadline)] == [True, False, False]
    assert Settled("obligation", "o1").covers(deadline)
