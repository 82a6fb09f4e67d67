"""The visits service's resources: refusals change nothing; the calendar feed parses."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from services.visits import calendar_keys, tables
from shared.errors import NotFound
from tests.harness import VISIT, auth, count_rows, running, settings_for, token

TODAY = datetime.now(UTC).date()
DATES = {"start_date": str(TODAY), "end_date": str(TODAY + timedelta(days=2))}


def _at(days: int, hour: int) -> str:
    return f"{TODAY + timedelta(days=days)}T{hour:02d}:00:00"


@pytest.fixture
async def visits(tmp_path, kafka, prefix):
    settings = settings_for(
        "visits", f"sqlite:///{tmp_path}/v.db", kafka.bootstrap, prefix, run_relay=False
    )
    async with running("visits", settings) as service:
        yield service


async def _visit(client, **overrides) -> str:  # type: ignore[no-untyped-def]
    answer = await client.post("/v1/visits", json={**VISIT, **DATES, **overrides}, headers=auth())
    assert answer.status_code == 201, answer.text
    return answer.json()["id"]


ITEM = {
    "item_type": "meeting",
    "title": "Talks",
    "starts_at": _at(0, 10),
    "ends_at": _at(0, 11),
    "venue": "Hall A",
    "participants": ["Minister"],
}


@pytest.mark.parametrize(
    ("path", "body", "status"),
    [
        ("programme", {**ITEM, "starts_at": _at(5, 10), "ends_at": _at(5, 11)}, 422),  # outside
        ("programme", {**ITEM, "ends_at": _at(0, 9)}, 422),  # ends before it starts
        ("programme", {**ITEM, "venue": "hall  a", "participants": []}, 422),  # venue clash
        ("programme", {**ITEM, "venue": "Hall B"}, 422),  # the same person twice
        ("programme", {**ITEM, "item_type": "party"}, 422),  # unknown type
        ("delegation", {"name_latin": "B", "role": "head", "precedence": 2}, 422),  # 2nd head
        ("delegation", {"name_latin": "C", "role": "member", "precedence": 1}, 422),  # taken
        ("delegation", {"name_latin": "D", "role": "member", "precedence": 0}, 422),
        ("delegation", {"name_latin": "E", "role": "member", "precedence": 3,
                        "visa": {"status": "issued"}}, 422),  # no visas for incoming visits
        ("meeting-proposals", {"counterpart": "X", "counterpart_country": "QQ"}, 422),
        ("accommodations", {"hotel": "H", "check_in": str(TODAY), "check_out": str(TODAY),
                            "rooms": 2}, 422),
        ("outcome", {"summary": {"en": "too early"}}, 409),  # not during or after the visit
        ("talking-points", {"subject": "S", "due_date": "2026-02-30"}, 422),
    ],
)  # fmt: skip
async def test_refused_changes_to_a_visit_plan_change_nothing(visits, path, body, status):
    visit_id = await _visit(visits.client)
    base = f"/v1/visits/{visit_id}"
    headers = auth()
    head = {"name_latin": "A", "role": "head", "precedence": 1}
    assert (await visits.client.post(f"{base}/delegation", json=head, headers=headers)).is_success
    assert (await visits.client.post(f"{base}/programme", json=ITEM, headers=headers)).is_success
    before = await visits.client.get(base, headers=headers)
    outbox_rows = await count_rows(visits.db, tables.outbox)

    refused = await visits.client.post(f"{base}/{path}", json=body, headers=headers)
    assert refused.status_code == status, refused.text
    assert refused.headers["content-type"] == "application/problem+json"
    after = await visits.client.get(base, headers=headers)
    assert after.json() == before.json()
    assert await count_rows(visits.db, tables.outbox) == outbox_rows


async def test_dates_cannot_move_away_from_the_programme_and_refusals_say_why(visits):
    visit_id = await _visit(visits.client)
    base = f"/v1/visits/{visit_id}"
    headers = auth()
    assert (await visits.client.post(f"{base}/programme", json=ITEM, headers=headers)).is_success
    later = {"start_date": str(TODAY + timedelta(days=10)), "end_date": str(TODAY + timedelta(11))}
    refused = await visits.client.patch(base, json=later, headers=headers)
    assert refused.status_code == 422
    assert "outside the new dates" in refused.json()["detail"]
    unknown = await visits.client.patch(base, json={"country_code": "ZZ"}, headers=headers)
    assert unknown.status_code == 422
    assert (await visits.client.get(base, headers=headers)).json()["start_date"] == str(TODAY)


async def test_activities_refuse_bad_input_and_forbidden_moves(visits):
    headers = auth()
    trip = {
        "traveller": "Nino Beridze", "unit": "International Relations",
        "destination_country": "BE", "purpose": {"en": "Working group"},
        "start_date": str(TODAY + timedelta(days=10)), "end_date": str(TODAY + timedelta(12)),
        "funding": "donor", "funder": "EU", "estimated_cost": "1200.50", "currency": "EUR",
    }  # fmt: skip
    for bad in (
        {**trip, "destination_country": "XX"},
        {**trip, "currency": "EURO"},
        {**trip, "end_date": str(TODAY)},
        {**trip, "funder": None},
        {**trip, "estimated_cost": "-1"},
    ):
        answer = await visits.client.post("/v1/business-trips", json=bad, headers=headers)
        assert answer.status_code == 422, bad
    assert await count_rows(visits.db, tables.business_trips) == 0
    created = await visits.client.post("/v1/business-trips", json=trip, headers=headers)
    trip_id = created.json()["id"]
    early = await visits.client.post(
        f"/v1/business-trips/{trip_id}/transitions", json={"to": "completed"}, headers=headers
    )
    assert early.status_code == 409
    assert early.json()["allowed"] == ["approved", "cancelled", "rejected"]
    no_reason = await visits.client.post(
        f"/v1/business-trips/{trip_id}/transitions", json={"to": "rejected"}, headers=headers
    )
    assert no_reason.status_code == 422
    assert await count_rows(visits.db, tables.outbox) == 1


async def test_the_calendar_feed_parses_and_filters_by_official(visits):
    headers = auth()
    visit_id = await _visit(
        visits.client, our_lead_official="Minister", title={"ka": "ვიზიტი", "en": "State visit"}
    )
    base = f"/v1/visits/{visit_id}"
    await visits.client.post(f"{base}/programme", json=ITEM, headers=headers)
    other = {**ITEM, "title": "Deputy's site visit", "item_type": "site_visit",
             "venue": "Port", "participants": ["Deputy Minister"]}  # fmt: skip
    await visits.client.post(f"{base}/programme", json=other, headers=headers)
    meeting = {
        "official_level": "deputy_minister", "official_name": "Deputy Minister",
        "counterpart_type": "ambassador", "counterpart": "Ambassador of Japan",
        "counterpart_country": "JP", "starts_at": _at(1, 15), "ends_at": _at(1, 16),
    }  # fmt: skip
    assert (await visits.client.post("/v1/meetings", json=meeting, headers=headers)).is_success

    feed = await visits.client.get(
        "/v1/calendar.ics", params={"access_token": token("visits:read")}
    )
    assert feed.status_code == 200
    assert feed.headers["content-type"].startswith("text/calendar")
    parsed = Calendar.from_ical(feed.content)
    summaries = sorted(str(e["summary"]) for e in parsed.walk("VEVENT"))
    assert summaries == [
        "Deputy Minister — Ambassador of Japan",
        "Deputy's site visit",
        "State visit (incoming visit)",
        "Talks",
    ]
    mine = await visits.client.get(
        "/v1/calendar.ics", params={"official": "Deputy Minister"}, headers=headers
    )
    deputy = sorted(str(e["summary"]) for e in Calendar.from_ical(mine.content).walk("VEVENT"))
    assert deputy == ["Deputy Minister — Ambassador of Japan", "Deputy's site visit"]
    anonymous = await visits.client.get("/v1/calendar.ics")
    assert anonymous.status_code == 401


async def test_visits_are_listed_by_official_country_and_period(visits):
    headers = auth()
    await _visit(visits.client, our_lead_official="Minister", country_code="DE")
    await _visit(visits.client, counterpart_lead_official="Minister", country_code="FR")
    later = {"start_date": str(TODAY + timedelta(days=40)), "end_date": str(TODAY + timedelta(41))}
    await _visit(visits.client, our_lead_official="Deputy Minister", **later)

    async def ids(**params) -> list[str]:  # type: ignore[no-untyped-def]
        page = await visits.client.get("/v1/visits", params=params, headers=headers)
        assert page.status_code == 200, page.text
        return [v["country_code"] for v in page.json()["items"]]

    assert await ids(official="Minister") == ["DE", "FR"]
    assert await ids(official="Minister", country="FR") == ["FR"]
    assert await ids(**{"from": str(TODAY + timedelta(days=30))}) == ["FR"]
    assert await ids(status="planned") == []


def _utc_starts(feed: bytes) -> dict[str, datetime]:
    """Each event's start as three independent parsers read it, in UTC: they must agree."""
    import ics
    import vobject

    text = feed.decode()
    by_icalendar = {
        str(e["summary"]): e.decoded("dtstart") for e in Calendar.from_ical(feed).walk("VEVENT")
    }
    by_vobject = {str(e.summary.value): e.dtstart.value for e in vobject.readOne(text).vevent_list}
    by_ics = {e.name: e.begin.datetime for e in ics.Calendar(text).events}
    timed = {k: v for k, v in by_icalendar.items() if isinstance(v, datetime)}
    for parsed in (by_vobject, by_ics):
        assert {k: v.astimezone(UTC) for k, v in parsed.items() if k in timed} == {
            k: v.astimezone(UTC) for k, v in timed.items()
        }
    return {k: v.astimezone(UTC) for k, v in timed.items()}


