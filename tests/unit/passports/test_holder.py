"""Holders' names and personal data."""

from __future__ import annotations

from datetime import date

import pytest

from services.passports.domain import holder as domain
from shared.errors import Conflict, RuleViolation


def test_georgian_names_are_offered_in_the_national_romanization():
    assert domain.romanize("გიორგი ბერიძე") == "Giorgi Beridze"
    assert domain.romanize("ნინო ჭავჭავაძე") == "Nino Chavchavadze"
    assert domain.romanize("ქეთევან წერეთელი") == "Ketevan Tsereteli"


def test_a_holder_needs_a_georgian_name_and_a_plausible_birth_date():
    fields = {"personal_number": "01234567890", "category": "minister", "today": date(2026, 1, 1)}
    with pytest.raises(RuleViolation):
        domain.register_holder(
            name_ka="Giorgi", name_latin=None, date_of_birth=date(1980, 1, 1), **fields
        )
    with pytest.raises(RuleViolation):
        domain.register_holder(
            name_ka="გიორგი", name_latin=None, date_of_birth=date(2020, 1, 1), **fields
        )
    holder, _ = domain.register_holder(
        name_ka="გიორგი", name_latin=None, date_of_birth=date(1980, 1, 1), **fields
    )
    assert holder.name_latin == "Giorgi"


def test_a_masked_personal_number_shows_only_its_last_two_digits():
    assert domain.mask_personal_number("01234567890") == "*********90"


def _holder(**overrides: object) -> domain.Holder:
    fields: dict[str, object] = {
        "name_ka": "ნინო ბერიძე", "name_latin": None, "date_of_birth": date(1975, 5, 5),
        "personal_number": "01001012345", "category": "head_of_department",
        "appointed_on": date(2020, 1, 1), "today": date(2026, 1, 1),
    }  # fmt: skip
    fields.update(overrides)
    return domain.register_holder(**fields)[0]  # type: ignore[arg-type]


def test_registration_announces_the_holder_without_personal_data():
    holder, (event,) = domain.register_holder(
        name_ka="ნინო ბერიძე", name_latin=None, date_of_birth=date(1975, 5, 5),
        personal_number="01001012345", category="minister", today=date(2026, 1, 1),
    )  # fmt: skip
    payload = event.model_dump_json()
    assert holder.name_latin == "Nino Beridze" and event.holder_id == holder.id
    for personal in ("01001012345", "1975-05-05", "ნინო", "Nino"):
        assert personal not in payload


@pytest.mark.parametrize("name_latin", ["Нино", "N1no", "Nino  Beridze"])
def test_a_latin_name_is_latin_letters_only(name_latin):
    with pytest.raises(RuleViolation, match="Latin"):
        _holder(name_latin=name_latin)


def test_a_holder_is_not_dismissed_before_being_appointed():
    with pytest.raises(RuleViolation, match="before being appointed"):
        _holder(dismissed_on=date(2019, 1, 1))
    with pytest.raises(RuleViolation, match="before being appointed"):
        domain.dismiss(_holder(), date(2019, 12, 31))


def test_a_holder_is_dismissed_once():
    holder = _holder()
    dismissed, (event,) = domain.dismiss(holder, date(2026, 3, 1))
    assert dismissed.dismissed_on == event.dismissed_on == date(2026, 3, 1)
    assert dismissed.version == holder.version + 1
    with pytest.raises(Conflict, match="already dismissed"):
        domain.dismiss(dismissed, date(2026, 4, 1))


@pytest.mark.parametrize(
    ("georgian", "latin"),
    [("ჯაბა ღლონტი", "Jaba Ghlonti"), ("ხატია ყიფიანი", "Khatia Qipiani"),
     ("ზურაბ ჟვანია", "Zurab Zhvania"), ("ლაშა-გიორგი", "Lasha-Giorgi")],
)  # fmt: skip
def test_the_national_romanization_is_offered_for_the_latin_name(georgian, latin):
    assert domain.romanize(georgian) == latin
