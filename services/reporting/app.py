"""The reporting service application: ``uvicorn --factory services.reporting.app:create_app``."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from services.reporting import consumers
from services.reporting.api import reports
from services.reporting.history import snapshots
from services.reporting.office import pages
from services.reporting.reports import docx_document, trend
from shared.app import ServiceContext, ServiceSpec, create_service_app
from shared.clock import now
from shared.schedule import PeriodicTask
from shared.settings import ServiceSettings, load_settings


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
        ),
        PeriodicTask(
            "trend-points",
            s.trend_refresh_interval,
            lambda: trend.refresh(ctx.db, folder, now()),
            first_after=s.trend_refresh_delay,
        ),
    ]


SPEC = ServiceSpec(
    name="reporting",
    title="IRP reporting service",
    description="The office's reports, assembled from every service's events: the EU "
    "Association Agenda report, the UN obligations report, the activity report, country "
    "dossiers, commission reports, the year's trend and the reminders sent to the units, as "
    "JSON, CSV, XLSX, DOCX or PDF, now or as of a past moment. Scope: reports:read.",
    tags={
        "reports": "Each report as JSON (default) or a document for the Government, the EU "
        "and the UN (format=csv|xlsx|docx|pdf or Accept), in Georgian or English (lang).",
    },
    package=__package__,
    routers=[reports.router, pages.router],
    make_consumers=consumers.make_consumers,
    make_schedules=make_schedules,
)


def create_app(settings: ServiceSettings | None = None) -> FastAPI:
    settings = settings or load_settings("reporting")
    if settings.report_template:  # a template that cannot serve stops the start, not a download
        docx_document.check_template(Path(settings.report_template))
    return create_service_app(SPEC, settings)
