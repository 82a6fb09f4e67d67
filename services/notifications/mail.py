"""The messages as people read them, and how they leave: bilingual templates (Georgian, then
English) the office can edit, and SMTP to the ministry's relay (STARTTLS and credentials
from the settings)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path
from typing import Any

import aiosmtplib
from babel.dates import format_date
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from shared.clock import now
from shared.reminder_items import STAGE, WHAT
from shared.settings import ServiceSettings

SHIPPED = Path(__file__).parent / "templates"
LINKED_SERVICE = {
    "obligation": "agreements", "agreement": "agreements", "visit": "visits",
    "meeting": "visits", "business_trip": "visits", "passport": "passports",
}  # fmt: skip


@dataclass(frozen=True)
class Rendered:
    subject: str
    body: str


def _environment(settings: ServiceSettings) -> Environment:
    folders = [settings.notification_templates_dir] if settings.notification_templates_dir else []
    return Environment(
        loader=FileSystemLoader([*folders, str(SHIPPED)]),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        autoescape=False,  # plain text mail
    )


def render(
    kind: str, unit: str, items: list[Any], day: date, settings: ServiceSettings
) -> Rendered:
    """The digest or the escalation for ``unit``: its subject and body, in both languages."""
    shown = [_shown(i, settings) for i in items]
    values = {
        "unit": unit,
        "items": shown,
        "day_ka": format_date(day, "long", locale="ka"),
        "day_en": format_date(day, "long", locale="en"),
        "overdue": sum(1 for i in shown if i["stage"] == "overdue"),
        "escalate_after_days": settings.escalate_after_days,
    }
    template = _environment(settings).get_template(f"{kind}.txt.j2")
    text = template.render(**values)
    subject, _, body = text.partition("\n\n")
    return Rendered(subject.removeprefix("Subject: ").strip(), body)


def _shown(item: Any, settings: ServiceSettings) -> dict[str, Any]:
    base = settings.service_urls.get(LINKED_SERVICE.get(item["record_type"], ""), "")
    title = item["title"] or {}
    return {
        "what_ka": WHAT[item["what"]]["ka"], "what_en": WHAT[item["what"]]["en"],
        "stage": item["stage"],
        "stage_ka": STAGE[item["stage"]]["ka"], "stage_en": STAGE[item["stage"]]["en"],
        "title_ka": title.get("ka") or title.get("en") or "",
        "title_en": title.get("en") or title.get("ka") or "",
        "ref": item["ref"], "part": item["part"],
        "due_ka": format_date(item["due_on"], "medium", locale="ka"),
        "due_en": format_date(item["due_on"], "medium", locale="en"),
        "link": f"{base}{item['link']}",
    }  # fmt: skip


class Mailer:
    """Sends over SMTP as the settings say (the ministry's relay in production, the local
    server of ``make run`` and of the tests otherwise)."""

    def __init__(self, settings: ServiceSettings) -> None:
        self.settings = settings

    def message(self, rendered: Rendered, recipient: str, message_id: str) -> EmailMessage:
        s = self.settings
        mail = EmailMessage()
        mail["From"] = s.mail_from
        mail["To"] = recipient
        mail["Subject"] = rendered.subject
        mail["Date"] = format_datetime(now())
        # one id a message however often it is tried: a repeat is recognisable as such
        mail["Message-ID"] = make_msgid(idstring=message_id, domain=s.mail_from.split("@")[-1])
        mail["Auto-Submitted"] = "auto-generated"
        mail.set_content(rendered.body, charset="utf-8")
        return mail

    async def send(self, rendered: Rendered, recipient: str, message_id: str) -> None:
        s = self.settings
        await aiosmtplib.send(
            self.message(rendered, recipient, message_id),
            hostname=s.smtp_host,
            port=s.smtp_port,
            start_tls=s.smtp_starttls,
            username=s.smtp_username or None,
            password=s.smtp_password or None,
            timeout=s.smtp_timeout,
        )
