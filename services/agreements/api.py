"""HTTP routes of the agreements service: agreements, obligations and their progress,
action plans, commissions."""

from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from fastapi import Depends, Header, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from sqlalchemy import or_, select

from services.agreements import commissions as cm
from services.agreements import importing, tables, usecases
from services.agreements import obligations as ob
from services.agreements.action_plans import ActionPlan
from services.agreements.commissions import Commission
from services.agreements.domain import Agreement, AgreementType, change_dates, move_agreement
from services.agreements.obligations import Obligation
from shared.app import ServiceContext, get_context
from shared.auth import Principal, require_scope
from shared.documents import change_document, create_document
from shared.errors import Conflict, RuleViolation
from shared.http.conditional import etag, expected_version
from shared.http.pagination import Page, PageRequest, page_request
from shared.http.resource import LifecycleResource, today
from shared.settings import load_settings
from shared.types import CountryCode, Day, StrictModel, TransitionRequest, input_model

READ_A, WRITE_A = require_scope("agreements:read"), require_scope("agreements:write")


def _now() -> datetime:
    return datetime.now(UTC)


# --- agreements ---


@lru_cache(maxsize=1)
def _expiry_window() -> int:
    return load_settings("agreements").expiry_window_days


class AgreementOut(Agreement):
    allowed_transitions: list[str]
    expiring_soon: bool = Field(description="in force, and its expiry or renewal date is near")


agreements = LifecycleResource(
    "agreements", "agreement", Agreement, tables.agreements, scope="agreements",
    exclude=("signed_on", "in_force_on", "ended_on", "step_dates"), transitions=False,
    output=AgreementOut,
    shown=lambda a: {"expiring_soon": a.is_expiring_soon(today(), _expiry_window())},
)  # fmt: skip


class DatedTransition(TransitionRequest):
    on: Day | None = Field(None, description="the date of the step; default today")


class AgreementDates(StrictModel):
    expires_on: Day | None = None
    renewal_due_on: Day | None = None
    in_force_on: Day | None = None


@agreements.router.get("", response_model=Page[AgreementOut])
async def list_agreements(
    agreement_type: AgreementType | None = None,
    status: str | None = Query(None, max_length=30),
    country: CountryCode | None = Query(None, description="a party"),
    expiring: bool = Query(False, description="only those whose expiry or renewal is near"),
    page: PageRequest = Depends(page_request),
    _: Principal = READ_A,
    ctx: ServiceContext = Depends(get_context),
) -> dict[str, Any]:
    t = tables.agreements
    query = select(t)
    if agreement_type:
        query = query.where(t.c.agreement_type == agreement_type)
    if status:
        query = query.where(t.c.status == status)
    if country:
        query = query.where(t.c.countries.contains(f"|{country}|"))
    if expiring:
        query = query.where(t.c.status.in_(["in_force", "suspended"]))
    async with ctx.db.unit_of_work(write=False) as session:
        items, cursor = await agreements.repo(session).page(query, page)
    if expiring:
        items = [a for a in items if a.is_expiring_soon(today(), _expiry_window())]
    return {"items": [agreements.out(a) for a in items], "next_cursor": cursor}


@agreements.router.post("/{aggregate_id}/transitions", response_model=agreements.output)
async def move_an_agreement(
    aggregate_id: str,
    body: DatedTransition,
    if_match: str | None = Header(None),
    _: Principal = WRITE_A,
    ctx: ServiceContext = Depends(get_context),
) -> JSONResponse:
    """The lifecycle, with the date of each step (signature, entry into force, expiry...)."""
    step = lambda a: move_agreement(a, body.to, body.reason, body.on or today())  # noqa: E731
    return agreements.respond(await agreements.change(ctx, aggregate_id, step, if_match))


@agreements.router.patch("/{aggregate_id}/dates", response_model=agreements.output)
async def set_agreement_dates(
    aggregate_id: str,
    body: AgreementDates,
    if_match: str | None = Header(None),
    _: Principal = WRITE_A,
    ctx: ServiceContext = Depends(get_context),
) -> JSONResponse:
    changes = {name: getattr(body, name) for name in body.model_fields_set}
    step = lambda a: change_dates(a, changes)  # noqa: E731
    return agreements.respond(await agreements.change(ctx, aggregate_id, step, if_match))


# --- obligations ---


def _obligation_view(o: Obligation) -> dict[str, Any]:
    latest = o.latest_approved()
    return {"overdue": o.is_overdue(today()), "latest_approved_percent": latest and latest.percent}


class ObligationOut(ob.Obligation):
    allowed_transitions: list[str]
    overdue: bool = Field(description="deadline passed, neither completed nor cancelled")
    latest_approved_percent: int | None = Field(description="from the latest approved progress")


obligations = LifecycleResource(
    "obligations", "obligation", Obligation, tables.obligations, scope="agreements",
    exclude=("progress",), output=ObligationOut, shown=_obligation_view,
)  # fmt: skip


