"""``Idempotency-Key`` for creating POSTs: a retry returns the first result.

The key and the response are stored in the same transaction as the creation,
so a retry after a lost response never creates twice.

A resource that can carry personal data gives ``replay``: then no body is stored at all, only
where the resource is, and a retry is rendered anew for the caller who sends it (masked or
audited by that caller's scopes, not by the first caller's).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Awaitable, Callable
from typing import Any

from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy import Column, DateTime, Integer, MetaData, String, Table, Text, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from shared.auth import Principal
from shared.db import Database, insert_row
from shared.envelope import utcnow
from shared.http.conditional import etag
from shared.http.problems import Problem

MAX_KEY_LENGTH = 200

Create = Callable[[AsyncSession], Awaitable[tuple[dict[str, Any], dict[str, str]]]]
# (session, the created resource's Location) → its body and headers as the caller now may see it
Replay = Callable[[AsyncSession, str], Awaitable[tuple[dict[str, Any], dict[str, str]]]]


def idempotency_table(metadata: MetaData) -> Table:
    return Table(
        "idempotency_keys",
        metadata,
        Column("principal", String(200), primary_key=True),
        Column("key", String(MAX_KEY_LENGTH), primary_key=True),
        Column("endpoint", String(200), nullable=False),
        Column("request_hash", String(64), nullable=False),
        Column("status_code", Integer, nullable=False),
        Column("response_body", Text, nullable=False),
        Column("response_headers", Text, nullable=False),
        Column("created_at", DateTime(timezone=True), nullable=False),
    )


def created(
    resource: BaseModel, location: str, version: int
) -> tuple[dict[str, Any], dict[str, str]]:
    """What a ``create`` callback returns: the body, and its ``Location`` and ``ETag``."""
    return resource.model_dump(mode="json"), {"ETag": etag(version), "Location": location}


def _request_hash(body: BaseModel) -> str:
    canonical = json.dumps(body.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


class IdempotentCreator:
    def __init__(self, db: Database, table: Table) -> None:
        self.db = db
        self.table = table

    async def create(
        self,
        *,
        principal: Principal,
        key: str | None,
        endpoint: str,
        body: BaseModel,
        create: Create,
        replay: Replay | None = None,
    ) -> JSONResponse:
        """Run ``create`` once per (caller, key); answer a retry with the stored response, or
        with what ``replay`` renders for the caller now."""
        if key is None:
            async with self.db.unit_of_work() as session:
                payload, headers = await create(session)
            return JSONResponse(payload, status_code=201, headers=headers)
        if not key or len(key) > MAX_KEY_LENGTH:
            raise Problem(400, "Invalid Idempotency-Key", f"1 to {MAX_KEY_LENGTH} characters")
        digest = _request_hash(body)
        try:
            async with self.db.unit_of_work() as session:
                answer = await self._replay(session, principal, key, endpoint, digest, replay)
                if answer is not None:
                    return answer
                payload, headers = await create(session)
                kept = {} if replay is not None else payload
                await self._remember(session, principal, key, endpoint, digest, kept, headers)
        except IntegrityError:
            # The same key raced in from a concurrent retry: answer with its result.
            async with self.db.unit_of_work() as session:
                answer = await self._replay(session, principal, key, endpoint, digest, replay)
            if answer is None:
                raise
            return answer
        return JSONResponse(payload, status_code=201, headers=headers)

    async def _replay(
        self,
        session: AsyncSession,
        principal: Principal,
        key: str,
        endpoint: str,
        digest: str,
        replay: Replay | None,
    ) -> JSONResponse | None:
        t = self.table
        row = (
            await session.execute(
                select(t).where(t.c.principal == principal.subject, t.c.key == key)
            )
        ).first()
        if row is None:
            return None
        if row.endpoint != endpoint or row.request_hash != digest:
            raise Problem(
                422,
                "Idempotency-Key reused",
                "this Idempotency-Key was already used with a different request",
            )
        headers = {**json.loads(row.response_headers), "Idempotent-Replayed": "true"}
        if replay is None:
            payload = json.loads(row.response_body)
        else:
            payload, now = await replay(session, headers["Location"])
            headers.update(now)
        return JSONResponse(payload, status_code=row.status_code, headers=headers)

    async def _remember(
        self,
        session: AsyncSession,
        principal: Principal,
        key: str,
        endpoint: str,
        digest: str,
        payload: dict[str, Any],
        headers: dict[str, str],
    ) -> None:
        await insert_row(
            session,
            self.table,
            {
                "principal": principal.subject,
                "key": key,
                "endpoint": endpoint,
                "request_hash": digest,
                "status_code": 201,
                "response_body": json.dumps(payload),
                "response_headers": json.dumps(headers),
                "created_at": utcnow(),
            },
        )
