"""A sign-in coming back from the identity provider is refused before the provider is even
asked when its state is unknown or used already, when another browser began it, or when it
took longer than ten minutes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from services.reporting.office import provider_sign_in
from shared.clock import fixed_at
from shared.db import Database
from shared.identity import Discovery, ProviderKeys
from shared.migrations import upgrade_async
from shared.settings import load_settings

NOBODY = "http://127.0.0.1:9/never-asked"  # any call to the provider would fail the test


@pytest.fixture
async def begun(tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    """A sign-in begun (its row kept as begin keeps it), without going to the provider."""
    settings = load_settings(
        "reporting", oidc_issuer=NOBODY, office_oidc_client_id="irp-office",
        office_oidc_client_secret="s" * 24, database_url=f"sqlite:///{tmp_path}/r.db",
    )  # fmt: skip
    db = Database(settings.effective_database_url)
    await upgrade_async("services.reporting", db.url)
    keys = ProviderKeys(settings)

    async def discovered():  # type: ignore[no-untyped-def]
        return Discovery(
            issuer=NOBODY, jwks_uri=f"{NOBODY}/jwks", token_endpoint=f"{NOBODY}/token",
            authorization_endpoint=f"{NOBODY}/auth", end_session_endpoint=None,
        )  # fmt: skip

    monkeypatch.setattr(keys, "discovered", discovered)
    started = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)
    with fixed_at(started):
        made = await provider_sign_in.begin(db, keys, settings, "http://irp/cb", "en")
    state = dict(part.split("=", 1) for part in made.url.split("?", 1)[1].split("&"))["state"]
    yield db, keys, settings, state, made.browser_secret, started
    await db.dispose()


async def _complete(begun, *, state=None, browser=None, at=None):  # type: ignore[no-untyped-def]
    db, keys, settings, made_state, secret, started = begun
    with fixed_at(at or started + timedelta(minutes=1)):
        return await provider_sign_in.complete(
            db, keys, settings, "http://irp/cb", code="a-code",
            state=state or made_state, browser_secret=browser if browser is not None else secret,
        )  # fmt: skip


async def test_another_browsers_sign_in_is_refused_and_its_state_spent(begun):
    with pytest.raises(provider_sign_in.SignInRefused, match="another browser"):
        await _complete(begun, browser="not-the-cookie-of-the-browser-that-began-it")
    with pytest.raises(provider_sign_in.SignInRefused, match="unknown or used"):
        await _complete(begun)  # the state was used once: never again


async def test_an_unknown_state_is_refused(begun):
    with pytest.raises(provider_sign_in.SignInRefused, match="unknown or used"):
        await _complete(begun, state="made-up")


async def test_a_sign_in_older_than_ten_minutes_is_refused(begun):
    late = begun[5] + timedelta(minutes=11)
    with pytest.raises(provider_sign_in.SignInRefused, match="too long"):
        await _complete(begun, at=late)