async def test_a_10_oclock_tbilisi_meeting_is_at_10_in_every_calendar_client(visits):
    headers = auth()
    day = TODAY + timedelta(days=2)
    meetings = {
        "with an offset": f"{day}T10:00:00+04:00",
        "in UTC": f"{day}T06:00:00Z",
        "on the office's clock": f"{day}T10:00:00",
    }
    for counterpart, starts in meetings.items():
        meeting = {
            "official_level": "minister", "official_name": "Minister",
            "counterpart_type": "ambassador", "counterpart": counterpart,
            "counterpart_country": "JP", "starts_at": starts,
            "ends_at": starts.replace("T10:", "T11:").replace("T06:", "T07:"),
        }  # fmt: skip
        answer = await visits.client.post("/v1/meetings", json=meeting, headers=headers)
        assert answer.status_code == 201, answer.text

    feed = await visits.client.get("/v1/calendar.ics", headers=headers)

    assert b"BEGIN:VTIMEZONE" in feed.content and b"TZID:Asia/Tbilisi" in feed.content
    starts = _utc_starts(feed.content)
    tbilisi = ZoneInfo("Asia/Tbilisi")
    for counterpart in meetings:
        start = starts[f"Minister — {counterpart}"]
        assert start == datetime(day.year, day.month, day.day, 6, tzinfo=UTC)
        assert start.astimezone(tbilisi).hour == 10


