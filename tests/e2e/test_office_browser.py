"""The office page in a real Chromium, over real HTTP, with every outside address blocked:
a page without a session goes to the sign-in, a wrong password is refused, the right one
gets in; each report shows its figures and charts and downloads; the language switches;
every format downloads; sign-out ends it."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from services.reporting.office import accounts
from services.reporting.projections.apply import apply_events
from shared.db import Database
from shared.embedded_broker import free_port
from tests.conftest import TEST_SECRET
from tests.harness import served
from tests.identity import OFFICE_CLIENT, OFFICE_ROLE
from tests.reporting_history import (
    a_commission_with_germany,
    a_year_of_obligations,
    reminders_of_two_units,
)

REQUIRE_BROWSER = os.environ.get("REQUIRE_BROWSER") == "1"
CHROMIUM = (
    os.environ.get("IRP_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
)
PASSWORD = "correct horse battery staple"
# report card, the fields typed and chosen, the page's heading, figures on the page, charts
REPORTS = [
    ("EU Association Agreement Action Plan", {"year": "2026"}, {},
     "Action Plan 2026", ["100.0"], 2),
    ("UN obligations", {}, {}, "UN obligations", ["UPR recommendation"], 2),
    ("Implementation month by month", {"year": "2026"}, {},
     "month by month, 2026", ["May 2026", "50.0%"], 2),
    ("Activity", {"from": "2026-01-01", "to": "2026-12-31"}, {},
     "Activity report", ["incoming visits", "April 2026"], 2),
    ("Country dossier", {}, {"code": "Germany"},
     "Country dossier: Germany", ["Visit of the German minister", "Harmonise tariffs"], 1),
    ("Reminders: due, overdue and sent", {"unit": "Policy Department"}, {},
     "Reminders", ["Draft the law", "Escalation to the head", "The unit's head"], 1),
    ("Commission session", {}, {"commission_id": "Georgian-German Commission · Germany"},
     "Session 2", ["Tbilisi", "State Secretary", "Open a checkpoint", "50.0"], 2),
]  # fmt: skip
FORMATS = (("pdf", b"%PDF"), ("xlsx", b"PK"), ("docx", b"PK"), ("csv", b"\xef\xbb\xbf"))


def _need_a_browser() -> None:
    missing = "no Chromium (install Debian's chromium or set IRP_CHROMIUM)"
    try:
        import playwright  # noqa: F401
    except ImportError:
        missing = "Playwright is not installed"
    else:
        if CHROMIUM:
            return
    if REQUIRE_BROWSER:
        pytest.fail(f"REQUIRE_BROWSER=1 but {missing}")
    pytest.skip(missing)


@pytest.fixture(scope="module")
def office(tmp_path_factory, kafka) -> Iterator[tuple[str, Path]]:  # type: ignore[no-untyped-def]
    """The reporting service under ``irp serve``: its address and its var folder."""
    var = tmp_path_factory.mktemp("office")
    env = {
        **os.environ,
        "IRP_VAR_DIR": str(var),
        "IRP_JWT_SECRET": TEST_SECRET,
        "IRP_KAFKA_BOOTSTRAP": kafka.bootstrap,
        "IRP_TOPIC_PREFIX": f"office{free_port()}.",
    }
    with served(["reporting"], env, var) as services:
        yield services["reporting"].url, var


async def test_the_office_signs_in_sees_reports_downloads_them_and_signs_out(office, tmp_path):
    _need_a_browser()
    from playwright.async_api import async_playwright

    address, var = office
    database = Database(f"sqlite:///{var}/reporting.db")
    await accounts.add_account(database, "nino", "Nino Beridze", PASSWORD)
    async with database.unit_of_work() as session:  # a year of the office's records
        await apply_events(session, a_year_of_obligations() + a_commission_with_germany())
        await apply_events(session, reminders_of_two_units(datetime.now(UTC).date()))
    await database.dispose()
    outside: list[str] = []
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = await browser.new_page(accept_downloads=True)

        async def only_the_service(route):  # type: ignore[no-untyped-def]
            if route.request.url.startswith(address):
                await route.continue_()
            else:
                outside.append(route.request.url)
                await route.abort()

        await page.route("**/*", only_the_service)
        await page.goto(f"{address}/office/?lang=en")
        assert "/office/sign-in" in page.url
        await page.fill("#username", "nino")
        await page.fill("#password", "not the password")
        await page.click("form.card button[type=submit]")
        assert "not right" in await page.inner_text("[role=alert]")
        await page.fill("#username", "nino")
        await page.fill("#password", PASSWORD)
        await page.click("form.card button[type=submit]")
        await page.wait_for_url(f"{address}/office/?lang=en")
        assert "Nino Beridze" in await page.inner_text("header")

        for report, typed, chosen, heading, figures, charts in REPORTS:
            await page.goto(f"{address}/office/?lang=en")
            card = page.locator("section", has=page.locator(f"h2:text-is('{report}')"))
            for name, value in typed.items():
                await card.locator(f"input[name={name}]").fill(value)
            for name, label in chosen.items():
                await card.locator(f"select[name={name}]").select_option(label=label)
            await card.locator("button[value=html]").click()
            await page.wait_for_selector("h1")
            assert heading in await page.inner_text("h1"), report
            shown = await page.inner_text("main")
            assert [f for f in figures if f not in shown] == [], report
            assert await page.locator("svg.chart rect").count() > 0, report
            assert await page.locator("svg.chart").count() == charts, report
            if shots := os.environ.get("IRP_SCREENSHOTS"):  # to look at, outside the repository
                await page.screenshot(path=f"{shots}/{report}.png", full_page=True)
            for fmt, magic in FORMATS:
                async with page.expect_download() as info:
                    await page.click(f"a.button[href$='format={fmt}']")
                saved = tmp_path / f"{report}.{fmt}"
                await (await info.value).save_as(saved)
                assert saved.read_bytes().startswith(magic), (report, fmt)

        await page.click("header a[lang=ka]")  # the same report, in Georgian
        assert await page.inner_text("h1") == "სესია 2: სესია 1-ის გადაწყვეტილებების შესრულება"
        assert "თანათავმჯდომარე" in await page.inner_text("main")
        await page.click("header button[type=submit]")  # sign out
        await page.wait_for_url("**/office/sign-in?lang=ka")
        await page.goto(f"{address}/office/")
        assert "/office/sign-in" in page.url
        await browser.close()
    assert outside == []


async def test_the_office_signs_in_at_the_ministrys_provider_and_signs_out_there(
    identity_providers, kafka, tmp_path
):
    """Code flow with PKCE through a real OpenID Connect provider (its own sign-in pages),
    the rights from the ID token's roles; an account without the office's role is refused;
    signing out ends the session here and at the provider."""
    _need_a_browser()
    from playwright.async_api import async_playwright

    port = free_port()
    address = f"http://127.0.0.1:{port}"
    provider = identity_providers(address)
    var = tmp_path / "var"
    var.mkdir()
    env = {
        **{k: v for k, v in os.environ.items() if k != "IRP_JWT_SECRET"},
        "IRP_VAR_DIR": str(var),
        "IRP_KAFKA_BOOTSTRAP": kafka.bootstrap,
        "IRP_TOPIC_PREFIX": f"provider{port}.",
        "IRP_OIDC_ISSUER": provider.issuer,
        "IRP_OFFICE_OIDC_CLIENT_ID": OFFICE_CLIENT[0],
        "IRP_OFFICE_OIDC_CLIENT_SECRET": OFFICE_CLIENT[1],
        "IRP_OFFICE_OIDC_SCOPES": "openid profile roles",
        "IRP_OIDC_ROLE_SCOPES": json.dumps({OFFICE_ROLE: ["reports:read"]}),
    }
    with served(["reporting"], env, var, ports={"reporting": port}):
        database = Database(f"sqlite:///{var}/reporting.db")
        async with database.unit_of_work() as session:
            await apply_events(session, a_year_of_obligations())
        await database.dispose()
        async with async_playwright() as p:
            browser = await p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
            page = await browser.new_page()

            async def sign_in_at_the_provider(login: str) -> None:
                await page.goto(f"{address}/office/?lang=en")
                assert "/office/sign-in" in page.url
                await page.click('a:text-is("Sign in with the ministry\'s account")')
                await page.wait_for_url(f"{provider.issuer}/**")
                await page.fill("input[name=login]", login)
                await page.fill("input[name=password]", "whatever the provider asks")
                await page.click("button[type=submit]")
                await page.wait_for_load_state()
                if page.url.startswith(provider.issuer):  # its consent page
                    await page.click("button[type=submit]")

            await sign_in_at_the_provider("guest")  # no office role: no session
            await page.wait_for_selector("[role=alert]")
            assert "no right to the office's reports" in await page.inner_text("[role=alert]")
            if shots := os.environ.get("IRP_SCREENSHOTS"):  # to look at, outside the repository
                await page.screenshot(path=f"{shots}/provider-refused.png", full_page=True)

            await page.context.clear_cookies()  # another person at the provider
            await sign_in_at_the_provider("nino")
            await page.wait_for_url(f"{address}/office/?lang=en")
            assert "Signed in as nino" in await page.inner_text("header")
            card = page.locator("section", has=page.locator("h2:text-is('UN obligations')"))
            await card.locator("button[value=html]").click()
            await page.wait_for_selector("h1")
            assert "UN obligations" in await page.inner_text("h1")

            await page.click("header button[type=submit]")  # sign out, here and there
            await page.wait_for_url(f"{provider.issuer}/**")
            await page.click("button[name=logout]")
            await page.wait_for_url(f"{address}/office/sign-in?lang=en")
            await page.goto(f"{address}/office/?lang=en")
            assert "/office/sign-in" in page.url
            await page.click('a:text-is("Sign in with the ministry\'s account")')
            await page.wait_for_url(f"{provider.issuer}/**")  # asked to sign in again
            assert await page.locator("input[name=login]").count() == 1
            await browser.close()
