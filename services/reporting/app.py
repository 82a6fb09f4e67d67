"""The reporting service application: ``uvicorn --factory services.reporting.app:create_app``."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from services.reporting import api, projections, snapshots, tables
from shared import topics
from shared.app import ServiceContext, ServiceSpec, create_service_app
from shared.consumer import EventConsumer
from shared.schedule import PeriodicTask
from shared.settings import ServiceSettings, load_settings

STREAMS = (topics.VISITS, topics.AGREEMENTS, topics.PASSPORTS)


def make_consumers(ctx: ServiceContext) -> list[EventConsumer]:
    return [ctx.consumer(topics=STREAMS, inbox=tables.inbox, apply=projections.apply_events)]


def make_schedules(ctx: ServiceContext) -> list[PeriodicTask]:
    s = ctx.settings
    folder = snapshots.folder_for(Path(s.effective_snapshot_dir))
    return [
        PeriodicTask(
            "projection-snapshots",
            s.snapshot_check_interval,
            lambda: snapshots.take_when_due(
                ctx.db, folder, s.snapshot_every_events, s.snapshot_keep
            ),
        )
    ]


SPEC = ServiceSpec(
    name="reporting",
    title="IRP reporting service",
    package=__package__,
    routers=[api.router],
    make_consumers=make_consumers,
    make_schedules=make_schedules,
)


def create_app(settings: ServiceSettings | None = None) -> FastAPI:
    return create_service_app(SPEC, settings or load_settings("reporting"))
