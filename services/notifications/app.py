"""The notifications service application:
``uvicorn --factory services.notifications.app:create_app``."""

from __future__ import annotations

from functools import partial

from fastapi import FastAPI

from services.notifications import consumers, tables, usecases
from services.notifications.api import messages
from services.notifications.heads import DirectoryHeads
from services.notifications.mail import Mailer
from shared import topics
from shared.app import ServiceContext, ServiceSpec, create_service_app
from shared.clock import now
from shared.observability import NOTIFICATION_FAILURES, NOTIFICATIONS_SENT
from shared.schedule import PeriodicTask
from shared.settings import ServiceSettings, load_settings


async def _compose(ctx: ServiceContext) -> int:
    """Today's digests and escalations, each made once."""
    heads = DirectoryHeads(ctx.settings, identity=ctx.identity)
    return await usecases.compose_messages(ctx.writer, now(), ctx.settings, heads)


async def _send(ctx: ServiceContext) -> int:
    """The messages due to be sent or retried."""
    return await usecases.send_pending(ctx.writer, Mailer(ctx.settings), now(), ctx.settings)


def make_schedules(ctx: ServiceContext) -> list[PeriodicTask]:
    for kind in ("digest", "escalation"):
        NOTIFICATIONS_SENT.labels(SPEC.name, kind)
    NOTIFICATION_FAILURES.labels(SPEC.name)
    interval = ctx.settings.notification_interval
    return [
        PeriodicTask("compose-messages", interval, partial(_compose, ctx)),
        PeriodicTask("send-messages", interval, partial(_send, ctx), first_after=interval / 2),
    ]


SPEC = ServiceSpec(
    name="notifications",
    title="IRP notifications service",
    description="Reminders that reach the responsible unit: every due or overdue fact the "
    "other services publish (obligations' deadlines and progress reports, agreements' expiry "
    "and renewal, talking points, trip reports, passports) becomes a reminder kept once; each "
    "unit gets one digest a day by e-mail at its notice mailbox, and its head a message for "
    "what stays overdue. Every message is made once and sent once (retried with backoff). "
    "Scope: notifications:read.",
    tags={"messages": "The messages made and sent, and the reminders they carry."},
    package=__package__,
    routers=[messages.router],
    outbox_table=tables.outbox,
    topic=topics.NOTIFICATIONS,
    make_consumers=consumers.make_consumers,
    make_schedules=make_schedules,
)


def create_app(settings: ServiceSettings | None = None) -> FastAPI:
    return create_service_app(SPEC, settings or load_settings("notifications"))
