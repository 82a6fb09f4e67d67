"""What the notifications service does: keep each reminder once as an item, gather a unit's
waiting items into one digest a day (and the long-overdue ones into a message to the unit's
head), and send each message once, retrying with backoff."""

from __future__ import annotations

import logging
import uuid
from collections import defaultdict
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any, Protocol

from sqlalchemy import and_, case, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from services.notifications import tables
from services.notifications.domain.escalation import escalates
from services.notifications.mail import Mailer, Rendered, render
from shared.consumer import ReceivedEvent
from shared.contracts import contract_for
from shared.contracts import directory as directory_events
from shared.contracts import passports as passport_events
from shared.contracts.notifications import MessageSentV1
from shared.db import upsert
from shared.observability import NOTIFICATION_FAILURES, NOTIFICATIONS_SENT
from shared.reminder_items import item_of, settled_by
from shared.reminder_store import keep_items, settle_items
from shared.settings import ServiceSettings
from shared.writes import Writer

log = logging.getLogger(__name__)
OFFICE = ""  # the unit_id of items no unit is known for: they go to the office's mailbox


async def record_events(
    session: AsyncSession, events: Sequence[ReceivedEvent], now: datetime
) -> int:
    """Keep what the events say: the directory's units and heads' posts, holders' units, each
    due or overdue fact as one item (however often it arrives), settled items. Answers how
    many items were new."""
    typed = [(e, contract_for(e.envelope.type)) for e in events]
    facts = [(e, c.model_validate(e.envelope.data)) for e, c in typed if c is not None]
    await _keep_directory(session, facts)
    holders = await _holder_units(session, facts)
    found = [i for _, p in facts if (i := item_of(p, holders)) is not None]
    await keep_items(session, tables.items, [(i, now) for i in found])
    for _, p in facts:
        if (settled := settled_by(p)) is not None:
            await settle_items(session, tables.items, settled, now)
    return len(found)


async def _keep_directory(session: AsyncSession, facts: list[tuple[ReceivedEvent, Any]]) -> None:
    units: dict[str, dict[str, Any]] = {}
    heads: dict[str, dict[str, Any]] = {}
    for e, p in facts:
        version = e.envelope.aggregateversion
        if isinstance(p, directory_events.UnitEvent):
            units[p.unit_id] = {"unit_id": p.unit_id, "name": p.name.model_dump(),
                                "notice_email": p.notice_email, "status": p.status,
                                "merged_into": p.merged_into, "version": version}  # fmt: skip
        elif isinstance(p, directory_events.PostEvent) and p.heads_unit:
            heads[p.post_id] = {"post_id": p.post_id, "unit_id": p.unit_id,
                                "held": p.status == "held", "version": version}  # fmt: skip
    dialect = session.get_bind().dialect.name
    for table, key, rows in (
        (tables.units, "unit_id", units),
        (tables.head_posts, "post_id", heads),
    ):
        if rows:
            kept = [c.name for c in table.c if c.name != key]
            newer = lambda new, t=table, k=kept: {  # noqa: E731  the newest version wins
                c: case((new.version > t.c.version, new[c]), else_=t.c[c]) for c in k
            }
            await session.execute(upsert(dialect, table, [key], newer), list(rows.values()))


async def _holder_units(
    session: AsyncSession, facts: list[tuple[ReceivedEvent, Any]]
) -> dict[str, tuple[str | None, str | None]]:
    """Holders' units from this batch and from before, for the passports' items."""
    registered = {
        p.holder_id: {"holder_id": p.holder_id, "unit_id": p.unit_id, "unit": p.unit}
        for _, p in facts
        if isinstance(p, passport_events.HolderRegisteredV1)
    }
    if registered:
        dialect = session.get_bind().dialect.name
        await session.execute(
            upsert(dialect, tables.holders, ["holder_id"], lambda new: {
                "unit_id": new.unit_id, "unit": new.unit}),
            list(registered.values()),
        )  # fmt: skip
    wanted = {p.holder_id for _, p in facts if isinstance(p, passport_events.PassportEvent)}
    if not wanted:
        return {}
    h = tables.holders
    rows = await session.execute(select(h).where(h.c.holder_id.in_(sorted(wanted))))
    return {r.holder_id: (r.unit_id, r.unit) for r in rows}


