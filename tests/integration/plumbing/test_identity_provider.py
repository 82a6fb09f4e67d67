"""Tokens from the ministry's identity provider, a real OpenID Connect provider
(oidc-provider) started for each test: an integrating system's client-credentials token
with the scope writes, one without it is refused; rotated keys are taken without a restart
and removed ones refused; forged tokens are refused; a flood of unknown key ids does not
hammer the provider; with the provider away the kept keys serve and /health says degraded."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
import time
import uuid

from prometheus_client import REGISTRY

from services.notifications.heads import DirectoryHeads
from shared.auth import token_verifier
from shared.identity import ProviderKeys
from tests.harness import VISIT, eventually, running, settings_for
from tests.identity import SigningKey


def _issuer_mode(provider, tmp_path, kafka, prefix, service="visits", **overrides):  # type: ignore[no-untyped-def]
    url = f"sqlite:///{tmp_path}/{service}-{uuid.uuid4().hex[:6]}.db"
    values = {"jwt_secret": "", "oidc_issuer": provider.issuer, "oidc_refresh_min_seconds": 1.0}
    return settings_for(service, url, kafka.bootstrap, prefix, **{**values, **overrides})


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def _create(service, token: str) -> int:  # type: ignore[no-untyped-def]
    answer = await service.client.post("/v1/visits", json=VISIT, headers=_bearer(token))
    return answer.status_code


async def test_a_client_credentials_token_with_the_scope_writes_and_one_without_is_refused(
    identity_providers, tmp_path, kafka, prefix
):
    provider = identity_providers()
    settings = _issuer_mode(
        provider, tmp_path, kafka, prefix, oidc_role_scopes={"irp-visits": ["visits:write"]}
    )
    async with running("visits", settings) as visits:
        writer = provider.client_token("visits-writer", "visits:write")
        reader = provider.client_token("visits-reader", "visits:read")
        assert await _create(visits, writer) == 201
        refused = await visits.client.post("/v1/visits", json=VISIT, headers=_bearer(reader))
        assert refused.status_code == 403
        assert refused.json()["required_scope"] == "visits:write"
        listed = await visits.client.get("/v1/visits", headers=_bearer(reader))
        assert listed.status_code == 200
        # a right given as a role, mapped by IRP_OIDC_ROLE_SCOPES
        by_role = provider.sign(provider.keys[0], scope="", roles=["irp-visits"])
        assert await _create(visits, by_role) == 201


async def test_rotated_keys_are_taken_without_a_restart_and_a_removed_key_is_refused(
    identity_providers, tmp_path, kafka, prefix
):
    provider = identity_providers()
    settings = _issuer_mode(provider, tmp_path, kafka, prefix, oidc_keys_cache_seconds=2.0)
    old_key = provider.keys[0]
    async with running("visits", settings) as visits:
        before = provider.client_token("visits-writer", "visits:write")
        assert await _create(visits, before) == 201
        new_key = SigningKey("key-2")
        provider.restart([new_key, old_key])  # the new key signs; the old one still verifies
        after = provider.client_token("visits-writer", "visits:write")
        assert json.loads(base64.urlsafe_b64decode(after.split(".")[0] + "=="))["kid"] == "key-2"

        async def new_key_accepted() -> bool:  # an unknown kid fetches the keys again
            return await _create(visits, after) == 201

        await eventually(new_key_accepted, timeout=15)
        assert await _create(visits, before) == 201
        provider.restart([new_key])  # the old key removed

        async def old_key_refused() -> bool:  # once the kept keys are older than their time
            return await _create(visits, before) == 401

        await eventually(old_key_refused, timeout=15)
        assert await _create(visits, after) == 201


def _segment(data: dict[str, object]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


async def test_forged_and_misused_tokens_are_refused(identity_providers, tmp_path, kafka, prefix):
    provider = identity_providers()
    key = provider.keys[0]
    now = int(time.time())
    claims = {"iss": provider.issuer, "aud": "irp-api", "sub": "forger", "iat": now,
              "exp": now + 300, "scope": "visits:write"}  # fmt: skip
    unsigned = f"{_segment({'alg': 'none', 'kid': key.kid})}.{_segment(claims)}."
    signing_input = f"{_segment({'alg': 'HS256', 'kid': key.kid})}.{_segment(claims)}"
    mac = hmac.new(key.public_pem(), signing_input.encode(), hashlib.sha256).digest()
    with_public_key_as_secret = (
        f"{signing_input}.{base64.urlsafe_b64encode(mac).rstrip(b'=').decode()}"
    )
    forged = {
        "another key with the same kid": provider.sign(SigningKey(key.kid)),
        "alg none": unsigned,
        "HS256 with the public key as its secret": with_public_key_as_secret,
        "expired": provider.sign(key, iat=now - 7200, exp=now - 3600),
        "not yet valid": provider.sign(key, nbf=now + 3600),
        "another audience": provider.sign(key, aud="another-api"),
        "another issuer": provider.sign(key, iss="http://127.0.0.1:1/other"),
        "no key id": provider.sign(key).replace(
            provider.sign(key).split(".")[0], _segment({"alg": "RS256"})
        ),
    }
    async with running("visits", _issuer_mode(provider, tmp_path, kafka, prefix)) as visits:
        assert await _create(visits, provider.sign(key)) == 201  # the key itself is good
        refused = {}
        for why, token in forged.items():
            answer = await visits.client.post("/v1/visits", json=VISIT, headers=_bearer(token))
            refused[why] = (answer.status_code, answer.headers.get("content-type"))
    assert refused == {why: (401, "application/problem+json") for why in forged}


def _fetches(service: str) -> float:
    value = REGISTRY.get_sample_value(
        "irp_identity_provider_fetches_total", {"service": service, "outcome": "ok"}
    )
    return value or 0.0


async def test_a_flood_of_unknown_key_ids_fetches_the_keys_at_most_once_a_while(
    identity_providers, tmp_path, kafka, prefix
):
    provider = identity_providers()
    settings = _issuer_mode(provider, tmp_path, kafka, prefix, oidc_refresh_min_seconds=30.0)
    async with running("visits", settings) as visits:
        assert await _create(visits, provider.client_token("visits-writer", "visits:write")) == 201
        before = _fetches("visits")
        for n in range(50):
            made_up = provider.sign(SigningKey(f"made-up-{n}"))
            assert await _create(visits, made_up) == 401
        assert _fetches("visits") - before <= 1


async def test_with_the_provider_away_kept_keys_serve_and_health_is_degraded(
    identity_providers, tmp_path, kafka, prefix
):
    provider = identity_providers()
    settings = _issuer_mode(provider, tmp_path, kafka, prefix, oidc_keys_cache_seconds=1.0)
    async with running("visits", settings) as visits:
        token = provider.client_token("visits-writer", "visits:write")
        assert await _create(visits, token) == 201
        healthy = (await visits.client.get("/health")).json()
        assert healthy["checks"]["identity_provider"] == "ok"
        provider.stop()
        await asyncio.sleep(1.5)  # the kept keys are older than their time: a fetch fails
        assert await _create(visits, token) == 201
        health = (await visits.client.get("/health")).json()
        assert health["status"] == "degraded"
        assert health["checks"]["identity_provider"] == "down"
        assert health["checks"]["identity_keys_age_seconds"] >= 1
        up = REGISTRY.get_sample_value("irp_identity_provider_up", {"service": "visits"})
        assert up == 0


async def test_a_service_calls_another_with_its_own_client_credentials(
    identity_providers, tmp_path, kafka, prefix
):
    provider = identity_providers()
    settings = _issuer_mode(
        provider, tmp_path, kafka, prefix, service="notifications",
        oidc_client_id="irp-notifications", oidc_client_secret="notify-secret-0123456789abcdef",
    )  # fmt: skip
    keys = ProviderKeys(settings)
    heads = DirectoryHeads(settings, identity=keys)
    token = await heads.tokens.token(["directory:read"])
    principal = await token_verifier(settings, keys).verify(token)
    assert principal.subject == "irp-notifications"
    assert "directory:read" in principal.scopes
