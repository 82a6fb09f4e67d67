"""The office calendar as iCalendar (RFC 5545): visits, their programme, meetings,
international events and business trips, in the chosen language.

Times are written in the office's time zone with its ``VTIMEZONE`` (built from the tz
database by icalendar), so that every client shows a 10:00 Tbilisi meeting at 10:00
Tbilisi time, not as a floating time or in UTC.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, vText

from services.visits.domain.business_trip import BusinessTrip
from services.visits.domain.international_event import InternationalEvent
from services.visits.domain.meeting import Meeting
from services.visits.domain.visit import Visit
from shared.cldr import country_name
from shared.clock import now
from shared.contracts.base import LocalizedText

Lang = Literal["en", "ka"]
PRODID = "-//IRP//International Relations and Protocol//EN"
_STATUS = {
    "cancelled": "CANCELLED", "rejected": "CANCELLED", "draft": "TENTATIVE",
    "planned": "TENTATIVE", "requested": "TENTATIVE",
}  # fmt: skip
# The few words the feed adds to the office's own texts.
_WORDS = {
    "incoming visit": {"en": "incoming visit", "ka": "შემომავალი ვიზიტი"},
    "outgoing visit": {"en": "outgoing visit", "ka": "გამავალი ვიზიტი"},
    "business trip": {"en": "business trip", "ka": "მივლინება"},
    "calendar": {"en": "IRP protocol calendar", "ka": "IRP — ოქმის კალენდარი"},
}


def _word(key: str, lang: Lang) -> str:
    return _WORDS[key][lang]


def _text(text: LocalizedText | None, lang: Lang = "en") -> str:
    if text is None:
        return ""
    other = text.ka if lang == "en" else text.en
    return (text.ka if lang == "ka" else text.en) or other  # never upper-cased


def _country(code: str | None, lang: Lang) -> str:
    """The country's name in the language (CLDR)."""
    return country_name(code, lang) if code else ""


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


class Feed:
    """The calendar being written: its language and the zone its times are given in."""

    def __init__(self, lang: Lang, zone: ZoneInfo) -> None:
        self.lang, self.zone = lang, zone

    def moment(self, value: datetime) -> datetime:
        """The same instant on the office's clock, named by its zone; a time recorded
        without an offset is the office's clock already."""
        if value.tzinfo is None:
            return value.replace(tzinfo=self.zone)
        return value.astimezone(self.zone)

    def visit(self, visit: Visit, official: str | None) -> Iterable[Event]:
        if visit.start_date is None or visit.end_date is None:
            return
        lang = self.lang
        leads = {visit.our_lead_official, visit.counterpart_lead_official}
        whole_visit = official is None or official in leads
        if whole_visit:
            yield _event(
                f"visit-{visit.id}",
                f"{_text(visit.title, lang)} ({_word(f'{visit.direction} visit', lang)})",
                visit.start_date,
                visit.end_date + timedelta(days=1),  # all-day events end the day after
                location=", ".join(
                    p for p in (visit.city, _country(visit.country_code, lang)) if p
                ),
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
                self.moment(item.starts_at),
                self.moment(item.ends_at),
                location=item.venue or "",
                description=f"{item.item_type} — {_text(visit.title, lang)}",
                categories="programme",
            )

    def meeting(self, meeting: Meeting) -> Event:
        return _event(
            f"meeting-{meeting.id}",
            f"{meeting.official_name} — {meeting.counterpart}",
            self.moment(meeting.starts_at),
            self.moment(meeting.ends_at),
            location=meeting.venue or "",
            description=", ".join(meeting.topics),
            status=_STATUS.get(meeting.status, "CONFIRMED"),
            categories="meeting",
        )

    def international_event(self, event: InternationalEvent) -> Event:
        return _event(
            f"event-{event.id}",
            _text(event.title, self.lang),
            event.start_date,
            event.end_date + timedelta(days=1),
            location=", ".join(p for p in (event.venue, event.city) if p),
            status=_STATUS.get(event.status, "CONFIRMED"),
            categories=event.event_kind,
        )

    def business_trip(self, trip: BusinessTrip) -> Event:
        lang = self.lang
        place = ", ".join(
            p for p in (trip.destination_city, _country(trip.destination_country, lang)) if p
        )
        return _event(
            f"trip-{trip.id}",
            f"{trip.traveller} — {place} ({_word('business trip', lang)})",
            trip.start_date,
            trip.end_date + timedelta(days=1),
            location=place,
            description=f"{_text(trip.purpose, lang)} — {trip.unit}",
            status=_STATUS.get(trip.status, "CONFIRMED"),
            categories="business trip",
        )


def build_calendar(
    visits: Iterable[Visit],
    meetings: Iterable[Meeting],
    events: Iterable[InternationalEvent],
    official: str | None = None,
    *,
    trips: Iterable[BusinessTrip] = (),
    lang: Lang = "en",
    zone: str = "Asia/Tbilisi",
) -> bytes:
    """The feed; with ``official``, only what that official leads, attends or travels to."""
    feed = Feed(lang, ZoneInfo(zone))
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    # An X- property is not escaped unless typed as TEXT: a line break would break the feed.
    name = f"IRP — {official}" if official else _word("calendar", lang)
    cal.add("x-wr-calname", vText(name))
    cal.add("x-wr-timezone", vText(zone))
    for visit in visits:
        for item in feed.visit(visit, official):
            cal.add_component(item)
    for meeting in meetings:
        if official is None or meeting.official_name == official:
            cal.add_component(feed.meeting(meeting))
    for trip in trips:
        if official is None or trip.traveller == official:
            cal.add_component(feed.business_trip(trip))
    if official is None:
        for event in events:
            cal.add_component(feed.international_event(event))
    cal.add_missing_timezones()  # a VTIMEZONE for the zone the times name
    return cal.to_ical()
