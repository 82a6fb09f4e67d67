"""``/office/``: the reporting office's page. Sign in, choose a report and its parameters,
download it in every format and language; sign out. Not part of the API (no bearer
token): a session cookie (HttpOnly, SameSite=Strict) and CSRF tokens on every form."""

from __future__ import annotations

import logging
import secrets
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlencode

import httpx
from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from pydantic import BeforeValidator, Field

from services.reporting.api import reports
from services.reporting.office import accounts, charts, choices, provider_sign_in
from services.reporting.reports import activity, commissions, dossiers, eu, reminders, trend, un
from services.reporting.reports.formats import MEDIA
from services.reporting.reports.language import Lang, cell_text, word
from services.reporting.reports.tabular import headers
from shared.app import ServiceContext, get_context
from shared.auth import Principal
from shared.clock import today
from shared.identity import ProviderKeys
from shared.types import CountryCode

log = logging.getLogger(__name__)
HERE = Path(__file__).parent
SESSION_COOKIE, FORM_COOKIE = "irp_office", "irp_office_form"
PROVIDER_COOKIE = "irp_office_provider"  # binds a sign-in at the provider to this browser
FORMATS = [f for f in MEDIA if f != "json"]
THROTTLE = accounts.SignInThrottle()

router = APIRouter(prefix="/office", include_in_schema=False)
templates = Jinja2Templates(directory=HERE / "templates")

UNIT_FIELD = {"name": "unit", "label": "unit", "type": "text", "list": "units"}
REPORTS = [
    {"key": "eu", "fields": [{"name": "year", "label": "year", "type": "number",
                              "required": True}, UNIT_FIELD]},
    {"key": "un", "fields": [UNIT_FIELD]},
    {"key": "trend", "fields": [{"name": "year", "label": "year", "type": "number",
                                 "required": True}, UNIT_FIELD]},
    {"key": "activity", "fields": [{"name": "from", "label": "from", "type": "date",
                                    "required": True},
                                   {"name": "to", "label": "to", "type": "date", "required": True},
                                   UNIT_FIELD]},
    {"key": "dossier", "fields": [{"name": "code", "label": "country", "type": "select",
                                   "choices": "countries", "required": True},
                                  {"name": "from", "label": "from", "type": "date"},
                                  {"name": "to", "label": "to", "type": "date"}]},
    {"key": "commission", "fields": [{"name": "commission_id", "label": "commission",
                                      "type": "select", "choices": "commissions",
                                      "required": True},
                                     {"name": "session", "label": "session", "type": "number"}]},
    {"key": "reminders", "fields": [UNIT_FIELD, {"name": "from", "label": "sent_from",
                                                 "type": "date"},
                                    {"name": "to", "label": "sent_to", "type": "date"}]},
]  # fmt: skip


def _language(request: Request, lang: str | None) -> Lang:
    chosen = lang or request.cookies.get("irp_office_lang") or "ka"
    return "en" if chosen == "en" else "ka"


def _page(request: Request, name: str, lang: Lang, status: int = 200, **values: Any) -> Response:
    def w(key: str) -> str:
        return word(key, lang)

    kept = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"]
    switch = {
        code: f"{request.url.path}?{urlencode([*kept, ('lang', code)])}" for code in ("ka", "en")
    }
    page = templates.TemplateResponse(
        request, name, {"lang": lang, "w": w, "switch": switch, **values}, status_code=status
    )
    page.headers["Cache-Control"] = "no-store"
    page.set_cookie("irp_office_lang", lang, path="/office", samesite="strict", httponly=True)
    return page


async def _session(request: Request, ctx: ServiceContext) -> accounts.Session | None:
    return await accounts.session_of(ctx.db, request.cookies.get(SESSION_COOKIE))


def _to_sign_in(lang: Lang) -> RedirectResponse:
    return RedirectResponse(f"/office/sign-in?lang={lang}", status_code=303)


@router.get("/static/office.css")
async def style() -> FileResponse:
    return FileResponse(HERE / "static" / "office.css", media_type="text/css")


