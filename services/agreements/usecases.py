"""Steps of the agreements service that touch more than one aggregate or many at once."""

from __future__ import annotations

from collections import Counter

from sqlalchemy.ext.asyncio import AsyncSession

from services.agreements import tables
from services.agreements.obligations import CONTENT_FIELDS, Obligation, Source, revise
from shared.contracts.visits import FollowUpCommittedV1
from shared.documents import DocumentRepository, create_document, save_document
from shared.outbox import Outbox


def obligation_repo(session: AsyncSession) -> DocumentRepository[Obligation]:
    return DocumentRepository(session, tables.obligations, Obligation, "obligation")


async def import_obligations(
    session: AsyncSession,
    outbox: Outbox,
    rows: list[Obligation],
    action_plan_id: str | None,
) -> Counter[str]:
    """Create new rows, revise changed ones, leave identical ones alone."""
    repo = obligation_repo(session)
    t = tables.obligations
    plan = t.c.action_plan_id == action_plan_id if action_plan_id else t.c.action_plan_id.is_(None)
    refs = [o.external_ref for o in rows]
    existing = {o.external_ref: o for o in await repo.find(plan, t.c.external_ref.in_(refs))}
    outcome: Counter[str] = Counter()
    for row in rows:
        current = existing.get(row.external_ref)
        if current is None:
            await create_document(session, outbox, repo, (row, [row.event()]))
            outcome["created"] += 1
            continue
        revised, events = revise(current, {k: getattr(row, k) for k in CONTENT_FIELDS})
        if not events:
            outcome["unchanged"] += 1
            continue
        await save_document(session, outbox, repo, (revised, events), current.version)
        outcome["updated"] += 1
    return outcome


async def register_visit_commitment(
    session: AsyncSession, outbox: Outbox, commitment: FollowUpCommittedV1
) -> Obligation | None:
    """A visit's follow-up commitment becomes one obligation, however often it arrives."""
    repo = obligation_repo(session)
    if await repo.find(tables.obligations.c.origin_ref == commitment.commitment_id):
        return None
    counterpart = commitment.country_code or commitment.organisation or "counterpart"
    obligation = Obligation(
        sources=(
            Source(
                kind="visit_commitment",
                reference=f"{commitment.direction} visit {commitment.visit_id} ({counterpart})",
            ),
        ),
        title=commitment.text,
        lead_unit=commitment.responsible_unit,
        deadline=commitment.deadline,
        origin_ref=commitment.commitment_id,
        area="Visit follow-up",
    )
    return await create_document(session, outbox, repo, (obligation, [obligation.event()]))
