"""``/v1/obligations``: what the ministry must do, from whichever source; progress reports
and their approval; the import of the office's sheets."""

from __future__ import annotations

from typing import Any

from fastapi import Depends, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from services.agreements import tables, usecases
from services.agreements.domain import obligation as ob
from services.agreements.domain import obligation_import
from services.agreements.domain.obligation import Obligation
from services.agreements.repository import ObligationFilter, ObligationRepository
from shared.app import ServiceContext, get_context
from shared.auth import Principal, require_scope
from shared.clock import now, today
from shared.http.conditional import etag
from shared.http.pagination import Page, PageRequest, page_request
from shared.http.resource import LifecycleResource
from shared.http.writes import ChangeRequest, change_request
from shared.types import TransitionRequest, input_model

READ, WRITE = require_scope("agreements:read"), change_request("agreements:write")


def _derived(o: Obligation) -> dict[str, Any]:
    latest = o.latest_approved()
    return {"overdue": o.is_overdue(today()), "latest_approved_percent": latest and latest.percent}


class ObligationOut(ob.Obligation):
    allowed_transitions: list[str]
    overdue: bool = Field(description="deadline passed, neither completed nor cancelled")
    latest_approved_percent: int | None = Field(description="from the latest approved progress")


obligations = LifecycleResource(
    "obligations", "obligation", Obligation, tables.obligations, scope="agreements",
    exclude=("progress",), output=ObligationOut, derived=_derived,
)  # fmt: skip
router = obligations.router


@router.get("", response_model=Page[ObligationOut])
async def list_obligations(
    kind: ob.SourceKind | None = Query(None, description="cites a source of this kind"),
    status: str | None = Query(None, max_length=30),
    area: str | None = Query(None, max_length=200),
    lead_unit: str | None = Query(None, max_length=200, description="lead or supporting unit"),
    action_plan_id: str | None = Query(None, max_length=36),
    overdue: bool = Query(False),
    page: PageRequest = Depends(page_request),
    _: Principal = READ,
    ctx: ServiceContext = Depends(get_context),
) -> dict[str, Any]:
    flt = ObligationFilter(
        kind, status, area, lead_unit, action_plan_id, today() if overdue else None
    )
    async with ctx.db.unit_of_work(write=False) as session:
        items, cursor = await ObligationRepository(session).list(flt, page)
    return {"items": [obligations.out(o) for o in items], "next_cursor": cursor}


class ImportResult(BaseModel):
    rows: int
    created: int
    updated: int
    unchanged: int
    dry_run: bool


@router.post(
    "/import",
    response_model=ImportResult,
    openapi_extra={
        "requestBody": {
            "content": {"text/csv": {}, obligation_import.XLSX: {}},
            "description": f"columns: {', '.join(obligation_import.COLUMNS)}; at most "
            "IRP_MAX_IMPORT_BYTES (default 10 MiB)",
        }
    },
)
async def import_obligations(
    request: Request,
    action_plan_id: str | None = Query(None, max_length=36, description="measures of this plan"),
    dry_run: bool = Query(False, description="validate only"),
    change: ChangeRequest = change_request("agreements:write", conditional=False),
) -> ImportResult:
    """Measures or recommendations from a CSV or XLSX sheet: all rows valid, or none imported.

    Rows match existing obligations by ``ref``: importing the same file again changes nothing.
    """
    content = await request.body()  # at most IRP_MAX_IMPORT_BYTES: the body limit saw to it
    table = obligation_import.read_table(content, request.headers.get("content-type", ""))
    outcome = await usecases.import_obligations(change.writer, table, action_plan_id, dry_run)
    return ImportResult(**vars(outcome), dry_run=dry_run)


ProgressIn = input_model(
    ob.Progress, exclude=("id", "status", "submitted_at", "decided_at", "decision_note")
)


@router.get("/{aggregate_id}/progress", response_model=list[ob.Progress])
async def list_progress(
    aggregate_id: str, _: Principal = READ, ctx: ServiceContext = Depends(get_context)
) -> list[ob.Progress]:
    async with ctx.db.unit_of_work(write=False) as session:
        return list((await obligations.repo(session).get(aggregate_id)).progress)


def _progress_response(obligation: Obligation, progress_id: str, status: int = 200) -> JSONResponse:
    report = next(p for p in obligation.progress if p.id == progress_id)
    return JSONResponse(
        report.model_dump(mode="json"), status, headers={"ETag": etag(obligation.version)}
    )


@router.post("/{aggregate_id}/progress", status_code=201, response_model=ob.Progress)
async def submit_progress(
    aggregate_id: str,
    body: ProgressIn,  # type: ignore[valid-type]
    request: ChangeRequest = WRITE,
) -> JSONResponse:
    report = ob.Progress.model_validate(dict(body))
    changed = await obligations.change(request, aggregate_id, ob.submit_progress, report, now())
    return _progress_response(changed, report.id, 201)


@router.post("/{aggregate_id}/progress/{progress_id}/transitions", response_model=ob.Progress)
async def decide_progress(
    aggregate_id: str,
    progress_id: str,
    body: TransitionRequest,
    request: ChangeRequest = WRITE,
) -> JSONResponse:
    """``submitted → approved | returned`` (a return needs a reason); reports count approved."""
    changed = await obligations.change(
        request, aggregate_id, ob.decide_progress, progress_id, body.to, body.reason, now()
    )
    return _progress_response(changed, progress_id)
