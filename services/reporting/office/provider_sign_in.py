"""Signing in to the office page at the ministry's identity provider: OpenID Connect's
authorization code flow with PKCE (S256), its state and nonce checked, each sign-in bound to
the browser that began it and good for ten minutes; and signing out there (RP-initiated
logout). The rights are the ID token's, mapped as for every token (``IRP_OIDC_ROLE_SCOPES``)."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlencode

from authlib.common.errors import AuthlibBaseError
from authlib.common.security import generate_token
from authlib.integrations.httpx_client import AsyncOAuth2Client
from sqlalchemy import delete, insert, select

from services.reporting import tables
from shared.clock import now
from shared.db import Database
from shared.envelope import as_utc
from shared.identity import ProviderKeys, ProviderTokens, TokenRefused, scopes_of
from shared.settings import ServiceSettings

SIGN_IN_TIME = timedelta(minutes=10)


class SignInRefused(Exception):
    """The provider's answer cannot sign anyone in: why (for the log, never the page)."""


@dataclass(frozen=True)
class Begun:
    url: str  # the provider's sign-in page
    browser_secret: str  # the cookie that binds the sign-in to this browser


@dataclass(frozen=True)
class SignedIn:
    subject: str
    name: str | None
    scopes: frozenset[str]
    id_token: str
    lang: str


def _client(settings: ServiceSettings, redirect_uri: str) -> AsyncOAuth2Client:
    return AsyncOAuth2Client(
        settings.office_oidc_client_id, settings.office_oidc_client_secret,
        redirect_uri=redirect_uri, scope=settings.office_oidc_scopes,
        code_challenge_method="S256", timeout=10,
    )  # fmt: skip


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


async def begin(
    db: Database, keys: ProviderKeys, settings: ServiceSettings, redirect_uri: str, lang: str
) -> Begun:
    """A new sign-in: its state, nonce and PKCE verifier kept, the provider's URL to go to."""
    endpoint = (await keys.discovered()).authorization_endpoint
    state, nonce, browser = (secrets.token_urlsafe(32) for _ in range(3))
    verifier = generate_token(64)
    async with _client(settings, redirect_uri) as client:
        url, _ = client.create_authorization_url(
            endpoint, state=state, nonce=nonce, code_verifier=verifier
        )
    started = now()
    async with db.unit_of_work() as session:
        t = tables.office_sign_ins
        await session.execute(delete(t).where(t.c.created_at < started - SIGN_IN_TIME))
        await session.execute(insert(t), {
            "state": state, "browser_hash": _digest(browser), "nonce": nonce,
            "code_verifier": verifier, "lang": lang, "created_at": started,
        })  # fmt: skip
    return Begun(url, browser)


async def complete(
    db: Database, keys: ProviderKeys, settings: ServiceSettings, redirect_uri: str, *,
    code: str, state: str, browser_secret: str | None,
) -> SignedIn:  # fmt: skip
    """The sign-in the provider sent back: its state used once, by the browser that began
    it, in time; the code exchanged with the PKCE verifier; the ID token verified (signature,
    issuer, audience, times) and its nonce the sign-in's."""
    t = tables.office_sign_ins
    async with db.unit_of_work() as session:
        row = (await session.execute(select(t).where(t.c.state == state))).first()
        await session.execute(delete(t).where(t.c.state == state))  # once, whatever follows
    if row is None:
        raise SignInRefused("an unknown or used state")
    if not browser_secret or not secrets.compare_digest(row.browser_hash, _digest(browser_secret)):
        raise SignInRefused("the sign-in was begun in another browser")
    if now() - as_utc(row.created_at) > SIGN_IN_TIME:
        raise SignInRefused("the sign-in took too long")
    endpoint = (await keys.discovered()).token_endpoint
    try:
        async with _client(settings, redirect_uri) as client:
            answer = await client.fetch_token(endpoint, code=code, code_verifier=row.code_verifier)
    except AuthlibBaseError as refused:
        raise SignInRefused(f"the provider refused the code: {refused}") from refused
    id_token = answer.get("id_token")
    if not id_token:
        raise SignInRefused("the provider sent no ID token")
    try:
        claims = await ProviderTokens(keys, settings).claims(
            id_token, settings.office_oidc_client_id
        )
    except TokenRefused as refused:
        raise SignInRefused(f"the ID token: {refused}") from refused
    if not secrets.compare_digest(str(claims.get("nonce", "")), row.nonce):
        raise SignInRefused("the ID token's nonce is not the sign-in's")
    scopes = scopes_of(claims, settings.oidc_roles_claim, settings.oidc_role_scopes)
    return SignedIn(str(claims["sub"]), claims.get("name"), scopes, id_token, row.lang)


async def sign_out_url(
    keys: ProviderKeys, settings: ServiceSettings, id_token: str, back_to: str
) -> str | None:
    """Where the browser signs out at the provider, and comes back from (None: the provider
    offers no sign-out)."""
    endpoint = (await keys.discovered()).end_session_endpoint
    if not endpoint:
        return None
    query = urlencode({"id_token_hint": id_token, "post_logout_redirect_uri": back_to,
                       "client_id": settings.office_oidc_client_id})  # fmt: skip
    return f"{endpoint}{'&' if '?' in endpoint else '?'}{query}"
