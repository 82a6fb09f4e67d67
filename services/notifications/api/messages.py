"""``/v1/messages`` and ``/v1/reminders``: every message made (sent, waiting to be retried, or
with no address to go to) with the reminders it carried, and what each unit is reminded of."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, Field
from sqlalchemy import select

from services.notifications import tables
from shared.app import ServiceContext, get_context
from shared.auth import Principal, require_scope
from shared.envelope import as_utc
from shared.errors import NotFound
from shared.http.examples import EXAMPLE_ID, EXAMPLE_MOMENT, OTHER_ID, examples
from shared.http.pagination import Page, PageRequest, build_page, keyset, page_request
from shared.types import Day

router = APIRouter(tags=["messages"])
READ = require_scope("notifications:read")

ITEM = {
    "key": f"obligation:{OTHER_ID}:progress_report:2026-Q4:overdue",
    "unit_id": EXAMPLE_ID,
    "unit": "Policy Department",
    "what": "progress_report",
    "stage": "overdue",
    "title": {"ka": "", "en": "Adopt the digital governance strategy"},
    "ref": "23.1.4",
    "due_on": "2027-01-10",
    "record_type": "obligation",
    "record_id": OTHER_ID,
    "part": "2026-Q4",
    "link": f"/v1/obligations/{OTHER_ID}",
    "noticed_at": EXAMPLE_MOMENT,
    "settled_at": None,
    "digest_id": EXAMPLE_ID,
    "escalation_id": None,
}


class Reminder(BaseModel):
    """One thing a unit is reminded of, kept once."""

    model_config = examples(ITEM)

    key: str = Field(description="record type, id, what, part and stage: the reminder's name")
    unit_id: str | None = Field(description="the unit's id in the directory, when known")
    unit: str | None = Field(description="the unit's name as the event gave it")
    what: str = Field(description="deadline, progress_report, expiry, renewal_decision, "
                      "talking_points, trip_report, passport_expiring, passport_return or "
                      "passport_safe_return")  # fmt: skip
    stage: str = Field(description="due (soon) or overdue")
    title: dict[str, str] = Field(description="what it is about, in ka and/or en")
    ref: str | None = Field(description="the record's own reference (a measure's number)")
    due_on: date = Field(description="the day it is due")
    record_type: str = Field(description="obligation, agreement, visit, meeting, business_trip "
                             "or passport")  # fmt: skip
    record_id: str = Field(description="the record's id in its service")
    part: str | None = Field(description="the period, talking points or trip it is of")
    link: str = Field(description="the record's path in its service's API")
    noticed_at: datetime = Field(description="when the fact arrived (UTC)")
    settled_at: datetime | None = Field(description="when the record was settled, if it was")
    digest_id: str | None = Field(description="the digest that carried it")
    escalation_id: str | None = Field(description="the message to the unit's head, if any")


MESSAGE = {
    "message_id": EXAMPLE_ID,
    "unit_id": OTHER_ID,
    "kind": "digest",
    "day": "2027-01-11",
    "recipient": "policy@mfa.gov.ge",
    "recipient_kind": "unit_mailbox",
    "subject": "შეხსენებები / Reminders: Policy Department — 1 (1 ვადაგასული / overdue)",
    "status": "sent",
    "attempts": 1,
    "next_attempt_at": EXAMPLE_MOMENT,
    "last_error": None,
    "created_at": EXAMPLE_MOMENT,
    "sent_at": EXAMPLE_MOMENT,
    "items": [ITEM["key"]],
}


class Message(BaseModel):
    """A digest or an escalation: made once per unit, kind and day, sent once."""

    model_config = examples(MESSAGE)

    message_id: str = Field(description="its id, also in its Message-ID header")
    unit_id: str = Field(description="the unit it is for (empty: the office's own mailbox)")
    kind: Literal["digest", "escalation"] = Field(description="digest or escalation")
    day: date = Field(description="the day it was made for")
    recipient: str | None = Field(
        description="the mailbox it goes to; null for a unit's head (personal data, kept in "
        "the directory) or without one"
    )
    recipient_kind: str = Field(description="unit_mailbox, unit_head or office_mailbox")
    subject: str = Field(description="its subject line")
    status: str = Field(description="pending (to be sent or retried), sending (claimed by a "
                        "sender), sent, or unaddressed (no mailbox in the directory)")  # fmt: skip
    attempts: int = Field(description="how many times sending was tried")
    next_attempt_at: datetime | None = Field(description="when it is tried next, if pending")
    last_error: str | None = Field(description="why the last attempt failed")
    created_at: datetime = Field(description="when it was made (UTC)")
    sent_at: datetime | None = Field(description="when the relay accepted it")
    items: list[str] = Field(description="the keys of the reminders it carries")


def _message(row: Any) -> Message:
    data = dict(row._mapping)
    if data["recipient_kind"] == "unit_head":
        data["recipient"] = None
    for moment in ("next_attempt_at", "created_at", "sent_at"):
        data[moment] = as_utc(data[moment]) if data[moment] else None
    return Message.model_validate(data)


@router.get("/v1/messages", response_model=Page[Message], summary="List messages")
async def list_messages(
    unit_id: str | None = Query(None, max_length=36, description="only this unit's"),
    kind: Literal["digest", "escalation"] | None = Query(None, description="only of this kind"),
    status: Literal["pending", "sending", "sent", "unaddressed"] | None = Query(
        None, description="only in this status"
    ),
    day: Day | None = Query(None, description="only made for this day"),
    page: PageRequest = Depends(page_request),
    _: Principal = READ,
    ctx: ServiceContext = Depends(get_context),
) -> Page[Message]:
    """Every message made, oldest first: what went to which unit, and what waits."""
    m = tables.messages
    query = select(m)
    for column, value in ((m.c.unit_id, unit_id), (m.c.kind, kind), (m.c.status, status),
                          (m.c.day, day)):  # fmt: skip
        if value is not None:
            query = query.where(column == value)
    items, cursor = await _page(ctx, query, [m.c.created_at, m.c.message_id], page, _message)
    return Page[Message](items=items, next_cursor=cursor)


async def _page(ctx: ServiceContext, query: Any, columns: list[Any], page: PageRequest,
                shown: Any) -> tuple[list[Any], str | None]:  # fmt: skip
    """One page of ``query`` in the order of ``columns`` (a moment, then an id)."""
    async with ctx.db.unit_of_work(write=False) as session:
        rows = (await session.execute(keyset(query, columns, page, [as_moment, str]))).all()
    names = [c.name for c in columns]
    return build_page(
        [shown(r) for r in rows], page,
        lambda i: [getattr(i, names[0]).isoformat(), getattr(i, names[1])],
    )  # fmt: skip


def as_moment(value: str) -> datetime:
    return as_utc(datetime.fromisoformat(value))


@router.get("/v1/messages/{message_id}", response_model=Message, summary="Read a message")
async def get_message(
    message_id: str, _: Principal = READ, ctx: ServiceContext = Depends(get_context)
) -> Message:
    """One message, with the keys of the reminders it carries."""
    m = tables.messages
    async with ctx.db.unit_of_work(write=False) as session:
        row = (await session.execute(select(m).where(m.c.message_id == message_id))).first()
    if row is None:
        raise NotFound(f"no message {message_id}")
    return _message(row)


@router.get("/v1/reminders", response_model=Page[Reminder], summary="List reminders")
async def list_reminders(
    unit_id: str | None = Query(None, max_length=36, description="only this unit's"),
    stage: Literal["due", "overdue"] | None = Query(None, description="only at this stage"),
    open_only: bool = Query(False, alias="open", description="only those not yet settled"),
    page: PageRequest = Depends(page_request),
    _: Principal = READ,
    ctx: ServiceContext = Depends(get_context),
) -> Page[Reminder]:
    """What each unit is (or was) reminded of, in the order the facts arrived."""
    t = tables.items
    query = select(t)
    if unit_id is not None:
        query = query.where(t.c.unit_id == unit_id)
    if stage is not None:
        query = query.where(t.c.stage == stage)
    if open_only:
        query = query.where(t.c.settled_at.is_(None))
    items, cursor = await _page(ctx, query, [t.c.noticed_at, t.c.key], page, _reminder)
    return Page[Reminder](items=items, next_cursor=cursor)


def _reminder(row: Any) -> Reminder:
    data = dict(row._mapping)
    for moment in ("noticed_at", "settled_at"):
        data[moment] = as_utc(data[moment]) if data[moment] else None
    return Reminder.model_validate(data)
