"""The identity provider of the test session: the npm package ``oidc-provider`` (OpenID
Certified), run with Node.js from ``tests/oidc`` (``make install`` runs ``npm ci`` there).

It is started with signing keys the tests made, so that a key rotation is a restart with
other keys, and so that tests can sign tokens the provider never issued (another key with
the same ``kid``, an expired token, the wrong audience) to see them refused."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from shared.auth import SCOPES
from shared.embedded_broker import free_port

HERE = Path(__file__).parent / "oidc"
REQUIRE_OIDC = os.environ.get("REQUIRE_OIDC") == "1"
AUDIENCE = "irp-api"
RESOURCE = "urn:irp:api"
OFFICE_CLIENT = ("irp-office", "office-secret-0123456789abcdef")
OFFICE_ROLE = "irp-reporting-office"
# integrating systems: their client id, secret and the scopes they may ask for
CLIENTS = {
    "visits-writer": ("writer-secret-0123456789abcdef", "visits:read visits:write"),
    "visits-reader": ("reader-secret-0123456789abcdef", "visits:read"),
    "irp-notifications": ("notify-secret-0123456789abcdef", "directory:read"),
}


def why_not_available() -> str | None:
    """Why the provider cannot be started here (None: it can)."""
    if shutil.which("node") is None:
        return "Node.js is not installed (the identity provider runs on it)"
    if not (HERE / "node_modules" / "oidc-provider").is_dir():
        return "oidc-provider is not installed: run make install (npm ci in tests/oidc)"
    return None


@dataclass
class SigningKey:
    kid: str
    private: rsa.RSAPrivateKey = field(
        default_factory=lambda: rsa.generate_private_key(public_exponent=65537, key_size=2048)
    )

    def jwk(self) -> dict[str, Any]:
        data = json.loads(RSAAlgorithm.to_jwk(self.private))
        data.pop("key_ops", None)  # ["sign"] only: the provider verifies its own tokens too
        return {**data, "kid": self.kid, "alg": "RS256", "use": "sig"}

    def public_pem(self) -> bytes:
        from cryptography.hazmat.primitives import serialization

        return self.private.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )


class IdentityProvider:
    """One oidc-provider process on a free port; ``restart`` with other keys rotates them."""

    def __init__(self, folder: Path, redirect_base: str = "") -> None:
        self.folder = folder
        self.port = free_port()
        self.issuer = f"http://127.0.0.1:{self.port}"
        self.keys: list[SigningKey] = [SigningKey("key-1")]
        self.redirect_base = redirect_base
        self.process: subprocess.Popen[str] | None = None

    def config(self) -> dict[str, Any]:
        clients = [
            {"client_id": cid, "client_secret": secret, "grant_types": ["client_credentials"],
             "redirect_uris": [], "response_types": [], "scope": scope}
            for cid, (secret, scope) in CLIENTS.items()
        ]  # fmt: skip
        if self.redirect_base:
            office, secret = OFFICE_CLIENT
            clients.append({
                "client_id": office, "client_secret": secret,
                "grant_types": ["authorization_code"], "response_types": ["code"],
                "redirect_uris": [f"{self.redirect_base}/office/oidc/callback"],
                "post_logout_redirect_uris": [f"{self.redirect_base}/office/sign-in?lang=en",
                                              f"{self.redirect_base}/office/sign-in?lang=ka"],
            })  # fmt: skip
        return {
            "issuer": self.issuer, "port": self.port, "keys": [k.jwk() for k in self.keys],
            "audience": AUDIENCE, "resource": RESOURCE, "scopes": list(SCOPES),
            "access_token_ttl": 600, "clients": clients,
            "accounts": {"nino": {"roles": [OFFICE_ROLE]}, "guest": {"roles": []}},
        }  # fmt: skip

    def start(self) -> IdentityProvider:
        path = self.folder / f"provider-{self.port}.json"
        path.write_text(json.dumps(self.config()))
        log = (self.folder / "provider.log").open("a")
        self.process = subprocess.Popen(
            ["node", str(HERE / "provider.mjs"), str(path)], cwd=HERE, stdout=log, stderr=log,
            text=True,
        )  # fmt: skip
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.issuer}/.well-known/openid-configuration").is_success:
                    return self
            except httpx.HTTPError:
                time.sleep(0.1)
            if self.process.poll() is not None:
                break
        raise RuntimeError(f"the identity provider did not start: see {self.folder}/provider.log")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(10)
            self.process = None

    def restart(self, keys: list[SigningKey]) -> None:
        """The provider as its operators rotate keys: the first key signs, all are published."""
        self.stop()
        self.keys = keys
        self.start()

    def client_token(self, client_id: str, scope: str) -> str:
        """An integrating system's token, by client credentials."""
        secret, _ = CLIENTS[client_id]
        answer = httpx.post(
            f"{self.issuer}/token", auth=(client_id, secret),
            data={"grant_type": "client_credentials", "scope": scope},
        )  # fmt: skip
        answer.raise_for_status()
        return answer.json()["access_token"]

    def sign(self, key: SigningKey, **claims: Any) -> str:
        """A token signed outside the provider (with a key the tests hold)."""
        now = int(time.time())
        body = {"iss": self.issuer, "aud": AUDIENCE, "sub": "forger", "iat": now,
                "exp": now + 300, "scope": "visits:write", **claims}  # fmt: skip
        return jwt.encode(body, key.private, algorithm="RS256", headers={"kid": key.kid})
