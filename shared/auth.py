"""OAuth2 bearer JWT access tokens with scopes, verified against a configured key.

Every ``/v1`` request is authenticated by :class:`AuthenticationMiddleware` before routing,
so a caller without a valid token learns nothing from validation (401 before 400/404/405/422);
each route's :func:`require_scope` then checks the scope it needs (403).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Protocol

import jwt
from fastapi import Depends, Request, Security
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.datastructures import Headers, QueryParams
from starlette.types import ASGIApp, Receive, Scope, Send

from shared.http.problems import Problem, problem_response
from shared.identity import ProviderKeys, ProviderTokens, ServiceTokens, TokenRefused, scopes_of
from shared.settings import ServiceSettings

SCOPES = (
    "visits:read",
    "visits:write",
    "agreements:read",
    "agreements:write",
    "passports:read",
    "passports:write",
    "passports:pii",
    "passports:audit",
    "reports:read",
    "directory:read",
    "directory:write",
    "directory:audit",
    "notifications:read",
)

_bearer = HTTPBearer(auto_error=False, description="OAuth2 access token (JWT)")


@dataclass(frozen=True)
class Principal:
    subject: str
    scopes: frozenset[str]


def _invalid_token(detail: str) -> Problem:
    return Problem(401, "Invalid access token", detail,
                   headers={"WWW-Authenticate": 'Bearer error="invalid_token"'})  # fmt: skip


class TokenVerifier(Protocol):
    """How a service checks the bearer tokens it is sent."""

    async def verify(self, token: str) -> Principal: ...


class SharedSecretVerifier:
    """The local mode (``make run``, ``irp token``): HS256 tokens made with
    ``IRP_JWT_SECRET``. Refused when an identity provider is configured."""

    def __init__(self, settings: ServiceSettings) -> None:
        if not settings.jwt_secret:
            raise RuntimeError(
                "neither IRP_OIDC_ISSUER nor IRP_JWT_SECRET is set: no token can be verified"
            )
        self.key = settings.jwt_secret
        self.algorithm = settings.jwt_algorithm
        self.issuer = settings.jwt_issuer
        self.audience = settings.jwt_audience

    async def verify(self, token: str) -> Principal:
        try:
            claims = jwt.decode(
                token,
                self.key,
                algorithms=[self.algorithm],
                issuer=self.issuer,
                audience=self.audience,
                options={"require": ["exp", "sub", "iss", "aud"]},
            )
        except jwt.PyJWTError as exc:
            raise _invalid_token(str(exc)) from exc
        scopes = claims.get("scope", "")
        if not isinstance(scopes, str):
            raise _invalid_token("scope claim must be a string")
        return Principal(subject=str(claims["sub"]), scopes=frozenset(scopes.split()))


class ProviderVerifier:
    """Tokens the ministry's identity provider signed for IRP (``IRP_JWT_AUDIENCE``), their
    rights from ``scope``/``scp`` and from the roles mapped by ``IRP_OIDC_ROLE_SCOPES``."""

    def __init__(self, keys: ProviderKeys, settings: ServiceSettings) -> None:
        self.tokens = ProviderTokens(keys, settings)
        self.audience = settings.jwt_audience
        self.roles_claim, self.role_scopes = settings.oidc_roles_claim, settings.oidc_role_scopes

    async def verify(self, token: str) -> Principal:
        try:
            claims = await self.tokens.claims(token, self.audience)
        except TokenRefused as refused:
            raise _invalid_token(str(refused)) from refused
        scopes = scopes_of(claims, self.roles_claim, self.role_scopes)
        return Principal(subject=str(claims["sub"]), scopes=scopes)


def token_verifier(settings: ServiceSettings, keys: ProviderKeys | None) -> TokenVerifier:
    """The provider's keys when one is configured, else the local shared secret."""
    return ProviderVerifier(keys, settings) if keys else SharedSecretVerifier(settings)


