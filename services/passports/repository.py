"""The passports service's database: holders, passports, and the audit of personal-data reads."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from services.passports.domain.holder import Holder
from services.passports.domain.passport import Passport
from services.passports.tables import holders, passports, pii_reads
from shared.documents import DocumentRepository
from shared.envelope import as_utc, utcnow
from shared.errors import Conflict, NotFound
from shared.http.pagination import PageRequest, creation_order_page


def _from_row(row) -> Holder:  # type: ignore[no-untyped-def]
    data = dict(row._mapping)
    data["created_at"] = as_utc(data["created_at"])
    data["updated_at"] = as_utc(data["updated_at"])
    return Holder(**data)


class HolderRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, holder: Holder) -> Holder:
        now = utcnow()
        holder = holder.model_copy(update={"created_at": now, "updated_at": now})
        row = holder.model_dump()
        exists = await self.session.execute(
            select(holders.c.id).where(holders.c.personal_number == holder.personal_number)
        )
        if exists.first() is not None:
            raise Conflict("a holder with this personal number is already registered")
        try:
            async with self.session.begin_nested():
                await self.session.execute(insert(holders), row)
        except IntegrityError as exc:
            raise Conflict("a holder with this personal number is already registered") from exc
        return holder

    async def get(self, holder_id: str) -> Holder:
        row = (await self.session.execute(select(holders).where(holders.c.id == holder_id))).first()
        if row is None:
            raise NotFound(f"no holder with id {holder_id}")
        return _from_row(row)

    async def save(self, holder: Holder, previous_version: int) -> Holder:
        holder = holder.model_copy(update={"updated_at": utcnow()})
        row = holder.model_dump()
        del row["id"], row["created_at"]
        result = await self.session.execute(
            update(holders)
            .where(holders.c.id == holder.id, holders.c.version == previous_version)
            .values(**row)
        )
        if result.rowcount != 1:
            raise Conflict("the holder was changed concurrently; fetch it again")
        return holder

    async def list(
        self, *, category: str | None, unit: str | None, page: PageRequest
    ) -> tuple[list[Holder], str | None]:
        query = select(holders)
        if category is not None:
            query = query.where(holders.c.category == category)
        if unit is not None:
            query = query.where(holders.c.unit == unit)
        return await creation_order_page(self.session, query, holders, page, _from_row)

    async def audit_personal_data_read(
        self, subject: str, holder_ids: Sequence[str], endpoint: str
    ) -> None:
        if not holder_ids:
            return
        now = utcnow()
        await self.session.execute(
            insert(pii_reads),
            [
                {"subject": subject, "holder_id": h, "endpoint": endpoint, "read_at": now}
                for h in holder_ids
            ],
        )


def passport_repository(session: AsyncSession) -> DocumentRepository[Passport]:
    return DocumentRepository(session, passports, Passport, "passport")
