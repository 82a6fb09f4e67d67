"""Holders' names and personal data."""

from __future__ import annotations

from datetime import date

import pytest

from services.passports.domain import holder as domain
from shared.errors import RuleViolation


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
