"""The reporting office's page: signed in with an office account, never without; a wrong
password refused and throttled; forms guarded against cross-site requests; documents
downloaded with the session; sign-out ends the session."""

from __future__ import annotations

import logging
import re

import pytest
from pypdf import PdfReader

from services.reporting.office import accounts, pages
from services.reporting.projections.apply import apply_events
from tests.harness import running, settings_for
from tests.reporting_history import a_commission_with_germany

PASSWORD = "correct horse battery staple"


def _token(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, html
    return found.group(1)


async def _signed_in(client, username: str = "nino", password: str = PASSWORD):  # type: ignore[no-untyped-def]
    form = await client.get("/office/sign-in?lang=en")
    return await client.post(
        "/office/sign-in?lang=en",
        data={"username": username, "password": password, "csrf_token": _token(form.text)},
    )


@pytest.fixture(autouse=True)
def fresh_throttle(monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setattr(pages, "THROTTLE", accounts.SignInThrottle(limit=3))


async def test_the_page_asks_for_a_sign_in_and_an_account_gets_in_and_out(
    tmp_path, kafka, prefix, caplog
):
    settings = settings_for("reporting", f"sqlite:///{tmp_path}/r.db", kafka.bootstrap, prefix)
    async with running("reporting", settings) as reporting:
        client = reporting.client
        await accounts.add_account(reporting.db, "nino", "Nino Beridze", PASSWORD)
        first = await client.get("/office/")
        assert first.status_code == 303 and first.headers["location"].startswith("/office/sign-in")
        with caplog.at_level(logging.INFO):
            refused = await _signed_in(client, password="not the password")
        assert refused.status_code == 401 and "not right" in refused.text
        logged = [f"{r.getMessage()} {r.__dict__}" for r in caplog.records]
        assert any("sign-in refused" in line and "nino" in line for line in logged)
        assert not any("not the password" in line for line in logged)

        signed = await _signed_in(client)
        assert signed.status_code == 303 and signed.headers["location"] == "/office/?lang=en"
        cookie = signed.headers["set-cookie"]
        assert "irp_office=" in cookie and "HttpOnly" in cookie and "SameSite=strict" in cookie
        home = await client.get("/office/?lang=en")
        assert home.status_code == 200 and "Nino Beridze" in home.text
        assert "EU Association Agreement Action Plan" in home.text and "cdn" not in home.text
        georgian = await client.get("/office/?lang=ka")
        assert 'lang="ka"' in georgian.text and "ანგარიშები" in georgian.text

        page = await client.get(
            "/office/reports/activity",
            params={"from": "2026-01-01", "to": "2026-12-31", "lang": "en"},
        )
        assert page.status_code == 200 and "<svg" in page.text and "Activity report" in page.text
        assert "format=pdf" in page.text and "<table>" in page.text
        months = await client.get("/office/reports/trend", params={"year": 2026, "lang": "ka"})
        assert months.status_code == 200 and months.text.count("<svg") == 2
        assert "შესრულება თვეების მიხედვით, 2026" in months.text
        document = await client.get(
            "/office/reports/activity",
            params={"from": "2026-01-01", "to": "2026-12-31", "format": "pdf", "lang": "ka"},
        )
        assert document.status_code == 200, document.text
        assert document.headers["content-type"] == "application/pdf"
        text = PdfReader(__import__("io").BytesIO(document.content)).pages[0].extract_text()
        assert "საქმიანობის ანგარიში" in text

        forged = await client.post("/office/sign-out", data={"csrf_token": "forged"})
        assert (await client.get("/office/?lang=en")).status_code == 200  # still signed in
        out = await client.post("/office/sign-out", data={"csrf_token": _token(home.text)})
        assert out.status_code == 303 and forged.status_code == 303
        assert (await client.get("/office/")).status_code == 303
        after = await client.get("/office/reports/un", params={"format": "csv"})
        assert after.status_code == 303  # the session is gone


async def test_a_sign_in_without_the_forms_token_is_refused_and_failures_are_throttled(
    tmp_path, kafka, prefix
):
    settings = settings_for("reporting", f"sqlite:///{tmp_path}/r.db", kafka.bootstrap, prefix)
    async with running("reporting", settings) as reporting:
        client = reporting.client
        await accounts.add_account(reporting.db, "nino", "Nino Beridze", PASSWORD)
        forged = await client.post(
            "/office/sign-in", data={"username": "nino", "password": PASSWORD, "csrf_token": "x"}
        )
        assert forged.status_code == 400 and "irp_office=" not in forged.headers.get(
            "set-cookie", ""
        )
        for _ in range(3):
            assert (await _signed_in(client, password="wrong password!")).status_code == 401
        throttled = await _signed_in(client)  # even the right password, for a while
        assert throttled.status_code == 429


async def test_accounts_need_a_proper_name_and_a_long_password(tmp_path, kafka, prefix):
    settings = settings_for("reporting", f"sqlite:///{tmp_path}/r.db", kafka.bootstrap, prefix)
    async with running("reporting", settings) as reporting:
        with pytest.raises(Exception, match="12 characters"):
            await accounts.add_account(reporting.db, "nino", "", "short")
        with pytest.raises(Exception, match="username"):
            await accounts.add_account(reporting.db, "Nino Beridze", "", PASSWORD)
        await accounts.add_account(reporting.db, "nino", "", PASSWORD)
        with pytest.raises(Exception, match="exists"):
            await accounts.add_account(reporting.db, "nino", "", PASSWORD)
        assert await accounts.verify(reporting.db, "nino", PASSWORD) is not None
        assert await accounts.verify(reporting.db, "nobody", PASSWORD) is None


async def test_a_form_sent_with_fields_left_empty_is_read_as_not_given(tmp_path, kafka, prefix):
    settings = settings_for("reporting", f"sqlite:///{tmp_path}/r.db", kafka.bootstrap, prefix)
    async with running("reporting", settings) as reporting:
        client = reporting.client
        await accounts.add_account(reporting.db, "nino", "Nino Beridze", PASSWORD)
        async with reporting.db.unit_of_work() as session:
            await apply_events(session, a_commission_with_germany())
        await _signed_in(client)
        home = await client.get("/office/?lang=en")
        dossier = await client.get(
            "/office/reports/dossier?lang=en&code=DE&from=&to=&as_of=&format=html"
        )
        commission = await client.get(
            "/office/reports/commission?lang=en&commission_id=commission-de&session=&as_of="
        )
        wrong_moment = await client.get("/office/reports/dossier?code=DE&as_of=yesterday")
    # commissions chosen by name, countries by their CLDR name, units offered as typed
    assert '<option value="commission-de">Georgian-German Commission · Germany</option>' in (
        home.text
    )
    assert '<option value="DE">Germany</option>' in home.text
    assert '<option value="Customs">' in home.text
    assert dossier.status_code == 200 and "Visit of the German minister" in dossier.text
    assert commission.status_code == 200 and "Session 2" in commission.text
    assert wrong_moment.status_code == 422  # a problem, not a 500
