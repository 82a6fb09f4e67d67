"""Visits in the database: loading, saving with an optimistic version check, listing."""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from datetime import date
from typing import Any

from sqlalchemy import insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from services.visits.delegation import DelegationMember
from services.visits.domain import Visit
from services.visits.logistics import Accommodation, TravelSegment
from services.visits.outcome import Outcome
from services.visits.preparation import BilateralProposal, TalkingPoints
from services.visits.programme import ProgrammeItem
from services.visits.tables import visits
from shared.contracts.base import LocalizedText
from shared.envelope import as_utc, utcnow
from shared.errors import Conflict, NotFound
from shared.http.pagination import PageRequest, creation_order_page

_TEXT_FIELDS = ("title", "purpose")
# The parts of the aggregate kept together in the ``details`` document.
_PARTS = {
    "delegation": DelegationMember,
    "programme": ProgrammeItem,
    "accommodations": Accommodation,
    "travel": TravelSegment,
    "talking_points": TalkingPoints,
    "proposals": BilateralProposal,
}


def _to_row(visit: Visit) -> dict[str, object]:
    row = {f.name: getattr(visit, f.name) for f in fields(Visit) if f.name in visits.c}
    for name in _TEXT_FIELDS:
        value = getattr(visit, name)
        row[name] = value.model_dump() if value is not None else None
    details: dict[str, Any] = {
        part: [item.model_dump(mode="json") for item in getattr(visit, part)] for part in _PARTS
    }
    details["outcome"] = visit.outcome.model_dump(mode="json") if visit.outcome else None
    details["postponed_dates"] = (
        [d.isoformat() if d else None for d in visit.postponed_dates]
        if visit.postponed_dates
        else None
    )
    row["details"] = details
    return row


def _from_row(row) -> Visit:  # type: ignore[no-untyped-def]
    data = dict(row._mapping)
    for name in _TEXT_FIELDS:
        if data[name] is not None:
            data[name] = LocalizedText(**data[name])
    data["created_at"] = as_utc(data["created_at"])
    data["updated_at"] = as_utc(data["updated_at"])
    details = data.pop("details") or {}
    for part, model in _PARTS.items():
        data[part] = tuple(model.model_validate(item) for item in details.get(part, []))
    if details.get("outcome"):
        data["outcome"] = Outcome.model_validate(details["outcome"])
    if details.get("postponed_dates"):
        data["postponed_dates"] = tuple(
            date.fromisoformat(d) if d else None for d in details["postponed_dates"]
        )
    return Visit(**data)


@dataclass(frozen=True)
class VisitFilter:
    status: str | None = None
    direction: str | None = None
    kind: str | None = None
    country_code: str | None = None
    starts_from: date | None = None
    starts_to: date | None = None
    official: str | None = None


class VisitRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, visit_id: str) -> Visit:
        row = (await self.session.execute(select(visits).where(visits.c.id == visit_id))).first()
        if row is None:
            raise NotFound(f"no visit with id {visit_id}")
        return _from_row(row)

    async def add(self, visit: Visit) -> Visit:
        now = utcnow()
        visit = replace(visit, created_at=now, updated_at=now)
        await self.session.execute(insert(visits), _to_row(visit))
        return visit

    async def save(self, visit: Visit, previous_version: int) -> Visit:
        """Write a changed visit; fails if someone else changed it since ``previous_version``."""
        visit = replace(visit, updated_at=utcnow())
        row = _to_row(visit)
        del row["id"], row["created_at"]
        result = await self.session.execute(
            update(visits)
            .where(visits.c.id == visit.id, visits.c.version == previous_version)
            .values(**row)
        )
        if result.rowcount != 1:
            raise Conflict("the visit was changed concurrently; fetch it again")
        return visit

    async def open_outgoing(self) -> list[Visit]:
        """Outgoing visits still ahead or under way."""
        query = select(visits).where(
            visits.c.direction == "outgoing",
            visits.c.status.not_in(["cancelled", "completed", "reported"]),
        )
        return [_from_row(r) for r in await self.session.execute(query)]

    async def in_period(self, first: date, last: date) -> list[Visit]:
        """Visits that overlap the period, by start date."""
        query = (
            select(visits)
            .where(visits.c.start_date <= last, visits.c.end_date >= first)
            .order_by(visits.c.start_date, visits.c.id)
        )
        return [_from_row(r) for r in await self.session.execute(query)]

    async def list(self, flt: VisitFilter, page: PageRequest) -> tuple[list[Visit], str | None]:
        query = select(visits)
        for column, value in (
            (visits.c.status, flt.status),
            (visits.c.direction, flt.direction),
            (visits.c.kind, flt.kind),
            (visits.c.country_code, flt.country_code),
        ):
            if value is not None:
                query = query.where(column == value)
        if flt.official is not None:
            query = query.where(
                or_(
                    visits.c.our_lead_official == flt.official,
                    visits.c.counterpart_lead_official == flt.official,
                )
            )
        if flt.starts_from is not None:
            query = query.where(visits.c.start_date >= flt.starts_from)
        if flt.starts_to is not None:
            query = query.where(visits.c.start_date <= flt.starts_to)
        return await creation_order_page(self.session, query, visits, page, _from_row)
