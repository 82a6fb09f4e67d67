"""When a reminder goes past the unit to its head. Plain Python, no I/O."""

from __future__ import annotations

from datetime import date


def escalates(item_stage: str, due_on: date, today: date, after_days: int) -> bool:
    """An overdue item still open ``after_days`` after its day goes to the unit's head."""
    return item_stage == "overdue" and (today - due_on).days >= after_days
