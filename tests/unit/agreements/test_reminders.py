"""Reminders of obligations' and agreements' dates: due soon, then overdue, each published
once; progress reports by reporting period; nothing for what is done."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from services.agreements.domain.agreement import Agreement, Parties
from services.agreements.domain.agreement import remind as remind_agreement
from services.agreements.domain.obligation import Obligation, Progress, ReminderRules, Source
from services.agreements.domain.obligation import remind as remind_obligation
from shared.contracts.base import LocalizedText
from shared.reminders import due, period_of

RULES = ReminderRules(deadline_notice_days=14, progress_notice_days=7, progress_grace_days=10)
CREATED = datetime(2026, 1, 10, tzinfo=UTC)


def _obligation(**overrides: object) -> Obligation:
    fields: dict[str, object] = {
        "sources": (Source(kind="agreement_clause", reference="Art. 4"),),
        "title": LocalizedText(en="Adopt the law"), "lead_unit": "Legal Department",
        "lead_unit_id": "unit-legal", "created_at": CREATED, "updated_at": CREATED,
    }  # fmt: skip
    return Obligation(**{**fields, **overrides})  # type: ignore[arg-type]


def _stages(o: Obligation, day: date) -> tuple[Obligation, list[tuple[str, str, str | None]]]:
    changed, events = remind_obligation(o, day, RULES, "quarter")
    return changed, [(e.what, e.stage, e.period) for e in events]  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("today", "stage"),
    [(date(2026, 6, 1), None), (date(2026, 6, 16), "due"), (date(2026, 6, 30), "due"),
     (date(2026, 7, 1), "overdue")],
)  # fmt: skip
def test_a_date_is_due_from_its_notice_and_overdue_after_it(today, stage):
    assert due(today, date(2026, 6, 30), 14, False, (), "deadline") == stage


def test_nothing_is_reminded_twice_nor_once_done():
    day = date(2026, 7, 1)
    assert due(day, date(2026, 6, 30), 14, False, ("deadline:overdue",), "deadline") is None
    assert due(day, date(2026, 6, 30), 14, True, (), "deadline") is None
    assert (
        due(date(2026, 6, 20), date(2026, 6, 30), 14, False, ("deadline:due",), "deadline") is None
    )
    # told it was due, it is still told once that it is overdue
    assert due(day, date(2026, 6, 30), 14, False, ("deadline:due",), "deadline") == "overdue"


@pytest.mark.parametrize(
    ("length", "label", "first", "last"),
    [("quarter", "2026-Q4", date(2026, 10, 1), date(2026, 12, 31)),
     ("half", "2026-H2", date(2026, 7, 1), date(2026, 12, 31)),
     ("month", "2026-11", date(2026, 11, 1), date(2026, 11, 30)),
     ("year", "2026", date(2026, 1, 1), date(2026, 12, 31))],
)  # fmt: skip
def test_reporting_periods_are_labelled_as_progress_reports_are(length, label, first, last):
    period = period_of(date(2026, 11, 28), length)
    assert (period.label, period.first, period.last) == (label, first, last)


def test_the_period_before_crosses_the_year():
    assert period_of(date(2026, 2, 1), "quarter").previous("quarter").label == "2025-Q4"


def test_an_obligation_is_reminded_of_its_deadline_then_told_it_is_overdue_once():
    since_april = datetime(2026, 4, 20, tzinfo=UTC)  # no report due in May
    o = _obligation(deadline=date(2026, 5, 20), created_at=since_april)
    o, first = _stages(o, date(2026, 5, 6))
    assert first == [("deadline", "due", None)]
    assert _stages(o, date(2026, 5, 7))[1] == []
    o, late = _stages(o, date(2026, 5, 21))
    assert late == [("deadline", "overdue", None)]
    assert _stages(o, date(2026, 5, 22))[1] == []
    assert o.reminded == ("deadline:due", "deadline:overdue")


def test_the_progress_report_is_asked_for_as_the_period_ends_and_is_overdue_after_the_grace():
    o = _obligation()
    assert _stages(o, date(2026, 3, 23))[1] == []
    o, asked = _stages(o, date(2026, 3, 24))  # 7 days before the quarter ends
    assert asked == [("progress_report", "due", "2026-Q1")]
    assert _stages(o, date(2026, 4, 10))[1] == []  # due on 10 April
    o, late = _stages(o, date(2026, 4, 11))
    assert late == [("progress_report", "overdue", "2026-Q1")]


def test_a_period_reported_or_ended_before_the_obligation_asks_for_nothing():
    reported = Progress(period="2026-Q1", percent=20, narrative=LocalizedText(en="Begun"),
                        reporting_unit="Legal Department")  # fmt: skip
    assert _stages(_obligation(progress=(reported,)), date(2026, 4, 11))[1] == []
    late_comer = _obligation(created_at=datetime(2026, 4, 20, tzinfo=UTC))
    assert _stages(late_comer, date(2026, 4, 21))[1] == []  # 2026-Q1 ended before it


def test_a_done_obligation_is_reminded_of_nothing():
    done = _obligation(deadline=date(2026, 5, 20), status="completed")
    assert _stages(done, date(2026, 5, 21))[1] == []


def test_an_agreement_in_force_is_reminded_of_its_expiry_and_renewal_decision():
    agreement = Agreement(
        agreement_type="memorandum", title=LocalizedText(en="Memorandum"),
        parties=Parties(countries=("FR",)), status="in_force",
        expires_on=date(2026, 12, 31), renewal_due_on=date(2026, 9, 30),
    )  # fmt: skip
    changed, events = remind_agreement(agreement, date(2026, 10, 5), 90)
    assert [(e.what, e.stage) for e in events] == [  # type: ignore[attr-defined]
        ("expiry", "due"),
        ("renewal_decision", "overdue"),
    ]
    assert remind_agreement(changed, date(2026, 10, 6), 90)[1] == []
    ended = agreement.model_copy(update={"status": "terminated"})
    assert remind_agreement(ended, date(2026, 10, 5), 90)[1] == []