@obligations.router.get("", response_model=Page[ObligationOut])
async def list_obligations(
    kind: ob.SourceKind | None = Query(None, description="cites a source of this kind"),
    status: str | None = Query(None, max_length=30),
    area: str | None = Query(None, max_length=200),
    lead_unit: str | None = Query(None, max_length=200, description="lead or supporting unit"),
    action_plan_id: str | None = Query(None, max_length=36),
    overdue: bool = Query(False),
    page: PageRequest = Depends(page_request),
    _: Principal = READ_A,
    ctx: ServiceContext = Depends(get_context),
) -> dict[str, Any]:
    t = tables.obligations
    query = select(t)
    if kind:
        query = query.where(t.c.kinds.contains(f"|{kind}|"))
    if status:
        query = query.where(t.c.status == status)
    if area:
        query = query.where(t.c.area == area)
    if lead_unit:
        query = query.where(or_(t.c.lead_unit == lead_unit, t.c.body.contains(lead_unit)))
    if action_plan_id:
        query = query.where(t.c.action_plan_id == action_plan_id)
    if overdue:
        query = query.where(t.c.deadline < today(), t.c.status.not_in(["completed", "cancelled"]))
    async with ctx.db.unit_of_work(write=False) as session:
        items, cursor = await obligations.repo(session).page(query, page)
    if lead_unit:  # the JSON match above is coarse: keep the real lead or supporting units
        items = [o for o in items if lead_unit in (o.lead_unit, *o.supporting_units)]
    return {"items": [obligations.out(o) for o in items], "next_cursor": cursor}


class ImportResult(BaseModel):
    rows: int
    created: int
    updated: int
    unchanged: int
    dry_run: bool


@obligations.router.post(
    "/import",
    response_model=ImportResult,
    openapi_extra={
        "requestBody": {
            "content": {"text/csv": {}, importing.XLSX: {}},
            "description": f"columns: {', '.join(importing.COLUMNS)}; at most "
            "IRP_MAX_IMPORT_BYTES (default 10 MiB)",
        }
    },
)
async def import_obligations(
    request: Request,
    action_plan_id: str | None = Query(None, max_length=36, description="measures of this plan"),
    dry_run: bool = Query(False, description="validate only"),
    _: Principal = WRITE_A,
    ctx: ServiceContext = Depends(get_context),
) -> ImportResult:
    """Measures or recommendations from a CSV or XLSX sheet: all rows valid, or none imported.

    Rows match existing obligations by ``ref``: importing the same file again changes nothing.
    """
    content = await request.body()  # at most IRP_MAX_IMPORT_BYTES: the body limit saw to it
    rows = importing.read_table(content, request.headers.get("content-type", ""))
    assert ctx.outbox is not None
    async with ctx.db.unit_of_work() as session:
        if action_plan_id:
            plan = await action_plans.repo(session).get(action_plan_id)
            if plan.status == "reported":
                raise Conflict("the action plan is reported: its measures are final")
        valid, errors = importing.to_obligations(
            rows, action_plan_id, "eu_action_plan" if action_plan_id else None
        )
        if errors:
            raise RuleViolation(
                f"{len({e.row for e in errors})} row(s) are invalid; nothing was imported",
                errors=[vars(e) for e in errors],
            )
        outcome = await usecases.import_obligations(
            session, ctx.outbox, [o for _, o in valid], action_plan_id
        )
        if dry_run:
            await session.rollback()
    return ImportResult(
        rows=len(valid),
        created=outcome["created"],
        updated=outcome["updated"],
        unchanged=outcome["unchanged"],
        dry_run=dry_run,
    )


ProgressIn = input_model(
    ob.Progress, exclude=("id", "status", "submitted_at", "decided_at", "decision_note")
)


@obligations.router.get("/{aggregate_id}/progress", response_model=list[ob.Progress])
async def list_progress(
    aggregate_id: str, _: Principal = READ_A, ctx: ServiceContext = Depends(get_context)
) -> list[ob.Progress]:
    async with ctx.db.unit_of_work(write=False) as session:
        return list((await obligations.repo(session).get(aggregate_id)).progress)


@obligations.router.post("/{aggregate_id}/progress", status_code=201, response_model=ob.Progress)
async def submit_progress(
    aggregate_id: str,
    body: ProgressIn,  # type: ignore[valid-type]
    if_match: str | None = Header(None),
    _: Principal = WRITE_A,
    ctx: ServiceContext = Depends(get_context),
) -> JSONResponse:
    report = ob.Progress.model_validate(dict(body))
    step = lambda o: ob.submit_progress(o, report, _now())  # noqa: E731
    changed = await obligations.change(ctx, aggregate_id, step, if_match)
    stored = next(p for p in changed.progress if p.id == report.id)
    return JSONResponse(
        stored.model_dump(mode="json"), 201, headers={"ETag": etag(changed.version)}
    )


