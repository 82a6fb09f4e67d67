"""OAuth2 bearer JWT access tokens with scopes, verified against a configured key."""

from __future__ import annotations

import time
from dataclasses import dataclass

import jwt
from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from shared.http.problems import Problem
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
)

_bearer = HTTPBearer(auto_error=False, description="OAuth2 access token (JWT)")


@dataclass(frozen=True)
class Principal:
    subject: str
    scopes: frozenset[str]


class TokenVerifier:
    def __init__(self, settings: ServiceSettings) -> None:
        if not settings.jwt_secret:
            raise RuntimeError("IRP_JWT_SECRET is not set: the service cannot verify tokens")
        self.key = settings.jwt_secret
        self.algorithm = settings.jwt_algorithm
        self.issuer = settings.jwt_issuer
        self.audience = settings.jwt_audience

    def verify(self, token: str) -> Principal:
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
            raise Problem(
                401,
                "Invalid access token",
                str(exc),
                headers={"WWW-Authenticate": 'Bearer error="invalid_token"'},
            ) from exc
        scopes = claims.get("scope", "")
        if not isinstance(scopes, str):
            raise Problem(401, "Invalid access token", "scope claim must be a string")
        return Principal(subject=str(claims["sub"]), scopes=frozenset(scopes.split()))


def issue_token(
    settings: ServiceSettings, subject: str, scopes: list[str], ttl_seconds: int = 8 * 3600
) -> str:
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


def require_scope(scope: str, *, token_in_query: bool = False):  # type: ignore[no-untyped-def]
    """A dependency: the caller's token must carry ``scope``.

    ``token_in_query`` also accepts ``?access_token=`` (RFC 6750 §2.3), for feeds that
    calendar clients subscribe to and cannot send headers with.
    """

    async def dependency(
        request: Request, credentials: HTTPAuthorizationCredentials | None = Depends(_bearer)
    ) -> Principal:
        if credentials is None and token_in_query and request.query_params.get("access_token"):
            credentials = HTTPAuthorizationCredentials(
                scheme="Bearer", credentials=request.query_params["access_token"]
            )
        if credentials is None:
            raise Problem(
                401,
                "Authentication required",
                "send an OAuth2 bearer access token",
                headers={"WWW-Authenticate": "Bearer"},
            )
        principal = request.app.state.ctx.verifier.verify(credentials.credentials)
        if scope not in principal.scopes:
            raise Problem(
                403,
                "Insufficient scope",
                f"this operation requires the scope '{scope}'",
                headers={"WWW-Authenticate": f'Bearer error="insufficient_scope", scope="{scope}"'},
                required_scope=scope,
            )
        return principal

    return Depends(dependency)
