"""Events published by the notifications service on ``irp.notifications.events.v1``: what
was sent to whom (a unit's mailbox, its head, the office), never an address."""

from __future__ import annotations

from datetime import date

from pydantic import Field

from shared.contracts.base import EventData


class MessageSentV1(EventData):
    """The SMTP relay accepted a digest or an escalation."""

    event_type = "irp.notifications.MessageSent.v1"
    aggregate_type = "message"

    message_id: str
    unit_id: str | None = Field(None, description="the unit it was for; null: the office")
    kind: str = Field(description="digest or escalation")
    day: date
    recipient_kind: str = Field(description="unit_mailbox, unit_head or office_mailbox")
    items: list[str] = Field(description="the keys of the reminders it carried")