@router.get("")
async def office_root() -> RedirectResponse:
    return RedirectResponse("/office/", status_code=307)


@router.get("/", response_class=HTMLResponse)
async def home(
    request: Request, lang: str | None = None, ctx: ServiceContext = Depends(get_context)
) -> Response:
    chosen = _language(request, lang)
    session = await _session(request, ctx)
    if session is None:
        return _to_sign_in(chosen)
    async with ctx.db.unit_of_work(write=False) as db_session:
        offered = await choices.choices(db_session, chosen)
    return _page(
        request, "home.html", chosen, session=session, reports=REPORTS, formats=FORMATS,
        choices=offered, year=today().year,
    )  # fmt: skip


@router.get("/sign-in", response_class=HTMLResponse)
async def sign_in_form(request: Request, lang: str | None = None) -> Response:
    return _sign_in_page(request, _language(request, lang))


def _provider(request: Request) -> ProviderKeys | None:
    """The identity provider's keys when the office signs in there too."""
    ctx: ServiceContext = request.app.state.ctx
    return ctx.identity if ctx.settings.office_oidc_client_id else None


def _sign_in_page(request: Request, lang: Lang, message: str = "", status: int = 200) -> Response:
    token = secrets.token_urlsafe(24)  # double-submit: the cookie and the form must agree
    page = _page(request, "sign_in.html", lang, status, csrf_token=token, message=message,
                 provider=_provider(request) is not None)  # fmt: skip
    page.set_cookie(FORM_COOKIE, token, path="/office", samesite="strict", httponly=True)
    return page


@router.post("/sign-in")
async def sign_in(
    request: Request,
    username: str = Form(max_length=100),
    password: str = Form(max_length=200),
    csrf_token: str = Form(max_length=100),
    lang: str | None = None,
    ctx: ServiceContext = Depends(get_context),
) -> Response:
    chosen = _language(request, lang)
    expected = request.cookies.get(FORM_COOKIE, "")
    if not expected or not secrets.compare_digest(expected, csrf_token):
        return _sign_in_page(request, chosen, word("ui.expired", chosen), 400)
    address = request.client.host if request.client else "unknown"
    if not THROTTLE.allowed(username, address):
        log.warning("office sign-in throttled", extra={"username": username, "address": address})
        return _sign_in_page(request, chosen, word("ui.throttled", chosen), 429)
    account = await accounts.verify(ctx.db, username, password)
    if account is None:
        THROTTLE.failed(username, address)
        log.warning("office sign-in refused", extra={"username": username, "address": address})
        return _sign_in_page(request, chosen, word("ui.wrong", chosen), 401)
    THROTTLE.succeeded(username)
    token, _ = await accounts.start_session(ctx.db, account, ctx.settings.office_session_hours)
    log.info("office sign-in", extra={"username": username})
    answer = RedirectResponse(f"/office/?lang={chosen}", status_code=303)
    answer.set_cookie(
        SESSION_COOKIE, token, path="/office", httponly=True, samesite="strict",
        secure=ctx.settings.office_secure_cookie,
        max_age=int(ctx.settings.office_session_hours * 3600),
    )  # fmt: skip
    answer.delete_cookie(FORM_COOKIE, path="/office")
    return answer


@router.post("/sign-out")
async def sign_out(
    request: Request,
    csrf_token: str = Form(max_length=100),
    lang: str | None = None,
    ctx: ServiceContext = Depends(get_context),
) -> Response:
    chosen = _language(request, lang)
    session = await _session(request, ctx)
    token = request.cookies.get(SESSION_COOKIE)
    if session is None or not token:
        return _to_sign_in(chosen)
    if not secrets.compare_digest(session.csrf_token, csrf_token):  # not from our own page
        return RedirectResponse(f"/office/?lang={chosen}", status_code=303)
    await accounts.end_session(ctx.db, token)
    log.info("office sign-out", extra={"username": session.username})
    answer = _to_sign_in(chosen)
    keys = _provider(request)
    if session.id_token and keys is not None:  # and at the provider, back to the sign-in
        back_to = f"{_public_url(request)}/office/sign-in?lang={chosen}"
        try:
            if url := await provider_sign_in.sign_out_url(
                keys, ctx.settings, session.id_token, back_to
            ):
                answer = RedirectResponse(url, status_code=303)
        except httpx.HTTPError:
            log.warning("the identity provider is away: signed out here only")
    answer.delete_cookie(SESSION_COOKIE, path="/office")
    return answer


