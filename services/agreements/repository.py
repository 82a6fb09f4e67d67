"""Agreements in the database."""

from __future__ import annotations

from dataclasses import asdict, replace

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.agreements.domain import Agreement
from services.agreements.tables import agreements
from shared.contracts.base import LocalizedText
from shared.envelope import as_utc, utcnow
from shared.http.pagination import PageRequest, creation_order_page


def _to_row(agreement: Agreement) -> dict[str, object]:
    row = asdict(agreement)
    row.pop("pending_events")
    row["title"] = agreement.title.model_dump()
    row["party_countries"] = list(agreement.party_countries)
    row["party_organisations"] = list(agreement.party_organisations)
    return row


def _from_row(row) -> Agreement:  # type: ignore[no-untyped-def]
    data = dict(row._mapping)
    data["title"] = LocalizedText(**data["title"])
    data["party_countries"] = tuple(data["party_countries"])
    data["party_organisations"] = tuple(data["party_organisations"])
    data["created_at"] = as_utc(data["created_at"])
    data["updated_at"] = as_utc(data["updated_at"])
    return Agreement(**data)


class AgreementRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, agreement: Agreement) -> Agreement:
        now = utcnow()
        agreement = replace(agreement, created_at=now, updated_at=now)
        await self.session.execute(insert(agreements), _to_row(agreement))
        return agreement

    async def list(
        self, *, agreement_type: str | None, status: str | None, page: PageRequest
    ) -> tuple[list[Agreement], str | None]:
        query = select(agreements)
        if agreement_type is not None:
            query = query.where(agreements.c.agreement_type == agreement_type)
        if status is not None:
            query = query.where(agreements.c.status == status)
        return await creation_order_page(self.session, query, agreements, page, _from_row)
