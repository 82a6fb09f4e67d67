"""Personal calendar keys: a subscription address (``/calendar/<key>.ics``) a calendar
client can keep for months. A key reads the calendar and nothing else (the ``/v1`` API
wants a bearer token), may be limited to one official, and works until it is revoked.
Only its SHA-256 is kept (a key is 256 random bits: a slow hash would add nothing)."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select, update

from services.visits import tables
from shared.clock import now
from shared.db import Database
from shared.errors import NotFound

PREFIX = "irpcal_"


@dataclass(frozen=True)
class CalendarKey:
    key_id: str
    label: str
    official: str | None
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


async def issue(db: Database, label: str, official: str | None = None) -> tuple[str, str]:
    """A new key: its id (to list and revoke it by) and the key itself, shown only now."""
    key, key_id = PREFIX + secrets.token_urlsafe(32), str(uuid.uuid4())
    async with db.unit_of_work() as session:
        await session.execute(
            tables.calendar_keys.insert().values(
                key_id=key_id, key_hash=_hash(key), label=label.strip() or "calendar",
                official=official or None, created_at=now(),
            )
        )  # fmt: skip
    return key_id, key


async def listed(db: Database) -> list[CalendarKey]:
    t = tables.calendar_keys
    async with db.unit_of_work(write=False) as session:
        rows = await session.execute(select(t).order_by(t.c.created_at))
        return [_key(r) for r in rows]


async def revoke(db: Database, key_id: str) -> None:
    t = tables.calendar_keys
    async with db.unit_of_work() as session:
        done = await session.execute(
            update(t).where(t.c.key_id == key_id, t.c.revoked_at.is_(None)).values(revoked_at=now())
        )
        if done.rowcount == 0:
            raise NotFound(f"no calendar key {key_id} that is still valid")


async def used(db: Database, key: str) -> CalendarKey | None:
    """The valid key ``key`` is (its use recorded), or None."""
    if not key.startswith(PREFIX):
        return None
    t = tables.calendar_keys
    async with db.unit_of_work() as session:
        row = (
            await session.execute(
                select(t).where(t.c.key_hash == _hash(key), t.c.revoked_at.is_(None))
            )
        ).first()
        if row is None:
            return None
        await session.execute(update(t).where(t.c.key_id == row.key_id).values(last_used_at=now()))
    return _key(row)


def _key(row: Any) -> CalendarKey:
    """A stored key as it may be shown: everything but its hash."""
    return CalendarKey(**{k: v for k, v in row._mapping.items() if k != "key_hash"})
