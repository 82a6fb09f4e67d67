"""How a name kept as text is matched to the directory's records: case, accents, punctuation
and spacing aside; in Georgian script as in Latin."""

from __future__ import annotations

import pytest

from shared.directory_view import display_name, name_key


@pytest.mark.parametrize(
    ("written", "kept"),
    [("  International   Relations Dept. ", "International Relations Dept"),
     ("MINISTÈRE de l'Éducation", "ministere de l education"),
     ("საერთაშორისო  ურთიერთობების დეპარტამენტი", "საერთაშორისო ურთიერთობების დეპარტამენტი")],
)  # fmt: skip
def test_names_match_whatever_their_case_accents_punctuation_and_spacing(written, kept):
    assert name_key(written) == name_key(kept)


def test_different_names_do_not_match():
    assert name_key("EU Integration") != name_key("EU Integration Division")


def test_a_record_is_named_in_english_else_in_georgian():
    assert display_name({"ka": "დეპარტამენტი", "en": "Department"}) == "Department"
    assert display_name({"ka": "დეპარტამენტი", "en": ""}) == "დეპარტამენტი"
    assert display_name(None) is None
