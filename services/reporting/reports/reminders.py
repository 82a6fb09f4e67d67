"""The reminders report: per unit, what is due and overdue now and what the notifications
service sent it (digests to the unit, escalations to its head) in a period."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

from pydantic import BaseModel, Field
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.reporting import tables
from services.reporting.reports.common import About, Lang, heading_lines, natural
from services.reporting.reports.language import day, text_in, word
from services.reporting.reports.tabular import Rows, Sheet
from services.reporting.reports.units import Units, UnitScope
from shared.db import as_dicts
from shared.reminder_items import STAGE, WHAT

SENT_DAYS = 31  # without a period, the messages of the month up to the report's day
DEFINITIONS = {
    "due_items": "its day is today or later: the unit is told it is coming",
    "overdue_items": "its day has passed and its record is not settled (done, reported, "
    "approved, returned)",
    "reminded_on": "the day the unit's daily digest first carried it",
    "escalated_on": "the day it went to the unit's head, overdue for the days the office set",
}


class UnitReminders(BaseModel):
    """One unit's open reminders and the messages sent to it in the period."""

    unit: str = Field(description="the unit's name on the report's day; the office's mailbox "
                      "for what no unit is known for")  # fmt: skip
    unit_id: str | None = Field(description="its id in the directory")
    due: int = Field(description="reminders whose day is today or later")
    overdue: int = Field(description="reminders whose day has passed")
    oldest_overdue_on: date | None = Field(description="the day of its longest overdue reminder")
    digests: int = Field(description="daily digests sent to the unit in the period")
    escalations: int = Field(description="messages sent to the unit's head in the period")
    last_sent_on: date | None = Field(description="the day of the last message in the period")


class OpenReminder(BaseModel):
    """One thing a unit is reminded of and has not settled."""

    unit: str = Field(description="the unit's name on the report's day")
    unit_id: str | None = Field(description="its id in the directory")
    what: str = Field(description="deadline, progress_report, expiry, renewal_decision, "
                      "talking_points, trip_report, passport_expiring, passport_return or "
                      "passport_safe_return")  # fmt: skip
    status: str = Field(description="due or overdue, on the report's day")
    title: str = Field(description="the record's title, in the report's language")
    ref: str | None = Field(description="the record's reference (a measure's number)")
    period: str | None = Field(description="the reporting period of a progress report")
    due_on: date = Field(description="the day it is due")
    days_overdue: int | None = Field(description="days past its day; null while due")
    reminded_on: date | None = Field(description="the first digest that carried it")
    escalated_on: date | None = Field(description="the message to the unit's head, if any")
    record_type: str = Field(description="obligation, agreement, visit, meeting, business_trip "
                             "or passport")  # fmt: skip
    record_id: str = Field(description="the record's id in its service")
    link: str = Field(description="the record's path in its service's API")


class SentMessage(BaseModel):
    """A message the relay accepted."""

    day: date = Field(description="the day it was made for")
    unit: str = Field(description="the unit it was about")
    unit_id: str | None = Field(description="its id in the directory; null: the office")
    kind: str = Field(description="digest (to the unit) or escalation (to its head)")
    recipient: str = Field(description="unit_mailbox, unit_head or office_mailbox: never an "
                           "address")  # fmt: skip
    items: int = Field(description="how many reminders it carried")


UNIT_COLUMNS = ("unit", "due_items", "overdue_items", "oldest_overdue_on", "digests",
                "escalations")  # fmt: skip
ITEM_COLUMNS = ("unit", "what", "status", "title", "ref", "due_on", "days_overdue",
                "reminded_on", "escalated_on")  # fmt: skip
MESSAGE_COLUMNS = ("date", "unit", "kind", "recipient_kind", "items")