def _public_url(request: Request) -> str:
    ctx: ServiceContext = request.app.state.ctx
    return (ctx.settings.office_public_url or str(request.base_url)).rstrip("/")


@router.get("/oidc/start")
async def provider_sign_in_start(
    request: Request, lang: str | None = None, ctx: ServiceContext = Depends(get_context)
) -> Response:
    """To the ministry's identity provider, to sign in there."""
    chosen = _language(request, lang)
    keys = _provider(request)
    if keys is None:
        return _to_sign_in(chosen)
    callback = f"{_public_url(request)}/office/oidc/callback"
    try:
        begun = await provider_sign_in.begin(ctx.db, keys, ctx.settings, callback, chosen)
    except httpx.HTTPError:
        log.warning("the identity provider is away: no sign-in there")
        return _sign_in_page(request, chosen, word("ui.provider_away", chosen), 503)
    answer = RedirectResponse(begun.url, status_code=303)
    answer.set_cookie(
        PROVIDER_COOKIE, begun.browser_secret, path="/office/oidc", httponly=True,
        samesite="lax", secure=ctx.settings.office_secure_cookie,
        max_age=int(provider_sign_in.SIGN_IN_TIME.total_seconds()),
    )  # fmt: skip
    return answer


@router.get("/oidc/callback")
async def provider_sign_in_callback(
    request: Request, code: str = Query("", max_length=2000),
    state: str = Query("", max_length=200), error: str | None = Query(None, max_length=200),
    ctx: ServiceContext = Depends(get_context),
) -> Response:  # fmt: skip
    """Back from the provider: a session for whom it vouches, with the right to the reports."""
    chosen = _language(request, None)
    keys = _provider(request)
    if keys is None:
        return _to_sign_in(chosen)
    if error or not code or not state:
        log.warning("office sign-in at the provider refused", extra={"error": error})
        return _sign_in_page(request, chosen, word("ui.provider_refused", chosen), 401)
    callback = f"{_public_url(request)}/office/oidc/callback"
    try:
        signed = await provider_sign_in.complete(
            ctx.db, keys, ctx.settings, callback, code=code, state=state,
            browser_secret=request.cookies.get(PROVIDER_COOKIE),
        )  # fmt: skip
    except provider_sign_in.SignInRefused as refused:
        log.warning("office sign-in at the provider refused", extra={"reason": str(refused)})
        return _sign_in_page(request, chosen, word("ui.provider_refused", chosen), 401)
    except httpx.HTTPError:
        log.warning("the identity provider is away: the sign-in could not be completed")
        return _sign_in_page(request, chosen, word("ui.provider_away", chosen), 503)
    if "reports:read" not in signed.scopes:
        log.warning("office sign-in without the right to the reports",
                    extra={"subject": signed.subject})  # fmt: skip
        return _sign_in_page(request, chosen, word("ui.no_right", chosen), 403)
    account = accounts.provider_account(signed.subject, signed.name, signed.id_token)
    token, _ = await accounts.start_session(ctx.db, account, ctx.settings.office_session_hours)
    log.info("office sign-in at the provider", extra={"subject": signed.subject})
    lang_chosen = _language(request, signed.lang)
    # A page, not a redirect: the provider's redirect began on another site, and a browser
    # sends the SameSite=Strict session cookie only on a navigation this site begins.
    answer = _page(request, "signed_in.html", lang_chosen, go_to=f"/office/?lang={lang_chosen}")
    answer.set_cookie(
        SESSION_COOKIE, token, path="/office", httponly=True, samesite="strict",
        secure=ctx.settings.office_secure_cookie,
        max_age=int(ctx.settings.office_session_hours * 3600),
    )  # fmt: skip
    answer.delete_cookie(PROVIDER_COOKIE, path="/office/oidc")
    return answer


