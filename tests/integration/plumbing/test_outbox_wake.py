"""The relay is woken when a transaction that wrote to its outbox commits: not before (the
row is not there for it yet), not for a rollback, and not by another service's outbox."""

from __future__ import annotations

import pytest
from sqlalchemy import MetaData

from shared.contracts.visits import VisitCancelledV1
from shared.db import Database
from shared.outbox import Outbox, outbox_table

metadata = MetaData()
table = outbox_table(metadata)
EVENT = VisitCancelledV1(
    visit_id="v1", from_status="planned", to_status="cancelled", direction="incoming"
)


async def woken(outbox: Outbox) -> bool:
    """Whether its relay would wake now (an outbox woken by a commit answers at once)."""
    return await outbox.wait_for_work(0.05)


async def test_only_a_committed_write_wakes_its_own_relay(databases):
    db = Database(await databases.new())
    async with db.engine.begin() as conn:
        await conn.run_sync(metadata.create_all)
    visits, other = Outbox("visits", table, "t.visits"), Outbox("agreements", table, "t.agr")
    try:
        with pytest.raises(RuntimeError):
            async with db.unit_of_work() as session:
                await visits.add(session, EVENT, aggregate_id="v1", aggregate_version=1)
                raise RuntimeError("the use case failed")
        assert not await woken(visits)

        async with db.unit_of_work() as session:
            await visits.add(session, EVENT, aggregate_id="v1", aggregate_version=1)
            await visits.add(session, EVENT, aggregate_id="v1", aggregate_version=2)
            assert not await woken(visits)  # not before the commit
        assert await woken(visits) and not await woken(other)
        assert not await woken(visits)  # the relay took the wake

        async with db.unit_of_work() as session:
            await other.add(session, EVENT, aggregate_id="v2", aggregate_version=1)
        assert await woken(other) and not await woken(visits)
    finally:
        await db.dispose()
