"""The tabular view every report offers its documents: named sheets of headed rows.

Sheets are named and headed by keys of ``words.json``; each format (``formats``) puts them
in the report's language.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from operator import attrgetter
from typing import Any, Protocol, overload

from services.reporting.reports.common import Lang
from services.reporting.reports.language import code, known, word

# How a column's values are shown, by the column's key; any other column is text.
COLUMN_KINDS = {
    "status": "code", "mechanism": "code", "support_level": "code", "kind": "code",
    "what": "code", "figure": "code", "value": "code", "scope": "code",
    "sources": "source", "deadline": "date", "date": "date", "month": "month",
    "implemented_percent": "percent", "average_progress_percent": "percent",
    "latest_percent": "percent", "%": "percent",
    "eu_implemented_percent": "percent", "eu_average_progress_percent": "percent",
    "un_implemented_percent": "percent", "un_average_progress_percent": "percent",
    "measures": "count", "items": "count", "count": "count",
    "incoming_visits": "count", "outgoing_visits": "count", "meetings": "count",
    "international_events": "count", "business_trips": "count", "agreements_signed": "count",
    "passports_issued": "count",
    "due_on": "date", "oldest_overdue_on": "date", "last_sent_on": "date",
    "reminded_on": "date", "escalated_on": "date", "due_items": "count",
    "overdue_items": "count", "digests": "count", "escalations": "count",
    "days_overdue": "count", "recipient_kind": "code",
}  # fmt: skip
WIDE = 6  # a table with more columns goes on a landscape page


@dataclass(frozen=True)
class Sheet:
    name: str  # a key of words.json ("sheet.summary")
    header: Sequence[str]  # column keys ("status"), shown as words.json's "column.<key>"
    rows: Sequence[Sequence[Any]]
    is_items: bool = False  # the report's main table: what CSV exports
    subject: str | None = None  # fills the name's {subject} (a chapter's name)
    appendix: bool = False  # technical figures: last, after the definitions
    summary: bool = False  # on the document's first page, the details start on the next
    on_page: bool = True  # shown on the office page too (breakdowns are the documents')

    def title(self, lang: Lang) -> str:
        return (
            word(self.name, lang, subject=self.subject) if self.subject else word(self.name, lang)
        )

    def kinds(self) -> list[str]:
        return [COLUMN_KINDS.get(key, "text") for key in self.header]

    @property
    def wide(self) -> bool:
        return len(self.header) > WIDE


class Rows(Sequence[Sequence[Any]]):
    """A table's rows, each made from its item when it is read: the page reads the first
    few hundred of thousands, a document all of them once."""

    def __init__(self, items: Sequence[Any], row: Callable[[Any], Sequence[Any]]) -> None:
        self.items, self.row = items, row

    @classmethod
    def of(cls, items: Sequence[Any], columns: Sequence[str]) -> Rows:
        """Each item's attributes named by ``columns``, in their order."""
        return cls(items, attrgetter(*columns))

    def __len__(self) -> int:
        return len(self.items)

    @overload
    def __getitem__(self, index: int) -> Sequence[Any]: ...
    @overload
    def __getitem__(self, index: slice) -> list[Sequence[Any]]: ...
    def __getitem__(self, index: int | slice) -> Any:
        if isinstance(index, slice):
            return [self.row(item) for item in self.items[index]]
        return self.row(self.items[index])

    def __iter__(self) -> Iterator[Sequence[Any]]:
        return map(self.row, self.items)


class Tabular(Protocol):
    language: Lang

    def heading(self) -> tuple[str, list[str]]: ...
    def sheets(self) -> list[Sheet]: ...
    def definitions_text(self) -> dict[str, str]: ...


def headers(sheet: Sheet, lang: Lang) -> list[str]:
    return [word(f"column.{key}", lang) if key else "" for key in sheet.header]


def definitions(report: Tabular) -> list[tuple[str, str]]:
    """Each defined term and its meaning, in the report's language where the office has it."""
    lang = report.language
    return [
        (_term(term, lang), word(key, lang) if known(key := f"definition.{term}") else meaning)
        for term, meaning in report.definitions_text().items()
    ]


def _term(key: str, lang: Lang) -> str:
    shown = word(f"column.{key}", lang)
    return shown if shown != f"column.{key}" else code(key, lang)


def in_order(sheets: list[Sheet]) -> list[Sheet]:
    """The document's order: the report's tables, then its appendix."""
    return [s for s in sheets if not s.appendix] + [s for s in sheets if s.appendix]


_NOT_IN_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def clean(value: Any) -> Any:
    """Text without the control characters XML documents cannot hold (a unit typed with
    them is written without them, not refused with a 500)."""
    return _NOT_IN_XML.sub("", value) if isinstance(value, str) else value