# --- composing messages ---


async def compose_messages(
    writer: Writer, now: datetime, settings: ServiceSettings, heads: HeadAddresses
) -> int:
    """Today's digest for each unit with items waiting (once a day, from the digest hour on),
    and a message to the head of each unit with items overdue for
    ``escalate_after_days``; answers how many messages were made."""
    today = now.date()
    if now.hour < settings.digest_hour:
        return 0
    made = 0
    async with writer.unit_of_work() as uow:
        made += await _compose(uow.session, now, "digest", settings, heads)
        made += await _compose(uow.session, now, "escalation", settings, heads)
    log.info("messages composed", extra={"day": today.isoformat(), "made": made})
    return made


async def _compose(
    session: AsyncSession, now: datetime, kind: str, settings: ServiceSettings,
    heads: HeadAddresses,
) -> int:  # fmt: skip
    t, m = tables.items, tables.messages
    today = now.date()
    if kind == "digest":
        waiting = and_(t.c.digest_id.is_(None), t.c.settled_at.is_(None))
    else:
        waiting = and_(
            t.c.escalation_id.is_(None), t.c.settled_at.is_(None), t.c.stage == "overdue"
        )
    rows = [r._mapping for r in await session.execute(select(t).where(waiting))]
    if kind == "escalation":
        after = settings.escalate_after_days
        rows = [r for r in rows if escalates(r["stage"], r["due_on"], today, after)]
    units = await _units(session)
    by_unit: dict[str, list[Any]] = defaultdict(list)
    for r in rows:
        by_unit[_carrier(units, r["unit_id"]) or OFFICE].append(r)
    done = {
        r.unit_id
        for r in await session.execute(
            select(m.c.unit_id).where(m.c.kind == kind, m.c.day == today)
        )
    }
    made = 0
    for unit_id, found in sorted(by_unit.items()):
        if unit_id in done:
            continue  # today's is made: these wait for tomorrow's
        unit = units.get(unit_id)
        recipient, recipient_kind = await _recipient(session, kind, unit_id, unit, settings, heads)
        if kind == "escalation" and recipient is None:
            continue  # no head known now: tried again at the next run
        name = _unit_name(unit, found)
        rendered = render(kind, name, sorted(found, key=_order), today, settings)
        message_id = str(uuid.uuid4())
        await session.execute(m.insert(), [{
            "message_id": message_id, "unit_id": unit_id, "kind": kind, "day": today,
            "recipient": recipient, "recipient_kind": recipient_kind,
            "subject": rendered.subject, "body": rendered.body,
            "items": [r["key"] for r in found],
            "status": "pending" if recipient else "unaddressed", "attempts": 0,
            "next_attempt_at": now, "created_at": now,
        }])  # fmt: skip
        column = t.c.digest_id if kind == "digest" else t.c.escalation_id
        keys = [r["key"] for r in found]
        await session.execute(update(t).where(t.c.key.in_(keys)).values({column: message_id}))
        made += 1
    return made


def _order(r: Any) -> tuple[int, date, str]:
    return (0 if r["stage"] == "overdue" else 1, r["due_on"], r["key"])


async def _units(session: AsyncSession) -> dict[str, Any]:
    return {r.unit_id: r for r in await session.execute(select(tables.units))}


def _carrier(units: dict[str, Any], unit_id: str | None) -> str | None:
    """The unit that carries ``unit_id``'s work now: a merged unit's reminders go to the unit
    it joined."""
    current, hops = unit_id, 0
    while current in units and units[current].merged_into and hops < 20:
        current, hops = units[current].merged_into, hops + 1
    return current


def _unit_name(unit: Any, found: list[Any]) -> str:
    if unit is not None:
        return unit.name.get("ka") or unit.name.get("en") or ""
    return next((r["unit"] for r in found if r["unit"]), "")


class HeadAddresses(Protocol):
    """Where a unit's head is written to: the work address of whoever holds the post, asked
    of the directory when needed (personal data: never in an event)."""

    async def address(self, post_id: str) -> str | None: ...


