"""When a date a service owns calls for a reminder: due soon, then overdue, each once.

Plain rules the domains share (no I/O): a record keeps the keys of the reminders already
published (``reminded``), and a sweep publishes what ``due`` answers, saving the keys with
the events in one transaction — restart-safe, as every outbox write is.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

Stage = Literal["due", "overdue"]
PeriodLength = Literal["month", "quarter", "half", "year"]
_MONTHS = {"month": 1, "quarter": 3, "half": 6, "year": 12}


def due(
    today: date, due_on: date, notice_days: int, done: bool, reminded: tuple[str, ...], key: str
) -> Stage | None:
    """The reminder to publish now for ``key`` (due ``due_on``): ``due`` from ``notice_days``
    before the day, ``overdue`` after it; none once done or already published (an item found
    overdue is not told it is due as well)."""
    if done:
        return None
    if today > due_on:
        return None if f"{key}:overdue" in reminded else "overdue"
    if today >= due_on - timedelta(days=notice_days):
        reminded_any = {f"{key}:due", f"{key}:overdue"} & set(reminded)
        return None if reminded_any else "due"
    return None


@dataclass(frozen=True)
class Period:
    """A reporting period: ``2026``, ``2026-H2``, ``2026-Q4`` or ``2026-11``."""

    label: str
    first: date
    last: date

    def previous(self, length: PeriodLength) -> Period:
        return period_of(self.first - timedelta(days=1), length)


def period_of(day: date, length: PeriodLength) -> Period:
    """The period of ``length`` that ``day`` falls in."""
    months = _MONTHS[length]
    index = (day.month - 1) // months
    first = date(day.year, index * months + 1, 1)
    after = (
        date(day.year + 1, 1, 1)
        if index * months + months == 12
        else first.replace(month=first.month + months)
    )
    label = {
        "month": f"{day.year}-{first.month:02d}",
        "quarter": f"{day.year}-Q{index + 1}",
        "half": f"{day.year}-H{index + 1}",
        "year": f"{day.year}",
    }[length]
    return Period(label, first, after - timedelta(days=1))
