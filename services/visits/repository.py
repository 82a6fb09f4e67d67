"""The visits service's database: visits (loaded, saved with an optimistic version check,
listed), meetings, international events and business trips, and its view of passports
(kept from the passports service's events, for trip readiness)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

from sqlalchemy import case, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from services.visits.domain.activity import Activity
from services.visits.domain.delegation import DelegationMember
from services.visits.domain.logistics import Accommodation, TravelSegment
from services.visits.domain.outcome import Outcome
from services.visits.domain.preparation import BilateralProposal, TalkingPoints
from services.visits.domain.programme import ProgrammeItem
from services.visits.domain.readiness import HolderPassport
from services.visits.domain.visit import Visit
from services.visits.tables import holder_passports, visits
from shared.consumer import ReceivedEvent
from shared.contracts.base import LocalizedText
from shared.db import insert_row, upsert
from shared.documents import DocumentRepository
from shared.envelope import as_utc, utcnow
from shared.errors import Conflict, NotFound
from shared.http.pagination import PageRequest, creation_order_page

A = TypeVar("A", bound=Activity)

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
    row = {name: getattr(visit, name) for name in Visit.model_fields if name in visits.c}
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
    responsible_unit_id: str | None = None
    organisation_id: str | None = None


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
        visit = visit.model_copy(update={"created_at": now, "updated_at": now})
        await insert_row(self.session, visits, _to_row(visit))
        return visit

    async def save(self, visit: Visit, previous_version: int) -> Visit:
        """Write a changed visit; fails if someone else changed it since ``previous_version``."""
        visit = visit.model_copy(update={"updated_at": utcnow()})
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

    async def with_talking_points(self, statuses: Iterable[str]) -> list[Visit]:
        """Visits in the statuses that have talking points, found in SQL: loading every
        planned visit to look for them held the writer for seconds at tens of thousands."""
        has_points = func.json_array_length(visits.c.details["talking_points"]) > 0
        query = select(visits).where(visits.c.status.in_(sorted(statuses)), has_points)
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
            (visits.c.responsible_unit_id, flt.responsible_unit_id),
            (visits.c.organisation_id, flt.organisation_id),
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


# --- meetings, international events, business trips ---


@dataclass(frozen=True)
class ActivityFilter:
    status: str | None = None
    official: str | None = None
    country_code: str | None = None
    starts_from: date | None = None
    starts_to: date | None = None


class ActivityRepository(DocumentRepository[A]):
    async def in_period(self, first: date, last: date) -> list[A]:
        t = self.table
        query = (
            select(t)
            .where(t.c.start_date <= last, t.c.end_date >= first)
            .order_by(t.c.start_date, t.c.id)
        )
        return [self.from_row(r) for r in await self.session.execute(query)]

    async def list(self, flt: ActivityFilter, page: PageRequest) -> tuple[list[A], str | None]:
        t = self.table
        query = select(t)
        for column, value in (
            (t.c.status, flt.status),
            (t.c.official, flt.official),
            (t.c.country_code, flt.country_code),
        ):
            if value is not None:
                query = query.where(column == value)
        if flt.starts_from is not None:
            query = query.where(t.c.start_date >= flt.starts_from)
        if flt.starts_to is not None:
            query = query.where(t.c.start_date <= flt.starts_to)
        return await self.page(query, page)


# --- the view of passports ---


async def passports_of(
    session: AsyncSession, holder_ids: Iterable[str]
) -> dict[str, list[HolderPassport]]:
    ids = list(holder_ids)
    if not ids:
        return {}
    t = holder_passports
    rows = await session.execute(
        select(t.c.passport_id, t.c.holder_id, t.c.passport_type, t.c.status, t.c.expires_on).where(
            t.c.holder_id.in_(ids)
        )
    )
    found: dict[str, list[HolderPassport]] = {}
    for r in rows:
        found.setdefault(r.holder_id, []).append(HolderPassport(*r))
    return found


async def record_passport_events(
    session: AsyncSession, events: Sequence[ReceivedEvent]
) -> set[str]:
    """Apply passport events (newest version wins); the holders whose passports changed."""
    latest: dict[str, dict[str, object]] = {}
    for e in events:
        data = e.envelope.data
        if e.envelope.aggregatetype != "passport" or "passport_id" not in data:
            continue
        row = {
            "passport_id": data["passport_id"],
            "holder_id": data["holder_id"],
            "passport_type": data["passport_type"],
            "status": data["status"],
            "expires_on": data.get("expires_on"),
            "version": e.envelope.aggregateversion,
        }
        known = latest.get(row["passport_id"])  # type: ignore[arg-type]
        if known is None or known["version"] < row["version"]:  # type: ignore[operator]
            latest[row["passport_id"]] = row  # type: ignore[index]
    if not latest:
        return set()
    for row in latest.values():
        if isinstance(row["expires_on"], str):
            row["expires_on"] = date.fromisoformat(row["expires_on"])
    t = holder_passports
    dialect = session.get_bind().dialect.name
    statement = upsert(
        dialect,
        t,
        ["passport_id"],
        lambda new: {
            c: _newer(t.c[c], new[c], t.c.version, new.version)
            for c in ("status", "expires_on", "version", "holder_id", "passport_type")
        },
    )
    await session.execute(statement, list(latest.values()))
    return {str(r["holder_id"]) for r in latest.values()}


def _newer(current, incoming, current_version, incoming_version):  # type: ignore[no-untyped-def]
    """Keep the stored value unless the incoming event is a newer version."""
    return case((incoming_version > current_version, incoming), else_=current)