async def _recipient(
    session: AsyncSession, kind: str, unit_id: str, unit: Any, settings: ServiceSettings,
    heads: HeadAddresses,
) -> tuple[str | None, str]:  # fmt: skip
    if unit_id == OFFICE:
        return settings.office_mailbox or None, "office_mailbox"
    if kind == "digest":
        return (unit.notice_email if unit is not None else None), "unit_mailbox"
    h = tables.head_posts
    post_id = (
        await session.execute(select(h.c.post_id).where(h.c.unit_id == unit_id, h.c.held))
    ).scalar()
    return (await heads.address(post_id) if post_id else None), "unit_head"


# --- sending ---

LEASE = timedelta(minutes=10)  # a message claimed by a sender that died is tried again after


async def send_pending(
    writer: Writer, mailer: Mailer, now: datetime, settings: ServiceSettings
) -> int:
    """Send what is due to be sent, each message claimed first (so that no two senders send
    it), sent, then marked sent with its event; a failure is retried later, each time
    waiting twice as long (up to an hour). A sender that dies between the relay's answer and
    the mark leaves the claim to lapse: that message alone may then go twice, under the same
    Message-ID."""
    m = tables.messages
    ready = and_(m.c.status.in_(["pending", "sending"]),
                 or_(m.c.next_attempt_at.is_(None), m.c.next_attempt_at <= now))  # fmt: skip
    async with writer.unit_of_work() as uow:
        due = (
            (
                await uow.session.execute(
                    select(m.c.message_id).where(ready).order_by(m.c.created_at).limit(100)
                )
            )
            .scalars()
            .all()
        )
    sent = 0
    for message_id in due:
        if await _claim(writer, message_id, now, ready):
            sent += await _send_one(writer, mailer, message_id, now, settings)
    return sent


async def _claim(writer: Writer, message_id: str, now: datetime, ready: Any) -> bool:
    m = tables.messages
    async with writer.unit_of_work() as uow:
        claimed = await uow.session.execute(
            update(m).where(m.c.message_id == message_id, ready)
            .values(status="sending", next_attempt_at=now + LEASE)
        )  # fmt: skip
        return claimed.rowcount == 1  # type: ignore[attr-defined]


async def _send_one(
    writer: Writer, mailer: Mailer, message_id: str, now: datetime, settings: ServiceSettings
) -> int:
    m = tables.messages
    async with writer.unit_of_work() as uow:
        row = (await uow.session.execute(select(m).where(m.c.message_id == message_id))).one()
    try:
        await mailer.send(Rendered(row.subject, row.body), row.recipient, message_id)
    except Exception as error:  # any failure of the relay: retried with backoff
        attempts = row.attempts + 1
        wait = min(settings.notification_retry_seconds * 2 ** (attempts - 1), 3600)
        async with writer.unit_of_work() as uow:
            await uow.session.execute(
                update(m).where(m.c.message_id == message_id).values(
                    status="pending", attempts=attempts,
                    next_attempt_at=now + timedelta(seconds=wait),
                    last_error=f"{type(error).__name__}: {error}"[:2000])
            )  # fmt: skip
        NOTIFICATION_FAILURES.labels("notifications").inc()
        log.warning("a message could not be sent; retried later",
                    extra={"message_id": message_id, "attempts": attempts})  # fmt: skip
        return 0
    async with writer.unit_of_work() as uow:
        await uow.session.execute(
            update(m).where(m.c.message_id == message_id).values(
                status="sent", sent_at=now, attempts=row.attempts + 1, last_error=None,
                next_attempt_at=None)
        )  # fmt: skip
        event = MessageSentV1(
            message_id=message_id,
            unit_id=row.unit_id or None,
            kind=row.kind,
            day=row.day,
            recipient_kind=row.recipient_kind,
            items=list(row.items),
        )
        await uow.outbox.record(uow.session, [event], aggregate_id=message_id, last_version=1)
    NOTIFICATIONS_SENT.labels("notifications", row.kind).inc()
    return 1
