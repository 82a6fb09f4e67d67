"""The office's sheets: every row valid or none imported; errors named by row and column."""

from __future__ import annotations

import io
from datetime import date

import pytest
from openpyxl import Workbook

from services.agreements.domain.obligation_import import XLSX, read_table, to_obligations
from shared.errors import RuleViolation

HEADER = "ref,title_en,source_kind,source_reference,lead_unit,supporting_units,deadline"
LAW = "1.1,Adopt the law,agreement_clause,Art. 4,Legal,Protocol; HR,2027-01-31"


def _csv(*rows: str) -> bytes:
    return ("\n".join([HEADER, *rows]) + "\n").encode()


def test_a_csv_sheet_becomes_rows_by_column_name_skipping_empty_lines():
    rows = read_table(_csv(LAW, ",,,,,,"), "text/csv; charset=utf-8")
    assert rows == [{"ref": "1.1", "title_en": "Adopt the law", "source_kind": "agreement_clause",
                     "source_reference": "Art. 4", "lead_unit": "Legal",
                     "supporting_units": "Protocol; HR", "deadline": "2027-01-31"}]  # fmt: skip


def test_an_xlsx_sheet_reads_the_same_with_dates_as_dates():
    book = Workbook()
    sheet = book.active
    sheet.append(["Ref", "Title EN", "Lead unit", "Deadline"])
    sheet.append(["2.1", "Train staff", "HR", date(2027, 6, 30)])
    content = io.BytesIO()
    book.save(content)
    rows = read_table(content.getvalue(), XLSX)
    assert rows == [{"ref": "2.1", "title_en": "Train staff", "lead_unit": "HR",
                     "deadline": date(2027, 6, 30)}]  # fmt: skip


@pytest.mark.parametrize(
    ("content", "content_type", "reason"),
    [(b"", "text/csv", "empty"), (b"\xff\xfe\x00", "text/csv", "UTF-8"),
     (b"ref,colour\n1,red\n", "text/csv", "unknown columns: colour"),
     (b"PK broken", XLSX, "readable XLSX"), (b"{}", "application/json", "send text/csv")],
)  # fmt: skip
def test_what_cannot_be_read_is_refused_with_the_reason(content, content_type, reason):
    with pytest.raises(RuleViolation, match=reason):
        read_table(content, content_type)


def test_valid_rows_become_obligations_with_their_units_split():
    rows = read_table(_csv(LAW), "text/csv")
    (valid, errors) = to_obligations(rows, None, None)
    ((number, obligation),) = valid
    assert (number, errors) == (2, [])
    assert obligation.supporting_units == ("Protocol", "HR")
    assert obligation.deadline == date(2027, 1, 31) and obligation.external_ref == "1.1"


def test_a_plans_measures_take_the_plans_source_kind():
    rows = [{"ref": "3.1", "title_en": "Measure", "source_reference": "AP 3.1", "lead_unit": "EU"}]
    ((_, measure),), errors = to_obligations(rows, "plan-1", "eu_action_plan")
    assert errors == [] and measure.sources[0].kind == "eu_action_plan"
    assert measure.action_plan_id == "plan-1"


def test_every_invalid_row_is_named_and_a_repeated_ref_too():
    rows = [
        {"ref": "1", "title_en": "A", "source_kind": "agreement_clause", "source_reference": "x",
         "lead_unit": "L", "deadline": "31/01/2027"},
        {"ref": "2", "title_en": "B", "source_kind": "agreement_clause",
         "source_reference": "x", "lead_unit": "L", "support_level": "noted"},
        {"ref": "2", "title_en": "C", "source_kind": "agreement_clause", "source_reference": "x",
         "lead_unit": "L"},
    ]  # fmt: skip
    valid, errors = to_obligations(rows, None, None)
    assert valid == []
    assert [(e.row, e.field) for e in errors] == [(2, "deadline"), (3, "row"), (4, "ref")]
