"""``/v1/obligations``: what the ministry must do, from whichever source; progress reports
and their approval; the import of the office's sheets."""

from __future__ import annotations

from typing import Any, Literal

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
from shared.http.examples import EXAMPLE_ID, EXAMPLE_MOMENT, OTHER_ID, examples, with_examples
from shared.http.openapi import REFERS
from shared.http.pagination import Page, PageRequest, page_request
from shared.http.resource import LifecycleResource
from shared.http.writes import ChangeRequest, change_request
from shared.types import TransitionRequest, input_model

CSV_EXAMPLE = (
    "ref,title_en,source_kind,source_reference,lead_unit,deadline\n"
    "AA-2.1,Adopt the national human rights strategy,eu_association_agenda,"
    "Association Agenda 2.1,Policy Department,2026-12-31\n"
)
READ, WRITE = require_scope("agreements:read"), change_request("agreements:write")


def _derived(o: Obligation) -> dict[str, Any]:
    latest = o.latest_approved()
    return {"overdue": o.is_overdue(today()), "latest_approved_percent": latest and latest.percent}


class ObligationOut(ob.Obligation):
    """An obligation as answered, with what follows from it today."""

    allowed_transitions: list[str] = Field(description="the statuses it may move to now")
    overdue: bool = Field(description="deadline passed, neither completed nor cancelled")
    latest_approved_percent: int | None = Field(description="from the latest approved progress")


EXAMPLE = {
    "sources": [
        {"kind": "eu_action_plan", "reference": "AP 2026 23.1.4"},
        {"kind": "upr_recommendation", "reference": "148.112"},
    ],
    "title": {
        "ka": "ადამიანის უფლებათა ეროვნული სტრატეგიის მიღება",
        "en": "Adopt the national human rights strategy",
    },
    "description": None,
    "area": "Chapter 23: Judiciary and fundamental rights",
    "lead_unit": "Policy Department",
    "lead_unit_id": EXAMPLE_ID,
    "supporting_units": ["Legal Department"],
    "supporting_unit_ids": [OTHER_ID],
    "deadline": "2026-12-31",
    "indicator": "the strategy adopted by government decree",
    "target": "adopted",
    "support_level": "supported",
    "action_plan_id": OTHER_ID,
    "external_ref": "23.1.4",
    "origin_ref": None,
}
obligations = LifecycleResource(
    "obligations", "obligation", Obligation, tables.obligations, scope="agreements",
    exclude=("progress",), output=ObligationOut, derived=_derived,
    directory=tables.directory, example=EXAMPLE,
    derived_example={"overdue": False, "latest_approved_percent": None},
)  # fmt: skip
router = obligations.router


@router.get("", response_model=Page[ObligationOut], summary="List obligations")
async def list_obligations(
    kind: ob.SourceKind | None = Query(None, description="cites a source of this kind"),
    status: str | None = Query(None, max_length=30, description="only in this status"),
    area: str | None = Query(None, max_length=200, description="only of this area (exact)"),
    lead_unit: str | None = Query(
        None, max_length=200, description="lead or supporting unit, by name (deprecated)"
    ),
    unit_id: str | None = Query(
        None, max_length=36, description="lead or supporting unit, by its id in the directory"
    ),
    action_plan_id: str | None = Query(None, max_length=36, description="measures of this plan"),
    overdue: bool = Query(False, description="only those past their deadline and not done"),
    page: PageRequest = Depends(page_request),
    _: Principal = READ,
    ctx: ServiceContext = Depends(get_context),
) -> dict[str, Any]:
    """Obligations in registration order, filtered by source kind, status, area, unit,
    action plan or being overdue today."""
    flt = ObligationFilter(
        kind, status, area, lead_unit, action_plan_id, today() if overdue else None, unit_id
    )
    async with ctx.db.unit_of_work(write=False) as session:
        items, cursor = await ObligationRepository(session).list(flt, page)
    return {"items": [obligations.out(o) for o in items], "next_cursor": cursor}


class ImportedRow(BaseModel):
    """What one row became."""

    row: int = Field(description="the row in the sheet (the header is row 1)")
    ref: str | None = Field(description="the row's ref")
    id: str | None = Field(description="the obligation's id; null for one a dry run would create")
    outcome: Literal["created", "updated", "unchanged"] = Field(description="what was done")


