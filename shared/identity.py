"""Tokens signed by the ministry's identity provider (OpenID Connect).

The provider's discovery document (``<issuer>/.well-known/openid-configuration``) names its
JWKS (RFC 7517); its public keys are kept for ``IRP_OIDC_KEYS_CACHE_SECONDS`` and fetched again
when they are that old or when a token names a key not among them, at most once every
``IRP_OIDC_REFRESH_MIN_SECONDS`` (a flood of made-up ``kid`` values cannot hammer the
provider). While the provider cannot be reached the keys already fetched go on serving:
the service is degraded, not down.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import httpx
import jwt
from authlib.common.errors import AuthlibBaseError
from authlib.integrations.httpx_client import AsyncOAuth2Client

from shared.observability import IDENTITY_PROVIDER_UP, JWKS_AGE, JWKS_REFRESHES
from shared.settings import ServiceSettings

log = logging.getLogger(__name__)
PROBE_TIMEOUT = 3.0


class TokenRefused(Exception):
    """A token that is not one of the provider's for us: why, for the 401's detail."""


@dataclass(frozen=True)
class Discovery:
    """What the provider's discovery document says IRP needs."""

    issuer: str
    jwks_uri: str
    token_endpoint: str
    authorization_endpoint: str
    end_session_endpoint: str | None


class ProviderKeys:
    """The provider's discovery document and public signing keys, fetched and kept."""

    def __init__(self, settings: ServiceSettings) -> None:
        self.issuer = settings.oidc_issuer.rstrip("/")
        self.cache_seconds = settings.oidc_keys_cache_seconds
        self.refresh_min_seconds = settings.oidc_refresh_min_seconds
        self.service = settings.service
        self.discovery: Discovery | None = None
        self.keys: dict[str, jwt.PyJWK] = {}
        self.fetched_at: float | None = None  # time.time() of the last keys fetched
        self.reachable = False
        self._attempted_at = float("-inf")  # time.monotonic() of the last fetch tried
        self._lock = asyncio.Lock()
        self._renewal: asyncio.Task[bool] | None = None
        JWKS_AGE.labels(self.service).set_function(self.age)
        IDENTITY_PROVIDER_UP.labels(self.service).set(0)
        for outcome in ("ok", "failed"):
            JWKS_REFRESHES.labels(self.service, outcome)

    def age(self) -> float:
        """Seconds since the keys were fetched (0 before the first fetch)."""
        return time.time() - self.fetched_at if self.fetched_at else 0.0

    async def key(self, kid: str) -> jwt.PyJWK | None:
        """The key ``kid`` names. A known key answers at once (renewed in the background
        once the keys are older than their time: no request waits for the provider); an
        unknown one fetches the keys, at most every ``refresh_min_seconds``."""
        known = self.keys.get(kid)
        if known is not None:
            if self.age() >= self.cache_seconds:
                self._renew_in_background()
            return known
        await self.refresh(unless_within=self.refresh_min_seconds if self.fetched_at else 1.0)
        return self.keys.get(kid)

    def _renew_in_background(self) -> None:
        if self._renewal is not None and not self._renewal.done():
            return
        if time.monotonic() - self._attempted_at < self.refresh_min_seconds:
            return  # the last try failed only just now: the kept keys serve meanwhile
        self._renewal = asyncio.get_running_loop().create_task(self.refresh())

    async def refresh(self, unless_within: float = 0.0) -> bool:
        """Fetch the discovery document and the keys; keep the old keys when it fails.
        Answers whether the provider answered."""
        async with self._lock:
            if time.monotonic() - self._attempted_at < max(unless_within, 1.0):
                return self.reachable  # another request has just fetched them
            self._attempted_at = time.monotonic()
            try:
                async with httpx.AsyncClient(timeout=PROBE_TIMEOUT) as client:
                    self.discovery = await self._discover(client)
                    answer = await client.get(self.discovery.jwks_uri)
                    answer.raise_for_status()
                    self.keys = _signing_keys(answer.json())
            except (httpx.HTTPError, ValueError, KeyError, jwt.PyJWTError) as error:
                self._reached(False)
                log.warning("identity provider not reached", extra={"issuer": self.issuer,
                            "error": f"{type(error).__name__}: {error}"})  # fmt: skip
                return False
            self.fetched_at = time.time()
            self._reached(True)
            return True

    async def probe(self) -> bool:
        """Whether the provider answers now (its discovery document), for ``/health``."""
        try:
            async with httpx.AsyncClient(timeout=PROBE_TIMEOUT) as client:
                await self._discover(client)
        except (httpx.HTTPError, ValueError, KeyError):
            self._reached(False)
            return False
        self._reached(True)
        return True

    async def discovered(self) -> Discovery:
        """The discovery document (fetched once, then as the keys are)."""
        if self.discovery is None and not await self.refresh():
            raise httpx.ConnectError(f"the identity provider {self.issuer} does not answer")
        assert self.discovery is not None
        return self.discovery

    def _reached(self, up: bool) -> None:
        self.reachable = up
        IDENTITY_PROVIDER_UP.labels(self.service).set(1 if up else 0)
        JWKS_REFRESHES.labels(self.service, "ok" if up else "failed").inc()

    async def _discover(self, client: httpx.AsyncClient) -> Discovery:
        answer = await client.get(f"{self.issuer}/.well-known/openid-configuration")
        answer.raise_for_status()
        found = answer.json()
        if found["issuer"].rstrip("/") != self.issuer:  # OpenID Connect Discovery §4.3
            raise ValueError(f"the provider calls itself {found['issuer']}, not {self.issuer}")
        return Discovery(
            issuer=found["issuer"], jwks_uri=found["jwks_uri"],
            token_endpoint=found["token_endpoint"],
            authorization_endpoint=found["authorization_endpoint"],
            end_session_endpoint=found.get("end_session_endpoint"),
        )  # fmt: skip


