"""What the visits service does, each step one transaction with its events."""

from __future__ import annotations

from datetime import date

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


async def transition_visit(
    session: AsyncSession,
    outbox: Outbox,
    visit_id: str,
    *,
    to: str,
    reason: str | None,
    expected_version: int | None,
    today: date,
) -> domain.Visit:
    repo = VisitRepository(session)
    visit = await repo.get(visit_id)
    check_expected_version(visit.version, expected_version)
    visit = await repo.save(domain.change_status(visit, to, reason, today))
    await outbox.add_pending(session, visit)
    return visit