def issue_token(
    settings: ServiceSettings, subject: str, scopes: list[str], ttl_seconds: int = 8 * 3600
) -> str:
    """A local-mode token; never with an identity provider configured."""
    if settings.oidc_issuer:
        raise RuntimeError(
            "IRP_OIDC_ISSUER is set: tokens come from the identity provider, not from IRP"
        )
    now = int(time.time())
    claims = {
        "sub": subject,
        "scope": " ".join(scopes),
        "iss": settings.jwt_issuer,
        "aud": settings.jwt_audience,
        "iat": now,
        "exp": now + ttl_seconds,
    }
    return jwt.encode(claims, settings.jwt_secret, algorithm=settings.jwt_algorithm)


class CallerTokens:
    """A service's own tokens for calling another service: the identity provider's (client
    credentials) when one is configured, else made locally with the shared secret."""

    def __init__(self, settings: ServiceSettings, identity: ProviderKeys | None) -> None:
        self.settings = settings
        self.provider = ServiceTokens(identity, settings) if identity else None

    async def token(self, scopes: list[str]) -> str:
        if self.provider is not None:
            return await self.provider.token(scopes)
        return issue_token(self.settings, f"irp-{self.settings.service}", scopes, 300)


def _authentication_required() -> Problem:
    return Problem(
        401,
        "Authentication required",
        "send an OAuth2 bearer access token",
        headers={"WWW-Authenticate": "Bearer"},
    )


_PRINCIPAL = "irp.principal"
_TOKEN_IN_QUERY = "irp.token_in_query"


def _token(scope: Scope) -> tuple[str | None, bool]:
    """The bearer token of a request, and whether it came as ``?access_token=``."""
    authorization = Headers(scope=scope).get("authorization", "")
    kind, _, value = authorization.partition(" ")
    if authorization:
        return (value.strip() or None) if kind.lower() == "bearer" else None, False
    query = QueryParams(scope.get("query_string", b"")).get("access_token")
    return query or None, query is not None


class AuthenticationMiddleware:
    """Pure ASGI: a ``/v1`` request without a valid token is refused (401 problem+json) before
    routing, validation or reading its body. ``OPTIONS`` (which reveals only the methods of a
    path) is left to the router."""

    def __init__(self, app: ASGIApp, verifier: TokenVerifier) -> None:
        self.app = app
        self.verifier = verifier

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] == "http"
            and scope["method"] != "OPTIONS"
            and (scope["path"] + "/").startswith("/v1/")
        ):
            token, in_query = _token(scope)
            try:
                if token is None:
                    raise _authentication_required()
                principal = await self.verifier.verify(token)
            except Problem as refused:
                response = problem_response(
                    refused.status, refused.title, refused.detail,
                    instance=scope["path"], headers=refused.headers,
                )  # fmt: skip
                await response(scope, receive, send)
                return
            state = scope.setdefault("state", {})
            state[_PRINCIPAL], state[_TOKEN_IN_QUERY] = principal, in_query
        await self.app(scope, receive, send)


def require_scope(scope: str, *, token_in_query: bool = False):  # type: ignore[no-untyped-def]
    """A dependency: the caller's token must carry ``scope``.

    ``token_in_query`` also accepts ``?access_token=`` (RFC 6750 §2.3), for feeds that
    calendar clients subscribe to and cannot send headers with.
    """

    async def dependency(
        request: Request, _credentials: HTTPAuthorizationCredentials | None = Depends(_bearer)
    ) -> Principal:
        state = request.scope.get("state", {})
        principal = state.get(_PRINCIPAL)
        if principal is None or (state.get(_TOKEN_IN_QUERY) and not token_in_query):
            raise _authentication_required()
        if scope not in principal.scopes:
            raise Problem(
                403,
                "Insufficient scope",
                f"this operation requires the scope '{scope}'",
                headers={"WWW-Authenticate": f'Bearer error="insufficient_scope", scope="{scope}"'},
                required_scope=scope,
            )
        return principal

    return Security(dependency, scopes=[scope])  # the scope shows in the OpenAPI security
