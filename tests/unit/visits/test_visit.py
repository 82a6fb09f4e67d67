"""The visit's lifecycle, as a protocol officer expects it."""

from __future__ import annotations

from datetime import date

import pytest

from services.visits.domain import visit as domain
from services.visits.domain.delegation import DelegationMember
from shared.contracts.base import LocalizedText
from shared.contracts.visits import VisitConfirmedV1, VisitCreatedV1
from shared.errors import Conflict, InvalidTransition, RuleViolation
from tests.unit.visits.builders import END, START, item, member, moved, new_visit, with_head

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


def test_editing_changes_only_what_differs_and_names_it():
    visit = new_visit()
    unchanged, events = domain.edit_visit(visit, {"city": None, "kind": "official"})
    assert (unchanged, events) == (visit, [])
    edited, (event,) = domain.edit_visit(visit, {"city": "Tbilisi", "kind": "working"})
    assert (edited.city, edited.kind, edited.version) == ("Tbilisi", "working", 2)
    assert event.changed == ["city", "kind"]


def test_only_the_visits_own_fields_can_be_edited():
    with pytest.raises(RuleViolation, match="status"):
        domain.edit_visit(new_visit(), {"status": "confirmed"})


@pytest.mark.parametrize(
    ("steps", "editable"),
    [((), True), (("planned",), True), (("planned", "postponed"), True),
     (("planned", "confirmed"), False)],
)  # fmt: skip
def test_dates_change_only_before_confirmation_or_when_postponed(steps, editable):
    visit = moved(with_head(new_visit()), *steps)
    change = {"end_date": date(2026, 12, 4)}
    if editable:
        assert domain.edit_visit(visit, change)[0].end_date == date(2026, 12, 4)
    else:
        with pytest.raises(Conflict, match="postpone it first"):
            domain.edit_visit(visit, change)


def test_new_dates_may_not_strand_programme_items():
    visit, _ = domain.schedule_item(new_visit(), item(date(2026, 12, 3)))
    with pytest.raises(RuleViolation, match="outside the new dates"):
        domain.edit_visit(visit, {"end_date": date(2026, 12, 2)})


def test_a_finished_visit_can_no_longer_be_edited():
    done = moved(with_head(new_visit()), "cancelled")
    with pytest.raises(Conflict):
        domain.edit_visit(done, {"city": "Batumi"})


def test_confirmation_needs_a_head_of_delegation():
    planned = moved(new_visit(), "planned")
    with pytest.raises(RuleViolation, match="head of delegation"):
        domain.change_status(planned, "confirmed", None, TODAY)


def test_a_postponed_visit_is_planned_again_only_with_new_dates():
    postponed = moved(new_visit(), "planned", "postponed")
    assert postponed.postponed_dates == (START, END)
    with pytest.raises(RuleViolation, match="new dates"):
        domain.change_status(postponed, "planned", None, TODAY)
    redated, _ = domain.edit_visit(postponed, {"start_date": date(2027, 1, 10),
                                               "end_date": date(2027, 1, 12)})  # fmt: skip
    assert domain.change_status(redated, "planned", None, TODAY)[0].status == "planned"


def test_a_visit_is_reported_only_once_its_outcome_is_recorded():
    completed = moved(with_head(new_visit()), "planned", "confirmed", "in_progress", "completed",
                      today=END)  # fmt: skip
    with pytest.raises(RuleViolation, match="outcome"):
        domain.change_status(completed, "reported", None, END)


def test_each_event_of_a_change_counts_one_version():
    visit = new_visit()
    for n in range(2, 6):
        visit, events = domain.add_member(visit, member(n))
        assert visit.version == n and len(events) == 1
