"""``/v1/reports``: every report, live or as of a past moment, in JSON or as a document."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AsyncExitStack, asynccontextmanager
from datetime import date, datetime, timedelta
from functools import partial
from pathlib import Path as FilePath
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Header, Path, Query, Request
from fastapi.responses import Response
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.reporting import tables
from services.reporting.api import examples  # noqa: F401  (the reports' examples in the OpenAPI document)
from services.reporting.history import replay, snapshots
from services.reporting.reports import (
    activity,
    commissions,
    dossiers,
    eu,
    formats,
    reminders,
    trend,
    un,
)
from services.reporting.reports.common import Lang
from services.reporting.reports.kept import EVERY_TABLE, KeptAnswer, KeptReports
from shared.app import ServiceContext, get_context
from shared.auth import Principal, require_scope
from shared.clock import now, today
from shared.db import Database
from shared.envelope import as_utc
from shared.errors import RuleViolation
from shared.http.conditional import none_match
from shared.http.openapi import REFERS
from shared.observability import REPORT_ANSWERS
from shared.touched import Touched, tables_touched
from shared.types import CountryCode, Day, Moment

router = APIRouter(prefix="/v1/reports", tags=["reports"])

MAX_PERIOD_DAYS = 3660
LANGUAGE = Query("en", description="ka (Georgian) or en (English): titles, statuses, headings")
YEAR = Query(ge=2014, le=2100, description="the action plan's year")


UNIT_PARAMETER = (
    "only this unit's share (as lead or supporting unit): its id in the directory, or a name it "
    "has had; a unit's work after a merger counts under the unit it joined, and each unit is "
    "named as on the report's day"
)


@router.get(
    "/freshness", response_model=activity.FreshnessReport, summary="How fresh the reports are"
)
async def freshness_report(
    _: Principal = require_scope("reports:read"),
    ctx: ServiceContext = Depends(get_context),
) -> activity.FreshnessReport:
    """Per event stream, the newest event the reports have applied and how long ago: what
    an integrating system checks before it trusts a figure."""
    async with ctx.db.unit_of_work(write=False) as session:
        return await activity.freshness(session)


@asynccontextmanager
async def _source(ctx: ServiceContext, moment: datetime | None) -> AsyncIterator[Database]:
    if moment is None:
        yield ctx.db
        return
    folder = snapshots.folder_for(FilePath(ctx.settings.effective_snapshot_dir))
    async with replay.as_of(ctx.db, moment, folder) as scratch:
        yield scratch


Builder = Callable[[AsyncSession], Awaitable[dict[str, Any]]]


class ReportRequest:
    """What every report request shares: who may read, the format, the moment (now, or a
    past one rebuilt from the kept history), and the version the client already holds."""

    def __init__(
        self,
        request: Request,
        as_of: Moment | None = Query(
            None,
            description="rebuild the report as it stood then (ISO 8601, e.g. 2026-06-30T12:00:00Z)",
        ),
        fmt: str | None = Query(None, alias="format", description="json, csv, xlsx, docx or pdf"),
        _: Principal = require_scope("reports:read"),
        ctx: ServiceContext = Depends(get_context),
        if_none_match: str | None = Header(
            None,
            description="the ETag of an answer the client holds: 304 while the report is "
            "still the same (every report but the trend, which is made anew each time)",
        ),
    ) -> None:
        self.format = formats.chosen_format(request, fmt)
        self.ctx = ctx
        self.template = FilePath(t) if (t := ctx.settings.report_template) else None
        self.moment = as_utc(as_of) if as_of else None
        # The report's day: the past moment's, or today.
        self.day: date = self.moment.date() if self.moment else today()
        self.kept = _kept_reports(request.app.state, ctx.settings.report_cache_mb)
        self.held = if_none_match
        self.asked = (request.url.path, tuple(sorted(request.query_params.multi_items())))
        # The report's route (/commissions/{commission_id}): what its tables are learned by.
        self.report: str = getattr(request.scope.get("route"), "path", request.url.path)

    async def answer(self, model: type[Any], build: Builder) -> Response:
        """Every report the same way: live or as of the moment, stating what it includes, in
        the chosen format, named by the report (its ``filename()``); answered from memory,
        or with 304, while the tables it is made from have not changed since it was made."""
        if self.moment is None:
            return await self._live(model, build)
        return await self._as_of(self.moment, model, build)

    async def _live(self, model: type[Any], build: Builder) -> Response:
        async with AsyncExitStack() as reading:
            session = await reading.enter_async_context(
                self.ctx.db.unit_of_work(write=False, consistent=True)
            )
            known = self.kept.reads_of(self.report)
            tag = await self._tag(session, known) if known is not None else None
            if tag is not None and (early := await self._early(tag)) is not None:
                return early
            with self.kept.making(tag):
                with tables_touched(session) as touched:
                    body = await build(session)
                read = self.kept.learn(self.report, _read_by(touched))
                if tag is None or read != known:  # its tables, as now learned
                    tag = await self._tag(session, read)
                includes = _includes(await _positions(session))
                await reading.aclose()  # the read transaction ends before the rendering
                return self._made(model(**body, as_of=None, includes_events_until=includes), tag)

    async def _as_of(self, moment: datetime, model: type[Any], build: Builder) -> Response:
        async with self.ctx.db.unit_of_work(write=False, consistent=True) as session:
            tag = await self._tag(session, HISTORY)
        if (early := await self._early(tag)) is not None:
            return early
        with self.kept.making(tag):
            async with (
                _source(self.ctx, moment) as db,
                db.unit_of_work(write=False, consistent=True) as session,
            ):
                body = await build(session)
                includes = _includes(await _positions(session))
            return self._made(model(**body, as_of=moment, includes_events_until=includes), tag)

    def _made(self, report: Any, tag: str) -> Response:
        response = formats.render(report, self.format, report.filename(), self.template)
        self.kept.keep(tag, _kept_answer(response))
        REPORT_ANSWERS.labels("reporting", "made").inc()
        response.headers.update(_validators(tag))
        return response

    async def _tag(self, session: AsyncSession, read: frozenset[str]) -> str:
        versions = await _versions(session, read)
        return self.kept.tag((*self.asked, self.format, self.day, self.moment, versions))

    async def _early(self, tag: str) -> Response | None:
        """The answer without making the report: 304 if the client holds it, else the
        kept one, if any, or the one being made now for another request."""
        early = self._answered(tag)
        while early is None and await self.kept.made_meanwhile(tag):
            early = self._answered(tag)  # none if that making failed: wait for the next
        return early

    def _answered(self, tag: str) -> Response | None:
        if none_match(self.held, tag):
            REPORT_ANSWERS.labels("reporting", "not_modified").inc()
            return Response(status_code=304, headers=_validators(tag))
        kept = self.kept.get(tag)
        if kept is None:
            return None
        REPORT_ANSWERS.labels("reporting", "kept").inc()
        headers = {**kept.headers, **_validators(tag)}
        return Response(kept.body, media_type=kept.media_type, headers=headers)


# A report as of a past moment is made from the kept history (and the snapshots taken of it).
HISTORY = frozenset({tables.events.name})


def _read_by(touched: Touched) -> set[str]:
    return touched.read | {EVERY_TABLE} if touched.opaque else touched.read


async def _versions(session: AsyncSession, read: frozenset[str]) -> tuple[tuple[str, str], ...]:
    """The tokens of the tables ``read`` (a table no batch has written has none yet)."""
    t = tables.table_versions
    query = select(t.c.name, t.c.version).order_by(t.c.name)
    if EVERY_TABLE not in read:
        query = query.where(t.c.name.in_(sorted(read)))
    return tuple((name, version) for name, version in await session.execute(query))


def _kept_reports(state: Any, megabytes: int) -> KeptReports:
    """The process's kept answers (one per application)."""
    if not hasattr(state, "kept_reports"):
        state.kept_reports = KeptReports(megabytes * 2**20)
    return state.kept_reports  # type: ignore[no-any-return]


