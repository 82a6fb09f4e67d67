"""What the agreements service does, each step one transaction with its events."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from services.agreements import domain
from services.agreements.repository import AgreementRepository
from shared.outbox import Outbox


async def register_agreement(
    session: AsyncSession, outbox: Outbox, **fields: object
) -> domain.Agreement:
    agreement = await AgreementRepository(session).add(domain.register_agreement(**fields))
    await outbox.add_pending(session, agreement)
    return agreement
