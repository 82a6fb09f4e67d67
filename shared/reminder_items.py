"""What the office is reminded of: each due or overdue fact a service publishes becomes an
item for a unit; the events that settle a record close its items. Plain Python, no I/O: the
notifications service mails the items, the reporting service shows them on the office's page.

Items never carry personal data: a passport is named by its type and holder's unit, never
by its number or its holder."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from shared.cldr import country_name, date_range
from shared.contracts import agreements, passports, visits
from shared.contracts.base import EventData

WHAT = {  # what an item asks, in the office's two languages
    "deadline": {"en": "deadline", "ka": "ვადა"},
    "progress_report": {"en": "progress report", "ka": "პროგრესის ანგარიში"},
    "expiry": {"en": "agreement expiry", "ka": "შეთანხმების ვადის გასვლა"},
    "renewal_decision": {"en": "renewal decision", "ka": "განახლების გადაწყვეტილება"},
    "talking_points": {"en": "talking points", "ka": "სასაუბრო თემები"},
    "trip_report": {"en": "trip report", "ka": "მივლინების ანგარიში"},
    "passport_expiring": {"en": "passport expiring", "ka": "პასპორტის ვადის გასვლა"},
    "passport_return": {"en": "passport return", "ka": "პასპორტის დაბრუნება"},
    "passport_safe_return": {"en": "passport back to the safe", "ka": "პასპორტის სეიფში დაბრუნება"},
}
STAGE = {
    "due": {"en": "due", "ka": "მოახლოებული"},
    "overdue": {"en": "overdue", "ka": "ვადაგასული"},
}


@dataclass(frozen=True)
class Item:
    """One thing a unit is reminded of, once: its key says which record, what and stage."""

    key: str
    unit_id: str | None
    unit: str | None
    what: str
    stage: str
    title: dict[str, str]
    ref: str | None
    due_on: date
    record_type: str
    record_id: str
    part: str | None  # the period, talking points or trip an item is of, within its record
    link: str  # the record's path in its service's API

    def row(self) -> dict[str, Any]:
        return dict(vars(self))


def _item(
    record_type: str, record_id: str, what: str, stage: str, due_on: date, *,
    unit_id: str | None, unit: str | None, title: Mapping[str, str] | None, ref: str | None,
    link: str, part: str | None = None,
) -> Item:  # fmt: skip
    key = ":".join(p for p in (record_type, record_id, what, part, stage) if p)
    return Item(key, unit_id, unit, what, stage, dict(title or {}), ref, due_on, record_type,
                record_id, part, link)  # fmt: skip


def item_of(p: EventData, holder_units: Mapping[str, tuple[str | None, str | None]]) -> Item | None:
    """The item a due or overdue fact asks for; ``holder_units``: a passport holder's unit
    (id, name), as the passports service announced it."""
    if isinstance(p, agreements.ObligationDueV1):
        return _item("obligation", p.obligation_id, p.what, p.stage, p.due_on,
                     unit_id=p.lead_unit_id, unit=p.lead_unit, title=p.title.model_dump(),
                     ref=p.external_ref, link=f"/v1/obligations/{p.obligation_id}",
                     part=p.period)  # fmt: skip
    if isinstance(p, agreements.AgreementDueV1):
        return _item("agreement", p.agreement_id, p.what, p.stage, p.due_on,
                     unit_id=p.responsible_unit_id, unit=p.responsible_unit,
                     title=p.title.model_dump(), ref=None,
                     link=f"/v1/agreements/{p.agreement_id}")  # fmt: skip
    if isinstance(p, visits.TalkingPointsDueV1):
        return _item("visit", p.visit_id, "talking_points", p.stage, p.due_date,
                     unit_id=p.owner_unit_id, unit=p.owner_unit, title={"en": p.subject},
                     ref=None, link=f"/v1/visits/{p.visit_id}/talking-points",
                     part=p.talking_points_id)  # fmt: skip
    if isinstance(p, visits.MeetingTalkingPointsDueV1):
        return _item("meeting", p.meeting_id, "talking_points", p.stage, p.due_date,
                     unit_id=p.owner_unit_id, unit=p.owner_unit, title={"en": p.subject},
                     ref=None, link=f"/v1/meetings/{p.meeting_id}")  # fmt: skip
    if isinstance(p, visits.BusinessTripReportDueV1):
        where = p.country_code or ""
        title = {lang: ", ".join(x for x in (country_name(where, lang) if where else "",
                                             _dates(p.start_date, p.end_date, lang)) if x)
                 for lang in ("en", "ka")}  # fmt: skip
        return _item("business_trip", p.business_trip_id, "trip_report", p.stage, p.due_on,
                     unit_id=p.unit_id, unit=p.unit, title=title, ref=None,
                     link=f"/v1/business-trips/{p.business_trip_id}")  # fmt: skip
    return _passport_item(p, holder_units)


def _dates(first: date | None, last: date | None, lang: str) -> str:
    if first is None:
        return ""
    return date_range(first, last or first, lang)


PASSPORT_TYPES = {  # what a passport is called in a reminder: never its number
    "diplomatic": {"en": "diplomatic passport", "ka": "დიპლომატიური პასპორტი"},
    "service": {"en": "service passport", "ka": "სამსახურებრივი პასპორტი"},
}

_PASSPORT_FACTS = {
    passports.PassportExpiringV1: ("passport_expiring", "due", "expires_on"),
    passports.PassportReturnOverdueV1: ("passport_return", "overdue", "return_due_by"),
    passports.PassportSafeReturnOverdueV1: ("passport_safe_return", "overdue", "safe_return_by"),
}


def _passport_item(
    p: EventData, holder_units: Mapping[str, tuple[str | None, str | None]]
) -> Item | None:
    fact = _PASSPORT_FACTS.get(type(p))  # type: ignore[call-overload]
    if fact is None:
        return None
    what, stage, field = fact
    due_on = getattr(p, field)
    if due_on is None:
        return None
    facts: Any = p
    unit_id, unit = holder_units.get(facts.holder_id, (None, None))
    kind = facts.passport_type
    title = PASSPORT_TYPES.get(kind, {"en": f"{kind} passport", "ka": f"{kind} პასპორტი"})
    trip = facts.trip_id if what == "passport_safe_return" else None
    return _item("passport", facts.passport_id, what, stage, due_on, unit_id=unit_id,
                 unit=unit, title=title,
                 ref=None, link=f"/v1/passports/{facts.passport_id}", part=trip)  # fmt: skip


@dataclass(frozen=True)
class Settled:
    """A record whose items (of ``what``, or all; of ``part``, or any) need no more reminding."""

    record_type: str
    record_id: str
    what: str | None = None
    part: str | None = None

    def covers(self, item: Mapping[str, Any]) -> bool:
        """Whether an item (its columns) is one this settles."""
        return (
            (item["record_type"], item["record_id"]) == (self.record_type, self.record_id)
            and self.what in (None, item["what"])
            and self.part in (None, item["part"])
        )


_DONE_OBLIGATION = {"completed", "cancelled"}
_PASSPORT_BACK = {"returned", "in_safe", "cancelled", "lost", "stolen", "expired"}


def settled_by(p: EventData) -> Settled | None:
    """The items an event settles: an obligation done, a period's progress reported, talking
    points approved, a trip report submitted, a passport back or gone."""
    if isinstance(p, agreements.ObligationStatusChangedV1) and p.status in _DONE_OBLIGATION:
        return Settled("obligation", p.obligation_id)
    if isinstance(p, agreements.ProgressSubmittedV1):
        return Settled("obligation", p.obligation_id, "progress_report", p.period)
    if isinstance(p, agreements.AgreementEvent) and p.status not in ("in_force", "suspended"):
        return Settled("agreement", p.agreement_id)
    if isinstance(p, visits.TalkingPointsApprovedV1):
        return Settled("visit", p.visit_id, "talking_points", p.talking_points_id)
    if (
        isinstance(p, visits.MeetingTalkingPointsChangedV1)
        and p.talking_points_status == "approved"
    ):
        return Settled("meeting", p.meeting_id, "talking_points")
    if isinstance(p, visits.BusinessTripReportSubmittedV1):
        return Settled("business_trip", p.business_trip_id, "trip_report")
    if isinstance(p, passports.PassportEvent) and p.status in _PASSPORT_BACK:
        return Settled("passport", p.passport_id)
    return None