for _answer in ("made", "kept", "not_modified"):  # each series there at zero from the start
    REPORT_ANSWERS.labels("reporting", _answer)


def _validators(tag: str) -> dict[str, str]:
    # A client may keep the answer and must ask again, with If-None-Match, before using it.
    return {"ETag": tag, "Cache-Control": "private, no-cache", "Vary": "Accept, Authorization"}


def _kept_answer(response: Response) -> KeptAnswer:
    disposition = response.headers.get("content-disposition")
    return KeptAnswer(
        bytes(response.body),
        response.media_type or formats.MEDIA["json"],
        {"Content-Disposition": disposition} if disposition else {},
    )


# Every report answers in JSON or as a document (format=, or the Accept header).
AS_DOCUMENTS: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The report: JSON by default; with format (or Accept) a CSV table, an "
        "XLSX workbook, a DOCX document or a PDF, named in Content-Disposition.",
        "headers": {
            "ETag": {
                "description": "this answer's version: the same while no event changes what "
                "the report is made of (ask with If-None-Match)",
                "schema": {"type": "string"},
            }
        },
        "content": {
            media: {
                "schema": {
                    "type": "string",
                    **({} if name == "csv" else {"format": "binary"}),
                    "description": f"the report as {name.upper()}",
                }
            }
            for name, media in formats.MEDIA.items()
            if name != "json"
        },
    },
    304: {"description": "Not Modified: the answer named by If-None-Match is still the report"},
}


