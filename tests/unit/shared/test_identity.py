"""The rules of tokens from the identity provider that need no provider: which rights a
token's claims grant, and the settings that keep the two token modes apart."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from services.cli import main as irp
from shared.auth import issue_token
from shared.identity import scopes_of
from shared.settings import load_settings

ROLES = {"irp-office": ["reports:read"], "irp-protocol": ["visits:read", "visits:write"]}


@pytest.mark.parametrize(
    ("claims", "roles_claim", "granted"),
    [
        ({"scope": "visits:read visits:write"}, "roles", {"visits:read", "visits:write"}),
        ({"scp": ["agreements:read"]}, "roles", {"agreements:read"}),
        ({"scp": "agreements:read reports:read"}, "roles", {"agreements:read", "reports:read"}),
        ({"roles": ["irp-office"]}, "roles", {"reports:read"}),
        ({"realm_access": {"roles": ["irp-protocol", "offline_access"]}},
         "realm_access.roles", {"visits:read", "visits:write"}),
        ({"groups": "irp-office"}, "groups", {"reports:read"}),
        ({"scope": "visits:read", "roles": ["irp-office"]}, "roles",
         {"visits:read", "reports:read"}),
        ({"roles": ["someone-else"], "scope": 42, "scp": [1, None]}, "roles", set()),
        ({"realm_access": "not an object"}, "realm_access.roles", set()),
    ],
)  # fmt: skip
def test_rights_come_from_scope_scp_and_mapped_roles(claims, roles_claim, granted):
    assert scopes_of(claims, roles_claim, ROLES) == granted


def test_an_identity_provider_and_a_shared_secret_are_never_both_set():
    with pytest.raises(ValidationError, match="IRP_JWT_SECRET"):
        load_settings("visits", oidc_issuer="https://login.example", jwt_secret="s" * 40)


@pytest.mark.parametrize("algorithm", ["HS256", "none", "HS512"])
def test_only_signatures_with_public_keys_can_be_accepted(algorithm):
    with pytest.raises(ValidationError, match="public keys"):
        load_settings("visits", oidc_algorithms=["RS256", algorithm])


def test_no_token_is_made_locally_when_the_provider_issues_them(monkeypatch):
    settings = load_settings("cli", oidc_issuer="https://login.example")
    with pytest.raises(RuntimeError, match="identity provider"):
        issue_token(settings, "someone", ["visits:write"])
    monkeypatch.setenv("IRP_OIDC_ISSUER", "https://login.example")
    monkeypatch.delenv("IRP_JWT_SECRET", raising=False)
    with pytest.raises(SystemExit, match="client credentials"):
        irp(["token", "--scope", "visits:read"])
