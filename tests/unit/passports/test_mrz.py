"""ICAO 9303 check digits for data entry."""

from __future__ import annotations

from services.passports.domain.mrz import check_line2, valid_document_number

SPECIMEN = "L898902C36UTO7408122F1204159ZE184226B<<<<<10"  # ICAO Doc 9303 Part 4 specimen


def test_the_icao_specimen_line_passes_every_check():
    result = check_line2(SPECIMEN)
    assert result.valid and result.errors == []
    assert (result.document_number, result.nationality, result.expiry_date) == (
        "L898902C3",
        "UTO",
        "120415",
    )


def test_one_changed_character_is_caught():
    for position, replacement in ((0, "M"), (15, "9"), (23, "7"), (30, "X")):
        changed = SPECIMEN[:position] + replacement + SPECIMEN[position + 1 :]
        assert changed != SPECIMEN
        assert not check_line2(changed).valid, position


def test_passport_numbers_follow_icao_characters_and_length():
    assert valid_document_number("GE1234567")
    assert not valid_document_number("ge1234567")
    assert not valid_document_number("GE12345678")
    assert not valid_document_number("GE-12345")
