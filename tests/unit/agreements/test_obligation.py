"""Obligations from every source, their rules, and their progress reports."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest

from services.agreements.domain.obligation import (
    Obligation,
    Progress,
    Source,
    decide_progress,
    revise,
    submit_progress,
)
from shared import aggregates
from shared.contracts.base import LocalizedText
from shared.errors import Conflict, InvalidTransition, NotFound, RuleViolation

NOW = datetime(2026, 6, 30, 12, tzinfo=UTC)


def _obligation(*kinds: str, **overrides: Any) -> Obligation:
    fields: dict[str, Any] = {
        "sources": tuple(
            Source(kind=k, reference=f"{k} 1") for k in kinds or ("agreement_clause",)
        ),
        "title": LocalizedText(en="Adopt the law on diplomatic service"),
        "lead_unit": "Legal Department",
    }
    return Obligation(**{**fields, **overrides})


def _report(period: str = "2026-Q2", percent: int = 40) -> Progress:
    return Progress(period=period, percent=percent, narrative=LocalizedText(en="Drafted"),
                    reporting_unit="Legal Department")  # fmt: skip


@pytest.mark.parametrize(
    ("kinds", "overrides", "reason"),
    [(("agreement_clause", "agreement_clause"), {}, "cited twice"),
     (("agreement_clause",), {"support_level": "supported"}, "UN recommendations only"),
     (("eu_action_plan",), {}, "belongs to an action plan")],
)  # fmt: skip
def test_what_an_obligation_must_say_about_its_sources(kinds, overrides, reason):
    with pytest.raises(RuleViolation, match=reason):
        _obligation(*kinds, **overrides).check()


def test_a_upr_recommendation_with_its_support_level_is_registered():
    obligation, (event,) = aggregates.create(
        _obligation("upr_recommendation", support_level="supported_in_part")
    )
    assert event.support_level == "supported_in_part" and obligation.index()["kinds"] == (
        "|upr_recommendation|"
    )


@pytest.mark.parametrize(
    ("status", "deadline", "overdue"),
    [("in_progress", date(2026, 6, 29), True), ("not_started", date(2026, 6, 29), True),
     ("in_progress", date(2026, 6, 30), False), ("completed", date(2026, 1, 1), False),
     ("cancelled", date(2026, 1, 1), False), ("partially_completed", date(2026, 1, 1), True),
     ("in_progress", None, False)],
)  # fmt: skip
def test_overdue_means_past_the_deadline_and_neither_completed_nor_cancelled(
    status, deadline, overdue
):
    assert _obligation(status=status, deadline=deadline).is_overdue(NOW.date()) is overdue


def test_not_completed_and_cancelled_need_a_reason():
    started, _ = aggregates.transition(_obligation(), "in_progress", None, NOW.date())
    with pytest.raises(RuleViolation, match="reason"):
        aggregates.transition(started, "not_completed", None, NOW.date())
    with pytest.raises(InvalidTransition):
        aggregates.transition(_obligation(), "completed", None, NOW.date())


def test_a_revision_changes_only_what_differs_and_says_what():
    obligation = _obligation()
    same, events = revise(obligation, {"lead_unit": "Legal Department"})
    assert (same, events) == (obligation, [])
    revised, (event,) = revise(obligation, {"lead_unit": "Protocol", "area": "Chapter 1"})
    assert event.changed == ["area", "lead_unit"] and revised.version == 2


def test_one_progress_report_per_period_unless_it_was_returned():
    obligation, (submitted,) = submit_progress(_obligation(), _report(), NOW)
    assert obligation.progress[0].submitted_at == NOW and submitted.percent == 40
    with pytest.raises(Conflict, match="already reported"):
        submit_progress(obligation, _report(), NOW)
    returned, (event,) = decide_progress(obligation, obligation.progress[0].id, "returned",
                                         "add evidence", NOW)  # fmt: skip
    assert event.reason == "add evidence"
    again, _ = submit_progress(returned, _report(percent=45), NOW)
    assert [p.status for p in again.progress] == ["returned", "submitted"]


def test_a_returned_report_needs_a_reason_and_a_decision_is_final():
    obligation, _ = submit_progress(_obligation(), _report(), NOW)
    report_id = obligation.progress[0].id
    with pytest.raises(RuleViolation, match="why"):
        decide_progress(obligation, report_id, "returned", None, NOW)
    approved, (event,) = decide_progress(obligation, report_id, "approved", None, NOW)
    assert event.narrative.en == "Drafted"
    assert approved.latest_approved() == approved.progress[0]
    with pytest.raises(InvalidTransition):
        decide_progress(approved, report_id, "returned", "late", NOW)
    with pytest.raises(NotFound):
        decide_progress(approved, "nope", "approved", None, NOW)


def test_the_latest_approved_report_is_the_last_decided():
    obligation, _ = submit_progress(_obligation(), _report("2026-Q1", 20), NOW)
    obligation, _ = decide_progress(obligation, obligation.progress[0].id, "approved", None, NOW)
    later = NOW.replace(month=9)
    obligation, _ = submit_progress(obligation, _report("2026-Q2", 60), later)
    obligation, _ = decide_progress(obligation, obligation.progress[1].id, "approved", None, later)
    latest = obligation.latest_approved()
    assert latest is not None and latest.percent == 60


@pytest.mark.parametrize("status", ["completed", "cancelled"])
def test_no_progress_on_a_closed_obligation(status):
    with pytest.raises(Conflict):
        submit_progress(_obligation(status=status), _report(), NOW)


def test_a_measure_cites_a_recommendation_without_answering_it_and_the_answer_is_the_sources():
    measure = _obligation("eu_action_plan", "upr_recommendation", action_plan_id="plan-1")
    measure.check()  # the support level is the recommendation's, not each measure's
    answered = measure.model_copy(
        update={"sources": (Source(kind="eu_action_plan", reference="AP 1"),
                            Source(kind="upr_recommendation", reference="148.2",
                                   support_level="noted"))}
    )  # fmt: skip
    answered.check()
    assert answered.facts()["sources"][1]["support_level"] == "noted"
    with pytest.raises(RuleViolation, match="UN recommendation only"):
        answered.model_copy(
            update={"sources": (Source(kind="eu_action_plan", reference="AP 1",
                                       support_level="supported"),)}
        ).check()  # fmt: skip


def test_the_deprecated_obligation_level_answer_applies_to_its_recommendations():
    legacy = _obligation("upr_recommendation", support_level="supported")
    assert [s["support_level"] for s in legacy.facts()["sources"]] == ["supported"]
