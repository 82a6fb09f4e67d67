"""The baseline for API write throughput: a bare FastAPI route doing one single-row insert."""

from __future__ import annotations

import os
import uuid

from fastapi import FastAPI
from sqlalchemy import JSON, Column, String, Table, insert

from shared.db import Database, new_metadata

metadata = new_metadata()
rows = Table(
    "bare_visits",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("body", JSON, nullable=False),
)


def create_app() -> FastAPI:
    db = Database(os.environ["BARE_DATABASE_URL"])
    app = FastAPI()

    @app.on_event("startup")
    async def _create() -> None:
        async with db.engine.begin() as conn:
            await conn.run_sync(metadata.create_all)

    @app.get("/health/ready")
    async def ready() -> dict:
        return {"status": "ok"}

    @app.post("/v1/visits", status_code=201)
    async def create(body: dict) -> dict:
        row = {"id": str(uuid.uuid4()), "body": body}
        async with db.unit_of_work() as session:
            await session.execute(insert(rows).values(**row))
        return row

    return app
