"""Reminders that reach the responsible unit, end to end over the real broker and a real SMTP
server: the owning services' sweeps run day by day; each unit gets one digest a day with
exactly its items (links, both languages), the head of a unit gets what stays overdue on the
right day, what is settled is not reminded of again, and nothing is sent twice."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime, time, timedelta
from email.message import EmailMessage
from typing import Any

from services.agreements import usecases as agreements_usecases
from services.notifications import usecases
from services.notifications.heads import DirectoryHeads
from services.notifications.mail import Mailer
from services.notifications.tables import inbox
from services.passports import usecases as passports_usecases
from services.reporting import tables as reporting_tables
from services.visits import usecases as visits_usecases
from shared.cldr import date_range
from shared.clock import fixed_at
from shared.mailserver import LocalMailServer
from shared.reminders import period_of
from tests.harness import (
    auth,
    count_rows,
    created,
    created_once_known,
    eventually,
    local_mail,
    remember_personal_data,
    running,
    settings_for,
)

D0 = datetime.now(UTC).date() + timedelta(days=1)
POLICY = {"ka": "პოლიტიკის დეპარტამენტი", "en": "Policy Department"}
PROTOCOL = {"ka": "პროტოკოლის დეპარტამენტი", "en": "Protocol Department"}
HOLDER = {"name_ka": "ნინო ბერიძე", "personal_number": "01024058811",
          "date_of_birth": "1979-05-14", "category": "deputy_minister"}  # fmt: skip
NUMBER = "DP5550123"
remember_personal_data(HOLDER["personal_number"], HOLDER["date_of_birth"], NUMBER)
RULES = {"deadline_notice_days": 14, "talking_points_notice_days": 3, "trip_report_days": 3,
         "escalate_after_days": 3, "digest_hour": 7, "run_schedules": False}  # fmt: skip


def _received(mail: LocalMailServer) -> dict[str, list[EmailMessage]]:
    by_recipient: dict[str, list[EmailMessage]] = defaultdict(list)
    for message in mail.messages():
        by_recipient[str(message["To"])].append(message)
    return by_recipient


async def test_each_unit_gets_its_digest_a_day_and_its_head_what_stays_overdue(
    databases, kafka, prefix, tmp_path
):
    mail = local_mail(tmp_path / "mail")

    def settings(service: str, url: str):  # type: ignore[no-untyped-def]
        return settings_for(service, url, kafka.bootstrap, prefix, smtp_port=mail.port, **RULES)

    names = ("directory", "agreements", "visits", "passports", "notifications", "reporting")
    urls = {s: await databases.new(s) for s in names}
    try:
        async with (
            running("directory", settings("directory", urls["directory"])) as directory,
            running("agreements", settings("agreements", urls["agreements"])) as agreements,
            running("visits", settings("visits", urls["visits"])) as visits,
            running("passports", settings("passports", urls["passports"])) as passports,
            running("reporting", settings("reporting", urls["reporting"])) as reporting,
        ):
            d, a, v, p = directory.client, agreements.client, visits.client, passports.client
            unit = {"kind": "department", "valid_from": "2019-07-01"}
            policy = await created(d, "/v1/units", {**unit, "name": POLICY,
                                    "notice_email": "policy@mfa.gov.ge"})  # fmt: skip
            protocol = await created(d, "/v1/units", {**unit, "name": PROTOCOL,
                                      "notice_email": "protocol@mfa.gov.ge"})  # fmt: skip
            await created(d, "/v1/posts", {
                "person_name_latin": "Tamar Kapanadze", "title": {"en": "Head of Department"},
                "unit_id": policy["id"], "heads_unit": True, "valid_from": "2024-01-01",
                "work_email": "t.kapanadze@mfa.gov.ge",
            })  # fmt: skip
            obligation = await created_once_known(a, "/v1/obligations", {
                "sources": [{"kind": "agreement_clause", "reference": "Art. 12"}],
                "title": {"ka": "კანონპროექტის მომზადება", "en": "Draft the law"},
                "lead_unit_id": policy["id"], "deadline": str(D0 + timedelta(days=5)),
                "external_ref": "12.1",
            })  # fmt: skip
            for day in (D0, D0 + timedelta(days=10)):  # its periods are reported: no asking
                report = {"period": period_of(day, "quarter").label, "percent": 10,
                          "narrative": {"en": "Begun"},
                          "reporting_unit_id": policy["id"]}  # fmt: skip
                answer = await a.post(f"/v1/obligations/{obligation['id']}/progress",
                                      json=report, headers=auth())  # fmt: skip
                assert answer.status_code in (201, 409), answer.text
            meeting = await created_once_known(v, "/v1/meetings", {
                "official_level": "minister", "official_name": "Minister",
                "counterpart_type": "ambassador", "counterpart": "Ambassador of Japan",
                "counterpart_country": "JP",
                "starts_at": f"{D0 + timedelta(days=8)}T10:00:00+04:00",
                "ends_at": f"{D0 + timedelta(days=8)}T11:00:00+04:00",
            })  # fmt: skip
            points = {"subject": "Education cooperation", "owner_unit_id": protocol["id"],
                      "due_date": str(D0 + timedelta(days=3))}  # fmt: skip
            asked = await v.post(f"/v1/meetings/{meeting['id']}/talking-points", json=points,
                                 headers=auth())  # fmt: skip
            assert asked.status_code in (200, 201), asked.text
            trip = await created_once_known(v, "/v1/business-trips", {
                "traveller": "Nino Beridze", "unit_id": protocol["id"],
                "destination_country": "BE", "purpose": {"en": "Working group"},
                "start_date": str(D0), "end_date": str(D0 + timedelta(days=1)),
                "funding": "ministry",
            })  # fmt: skip
            approved = await v.post(f"/v1/business-trips/{trip['id']}/transitions",
                                    json={"to": "approved"}, headers=auth())  # fmt: skip
            assert approved.status_code == 200, approved.text
            passport = await _expiring_passport(p, policy["id"])

            async with running(
                "notifications", settings("notifications", urls["notifications"])
            ) as notifications:
                ctx = notifications.ctx
                heads = DirectoryHeads(ctx.settings, client=d)
                for offset in range(10):
                    day = D0 + timedelta(days=offset)
                    await agreements_usecases.sweep_reminders(
                        agreements.ctx.writer, day, agreements.ctx.settings
                    )
                    await visits_usecases.sweep_reminders(
                        visits.ctx.writer, day, visits.ctx.settings
                    )
                    await passports_usecases.sweep_passports(passports.ctx.writer, day, 180)
                    if offset == 5:  # the talking points are approved: no more reminding
                        for to in ("drafted", "approved"):
                            moved = await v.post(
                                f"/v1/meetings/{meeting['id']}/talking-points/transitions",
                                json={"to": to}, headers=auth(),
                            )  # fmt: skip
                            assert moved.status_code == 200, moved.text
                    await _settled(directory, agreements, visits, passports,
                                   consumer=notifications, inbox=inbox)  # fmt: skip
                    at = datetime.combine(day, time(8), UTC)
                    await usecases.compose_messages(ctx.writer, at, ctx.settings, heads)
                    await usecases.send_pending(ctx.writer, Mailer(ctx.settings), at, ctx.settings)
                    again = await usecases.compose_messages(ctx.writer, at, ctx.settings, heads)
                    assert again == 0  # one digest a unit a day
                listed = await notifications.client.get(
                    "/v1/messages", params={"status": "sent"}, headers=auth("notifications:read")
                )
                await _settled(directory, agreements, visits, passports, notifications,
                               consumer=reporting, inbox=reporting_tables.inbox)  # fmt: skip
            with fixed_at(datetime.combine(D0 + timedelta(days=9), time(12), UTC)):
                office = await reporting.client.get(
                    "/v1/reports/reminders", params={"from": str(D0)}, headers=auth("reports:read")
                )
    finally:
        mail.stop()

    got = _received(mail)
    policy_mail, protocol_mail = got["policy@mfa.gov.ge"], got["protocol@mfa.gov.ge"]

    def lines(message: EmailMessage) -> list[str]:
        return [
            x.strip() for x in message.get_content().splitlines() if x.strip().startswith("- [")
        ]

    def english(message: EmailMessage) -> list[str]:
        return [x for x in lines(message) if x.startswith("- [due]") or x.startswith("- [overdue]")]

    # the lead unit: the deadline is near (day 0), then passed (day 6)
    expiry = _medium(D0 + timedelta(days=30))
    assert [english(m) for m in policy_mail] == [
        [
            f"- [due] deadline: Draft the law (12.1) — {_medium(D0 + timedelta(days=5))}",
            f"- [due] passport expiring: diplomatic passport — {expiry}",
        ],
        [f"- [overdue] deadline: Draft the law (12.1) — {_medium(D0 + timedelta(days=5))}"],
    ]
    assert f"/v1/obligations/{obligation['id']}" in policy_mail[0].get_content()
    # the unit writing the talking points and travelling: each fact once, on its day
    trip_dates = date_range(D0, D0 + timedelta(days=1), "en")
    assert [english(m) for m in protocol_mail] == [
        [f"- [due] talking points: Education cooperation — {_medium(D0 + timedelta(days=3))}"],
        [f"- [due] trip report: Belgium, {trip_dates} — {_medium(D0 + timedelta(days=4))}"],
        [f"- [overdue] talking points: Education cooperation — {_medium(D0 + timedelta(days=3))}"],
        [f"- [overdue] trip report: Belgium, {trip_dates} — {_medium(D0 + timedelta(days=4))}"],
    ]
    # the head of the lead unit: the deadline still overdue 3 days after it
    head_mail = got["t.kapanadze@mfa.gov.ge"]
    assert len(head_mail) == 1
    assert "Draft the law" in head_mail[0].get_content()
    assert len(got) == 3  # the protocol unit has no head in the directory: nothing escalated
    # Georgian reads as Georgian: the subject's encoded words and the body decode
    subject = str(policy_mail[0]["Subject"])
    assert subject.startswith("შეხსენებები / Reminders: პოლიტიკის დეპარტამენტი")
    assert "კანონპროექტის მომზადება" in policy_mail[0].get_content()
    assert listed.status_code == 200
    sent = listed.json()["items"]
    assert len(sent) == 7 and all(m["status"] == "sent" for m in sent)
    assert {m["recipient"] for m in sent if m["kind"] == "escalation"} == {None}  # personal data
    # no personal number, date of birth or passport number in any message as it was received
    kept = b"".join(path.read_bytes() for path in (tmp_path / "mail").glob("*.eml"))
    for value in (HOLDER["personal_number"], HOLDER["date_of_birth"], NUMBER, "ნინო ბერიძე"):
        assert value.encode() not in kept, value
    assert f"/v1/passports/{passport['id']}" in policy_mail[0].get_content()

    # the office's page shows the same: what is open on day 9, and all that was sent
    assert office.status_code == 200, office.text
    shown = office.json()
    assert [(r["unit"], r["what"], r["status"]) for r in shown["reminders"]] == [
        ("Protocol Department", "trip_report", "overdue"),
        ("Policy Department", "deadline", "overdue"),
        ("Policy Department", "passport_expiring", "due"),
    ]
    deadline = shown["reminders"][1]
    assert (deadline["reminded_on"], deadline["escalated_on"]) == (
        str(D0),
        str(D0 + timedelta(days=8)),
    )
    assert [(u["unit"], u["due"], u["overdue"], u["digests"], u["escalations"])
            for u in shown["by_unit"]] == [
        ("Policy Department", 1, 1, 2, 1), ("Protocol Department", 0, 1, 4, 0),
    ]  # fmt: skip
    assert len(shown["messages"]) == 7


def _medium(day: Any) -> str:
    from babel.dates import format_date

    return format_date(day, "medium", locale="en")


async def _settled(*producers: Any, consumer: Any, inbox: Any) -> None:
    """Every event the producers recorded so far has been handled by ``consumer``."""

    async def caught_up() -> bool:
        produced = 0
        for p in producers:
            produced += await count_rows(p.db, p.ctx.outbox.table)
        return await count_rows(consumer.db, inbox) >= produced

    await eventually(caught_up, timeout=60)


async def _expiring_passport(client: Any, unit_id: str) -> dict[str, Any]:
    """A deputy minister of ``unit_id`` with a diplomatic passport expiring in a month."""
    holder = await created_once_known(client, "/v1/holders", {**HOLDER, "unit_id": unit_id})
    passport = await created(
        client, "/v1/passports", {"holder_id": holder["id"], "passport_type": "diplomatic"}
    )
    base = f"/v1/passports/{passport['id']}"
    for to in ("approved", "submitted"):
        moved = await client.post(f"{base}/transitions", json={"to": to}, headers=auth())
        assert moved.status_code == 200, moved.text
    issue = {"number": NUMBER, "issued_on": str(D0 - timedelta(days=3600)),
             "expires_on": str(D0 + timedelta(days=30))}  # fmt: skip
    issued = await client.post(f"{base}/issue", json=issue, headers=auth())
    assert issued.status_code == 200, issued.text
    return passport
