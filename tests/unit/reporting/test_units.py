"""Units in reports: named as on the report's day, a merged unit's work under the unit it
joined from the merger on, text kept from before the directory matched by any name a unit
has had (case, accents and spacing aside)."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

from services.reporting.reports.units import Units
from shared.types import EARLIEST

RENAMED_ON, MERGED_ON = date(2026, 3, 1), date(2026, 6, 1)


def _units() -> Units:
    def unit(merged_into: str | None = None, valid_to: date | None = None) -> SimpleNamespace:
        return SimpleNamespace(merged_into=merged_into, valid_to=valid_to)

    units = {"ir": unit(), "eu": unit("ir", date(2026, 5, 31)), "hr": unit()}
    names = {
        "ir": [(EARLIEST, {"ka": "საერთაშორისო", "en": "International Relations"}),
               (RENAMED_ON, {"ka": "", "en": "International Relations and Protocol"})],
        "eu": [(EARLIEST, {"ka": "", "en": "EU Integration"})],
        "hr": [(EARLIEST, {"ka": "", "en": "Human Resources"})],
    }  # fmt: skip
    return Units(units, names)  # type: ignore[arg-type]


def test_a_unit_is_named_as_on_the_report_day():
    units = _units()
    assert units.namer(date(2026, 2, 1), "en")("ir", None) == "International Relations"
    assert units.namer(date(2026, 4, 1), "en")("ir", None) == "International Relations and Protocol"
    assert units.namer(date(2026, 2, 1), "ka")("ir", None) == "საერთაშორისო"


def test_a_merged_unit_is_shown_under_the_unit_it_joined_from_the_merger_on():
    units = _units()
    assert units.namer(date(2026, 5, 31), "en")("eu", None) == "EU Integration"
    assert units.namer(MERGED_ON, "en")("eu", None) == "International Relations and Protocol"


def test_text_kept_from_before_the_directory_is_matched_by_any_name_the_unit_had():
    named = _units().namer(date(2026, 7, 1), "en")
    assert named(None, "international  relations") == "International Relations and Protocol"
    assert named(None, "EU integration") == "International Relations and Protocol"
    assert named(None, "Typo Department") == "Typo Department"


def test_a_report_limited_to_a_unit_takes_the_units_whose_work_it_carries_that_day():
    units = _units()
    before, after = units.scope("ir", date(2026, 5, 1), "en"), units.scope("ir", MERGED_ON, "en")
    assert before.ids == {"ir"} and after.ids == {"ir", "eu"}
    assert after.matches(None, "EU Integration") and not before.matches(None, "EU Integration")
    assert after.label == "International Relations and Protocol"
    by_name = units.scope("Human Resources", MERGED_ON, "en")
    assert by_name.ids == {"hr"} and by_name.matches("hr", None)


def test_a_unit_the_directory_does_not_know_is_kept_by_its_name_as_written():
    scope = _units().scope("Typo Department", MERGED_ON, "en")
    assert scope.ids == frozenset() and scope.matches(None, "Typo Department")
    assert not scope.matches("ir", "Typo Department")