# The trend is made anew each time (its running month is as of now): no tag.
MADE_ANEW = {200: {k: v for k, v in AS_DOCUMENTS[200].items() if k != "headers"}}

Positions = tuple[tuple[str, int, str, datetime], ...]


async def _positions(session: AsyncSession) -> Positions:
    """How far each stream is applied: what the projections are made of."""
    t = tables.stream_positions
    columns = (t.c.stream, t.c.events_applied, t.c.last_event_id, t.c.last_event_time)
    rows = await session.execute(select(*columns).order_by(t.c.stream))
    return tuple((s, n, last, as_utc(moment)) for s, n, last, moment in rows)


def _includes(positions: Positions) -> dict[str, datetime]:
    return {stream: moment for stream, _, _, moment in positions}


@router.get(
    "/activity",
    summary="Activity report",
    response_model=activity.ActivityReport,
    responses=AS_DOCUMENTS,
)
async def activity_report(
    period_from: Day = Query(alias="from", description="first day, inclusive (UTC)"),
    period_to: Day = Query(alias="to", description="last day, inclusive (UTC)"),
    unit: str | None = Query(None, max_length=200, description=UNIT_PARAMETER),
    lang: Lang = LANGUAGE,
    r: ReportRequest = Depends(),
) -> Response:
    """Visits, meetings, events, trips, agreements and passports in the period."""
    if period_to < period_from:
        raise RuleViolation("'to' is before 'from'")
    if (period_to - period_from).days > MAX_PERIOD_DAYS:
        raise RuleViolation(f"a period is at most {MAX_PERIOD_DAYS} days")
    build = partial(
        activity.activity, period_from=period_from, period_to=period_to, unit=unit, lang=lang,
        now=r.moment,
    )  # fmt: skip
    return await r.answer(activity.ActivityReport, build)


@router.get(
    "/eu-association",
    summary="EU Association Agenda report",
    response_model=eu.EuReport,
    responses={**AS_DOCUMENTS, **REFERS},
)
async def eu_association_report(
    year: int = YEAR,
    unit: str | None = Query(None, max_length=200, description=UNIT_PARAMETER),
    lang: Lang = LANGUAGE,
    r: ReportRequest = Depends(),
) -> Response:
    """The year's Action Plan: measures by status, % implemented per chapter, per unit and
    overall (the year and cumulative), overdue measures, latest approved narratives."""
    build = partial(eu.eu_association, year=year, lang=lang, on=r.day, unit=unit)
    return await r.answer(eu.EuReport, build)


@router.get(
    "/un-obligations",
    summary="UN obligations report",
    response_model=un.UnReport,
    responses=AS_DOCUMENTS,
)
async def un_obligations_report(
    mechanism: Literal["un_hrc_resolution", "upr_recommendation", "un_treaty_body"] | None = Query(
        None, description="only this UN mechanism's obligations"
    ),
    support_level: Literal["supported", "supported_in_part", "noted"] | None = Query(
        None, description="only recommendations Georgia answered so"
    ),
    period_from: Day | None = Query(None, alias="from", description="deadline on or after"),
    period_to: Day | None = Query(None, alias="to", description="deadline on or before"),
    unit: str | None = Query(None, max_length=200, description=UNIT_PARAMETER),
    lang: Lang = LANGUAGE,
    r: ReportRequest = Depends(),
) -> Response:
    """By mechanism and support level: status, latest approved progress, overdue items."""
    build = partial(
        un.un_obligations, lang=lang, on=r.day, unit=unit, mechanism=mechanism,
        support_level=support_level, first=period_from, last=period_to,
    )  # fmt: skip
    return await r.answer(un.UnReport, build)


@router.get(
    "/commissions/{commission_id}",
    summary="Commission report",
    response_model=commissions.CommissionReport,
    responses=AS_DOCUMENTS,
)
async def commission_report(
    commission_id: str,
    session_number: int | None = Query(None, alias="session", ge=1, description="default: latest"),
    unit: str | None = Query(None, max_length=200, description=UNIT_PARAMETER),
    lang: Lang = LANGUAGE,
    r: ReportRequest = Depends(),
) -> Response:
    """Item 1 of the session's protocol (the previous session's decisions and their status)
    and the decisions the session itself took, numbered session.decision: a session's own
    decisions are reported without waiting for the next session."""
    build = partial(
        commissions.commission, commission_id=commission_id, number=session_number, lang=lang,
        on=r.day, unit=unit,
    )  # fmt: skip
    return await r.answer(commissions.CommissionReport, build)