class ImportResult(BaseModel):
    """What an import did (or, with dry_run, would do)."""

    model_config = examples(
        {
            "rows": 2,
            "created": 1,
            "updated": 0,
            "unchanged": 1,
            "items": [
                {"row": 2, "ref": "23.1.4", "id": EXAMPLE_ID, "outcome": "created"},
                {"row": 3, "ref": "23.1.5", "id": OTHER_ID, "outcome": "unchanged"},
            ],
            "dry_run": False,
        }
    )

    rows: int = Field(description="rows read")
    created: int = Field(description="obligations created")
    updated: int = Field(description="obligations changed")
    unchanged: int = Field(description="rows identical to the obligation kept")
    items: list[ImportedRow] = Field(description="each row: its ref, the obligation, the outcome")
    dry_run: bool = Field(description="true when nothing was written")


@router.post(
    "/import",
    response_model=ImportResult,
    summary="Import obligations from a sheet",
    responses=REFERS,
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "text/csv": {
                    "schema": {"type": "string", "description": "UTF-8 CSV, a header row first"},
                    "example": CSV_EXAMPLE,
                },
                obligation_import.XLSX: {
                    "schema": {
                        "type": "string",
                        "format": "binary",
                        "description": "the first sheet, a header row first",
                    }
                },
            },
            "description": f"A sheet with a header row naming its columns, any of: "
            f"{', '.join(obligation_import.COLUMNS)}, and for a row that cites more sources "
            "source2_kind, source2_reference, source3_... (up to 20). Each row needs ref "
            "(matches the "
            "obligation on a later import), title_ka or title_en, source_reference with "
            "source_kind (which may be left out with action_plan_id) and lead_unit; dates as "
            "YYYY-MM-DD; supporting_units separated by ;. At most IRP_MAX_IMPORT_BYTES "
            "(default 10 MiB) "
            f"and {obligation_import.MAX_ROWS} rows.",
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
    items = [ImportedRow(**vars(item)) for item in outcome.items]
    return ImportResult(**{**vars(outcome), "items": items}, dry_run=dry_run)


PROGRESS_EXAMPLE = {
    "period": "2026-Q3",
    "percent": 60,
    "narrative": {"ka": "", "en": "The draft strategy went to public consultation."},
    "evidence": ["https://example.gov.ge/consultation/strategy-2026"],
    "reporting_unit": "Policy Department",
    "reporting_unit_id": EXAMPLE_ID,
}
ProgressIn = with_examples(
    input_model(
        ob.Progress, exclude=("id", "status", "submitted_at", "decided_at", "decision_note")
    ),
    PROGRESS_EXAMPLE,
)
with_examples(
    ob.Progress,
    {
        **PROGRESS_EXAMPLE,
        "id": EXAMPLE_ID,
        "status": "submitted",
        "submitted_at": EXAMPLE_MOMENT,
        "decided_at": None,
        "decision_note": None,
    },
)


@router.get(
    "/{obligation_id}/progress", response_model=list[ob.Progress], summary="List progress reports"
)
async def list_progress(
    obligation_id: str, _: Principal = READ, ctx: ServiceContext = Depends(get_context)
) -> list[ob.Progress]:
    """The obligation's progress reports, oldest first, whatever their status."""
    async with ctx.db.unit_of_work(write=False) as session:
        return list((await obligations.repo(session).get(obligation_id)).progress)


def _progress_response(obligation: Obligation, progress_id: str, status: int = 200) -> JSONResponse:
    report = next(p for p in obligation.progress if p.id == progress_id)
    return JSONResponse(
        report.model_dump(mode="json"), status, headers={"ETag": etag(obligation.version)}
    )


@router.post(
    "/{obligation_id}/progress",
    status_code=201,
    response_model=ob.Progress,
    summary="Submit a progress report",
)
async def submit_progress(
    obligation_id: str,
    body: ProgressIn,  # type: ignore[valid-type]
    request: ChangeRequest = WRITE,
) -> JSONResponse:
    """A unit reports on the obligation for a period; the office then approves or returns
    it. The answer's ETag is the obligation's new version."""
    report = await usecases.named(request.writer, ob.Progress.model_validate(dict(body)))
    changed = await obligations.change(request, obligation_id, ob.submit_progress, report, now())
    return _progress_response(changed, report.id, 201)


@router.post(
    "/{obligation_id}/progress/{progress_id}/transitions",
    response_model=ob.Progress,
    summary="Approve or return a progress report",
)
async def decide_progress(
    obligation_id: str,
    progress_id: str,
    body: TransitionRequest,
    request: ChangeRequest = WRITE,
) -> JSONResponse:
    """``submitted → approved | returned`` (a return needs a reason); reports count approved."""
    changed = await obligations.change(
        request, obligation_id, ob.decide_progress, progress_id, body.to, body.reason, now()
    )
    return _progress_response(changed, progress_id)