def _moment(as_of: datetime | None) -> datetime | None:
    """The form's moment: a browser's local date and time field has no zone; it is UTC."""
    if as_of is None:
        return None
    return as_of if as_of.tzinfo else as_of.replace(tzinfo=UTC)


async def _request(
    request: Request, ctx: ServiceContext, fmt: str, as_of: datetime | None
) -> tuple[accounts.Session | None, reports.ReportRequest]:
    """The signed-in session, and the report request the API would make of these values."""
    session = await _session(request, ctx)
    principal = Principal(subject=session.username if session else "", scopes=frozenset())
    asked = "json" if fmt == "html" else fmt
    report_request = reports.ReportRequest(
        request, _moment(as_of), asked, principal, ctx, if_none_match=None
    )
    return session, report_request


# A form sends a field left empty as "": for the page that is a value not given.
BLANK = BeforeValidator(lambda value: value if value != "" else None)
AsOf = Annotated[datetime | None, BLANK]
From = Annotated[date | None, BLANK, Query(alias="from")]
To = Annotated[date | None, BLANK, Query(alias="to")]
SessionNumber = Annotated[Annotated[int, Field(ge=1)] | None, BLANK, Query(alias="session")]
Format = Literal["html", "csv", "xlsx", "docx", "pdf"]
UNIT = Query(None, max_length=200)  # as the API bounds it: these routes call its functions


@router.get("/reports/eu")
async def eu_report(
    request: Request, year: int = Query(ge=2014, le=2100), unit: str | None = UNIT,
    format: Format = "html", lang: Lang = "ka", as_of: AsOf = None,
    ctx: ServiceContext = Depends(get_context),
) -> Response:  # fmt: skip
    session, r = await _request(request, ctx, format, as_of)
    if session is None:
        return _to_sign_in(lang)
    answer = await reports.eu_association_report(year=year, unit=unit or None, lang=lang, r=r)
    return _shown(request, session, format, lang, "eu", answer)


@router.get("/reports/un")
async def un_report(
    request: Request, unit: str | None = UNIT, format: Format = "html", lang: Lang = "ka",
    as_of: AsOf = None, ctx: ServiceContext = Depends(get_context),
) -> Response:  # fmt: skip
    session, r = await _request(request, ctx, format, as_of)
    if session is None:
        return _to_sign_in(lang)
    answer = await reports.un_obligations_report(
        mechanism=None, support_level=None, period_from=None, period_to=None,
        unit=unit or None, lang=lang, r=r,
    )  # fmt: skip
    return _shown(request, session, format, lang, "un", answer)


@router.get("/reports/trend")
async def trend_report(
    request: Request, year: int = Query(ge=2014, le=2100), unit: str | None = UNIT,
    format: Format = "html", lang: Lang = "ka", as_of: AsOf = None,
    ctx: ServiceContext = Depends(get_context),
) -> Response:  # fmt: skip
    session, r = await _request(request, ctx, format, as_of)
    if session is None:
        return _to_sign_in(lang)
    answer = await reports.trend_report(year=year, unit=unit or None, lang=lang, r=r)
    return _shown(request, session, format, lang, "trend", answer)


@router.get("/reports/activity")
async def activity_report(
    request: Request, first: date = Query(alias="from"), last: date = Query(alias="to"),
    unit: str | None = UNIT, format: Format = "html", lang: Lang = "ka",
    as_of: AsOf = None, ctx: ServiceContext = Depends(get_context),
) -> Response:  # fmt: skip
    session, r = await _request(request, ctx, format, as_of)
    if session is None:
        return _to_sign_in(lang)
    answer = await reports.activity_report(
        period_from=first, period_to=last, unit=unit or None, lang=lang, r=r
    )
    return _shown(request, session, format, lang, "activity", answer)


