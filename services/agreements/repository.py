"""The agreements service's database: agreements, obligations, action plans and commissions,
each a document with the columns its lists filter on."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import String, cast, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.agreements import tables
from services.agreements.domain.action_plan import ActionPlan
from services.agreements.domain.agreement import Agreement
from services.agreements.domain.commission import Commission
from services.agreements.domain.obligation import Obligation
from shared.deadlines import OBLIGATION_DONE, overdue_condition
from shared.documents import DocumentRepository
from shared.http.pagination import PageRequest


def agreement_repository(session: AsyncSession) -> DocumentRepository[Agreement]:
    return DocumentRepository(session, tables.agreements, Agreement, "agreement")


def action_plan_repository(session: AsyncSession) -> DocumentRepository[ActionPlan]:
    return DocumentRepository(session, tables.action_plans, ActionPlan, "action plan")


def commission_repository(session: AsyncSession) -> DocumentRepository[Commission]:
    return DocumentRepository(session, tables.commissions, Commission, "commission")


@dataclass(frozen=True)
class ObligationFilter:
    kind: str | None = None
    status: str | None = None
    area: str | None = None
    lead_unit: str | None = None
    action_plan_id: str | None = None
    overdue_on: date | None = None
    unit_id: str | None = None


class ObligationRepository(DocumentRepository[Obligation]):
    def __init__(self, session: AsyncSession) -> None:
        super().__init__(session, tables.obligations, Obligation, "obligation")

    async def of_plan(self, action_plan_id: str | None, refs: list[str]) -> list[Obligation]:
        """The obligations with these external ``refs``, within the plan (or outside any)."""
        t = self.table
        plan = (
            t.c.action_plan_id == action_plan_id if action_plan_id else t.c.action_plan_id.is_(None)
        )
        return await self.find(plan, t.c.external_ref.in_(refs))

    async def from_origin(self, origin_ref: str) -> list[Obligation]:
        return await self.find(self.table.c.origin_ref == origin_ref)

    async def list(
        self, flt: ObligationFilter, page: PageRequest
    ) -> tuple[list[Obligation], str | None]:
        t = self.table
        query = select(t)
        if flt.kind:
            query = query.where(t.c.kinds.contains(f"|{flt.kind}|"))
        for column, value in (
            (t.c.status, flt.status),
            (t.c.area, flt.area),
            (t.c.action_plan_id, flt.action_plan_id),
        ):
            if value:
                query = query.where(column == value)
        if flt.lead_unit:
            query = query.where(
                or_(t.c.lead_unit == flt.lead_unit, t.c.body.contains(flt.lead_unit))
            )
        if flt.unit_id:
            query = query.where(cast(t.c.body, String).contains(f'"{flt.unit_id}"'))
        if flt.overdue_on is not None:
            query = query.where(
                overdue_condition(t.c.deadline, t.c.status, OBLIGATION_DONE, flt.overdue_on)
            )
        items, cursor = await self.page(query, page)
        if flt.lead_unit:  # the JSON match above is coarse: keep the real lead or supporting units
            items = [o for o in items if flt.lead_unit in (o.lead_unit, *o.supporting_units)]
        if flt.unit_id:
            items = [o for o in items if flt.unit_id in (o.lead_unit_id, *o.supporting_unit_ids)]
        return items, cursor


async def list_agreements(
    session: AsyncSession,
    page: PageRequest,
    *,
    agreement_type: str | None,
    status: str | None,
    country: str | None,
    in_force_only: bool,
) -> tuple[list[Agreement], str | None]:
    t = tables.agreements
    query = select(t)
    if agreement_type:
        query = query.where(t.c.agreement_type == agreement_type)
    if status:
        query = query.where(t.c.status == status)
    if country:
        query = query.where(t.c.countries.contains(f"|{country}|"))
    if in_force_only:
        query = query.where(t.c.status.in_(["in_force", "suspended"]))
    return await agreement_repository(session).page(query, page)


async def list_where(
    repo: DocumentRepository[Any], page: PageRequest, **equal: object
) -> tuple[list[Any], str | None]:
    """A page of ``repo``'s documents whose columns equal the given values (``None``: any)."""
    t = repo.table
    query = select(t)
    for name, value in equal.items():
        if value is not None:
            query = query.where(t.c[name] == value)
    return await repo.page(query, page)
