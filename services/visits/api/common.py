"""What the visit routes share: one change to a visit, and the answer with its ``ETag``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi.responses import JSONResponse
from pydantic import BaseModel

from services.visits import usecases
from services.visits.domain.visit import Visit
from services.visits.repository import VisitRepository
from shared.aggregates import Changed
from shared.app import ServiceContext
from shared.http.conditional import etag
from shared.http.writes import ChangeRequest


async def change_visit(
    request: ChangeRequest, visit_id: str, step: Callable[..., Changed[Visit]], *args: Any
) -> Visit:
    """``step(visit, *args)`` as the request's change, honouring its ``If-Match``."""
    return await usecases.change_visit(
        request.writer, visit_id, step, *args,
        expected_version=request.expected_version,
        margin_days=request.ctx.settings.passport_validity_margin_days,
    )  # fmt: skip


async def load_visit(ctx: ServiceContext, visit_id: str) -> Visit:
    async with ctx.db.unit_of_work(write=False) as session:
        return await VisitRepository(session).get(visit_id)


def visit_response(body: BaseModel, visit: Visit, status: int = 200) -> JSONResponse:
    return JSONResponse(
        body.model_dump(mode="json"), status_code=status, headers={"ETag": etag(visit.version)}
    )
