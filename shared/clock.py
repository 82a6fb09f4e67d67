"""The one clock every rule reads: "now" and "today" (UTC), and a way to set it in tests.

Domain code never reads the clock itself: use cases and routes pass ``today()`` in.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, date, datetime

_fixed: ContextVar[datetime | None] = ContextVar("irp_fixed_clock", default=None)


def now() -> datetime:
    """The current moment, timezone-aware (UTC)."""
    return _fixed.get() or datetime.now(UTC)


def today() -> date:
    """The current day in UTC: the day against which due dates and deadlines are judged."""
    return now().date()


@contextmanager
def fixed_at(moment: datetime) -> Iterator[None]:
    """Tests: the clock reads ``moment`` (timezone-aware) inside the block."""
    if moment.tzinfo is None:
        raise ValueError("give the fixed moment a timezone")
    token = _fixed.set(moment.astimezone(UTC))
    try:
        yield
    finally:
        _fixed.reset(token)
