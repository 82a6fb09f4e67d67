"""The office calendar as iCalendar (RFC 5545): visits, their programme, meetings, events."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta

from icalendar import Calendar, Event, vText

from services.visits.domain.international_event import InternationalEvent
from services.visits.domain.meeting import Meeting
from services.visits.domain.visit import Visit
from shared.clock import now
from shared.contracts.base import LocalizedText

PRODID = "-//IRP//International Relations and Protocol//EN"
_STATUS = {"cancelled": "CANCELLED", "draft": "TENTATIVE", "planned": "TENTATIVE"}


def _text(text: LocalizedText | None) -> str:
    if text is None:
        return ""
    return text.en or text.ka  # never upper-cased: Georgian capitals lack glyphs


def _event(
    uid: str, summary: str, start: date | datetime, end: date | datetime, **extra: str
) -> Event:
    event = Event()
    event.add("uid", f"{uid}@irp")
    event.add("dtstamp", now())
    event.add("summary", summary)
    event.add("dtstart", start)
    event.add("dtend", end)
    for key, value in extra.items():
        if value:
            event.add(key, value)
    return event


def _visit_events(visit: Visit, official: str | None) -> Iterable[Event]:
    if visit.start_date is None or visit.end_date is None:
        return
    leads = {visit.our_lead_official, visit.counterpart_lead_official}
    whole_visit = official is None or official in leads
    if whole_visit:
        where = visit.country_code or ""
        yield _event(
            f"visit-{visit.id}",
            f"{_text(visit.title)} ({visit.direction} visit)",
            visit.start_date,
            visit.end_date + timedelta(days=1),  # all-day events end the day after
            location=", ".join(p for p in (visit.city, where) if p),
            status=_STATUS.get(visit.status, "CONFIRMED"),
            categories="visit",
        )
    if visit.status == "cancelled":
        return
    for item in visit.programme:
        if not whole_visit and official not in item.participants:
            continue
        yield _event(
            f"programme-{item.id}",
            item.title,
            item.starts_at,
            item.ends_at,
            location=item.venue or "",
            description=f"{item.item_type} — {_text(visit.title)}",
            categories="programme",
        )


def _meeting_event(meeting: Meeting) -> Event:
    return _event(
        f"meeting-{meeting.id}",
        f"{meeting.official_name} — {meeting.counterpart}",
        meeting.starts_at,
        meeting.ends_at,
        location=meeting.venue or "",
        description=", ".join(meeting.topics),
        status=_STATUS.get(meeting.status, "CONFIRMED"),
        categories="meeting",
    )


def _international_event(event: InternationalEvent) -> Event:
    return _event(
        f"event-{event.id}",
        _text(event.title),
        event.start_date,
        event.end_date + timedelta(days=1),
        location=", ".join(p for p in (event.venue, event.city) if p),
        status=_STATUS.get(event.status, "CONFIRMED"),
        categories=event.event_kind,
    )


def build_calendar(
    visits: Iterable[Visit],
    meetings: Iterable[Meeting],
    events: Iterable[InternationalEvent],
    official: str | None = None,
) -> bytes:
    """The feed; with ``official``, only what that official leads or takes part in."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    # An X- property is not escaped unless typed as TEXT: a line break would break the feed.
    name = f"IRP — {official}" if official else "IRP protocol calendar"
    cal.add("x-wr-calname", vText(name))
    for visit in visits:
        for item in _visit_events(visit, official):
            cal.add_component(item)
    for meeting in meetings:
        if official is None or meeting.official_name == official:
            cal.add_component(_meeting_event(meeting))
    if official is None:
        for event in events:
            cal.add_component(_international_event(event))
    return cal.to_ical()
