"""The visit's lifecycle, as a protocol officer expects it."""

from __future__ import annotations

from datetime import date

import pytest

from services.visits.domain import visit as domain
from services.visits.domain.delegation import DelegationMember
from shared.contracts.base import LocalizedText
from shared.contracts.visits import VisitConfirmedV1, VisitCreatedV1
from shared.errors import InvalidTransition, RuleViolation

TODAY = date(2026, 11, 24)


def _with_head(visit: domain.Visit) -> domain.Visit:
    head = DelegationMember(name_latin="Jean Dupont", role="head", precedence=1)
    return domain.add_member(visit, head)[0]


def _visit(**overrides: object) -> domain.Visit:
    fields = {
        "direction": "incoming",
        "kind": "official",
        "country_code": "FR",
        "title": LocalizedText(en="Visit"),
        "start_date": date(2026, 12, 1),
        "end_date": date(2026, 12, 3),
    }
    fields.update(overrides)
    return domain.register_visit(**fields)[0]


def test_a_new_visit_is_a_draft_announced_by_visit_created():
    visit, (event,) = domain.register_visit(
        direction="incoming", kind="official", country_code="FR", title=LocalizedText(en="V")
    )
    assert visit.status == "draft" and visit.version == 1
    assert isinstance(event, VisitCreatedV1) and event.visit_id == visit.id


def test_a_visit_needs_a_counterpart_and_cannot_end_before_it_starts():
    with pytest.raises(RuleViolation):
        _visit(country_code=None)
    with pytest.raises(RuleViolation):
        _visit(end_date=date(2026, 11, 30))


def test_confirmation_raises_the_version_and_names_what_happened():
    visit, _ = domain.change_status(_with_head(_visit()), "planned", None, TODAY)
    visit, (event,) = domain.change_status(visit, "confirmed", None, TODAY)
    assert (visit.status, visit.version) == ("confirmed", 4)
    assert isinstance(event, VisitConfirmedV1)
    assert (event.from_status, event.to_status) == ("planned", "confirmed")


def test_a_forbidden_move_names_the_allowed_ones():
    with pytest.raises(InvalidTransition) as refusal:
        domain.change_status(_visit(), "completed", None, TODAY)
    assert refusal.value.extra["allowed"] == ["cancelled", "planned"]


def test_no_planning_without_dates_and_no_start_before_the_start_date():
    with pytest.raises(RuleViolation):
        domain.change_status(_visit(start_date=None, end_date=None), "planned", None, TODAY)
    planned, _ = domain.change_status(_with_head(_visit()), "planned", None, TODAY)
    confirmed, _ = domain.change_status(planned, "confirmed", None, TODAY)
    with pytest.raises(RuleViolation):
        domain.change_status(confirmed, "in_progress", None, TODAY)
    started, _ = domain.change_status(confirmed, "in_progress", None, date(2026, 12, 1))
    assert started.status == "in_progress"


def test_cancelling_or_postponing_needs_a_reason_and_nothing_follows_cancellation():
    planned, _ = domain.change_status(_visit(), "planned", None, TODAY)
    with pytest.raises(RuleViolation):
        domain.change_status(planned, "cancelled", None, TODAY)
    cancelled, _ = domain.change_status(planned, "cancelled", "host asked", TODAY)
    assert domain.LIFECYCLE.allowed_from(cancelled.status) == set()
