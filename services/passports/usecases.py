"""What the passports service does, each step one transaction with its events."""

from __future__ import annotations

import logging

from sqlalchemy.ext.asyncio import AsyncSession

from services.passports import domain
from services.passports.repository import HolderRepository
from shared.outbox import Outbox

log = logging.getLogger(__name__)


async def register_holder(session: AsyncSession, outbox: Outbox, **fields: object) -> domain.Holder:
    holder = await HolderRepository(session).add(domain.register_holder(**fields))  # type: ignore[arg-type]
    await outbox.add_pending(session, holder)
    log.info("holder registered", extra={"holder_id": holder.id, "category": holder.category})
    return holder
