"""Units: renamed with their names kept, changed, merged into another, closed."""

from __future__ import annotations

from datetime import date

import pytest

from services.directory.domain.counterpart import Counterpart, rename_counterpart
from services.directory.domain.post import Post, end_post
from services.directory.domain.unit import Unit, change_unit, close_unit, merge_unit, rename_unit
from shared import aggregates
from shared.contracts.base import LocalizedText
from shared.errors import RuleViolation

OLD = LocalizedText(ka="საერთაშორისო ურთიერთობების დეპარტამენტი", en="International Relations")
NEW = LocalizedText(ka="", en="International Relations and European Integration")


def _unit(**fields: object) -> Unit:
    values = {"name": OLD, "kind": "department", "valid_from": date(2019, 7, 1), **fields}
    unit, _ = aggregates.create(Unit.model_validate(values))
    return unit


def test_a_rename_keeps_the_old_name_with_the_days_it_was_used():
    unit, (event,) = rename_unit(_unit(), NEW, date(2027, 1, 1))
    assert unit.name == NEW and unit.name_since == date(2027, 1, 1)
    assert unit.name_on(date(2026, 12, 31)) == OLD
    assert unit.name_on(date(2027, 1, 1)) == NEW
    assert unit.former_names[0].valid_to == date(2026, 12, 31)
    assert event.previous_name == OLD and event.effective_on == date(2027, 1, 1)
    assert unit.version == 2


def test_a_second_rename_must_come_after_the_first():
    unit, _ = rename_unit(_unit(), NEW, date(2027, 1, 1))
    with pytest.raises(RuleViolation, match="after the current one's first day"):
        rename_unit(unit, OLD, date(2026, 6, 1))
    again, _ = rename_unit(unit, OLD, date(2028, 1, 1))
    assert [f.name for f in again.former_names] == [OLD, NEW]
    assert again.name_on(date(2027, 6, 1)) == NEW and again.name_on(date(2020, 1, 1)) == OLD


def test_a_merger_ends_the_unit_the_day_before_and_names_its_successor():
    unit, successor = _unit(), _unit(name=NEW)
    merged, (event,) = merge_unit(unit, successor, date(2027, 1, 1))
    assert merged.status == "merged" and merged.merged_into == successor.id
    assert merged.valid_to == date(2026, 12, 31)
    assert event.event_type == "irp.directory.UnitMerged.v1" and event.merged_into == successor.id
    with pytest.raises(RuleViolation, match="record is final"):
        rename_unit(merged, NEW, date(2027, 2, 1))


def test_a_unit_is_not_merged_into_itself_or_an_ended_unit():
    unit = _unit()
    with pytest.raises(RuleViolation, match="into itself"):
        merge_unit(unit, unit, date(2027, 1, 1))
    closed, _ = close_unit(_unit(), "abolished", date(2026, 1, 1))
    with pytest.raises(RuleViolation, match="into an active unit"):
        merge_unit(unit, closed, date(2027, 1, 1))


def test_a_change_keeps_the_name_and_refuses_an_invalid_address():
    changed, (event,) = change_unit(_unit(), {"notice_email": "ir@mes.gov.ge"}, date(2027, 1, 1))
    assert changed.notice_email == "ir@mes.gov.ge" and event.notice_email == "ir@mes.gov.ge"
    with pytest.raises(ValueError, match="email"):
        change_unit(_unit(), {"notice_email": "not an address"}, date(2027, 1, 1))


def test_a_counterpart_of_a_country_names_it_and_identifiers_follow_their_standard():
    with pytest.raises(RuleViolation, match="names its country"):
        aggregates.create(Counterpart.model_validate({"name": OLD, "kind": "embassy"}))
    with pytest.raises(ValueError, match="not an IATI identifier"):
        Counterpart.model_validate({"name": OLD, "kind": "donor", "identifiers": {"iati": "x"}})
    with pytest.raises(ValueError, match="unknown identifier scheme"):
        Counterpart.model_validate({"name": OLD, "kind": "donor", "identifiers": {"duns": "123"}})
    undp = Counterpart.model_validate(
        {"name": OLD, "kind": "donor", "identifiers": {"iati": "XM-DAC-41114"}}
    )
    renamed, (event,) = rename_counterpart(undp, NEW, date(2027, 1, 1))
    assert renamed.name_on(date(2026, 1, 1)) == OLD and event.previous_name == OLD


def test_a_post_is_in_a_unit_or_an_organisation_and_its_events_carry_no_name():
    with pytest.raises(RuleViolation, match="give one of them"):
        aggregates.create(
            Post.model_validate(
                {"person_name_latin": "Nino Beridze", "title": NEW, "valid_from": "2026-01-01"}
            )
        )
    post, (taken,) = aggregates.create(
        Post.model_validate(
            {"person_name_latin": "Nino Beridze", "title": NEW, "unit_id": "u1",
             "heads_unit": True, "valid_from": "2026-01-01", "work_email": "n@mes.gov.ge"}
        )
    )  # fmt: skip
    ended, (event,) = end_post(post, date(2026, 12, 31), "appointed elsewhere")
    assert ended.held_on(date(2026, 12, 31)) and not ended.held_on(date(2027, 1, 1))
    for published in (taken, event):
        text = published.model_dump_json()
        assert "Beridze" not in text and "n@mes.gov.ge" not in text
    with pytest.raises(RuleViolation, match="already ended"):
        end_post(ended, date(2027, 1, 1), None)
