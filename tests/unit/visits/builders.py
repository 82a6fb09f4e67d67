"""Visits as a protocol officer would set them up, for the unit tests."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from typing import Any

from services.visits.domain import visit as domain
from services.visits.domain.delegation import DelegationMember
from services.visits.domain.programme import ProgrammeItem
from shared.contracts.base import LocalizedText

TBILISI = timezone(timedelta(hours=4))
TODAY = date(2026, 11, 24)
START, END = date(2026, 12, 1), date(2026, 12, 3)


def new_visit(**overrides: Any) -> domain.Visit:
    fields: dict[str, Any] = {
        "direction": "incoming",
        "kind": "official",
        "country_code": "FR",
        "title": LocalizedText(en="Visit of the French minister"),
        "start_date": START,
        "end_date": END,
    }
    fields.update(overrides)
    return domain.register_visit(**fields)[0]


def member(precedence: int = 1, role: str = "member", **overrides: Any) -> DelegationMember:
    return DelegationMember(
        name_latin=f"Member {precedence}", role=role, precedence=precedence, **overrides
    )


def with_head(visit: domain.Visit) -> domain.Visit:
    return domain.add_member(visit, member(1, "head"))[0]


def moved(visit: domain.Visit, *steps: str, today: date = TODAY) -> domain.Visit:
    for to in steps:
        visit, _ = domain.change_status(visit, to, "a reason", today)
    return visit


def at(day: date, hour: int) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=TBILISI)


def item(day: date = START, start: int = 10, end: int = 11, **overrides: Any) -> ProgrammeItem:
    fields: dict[str, Any] = {
        "item_type": "meeting",
        "title": "Talks",
        "starts_at": at(day, start),
        "ends_at": at(day, end),
    }
    fields.update(overrides)
    return ProgrammeItem(**fields)
