"""What the passports service does: each write one unit of work, the change and its events.

A write whose answer shows personal data to the caller records that read in the audit
log in the same transaction (``reader``: who is shown it, at which endpoint).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from services.passports import tables
from services.passports.domain import holder as holders
from services.passports.domain import passport as pp
from services.passports.repository import HolderRepository, passport_repository
from shared.documents import change_document, create_document, save_document
from shared.settings import ServiceSettings
from shared.writes import UnitOfWork, Writer

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Reader:
    """A caller shown personal data in an answer, and where: the read is audited."""

    subject: str
    endpoint: str


async def audit_holders(uow: UnitOfWork, reader: Reader | None, holder_ids: list[str]) -> None:
    if reader is not None and holder_ids:
        await HolderRepository(uow.session).audit_personal_data_read(
            reader.subject, holder_ids, reader.endpoint
        )


async def audit_passports(
    uow: UnitOfWork, reader: Reader | None, passports: list[pp.Passport]
) -> None:
    """Only passports with a number issued show personal data."""
    await audit_holders(uow, reader, sorted({p.holder_id for p in passports if p.number}))


async def register_holder(
    uow: UnitOfWork, fields: dict[str, Any], today: date, reader: Reader | None
) -> holders.Holder:
    """A new holder, in the unit of work of its idempotent creation; the unit checked
    against the directory's and named as the directory names it."""
    fields = await tables.directory.named(uow.session, holders.REFERENCES, fields)
    holder, events = holders.register_holder(**fields, today=today)
    holder = await HolderRepository(uow.session).add(holder)
    await uow.record(holder, events)
    await audit_holders(uow, reader, [holder.id])
    log.info("holder registered", extra={"holder_id": holder.id, "category": holder.category})
    return holder


async def request_passport(
    uow: UnitOfWork, settings: ServiceSettings, passport: pp.Passport
) -> pp.Passport:
    holder = await HolderRepository(uow.session).get(passport.holder_id)
    repo = passport_repository(uow.session)
    others = await repo.find(tables.passports.c.holder_id == holder.id)
    pp.check_request(
        passport, holder.category, holder.dismissed_on is not None, others,
        settings.passport_entitlements,
    )  # fmt: skip
    return await create_document(uow, repo, (passport, [passport.event()]))


async def issue_passport(
    writer: Writer,
    settings: ServiceSettings,
    passport_id: str,
    *,
    number: str,
    issued_on: date,
    expires_on: date,
    expected_version: int | None,
    reader: Reader | None,
) -> pp.Passport:
    """Issue it; the passport of the same type the holder had in hand is cancelled."""
    async with writer.unit_of_work() as uow:
        repo = passport_repository(uow.session)
        issued = await change_document(
            uow, repo, passport_id, pp.issue, number, issued_on, expires_on,
            settings.passport_max_validity_years, expected_version=expected_version,
        )  # fmt: skip
        t = tables.passports
        for old in await repo.find(
            t.c.holder_id == issued.holder_id, t.c.passport_type == issued.passport_type
        ):
            if old.id != issued.id and old.status in pp.VALID:
                await save_document(uow, repo, pp.supersede(old, issued.id), old.version)
        await audit_passports(uow, reader, [issued])
        return issued


async def move_passport(
    writer: Writer,
    passport_id: str,
    to: str,
    reason: str | None,
    *,
    on: date,
    today: date,
    expected_version: int | None,
    reader: Reader | None,
    trip: pp.Trip | None = None,
) -> pp.Passport:
    async with writer.unit_of_work() as uow:
        moved = await change_document(
            uow, passport_repository(uow.session), passport_id, pp.move, to, reason, on, today,
            trip, expected_version=expected_version,
        )  # fmt: skip
        await audit_passports(uow, reader, [moved])
        return moved


async def dismiss_holder(
    writer: Writer,
    settings: ServiceSettings,
    holder_id: str,
    on: date,
    return_within_days: int | None,
    reader: Reader | None,
) -> holders.Holder:
    """Every passport in hand falls due for return."""
    async with writer.unit_of_work() as uow:
        repo = HolderRepository(uow.session)
        holder = await repo.get(holder_id)
        dismissed, events = holders.dismiss(holder, on)
        saved = await repo.save(dismissed, previous_version=holder.version)
        await uow.record(saved, events)
        due_by = on + timedelta(days=return_within_days or settings.passport_return_days)
        passports = passport_repository(uow.session)
        for passport in await passports.find(tables.passports.c.holder_id == holder_id):
            if passport.status in pp.IN_HAND:
                changed = pp.make_return_due(passport, due_by)
                await save_document(uow, passports, changed, passport.version)
        await audit_holders(uow, reader, [saved.id])
        return saved


async def sweep_passports(writer: Writer, today: date, window: int) -> int:
    """Expired, expiring and overdue passports, each noticed once."""
    t = tables.passports
    changed = 0
    async with writer.unit_of_work() as uow:
        repo = passport_repository(uow.session)
        for passport in await repo.find(t.c.status.in_(["issued", "handed_over", "return_due"])):
            step = pp.sweep(passport, today, window)
            if step[1]:
                await save_document(uow, repo, step, passport.version)
                changed += 1
    return changed
