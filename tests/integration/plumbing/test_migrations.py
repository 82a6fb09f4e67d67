"""Each service's Alembic history builds exactly the schema its tables declare."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime
from importlib import import_module

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import insert, select, text

from services import NAMES
from services.reporting import tables as reporting_tables
from shared.db import Database
from shared.migrations import upgrade, upgrade_async


@pytest.mark.parametrize("service", NAMES)
async def test_migrations_match_the_declared_tables(databases, service):
    url = await databases.new(service)
    await upgrade_async(f"services.{service}", url)
    metadata = import_module(f"services.{service}.tables").metadata
    db = Database(url)
    try:
        async with db.engine.connect() as conn:
            differences = await conn.run_sync(
                lambda sync: compare_metadata(MigrationContext.configure(sync), metadata)
            )
    finally:
        await db.dispose()
    assert differences == []


async def test_the_reporting_units_revision_fills_units_and_passports_from_the_history(databases):
    url = await databases.new("reporting")
    await asyncio.to_thread(upgrade, "services.reporting", url, "9e0fdf611546")  # before units
    db = Database(url)
    visit = {"visit_id": "v1", "direction": "incoming", "kind": "official", "status": "draft",
             "title": {"en": "Visit"}, "responsible_unit": "Protocol"}  # fmt: skip
    holder = {"holder_id": "h1", "category": "minister", "unit": "Cabinet"}
    passport = {"passport_id": "p1", "holder_id": "h1", "passport_type": "diplomatic"}
    history = [
        ("visits", "irp.visits.VisitCreated.v1", "v1", 1, visit),
        ("passports", "irp.passports.HolderRegistered.v1", "h1", 1, holder),
        ("passports", "irp.passports.PassportRequested.v1", "p1", 1,
         {**passport, "status": "requested"}),
        ("passports", "irp.passports.PassportIssued.v1", "p1", 2,
         {**passport, "status": "issued"}),
    ]  # fmt: skip
    moment = datetime(2026, 3, 4, 23, 30, tzinfo=UTC)
    try:
        async with db.unit_of_work() as session:
            await session.execute(
                insert(reporting_tables.events),
                [
                    {"event_id": f"e{i}", "stream": stream, "type": type_,
                     "aggregate_type": type_.split(".")[2], "aggregate_id": id_,
                     "aggregate_version": version, "occurred_at": moment,
                     "data": json.dumps({"data": data}), "applied_at": moment}
                    for i, (stream, type_, id_, version, data) in enumerate(history)
                ],
            )  # fmt: skip
            await session.execute(
                text(
                    "INSERT INTO visits (visit_id, direction, kind, status, version) "
                    "VALUES ('v1', 'incoming', 'official', 'draft', 1)"
                )
            )
            await session.execute(
                text(
                    "INSERT INTO obligations (obligation_id, version, status, kinds, sources, "
                    "title, lead_unit, supporting_units) VALUES ('o1', 1, 'not_started', "
                    "'|upr_recommendation|', :sources, '{}', 'Legal', '[]')"
                ),
                {"sources": json.dumps([{"kind": "upr_recommendation", "reference": "148.1"},
                                        {"kind": "un_treaty_body", "reference": "CAT 9"}])},
            )  # fmt: skip
        await upgrade_async("services.reporting", url)
        async with db.unit_of_work(write=False) as session:
            unit = (await session.execute(text("SELECT unit FROM visits"))).scalar_one()
            labels = (
                await session.execute(text("SELECT source_labels FROM obligations"))
            ).scalar_one()
            passports = (await session.execute(select(reporting_tables.passports))).all()
    finally:
        await db.dispose()
    assert unit == "Protocol"
    assert labels == "upr_recommendation 148.1\nun_treaty_body CAT 9"
    assert [(p.unit, p.status, p.issued_day, p.version) for p in passports] == [
        ("Cabinet", "issued", moment.date(), 2)
    ]
