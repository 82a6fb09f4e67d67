"""What the passports service does, each step one transaction with its events."""

from __future__ import annotations

import logging
from datetime import date, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from services.passports import domain, tables
from services.passports import passports as pp
from services.passports.repository import HolderRepository
from shared.documents import DocumentRepository, create_document, save_document
from shared.errors import check_expected_version
from shared.outbox import Outbox
from shared.settings import ServiceSettings

log = logging.getLogger(__name__)


def passport_repo(session: AsyncSession) -> DocumentRepository[pp.Passport]:
    return DocumentRepository(session, tables.passports, pp.Passport, "passport")


async def register_holder(session: AsyncSession, outbox: Outbox, **fields: object) -> domain.Holder:
    holder = await HolderRepository(session).add(domain.register_holder(**fields))  # type: ignore[arg-type]
    await outbox.add_pending(session, holder)
    log.info("holder registered", extra={"holder_id": holder.id, "category": holder.category})
    return holder


async def _save_passport(
    session: AsyncSession, outbox: Outbox, change: tuple[pp.Passport, list], previous: int
) -> pp.Passport:
    return await save_document(session, outbox, passport_repo(session), change, previous)


async def request_passport(
    session: AsyncSession, outbox: Outbox, settings: ServiceSettings, passport: pp.Passport
) -> pp.Passport:
    holder = await HolderRepository(session).get(passport.holder_id)
    others = await passport_repo(session).find(tables.passports.c.holder_id == holder.id)
    pp.check_request(
        passport, holder.category, holder.dismissed_on is not None, others,
        settings.passport_entitlements,
    )  # fmt: skip
    return await create_document(
        session, outbox, passport_repo(session), (passport, [passport.event()])
    )


async def issue_passport(
    session: AsyncSession,
    outbox: Outbox,
    settings: ServiceSettings,
    passport_id: str,
    *,
    number: str,
    issued_on: date,
    expires_on: date,
    expected_version: int | None,
) -> pp.Passport:
    """Issue it; the passport of the same type the holder had in hand is cancelled."""
    repo = passport_repo(session)
    passport = await repo.get(passport_id)
    check_expected_version(passport.version, expected_version)
    issued = await _save_passport(
        session, outbox,
        pp.issue(passport, number, issued_on, expires_on, settings.passport_max_validity_years),
        passport.version,
    )  # fmt: skip
    t = tables.passports
    for old in await repo.find(
        t.c.holder_id == passport.holder_id, t.c.passport_type == passport.passport_type
    ):
        if old.id != issued.id and old.status in pp.IN_HAND:
            await _save_passport(session, outbox, pp.supersede(old, issued.id), old.version)
    return issued


async def dismiss_holder(
    session: AsyncSession,
    outbox: Outbox,
    settings: ServiceSettings,
    holder_id: str,
    on: date,
    return_within_days: int | None,
) -> tuple[domain.Holder, list[pp.Passport]]:
    """Every passport in hand falls due for return."""
    holders = HolderRepository(session)
    holder = await holders.get(holder_id)
    dismissed, events = domain.dismiss(holder, on)
    saved = await holders.save(dismissed, previous_version=holder.version)
    await outbox.add_all(session, events, aggregate_id=saved.id, last_version=saved.version)  # type: ignore[arg-type]
    due_by = on + timedelta(days=return_within_days or settings.passport_return_days)
    due = []
    for passport in await passport_repo(session).find(tables.passports.c.holder_id == holder_id):
        if passport.status in pp.IN_HAND:
            due.append(
                await _save_passport(
                    session, outbox, pp.make_return_due(passport, due_by), passport.version
                )
            )
    return saved, due


async def sweep_passports(session: AsyncSession, outbox: Outbox, today: date, window: int) -> int:
    """Expired, expiring and overdue passports, each noticed once."""
    t = tables.passports
    changed = 0
    for passport in await passport_repo(session).find(
        t.c.status.in_(["issued", "handed_over", "return_due"])
    ):
        step = pp.sweep(passport, today, window)
        if step[1]:
            await _save_passport(session, outbox, step, passport.version)
            changed += 1
    return changed