@router.get(
    "/trend",
    summary="Implementation trend",
    response_model=trend.TrendReport,
    responses=MADE_ANEW,
)
async def trend_report(
    year: int = YEAR,
    unit: str | None = Query(None, max_length=200, description=UNIT_PARAMETER),
    lang: Lang = LANGUAGE,
    r: ReportRequest = Depends(),
) -> Response:
    """The EU action plan's and the UN obligations' implementation at the end of each month
    of the year so far (``as_of``: up to that moment), each rebuilt from the kept history
    once and kept until an event that occurred by the month's end arrives late."""
    folder = snapshots.folder_for(FilePath(r.ctx.settings.effective_snapshot_dir))
    until = r.moment or now()
    body = await trend.trend(
        r.ctx.db, folder, year, lang, unit, until, until_is_now=r.moment is None
    )
    async with r.ctx.db.unit_of_work(write=False) as session:
        includes = _includes(await _positions(session))
    report = trend.TrendReport(**body, as_of=r.moment, includes_events_until=includes)
    return formats.render(report, r.format, report.filename(), r.template)


@router.get(
    "/countries/{code}",
    summary="Country dossier",
    response_model=dossiers.CountryDossier,
    responses=AS_DOCUMENTS,
)
async def country_dossier(
    code: Annotated[CountryCode, Path(description="the country, ISO 3166-1 alpha-2")],
    period_from: Day | None = Query(None, alias="from", description="dated on or after"),
    period_to: Day | None = Query(None, alias="to", description="dated on or before"),
    unit: str | None = Query(None, max_length=200, description=UNIT_PARAMETER),
    lang: Lang = LANGUAGE,
    r: ReportRequest = Depends(),
) -> Response:
    """Every visit, meeting, event, trip, agreement and obligation involving the country."""
    build = partial(
        dossiers.country, code=code, lang=lang, on=r.day, first=period_from, last=period_to,
        unit=unit,
    )  # fmt: skip
    return await r.answer(dossiers.CountryDossier, build)


@router.get(
    "/counterparts/{counterpart_id}",
    summary="Counterpart dossier",
    response_model=dossiers.CounterpartDossier,
    responses=AS_DOCUMENTS,
)
async def counterpart_dossier(
    counterpart_id: Annotated[
        str, Path(max_length=36, description="an organisation's or a post's id in the directory")
    ],
    period_from: Day | None = Query(None, alias="from", description="dated on or after"),
    period_to: Day | None = Query(None, alias="to", description="dated on or before"),
    lang: Lang = LANGUAGE,
    r: ReportRequest = Depends(),
) -> Response:
    """The contact history with one organisation (the people in its posts included) or one
    person in a post: every visit, meeting, event and agreement naming it. The post's
    holder is never named: reports need no one's name."""
    build = partial(
        dossiers.counterpart, counterpart_id=counterpart_id, lang=lang, on=r.day,
        first=period_from, last=period_to,
    )  # fmt: skip
    return await r.answer(dossiers.CounterpartDossier, build)


@router.get(
    "/reminders",
    summary="Reminders: due, overdue and sent",
    response_model=reminders.RemindersReport,
    responses=AS_DOCUMENTS,
)
async def reminders_report(
    period_from: Day | None = Query(
        None, alias="from", description="messages sent on or after (default: 30 days before 'to')"
    ),
    period_to: Day | None = Query(
        None, alias="to", description="messages sent on or before (default: the report's day)"
    ),
    unit: str | None = Query(None, max_length=200, description=UNIT_PARAMETER),
    lang: Lang = LANGUAGE,
    r: ReportRequest = Depends(),
) -> Response:
    """Per unit, what it is reminded of and has not settled (progress reports, deadlines,
    agreements' expiry and renewal, talking points, trip reports, passports), due or
    overdue on the report's day, when its digest carried each and when it went to its head;
    and the messages the notifications service sent in the period. Never an address."""
    if period_from and period_to and period_to < period_from:
        raise RuleViolation("'to' is before 'from'")
    if period_from and (period_to or r.day) - period_from > timedelta(days=MAX_PERIOD_DAYS):
        raise RuleViolation(f"a period is at most {MAX_PERIOD_DAYS} days")
    build = partial(
        reminders.reminders, lang=lang, on=r.day, unit=unit, first=period_from, last=period_to
    )
    return await r.answer(reminders.RemindersReport, build)
