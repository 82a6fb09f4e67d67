"""Each service's Alembic history builds exactly the schema its tables declare."""

from __future__ import annotations

from importlib import import_module

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from shared.db import Database
from shared.migrations import upgrade_async
from shared.services import NAMES


@pytest.mark.parametrize("service", NAMES)
async def test_migrations_match_the_declared_tables(databases, service):
    url = await databases.new(service)
    await upgrade_async(service, url)
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