def _signing_keys(jwks: Mapping[str, Any]) -> dict[str, jwt.PyJWK]:
    """The keys for verifying signatures, by ``kid``; others (encryption, no kid, a type
    this library cannot use) are left out."""
    keys = {}
    for data in jwks.get("keys", []):
        if data.get("use", "sig") != "sig" or not data.get("kid"):
            continue
        try:
            keys[data["kid"]] = jwt.PyJWK(data)
        except jwt.PyJWTError:
            log.warning("identity provider key not usable", extra={"kid": data.get("kid")})
    return keys


class ProviderTokens:
    """Verifies tokens the provider signed, for ``audience``."""

    def __init__(self, keys: ProviderKeys, settings: ServiceSettings) -> None:
        self.keys = keys
        self.algorithms = frozenset(settings.oidc_algorithms)
        self.skew = settings.oidc_clock_skew_seconds

    async def claims(self, token: str, audience: str) -> dict[str, Any]:
        """The token's claims once its signature, issuer, audience and times hold."""
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError as error:
            raise TokenRefused(str(error)) from error
        algorithm, kid = header.get("alg"), header.get("kid")
        if algorithm not in self.algorithms:
            raise TokenRefused(f"the algorithm {algorithm!r} is not accepted")
        if not isinstance(kid, str) or not kid:
            raise TokenRefused("the token names no signing key (kid)")
        key = await self.keys.key(kid)
        if key is None:
            raise TokenRefused(f"the identity provider has no signing key {kid!r}")
        if key.algorithm_name and key.algorithm_name != algorithm:
            raise TokenRefused(f"the key {kid!r} does not sign with {algorithm}")
        try:
            return jwt.decode(
                token, key.key, algorithms=[algorithm], audience=audience,
                issuer=self.keys.issuer, leeway=self.skew,
                options={"require": ["exp", "iat", "iss", "aud", "sub"]},
            )  # fmt: skip
        except jwt.PyJWTError as error:
            raise TokenRefused(str(error)) from error


def scopes_of(
    claims: Mapping[str, Any], roles_claim: str, role_scopes: Mapping[str, Iterable[str]]
) -> frozenset[str]:
    """The rights a token grants: its ``scope`` (a string) or ``scp`` (a list or a string),
    and the scopes its roles (the claim at the dotted path ``roles_claim``) are mapped to."""
    granted: set[str] = set()
    for name in ("scope", "scp"):
        value = claims.get(name)
        if isinstance(value, str):
            granted.update(value.split())
        elif isinstance(value, list):
            granted.update(v for v in value if isinstance(v, str))
    roles: Any = claims
    for part in roles_claim.split(".") if roles_claim else []:
        roles = roles.get(part) if isinstance(roles, Mapping) else None
    if isinstance(roles, str):
        roles = [roles]
    for role in roles if isinstance(roles, list) else []:
        if isinstance(role, str):
            granted.update(role_scopes.get(role, ()))
    return frozenset(granted)


class ServiceTokens:
    """This service's own tokens for calling another service: from the provider by client
    credentials (kept until a minute before they expire)."""

    def __init__(self, keys: ProviderKeys, settings: ServiceSettings) -> None:
        self.keys = keys
        self.client_id, self.client_secret = settings.oidc_client_id, settings.oidc_client_secret
        self.resource = settings.oidc_resource
        self._kept: dict[tuple[str, ...], tuple[str, float]] = {}

    async def token(self, scopes: list[str]) -> str:
        wanted = tuple(sorted(scopes))
        kept = self._kept.get(wanted)
        if kept and kept[1] > time.time() + 60:
            return kept[0]
        if not self.client_id:
            raise RuntimeError("IRP_OIDC_CLIENT_ID is not set: this service cannot call others")
        endpoint = (await self.keys.discovered()).token_endpoint
        extra = {"resource": self.resource} if self.resource else {}
        try:
            async with AsyncOAuth2Client(self.client_id, self.client_secret, timeout=10) as client:
                answer = await client.fetch_token(
                    endpoint, grant_type="client_credentials", scope=" ".join(wanted), **extra
                )
        except AuthlibBaseError as refused:  # the provider said no: as unreachable to callers
            raise httpx.HTTPError(f"the identity provider refused a token: {refused}") from refused
        expires = float(answer.get("expires_at") or time.time() + answer.get("expires_in", 300))
        self._kept[wanted] = (answer["access_token"], expires)
        return answer["access_token"]
