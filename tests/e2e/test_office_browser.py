"""The office page in a real Chromium, over real HTTP, with every outside address blocked:
a page without a session goes to the sign-in, a wrong password is refused, the right one
gets in; each report shows its figures and charts and downloads; the language switches;
every format downloads; sign-out ends it."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from services.reporting.office import accounts
from services.reporting.projections.apply import apply_events
from shared.db import Database
from shared.embedded_broker import free_port
from tests.conftest import TEST_SECRET
from tests.harness import served
from tests.reporting_history import a_year_of_obligations

REQUIRE_BROWSER = os.environ.get("REQUIRE_BROWSER") == "1"
CHROMIUM = (
    os.environ.get("IRP_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
)
PASSWORD = "correct horse battery staple"
# report card, its fields, the page's heading, a figure on the page, how many charts
REPORTS = [
    ("EU Association Agreement Action Plan", {"year": "2026"},
     "Action Plan 2026", "100.0", 2),
    ("UN obligations", {}, "UN obligations", "UPR recommendation", 2),
    ("Implementation month by month", {"year": "2026"}, "month by month, 2026", "2026-05", 2),
]  # fmt: skip


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
    async with database.unit_of_work() as session:  # a year of the office's obligations
        await apply_events(session, a_year_of_obligations())
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

        activity = page.locator("section", has_text="Activity")
        await activity.locator("input[name=from]").fill("2026-01-01")
        await activity.locator("input[name=to]").fill("2026-12-31")
        await activity.locator("button[value=html]").click()
        await page.wait_for_selector("h1")
        assert await page.inner_text("h1") == "Activity report"
        assert await page.locator("svg.chart").count() == 1
        assert "incoming visits" in await page.inner_text("table")
        for fmt, magic in (("pdf", b"%PDF"), ("xlsx", b"PK"), ("docx", b"PK"),
                           ("csv", b"\xef\xbb\xbf")):  # fmt: skip
            async with page.expect_download() as info:
                await page.click(f"a.button[href$='format={fmt}']")
            saved = tmp_path / f"activity.{fmt}"
            await (await info.value).save_as(saved)
            assert saved.read_bytes().startswith(magic), fmt

        await page.click("header a[lang=ka]")
        assert await page.inner_text("h1") == "საქმიანობის ანგარიში"

        for report, fields, heading, figure, charts in REPORTS:
            await page.goto(f"{address}/office/?lang=en")
            card = page.locator("section", has_text=report)
            for name, value in fields.items():
                await card.locator(f"input[name={name}]").fill(value)
            await card.locator("button[value=html]").click()
            await page.wait_for_selector("h1")
            assert heading in await page.inner_text("h1"), report
            assert figure in await page.inner_text("main"), report
            assert await page.locator("svg.chart").count() == charts, report
            async with page.expect_download() as info:
                await page.click("a.button[href$='format=pdf']")
            saved = tmp_path / "report.pdf"
            await (await info.value).save_as(saved)
            assert saved.read_bytes().startswith(b"%PDF"), report

        await page.click("header a[lang=ka]")
        await page.click("header button[type=submit]")  # sign out
        await page.wait_for_url("**/office/sign-in?lang=ka")
        await page.goto(f"{address}/office/")
        assert "/office/sign-in" in page.url
        await browser.close()
    assert outside == []
