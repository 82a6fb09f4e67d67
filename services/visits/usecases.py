"""What the visits service does, each step one transaction with its events."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.ext.asyncio import AsyncSession

from services.visits import domain
from services.visits.repository import VisitRepository
from shared.errors import check_expected_version
from shared.outbox import Outbox


async def register_visit(session: AsyncSession, outbox: Outbox, **fields: object) -> domain.Visit:
    visit = domain.register_visit(**fields)
    visit = await VisitRepository(session).add(visit)
    await outbox.add_pending(session, visit)
    return visit


async def change_visit(
    session: AsyncSession,
    outbox: Outbox,
    visit_id: str,
    change: Callable[[domain.Visit], domain.Visit],
    *,
    expected_version: int | None = None,
) -> domain.Visit:
    """Load the visit, apply one domain change, save it with its events."""
    repo = VisitRepository(session)
    visit = await repo.get(visit_id)
    check_expected_version(visit.version, expected_version)
    changed = change(visit)
    if changed is visit:
        return visit
    saved = await repo.save(changed, previous_version=visit.version)
    await outbox.add_pending(session, saved)
    return saved
