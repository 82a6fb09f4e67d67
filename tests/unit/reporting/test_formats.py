"""Reports in the office's formats: the format chosen, cells written plainly, sheet names legal."""

from __future__ import annotations

from datetime import date

import pytest
from starlette.requests import Request

from services.reporting.reports.formats import MEDIA, cell, chosen_format
from services.reporting.reports.language import cell_text
from shared.errors import RuleViolation


def _request(accept: str = "") -> Request:
    headers = [(b"accept", accept.encode())] if accept else []
    return Request({"type": "http", "method": "GET", "path": "/", "headers": headers})


@pytest.mark.parametrize(
    ("fmt", "accept", "chosen"),
    [("xlsx", "text/csv", "xlsx"), (None, "text/csv", "csv"),
     (None, MEDIA["docx"], "docx"), (None, "*/*", "json"), (None, "", "json")],
)  # fmt: skip
def test_format_wins_over_accept_and_json_is_the_default(fmt, accept, chosen):
    assert chosen_format(_request(accept), fmt) == chosen


def test_an_unknown_format_is_refused_naming_the_known_ones():
    with pytest.raises(RuleViolation, match="json, csv, xlsx, docx, pdf"):
        chosen_format(_request(), "odt")


@pytest.mark.parametrize(
    ("value", "written"),
    [(None, ""), (["Legal", "HR"], "Legal; HR"), (12.5, 12.5), (3, 3),
     (date(2026, 1, 31), "2026-01-31"), ("text", "text")],
)  # fmt: skip
def test_cells_are_written_plainly(value, written):
    assert cell(value) == written


@pytest.mark.parametrize(
    ("source", "lang", "shown"),
    [
        ("eu_action_plan AP 2026", "en", "Action Plan AP 2026"),
        ("upr_recommendation 148.12", "ka", "UPR რეკომენდაცია 148.12"),
        ("commission_decision", "ka", "კომისიის გადაწყვეტილება"),
        ("a_kind_not_yet_named X-1", "en", "a_kind_not_yet_named X-1"),
    ],
)
def test_a_documents_sources_name_their_kind_in_words(source, lang, shown):
    assert cell_text([source], "source", lang) == shown
