"""The directory's writes that span records: each opens its unit of work here."""

from __future__ import annotations

from datetime import date
from typing import Any

from services.directory import repository
from services.directory.domain import unit as domain
from services.directory.domain.post import Post
from services.directory.domain.unit import Unit
from shared import aggregates
from shared.documents import create_document, save_document
from shared.errors import NotFound, RuleViolation, check_expected_version
from shared.writes import UnitOfWork, Writer

MAX_DEPTH = 20  # no ministry nests units deeper; a longer chain is a cycle


async def check_parent(uow: UnitOfWork, unit: Unit) -> None:
    """A unit's parent is an active unit, and the unit is not among its own ancestors."""
    units, ancestor_id, depth = repository.units(uow.session), unit.parent_id, 0
    while ancestor_id is not None:
        try:
            ancestor = await units.get(ancestor_id)
        except NotFound as unknown:
            raise RuleViolation(unknown.detail) from None
        if depth == 0 and ancestor.status != "active":
            raise RuleViolation(f"the parent unit is {ancestor.status}")
        if ancestor.id == unit.id or depth > MAX_DEPTH:
            raise RuleViolation("a unit cannot be placed under itself or its own sub-units")
        ancestor_id, depth = ancestor.parent_id, depth + 1


async def change_unit(
    writer: Writer, unit_id: str, changes: dict[str, Any], on: date, expected: int | None
) -> Unit:
    """Its kind, parent or notice address, the parent checked in the same transaction."""
    async with writer.unit_of_work() as uow:
        units = repository.units(uow.session)
        current = await units.get(unit_id)
        check_expected_version(current.version, expected)
        changed = domain.change_unit(current, changes, on)
        await check_parent(uow, changed[0])
        return await save_document(uow, units, changed, current.version)


async def register_unit(uow: UnitOfWork, unit: Unit) -> Unit:
    await check_parent(uow, unit)
    return await create_document(uow, repository.units(uow.session), aggregates.create(unit))


async def merge_units(
    writer: Writer, unit_id: str, into_id: str, on: date, expected_version: int | None
) -> Unit:
    """``unit_id`` joins ``into_id`` from ``on``: one transaction, one event."""
    async with writer.unit_of_work() as uow:
        units = repository.units(uow.session)
        unit, into = await units.get(unit_id), await units.get(into_id)
        check_expected_version(unit.version, expected_version)
        return await save_document(uow, units, domain.merge_unit(unit, into, on), unit.version)


async def take_post(uow: UnitOfWork, post: Post) -> Post:
    """A post in a unit or an organisation the directory knows."""
    try:
        if post.unit_id is not None:
            await repository.units(uow.session).get(post.unit_id)
        if post.organisation_id is not None:
            await repository.counterparts(uow.session).get(post.organisation_id)
    except NotFound as unknown:
        raise RuleViolation(unknown.detail) from None
    return await create_document(uow, repository.posts(uow.session), aggregates.create(post))
