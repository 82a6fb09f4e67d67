"""*Overdue*, defined once for every service and report.

Something with a deadline is overdue on a day when its deadline is *before* that day
and it is not yet done. What "done" means is the owner's (an obligation completed or
cancelled, talking points approved, a passport returned); the rule is this one.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from sqlalchemy import and_, case

# An obligation is done when it is completed or cancelled (agreements owns the statuses).
OBLIGATION_DONE = ("completed", "cancelled")


def is_overdue(deadline: date | None, on: date, *, done: bool) -> bool:
    return deadline is not None and deadline < on and not done


def overdue_condition(deadline: Any, status: Any, done: Iterable[str], on: date) -> Any:
    """The same rule as a SQL condition on a ``deadline`` and a ``status`` column."""
    return and_(deadline.is_not(None), deadline < on, status.not_in(list(done)))


def overdue_column(deadline: Any, status: Any, done: Iterable[str], on: date) -> Any:
    """The rule as a selected boolean column named ``overdue``."""
    return case((overdue_condition(deadline, status, done, on), True), else_=False).label("overdue")