@obligations.router.post(
    "/{aggregate_id}/progress/{progress_id}/transitions", response_model=ob.Progress
)
async def decide_progress(
    aggregate_id: str,
    progress_id: str,
    body: TransitionRequest,
    if_match: str | None = Header(None),
    _: Principal = WRITE_A,
    ctx: ServiceContext = Depends(get_context),
) -> JSONResponse:
    """``submitted → approved | returned`` (a return needs a reason); reports count approved."""
    step = lambda o: ob.decide_progress(o, progress_id, body.to, body.reason, _now())  # noqa: E731
    changed = await obligations.change(ctx, aggregate_id, step, if_match)
    decided = next(p for p in changed.progress if p.id == progress_id)
    return JSONResponse(decided.model_dump(mode="json"), headers={"ETag": etag(changed.version)})


# --- EU annual action plans ---

action_plans = LifecycleResource(
    "action-plans", "action plan", ActionPlan, tables.action_plans, scope="agreements"
)


@action_plans.router.get("", response_model=Page[action_plans.output])  # type: ignore[name-defined]
async def list_action_plans(
    year: int | None = Query(None, ge=2014, le=2100),
    page: PageRequest = Depends(page_request),
    _: Principal = READ_A,
    ctx: ServiceContext = Depends(get_context),
) -> dict[str, Any]:
    t = tables.action_plans
    query = select(t) if year is None else select(t).where(t.c.year == year)
    async with ctx.db.unit_of_work(write=False) as session:
        items, cursor = await action_plans.repo(session).page(query, page)
    return {"items": [action_plans.out(a) for a in items], "next_cursor": cursor}


# --- intergovernmental commissions ---

commissions = LifecycleResource(
    "commissions", "commission", Commission, tables.commissions, scope="agreements",
    exclude=("sessions",),
)  # fmt: skip

SessionIn = input_model(cm.Session, exclude=("protocol_status", "decisions"))
DecisionIn = input_model(cm.Decision, exclude=("id", "obligation_id"))


@commissions.router.get("", response_model=Page[commissions.output])  # type: ignore[name-defined]
async def list_commissions(
    country: CountryCode | None = None,
    page: PageRequest = Depends(page_request),
    _: Principal = READ_A,
    ctx: ServiceContext = Depends(get_context),
) -> dict[str, Any]:
    t = tables.commissions
    query = select(t) if country is None else select(t).where(t.c.partner_country == country)
    async with ctx.db.unit_of_work(write=False) as session:
        items, cursor = await commissions.repo(session).page(query, page)
    return {"items": [commissions.out(c) for c in items], "next_cursor": cursor}


@commissions.router.post(
    "/{aggregate_id}/sessions", status_code=201, response_model=commissions.output
)
async def hold_session(
    aggregate_id: str,
    body: SessionIn,  # type: ignore[valid-type]
    if_match: str | None = Header(None),
    _: Principal = WRITE_A,
    ctx: ServiceContext = Depends(get_context),
) -> JSONResponse:
    """Item 1 of every protocol after the first is the previous session's decisions."""
    session = cm.Session.model_validate(dict(body))
    step = lambda c: cm.hold_session(c, session)  # noqa: E731
    return commissions.respond(await commissions.change(ctx, aggregate_id, step, if_match), 201)


@commissions.router.post(
    "/{aggregate_id}/sessions/{number}/protocol/transitions", response_model=commissions.output
)
async def move_protocol(
    aggregate_id: str,
    number: int,
    body: TransitionRequest,
    if_match: str | None = Header(None),
    _: Principal = WRITE_A,
    ctx: ServiceContext = Depends(get_context),
) -> JSONResponse:
    """The session protocol: ``draft → agreed → signed``."""
    step = lambda c: cm.move_protocol(c, number, body.to)  # noqa: E731
    return commissions.respond(await commissions.change(ctx, aggregate_id, step, if_match))


@commissions.router.post(
    "/{aggregate_id}/sessions/{number}/decisions", status_code=201, response_model=ObligationOut
)
async def take_decision(
    aggregate_id: str,
    number: int,
    body: DecisionIn,  # type: ignore[valid-type]
    if_match: str | None = Header(None),
    _: Principal = WRITE_A,
    ctx: ServiceContext = Depends(get_context),
) -> JSONResponse:
    """The decision is recorded on the session and registered as an obligation."""
    decision = cm.Decision.model_validate(dict(body))
    created: list[Obligation] = []
    assert ctx.outbox is not None
    async with ctx.db.unit_of_work() as session:

        def step(c: Commission) -> Any:
            changed, events, obligation, obligation_events = cm.take_decision(c, number, decision)
            created.append((obligation, obligation_events))  # type: ignore[arg-type]
            return changed, events

        await change_document(
            session, ctx.outbox, commissions.repo(session), aggregate_id, step,
            expected_version(if_match),
        )  # fmt: skip
        obligation = await create_document(
            session,
            ctx.outbox,
            obligations.repo(session),
            created[0],  # type: ignore[arg-type]
        )
    return obligations.respond(obligation, 201)


routers = [agreements.router, obligations.router, action_plans.router, commissions.router]