async def test_the_calendar_in_georgian_with_business_trips_and_recent_past_items(visits):
    headers = auth()
    await _visit(
        visits.client, country_code="DE", title={"ka": "სახელმწიფო ვიზიტი", "en": "State visit"},
        start_date=str(TODAY - timedelta(days=10)), end_date=str(TODAY - timedelta(days=8)),
    )  # fmt: skip
    trip = {
        "traveller": "Nino Beridze", "unit": "International Relations",
        "destination_country": "BE", "destination_city": "Brussels",
        "purpose": {"en": "Working group", "ka": "სამუშაო ჯგუფი"},
        "start_date": str(TODAY + timedelta(days=10)), "end_date": str(TODAY + timedelta(12)),
        "funding": "ministry",
    }  # fmt: skip
    created = await visits.client.post("/v1/business-trips", json=trip, headers=headers)
    assert created.status_code == 201, created.text

    feed = await visits.client.get("/v1/calendar.ics", params={"lang": "ka"}, headers=headers)

    events = {str(e["summary"]): e for e in Calendar.from_ical(feed.content).walk("VEVENT")}
    assert set(events) == {
        "სახელმწიფო ვიზიტი (შემომავალი ვიზიტი)",
        "Nino Beridze — Brussels, ბელგია (მივლინება)",
    }
    visit = events["სახელმწიფო ვიზიტი (შემომავალი ვიზიტი)"]
    assert visit.decoded("dtstart") == TODAY - timedelta(days=10)  # the default window's past
    assert "გერმანია" in str(visit["location"])
    trip_event = events["Nino Beridze — Brussels, ბელგია (მივლინება)"]
    assert str(trip_event["status"]) == "TENTATIVE"  # requested, not yet approved
    assert "სამუშაო ჯგუფი" in str(trip_event["description"])