class RemindersReport(BaseModel):
    """What each unit is reminded of now, and what was sent to it."""

    report_date: date = Field(description=About.REPORT_DATE)
    language: Lang = Field(description=About.LANGUAGE)
    unit: str | None = Field(None, description=About.UNIT)
    sent_from: date = Field(description="the messages listed: sent on or after")
    sent_to: date = Field(description="the messages listed: sent on or before")
    definitions: dict[str, str] = Field(default=DEFINITIONS, description=About.DEFINITIONS)
    by_unit: list[UnitReminders] = Field(description="each unit with reminders or messages")
    reminders: list[OpenReminder] = Field(
        description="every open reminder, the overdue first, the longest overdue first"
    )
    messages: list[SentMessage] = Field(description="the messages sent in the period, newest first")
    as_of: datetime | None = Field(None, description=About.AS_OF)
    includes_events_until: dict[str, datetime] = Field(description=About.INCLUDES)

    def filename(self) -> str:
        return f"reminders-{self.report_date.isoformat()}"

    def heading(self) -> tuple[str, list[str]]:
        lang = self.language
        lines = heading_lines(self.report_date, self.unit, self.includes_events_until, lang)
        sent = f"{day(self.sent_from, lang)} – {day(self.sent_to, lang)}"
        lines.insert(1, f"{word('messages_sent', lang)}: {sent}")
        return word("report.reminders", lang), lines

    def definitions_text(self) -> dict[str, str]:
        return self.definitions

    def sheets(self) -> list[Sheet]:
        lang = self.language

        def item_row(r: OpenReminder) -> list[Any]:
            return [r.unit, WHAT[r.what][lang] if r.what in WHAT else r.what,
                    STAGE[r.status][lang], r.title, _ref(r), r.due_on, r.days_overdue,
                    r.reminded_on, r.escalated_on]  # fmt: skip

        def unit_row(u: UnitReminders) -> list[Any]:
            return [u.unit, u.due, u.overdue, u.oldest_overdue_on, u.digests, u.escalations]

        def message_row(m: SentMessage) -> list[Any]:
            return [m.day, m.unit, m.kind, m.recipient, m.items]

        return [
            Sheet("sheet.reminders_by_unit", UNIT_COLUMNS, Rows(self.by_unit, unit_row),
                  summary=True),
            Sheet("sheet.reminders", ITEM_COLUMNS, Rows(self.reminders, item_row), True),
            Sheet("sheet.messages_sent", MESSAGE_COLUMNS, Rows(self.messages, message_row)),
        ]  # fmt: skip


def _ref(r: OpenReminder) -> str | None:
    return " · ".join(p for p in (r.ref, r.period) if p) or None


async def reminders(
    session: AsyncSession, lang: Lang, on: date, unit: str | None = None,
    first: date | None = None, last: date | None = None,
) -> dict[str, Any]:  # fmt: skip
    """Open reminders on ``on`` and the messages sent from ``first`` to ``last`` (the month
    up to ``on`` without them)."""
    last = last or on
    first = first or last - timedelta(days=SENT_DAYS - 1)
    units = await Units.read(session)
    scope = units.scope(unit, on, lang) if unit else None
    office = word("office_mailbox", lang)
    named = units.namer(on, lang)

    def who(unit_id: str | None, text: str | None) -> tuple[str, str | None]:
        carrier = units.carrier(unit_id, on) if unit_id in units.units else unit_id
        return named(unit_id, text) or office, carrier

    items = await _open(session, on, lang, scope, who)
    messages = await _sent(session, first, last, scope, who)
    return {
        "report_date": on, "language": lang, "unit": scope.label if scope else None,
        "sent_from": first, "sent_to": last, "by_unit": _by_unit(items, messages),
        "reminders": items, "messages": messages,
    }  # fmt: skip


Who = Callable[[str | None, str | None], tuple[str, str | None]]


