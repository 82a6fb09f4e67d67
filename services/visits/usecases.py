"""What the visits service does, each step one transaction with its events."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from sqlalchemy.ext.asyncio import AsyncSession

from services.visits import domain, passport_view, readiness
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
    margin_days: int = 180,
) -> domain.Visit:
    """Load the visit, apply one domain change, save it with its events.

    An outgoing visit's trip readiness is reassessed with every change.
    """
    repo = VisitRepository(session)
    visit = await repo.get(visit_id)
    check_expected_version(visit.version, expected_version)
    changed = change(visit)
    if changed is visit:
        return visit
    holders = readiness.linked_holders(changed)
    if holders:
        passports = await passport_view.passports_of(session, holders)
        changed = readiness.assess(changed, passports, margin_days)
    saved = await repo.save(changed, previous_version=visit.version)
    await outbox.add_pending(session, saved)
    return saved


async def reassess_readiness(
    session: AsyncSession, outbox: Outbox, holder_ids: set[str], margin_days: int
) -> int:
    """After passport news: every open outgoing visit with a member linked to these holders."""
    repo = VisitRepository(session)
    passports = await passport_view.passports_of(session, holder_ids)
    changed = 0
    for visit in await repo.open_outgoing():
        linked = readiness.linked_holders(visit)
        if not linked & holder_ids:
            continue
        assessed = readiness.assess(
            replace(visit, pending_events=()),
            {**passports, **await passport_view.passports_of(session, linked - holder_ids)},
            margin_days,
        )
        if assessed is not visit and assessed.pending_events:
            saved = await repo.save(assessed, previous_version=visit.version)
            await outbox.add_pending(session, saved)
            changed += 1
    return changed