async def test_a_personal_calendar_key_reads_the_calendar_and_nothing_else_until_revoked(visits):
    headers = auth()
    await _visit(visits.client, our_lead_official="Minister", title={"en": "Minister's visit"})
    await _visit(visits.client, our_lead_official="Deputy", title={"en": "Deputy's visit"})
    key_id, key = await calendar_keys.issue(visits.db, "Minister's phone", official="Minister")
    _, everyone = await calendar_keys.issue(visits.db, "Protocol desk")

    mine = await visits.client.get(f"/calendar/{key}.ics", params={"lang": "en"})
    assert mine.status_code == 200 and mine.headers["content-type"].startswith("text/calendar")
    summaries = [str(e["summary"]) for e in Calendar.from_ical(mine.content).walk("VEVENT")]
    assert summaries == ["Minister's visit (incoming visit)"]
    desk = await visits.client.get(f"/calendar/{everyone}.ics")
    assert len(Calendar.from_ical(desk.content).walk("VEVENT")) == 2

    as_bearer = await visits.client.get("/v1/visits", headers={"Authorization": f"Bearer {key}"})
    assert as_bearer.status_code == 401  # a calendar key opens the calendar only
    guessed = await visits.client.get(f"/calendar/{calendar_keys.PREFIX}guessed.ics")
    assert guessed.status_code == 404

    listed = {k.key_id: k for k in await calendar_keys.listed(visits.db)}
    assert listed[key_id].last_used_at is not None and listed[key_id].official == "Minister"
    await calendar_keys.revoke(visits.db, key_id)
    assert (await visits.client.get(f"/calendar/{key}.ics")).status_code == 404
    assert (await visits.client.get(f"/calendar/{everyone}.ics")).status_code == 200
    with pytest.raises(NotFound):
        await calendar_keys.revoke(visits.db, key_id)  # once revoked, it stays revoked
    assert (await visits.client.get("/v1/calendar.ics", headers=headers)).status_code == 200


async def test_a_commitment_made_after_the_outcome_is_added_and_announced(visits):
    visit_id = await _visit(visits.client)
    base, headers = f"/v1/visits/{visit_id}", auth()
    later = {
        "text": {"ka": "", "en": "Send the draft memorandum"},
        "responsible_unit": "Legal Department",
        "deadline": str(TODAY + timedelta(days=30)),
    }
    early = await visits.client.post(f"{base}/outcome/follow-ups", json=later, headers=headers)
    assert early.status_code == 409 and "outcome first" in early.json()["detail"]

    head = {"name_latin": "Jean Dupont", "role": "head", "precedence": 1}
    assert (await visits.client.post(f"{base}/delegation", json=head, headers=headers)).is_success
    for to in ("planned", "confirmed", "in_progress"):
        moved = await visits.client.post(f"{base}/transitions", json={"to": to}, headers=headers)
        assert moved.status_code == 200, moved.text
    outcome = {
        "summary": {"en": "Agreed to cooperate"},
        "follow_ups": [{**later, "text": {"en": "Call"}}],
    }
    assert (await visits.client.post(f"{base}/outcome", json=outcome, headers=headers)).is_success

    added = await visits.client.post(f"{base}/outcome/follow-ups", json=later, headers=headers)
    assert added.status_code == 201, added.text
    assert added.json()["text"]["en"] == "Send the draft memorandum"
    assert added.headers["etag"]
    visit = (await visits.client.get(base, headers=headers)).json()
    assert [f["id"] for f in visit["outcome"]["follow_ups"]][-1] == added.json()["id"]
    committed = tables.outbox.c.event_type == "irp.visits.FollowUpCommitted.v1"
    assert await count_rows(visits.db, tables.outbox, committed) == 2