async def _open(
    session: AsyncSession, on: date, lang: Lang, scope: UnitScope | None, who: Who
) -> list[OpenReminder]:
    """The open reminders, one for each thing (its overdue reminder over its due one)."""
    r = tables.reminders
    rows = as_dicts(await session.execute(select(r).where(r.c.settled_at.is_(None))))
    if scope:
        rows = [x for x in rows if scope.matches(x["unit_id"], x["unit"])]
    things: dict[tuple[Any, ...], dict[str, Any]] = {}
    for x in sorted(rows, key=lambda x: (x["stage"] == "overdue", x["key"])):
        things[(x["record_type"], x["record_id"], x["what"], x["part"])] = x
    sent = await _first_sent(session)
    found = []
    for x in things.values():
        keys = (x["key"], _other_stage(x["key"], x["stage"]))
        name, unit_id = who(x["unit_id"], x["unit"])
        late = (on - x["due_on"]).days
        found.append(OpenReminder(
            unit=name, unit_id=unit_id, what=x["what"], status="overdue" if late > 0 else "due",
            title=text_in(x["title"], lang), ref=x["ref"],
            period=x["part"] if x["what"] == "progress_report" else None, due_on=x["due_on"],
            days_overdue=late if late > 0 else None,
            reminded_on=_earliest(sent.get((k, "digest")) for k in keys),
            escalated_on=_earliest(sent.get((k, "escalation")) for k in keys),
            record_type=x["record_type"], record_id=x["record_id"], link=x["link"],
        ))  # fmt: skip
    return sorted(found, key=lambda i: (i.status != "overdue", i.due_on, natural(i.unit)))


def _other_stage(key: str, stage: str) -> str:
    """The key of the same thing's reminder at the other stage."""
    other = "due" if stage == "overdue" else "overdue"
    return f"{key.removesuffix(':' + stage)}:{other}"


def _earliest(days: Any) -> date | None:
    return min((d for d in days if d is not None), default=None)


async def _first_sent(session: AsyncSession) -> dict[tuple[str, str], date]:
    """For each open reminder, the first day a message of each kind carried it."""
    d, m, r = tables.reminder_deliveries, tables.reminder_messages, tables.reminders
    open_keys = select(r.c.key).where(r.c.settled_at.is_(None))
    rows = await session.execute(
        select(d.c.key, m.c.kind, func.min(m.c.day))
        .join(m, m.c.message_id == d.c.message_id)
        .where(d.c.key.in_(open_keys))
        .group_by(d.c.key, m.c.kind)
    )
    return {(key, kind): first for key, kind, first in rows}


async def _sent(
    session: AsyncSession, first: date, last: date, scope: UnitScope | None, who: Who
) -> list[SentMessage]:
    m = tables.reminder_messages
    query = select(m).where(m.c.day >= first, m.c.day <= last)
    rows = as_dicts(await session.execute(query))
    found = []
    for x in rows:
        if scope and not scope.matches(x["unit_id"], None):
            continue
        name, unit_id = who(x["unit_id"], None)
        found.append(SentMessage(day=x["day"], unit=name, unit_id=unit_id, kind=x["kind"],
                                 recipient=x["recipient_kind"], items=x["item_count"]))  # fmt: skip
    return sorted(found, key=lambda m: (-m.day.toordinal(), natural(m.unit), m.kind))


def _by_unit(items: list[OpenReminder], messages: list[SentMessage]) -> list[UnitReminders]:
    tally: dict[str, dict[str, Any]] = defaultdict(lambda: {
        "unit_id": None, "due": 0, "overdue": 0, "oldest_overdue_on": None, "digests": 0,
        "escalations": 0, "last_sent_on": None,
    })  # fmt: skip
    for i in items:
        t = tally[i.unit]
        t["unit_id"] = t["unit_id"] or i.unit_id
        t[i.status] += 1
        if i.status == "overdue":
            t["oldest_overdue_on"] = _earliest([t["oldest_overdue_on"], i.due_on])
    for m in messages:
        t = tally[m.unit]
        t["unit_id"] = t["unit_id"] or m.unit_id
        t["digests" if m.kind == "digest" else "escalations"] += 1
        t["last_sent_on"] = max(d for d in (t["last_sent_on"], m.day) if d is not None)
    return [UnitReminders(unit=name, **t) for name, t in sorted(
        tally.items(), key=lambda kv: natural(kv[0]))]  # fmt: skip