@router.get("/reports/dossier")
async def dossier_report(
    request: Request, code: CountryCode, first: From = None, last: To = None,
    format: Format = "html", lang: Lang = "ka", as_of: AsOf = None,
    ctx: ServiceContext = Depends(get_context),
) -> Response:  # fmt: skip
    session, r = await _request(request, ctx, format, as_of)
    if session is None:
        return _to_sign_in(lang)
    answer = await reports.country_dossier(
        code=code.upper(), period_from=first, period_to=last, unit=None, lang=lang, r=r
    )
    return _shown(request, session, format, lang, "dossier", answer)


@router.get("/reports/commission")
async def commission_report(
    request: Request, commission_id: str = Query(max_length=36),
    session_number: SessionNumber = None, format: Format = "html", lang: Lang = "ka",
    as_of: AsOf = None, ctx: ServiceContext = Depends(get_context),
) -> Response:  # fmt: skip
    session, r = await _request(request, ctx, format, as_of)
    if session is None:
        return _to_sign_in(lang)
    answer = await reports.commission_report(
        commission_id=commission_id, session_number=session_number, unit=None, lang=lang, r=r
    )
    return _shown(request, session, format, lang, "commission", answer)


@router.get("/reports/reminders")
async def reminders_report(
    request: Request, unit: str | None = UNIT, first: From = None, last: To = None,
    format: Format = "html", lang: Lang = "ka", as_of: AsOf = None,
    ctx: ServiceContext = Depends(get_context),
) -> Response:  # fmt: skip
    session, r = await _request(request, ctx, format, as_of)
    if session is None:
        return _to_sign_in(lang)
    answer = await reports.reminders_report(
        period_from=first, period_to=last, unit=unit or None, lang=lang, r=r
    )
    return _shown(request, session, format, lang, "reminders", answer)


MODELS: dict[str, type[Any]] = {
    "eu": eu.EuReport, "un": un.UnReport, "activity": activity.ActivityReport,
    "trend": trend.TrendReport,
    "dossier": dossiers.CountryDossier, "commission": commissions.CommissionReport,
    "reminders": reminders.RemindersReport,
}  # fmt: skip


PAGE_ROWS = 300  # a table on the page shows at most this many rows; the documents hold all


def report_view(key: str, report: Any, lang: Lang) -> dict[str, Any]:
    """What the page shows of a report: its heading, charts and tables (long ones cut)."""
    title, lines = report.heading()
    sheets = []
    for sheet in report.sheets():
        if not sheet.on_page:
            continue
        kinds = sheet.kinds()
        rows = [
            [cell_text(v, k, lang) for v, k in zip(row, kinds, strict=False)]
            for row in sheet.rows[:PAGE_ROWS]
        ]
        sheets.append({"title": sheet.title(lang), "headers": headers(sheet, lang),
                       "rows": rows, "total": len(sheet.rows)})  # fmt: skip
    return {"title": title, "lines": lines, "sheets": sheets,
            "charts": charts.of(key, report, lang)}  # fmt: skip


def render_view(view: dict[str, Any], lang: Lang, **page: Any) -> str:
    """The report page's HTML (the benchmark times this beside the JSON report)."""
    values = {"lang": lang, "w": lambda key: word(key, lang), "switch": {}, "session": None}
    return templates.get_template("report.html").render({**values, **view, **page})


def _shown(
    request: Request, session: accounts.Session, fmt: str, lang: Lang, key: str, answer: Response
) -> Response:
    """A document as it is; the page: the report's tables and charts, with its downloads."""
    if fmt != "html":
        return answer
    report = MODELS[key].model_validate_json(answer.body)
    query = [(k, v) for k, v in request.query_params.multi_items() if k != "format"]
    return _page(
        request, "report.html", lang, session=session, formats=FORMATS,
        download=f"{request.url.path}?{urlencode(query)}", limit=PAGE_ROWS,
        **report_view(key, report, lang),
    )  # fmt: skip
