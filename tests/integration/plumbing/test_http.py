"""The HTTP conventions every integrating system relies on, over each service's real app."""

from __future__ import annotations

import re

import pytest

from services.agreements import tables as agreements_tables
from services.passports import tables as passports_tables
from services.visits import tables as visits_tables
from tests.harness import VISIT, auth, count_rows, running, settings_for

PROBLEM = "application/problem+json"


@pytest.fixture
async def visits(tmp_path, kafka, prefix):
    settings = settings_for("visits", f"sqlite:///{tmp_path}/v.db", kafka.bootstrap, prefix)
    async with running("visits", settings) as service:
        yield service


@pytest.mark.parametrize(
    ("body", "content", "status"),
    [
        (None, b'{"direction": "incoming",', 400),  # malformed JSON
        (None, b"[1, 2]", 422),  # not an object
        ({**VISIT, "start_date": 20260110}, None, 422),  # wrong type
        ({**VISIT, "kind": "secret"}, None, 422),  # not one of the kinds
        ({**VISIT, "unexpected": True}, None, 422),  # unknown field
        ({**VISIT, "country_code": "XX"}, None, 422),  # not an ISO 3166-1 code
        ({**VISIT, "start_date": "2026-13-40"}, None, 422),  # out of range
        ({**VISIT, "end_date": "2025-01-01"}, None, 422),  # ends before it starts
        ({**VISIT, "title": {"ka": "", "en": ""}}, None, 422),  # no title in any language
        ({**VISIT, "city": "x" * 201}, None, 422),  # too long
    ],
)
async def test_bad_input_gets_a_problem_and_changes_nothing(visits, body, content, status):
    answer = await visits.client.post(
        "/v1/visits",
        json=body,
        content=content,
        headers={**auth(), "Content-Type": "application/json"},
    )
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"] == PROBLEM
    problem = answer.json()
    assert problem["status"] == status and problem["title"]
    if status == 422 and "errors" in problem:
        assert all(e["field"] and e["message"] for e in problem["errors"])
    assert await count_rows(visits.db, visits_tables.visits) == 0
    assert await count_rows(visits.db, visits_tables.outbox) == 0


async def test_validation_errors_do_not_echo_the_submitted_values(visits):
    answer = await visits.client.post(
        "/v1/visits", json={**VISIT, "city": "Secret-Value-" + "x" * 300}, headers=auth()
    )
    assert answer.status_code == 422
    assert "Secret-Value" not in answer.text


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer not-a-jwt"},
        {"Authorization": "Basic dXNlcjpwYXNz"},
    ],
)
async def test_a_missing_or_bad_token_is_401_and_changes_nothing(visits, headers):
    answer = await visits.client.post("/v1/visits", json=VISIT, headers=headers)
    assert answer.status_code == 401
    assert answer.headers["content-type"] == PROBLEM
    assert answer.headers["www-authenticate"].startswith("Bearer")
    assert await count_rows(visits.db, visits_tables.visits) == 0


async def test_a_token_signed_with_another_key_is_refused(visits):
    from shared.auth import issue_token
    from shared.settings import load_settings

    forged = issue_token(
        load_settings("cli", jwt_secret="another-key-" + "y" * 40), "x", ["visits:write"]
    )
    answer = await visits.client.post(
        "/v1/visits", json=VISIT, headers={"Authorization": f"Bearer {forged}"}
    )
    assert answer.status_code == 401


@pytest.mark.parametrize("service", ["visits", "agreements", "passports", "reporting"])
async def test_every_v1_route_needs_its_scope(tmp_path, kafka, prefix, service):
    settings = settings_for(
        service,
        f"sqlite:///{tmp_path}/{service}.db",
        kafka.bootstrap,
        prefix,
        run_relay=False,
        run_consumers=False,
    )
    async with running(service, settings) as svc:
        paths = {p: ops for p, ops in svc.app.openapi()["paths"].items() if p.startswith("/v1/")}
        assert paths
        for template, operations in paths.items():
            path = re.sub(r"\{[^}]+\}", "00000000-0000-0000-0000-000000000000", template)
            for method in operations:
                anonymous = await svc.client.request(method, path)
                assert anonymous.status_code == 401, (method, path)
                wrong = await svc.client.request(method, path, headers=auth("unrelated:read"))
                assert wrong.status_code == 403, (method, path)
                assert wrong.headers["content-type"] == PROBLEM


async def test_a_retried_create_with_the_same_idempotency_key_creates_once(visits):
    headers = {**auth(), "Idempotency-Key": "retry-123"}
    first = await visits.client.post("/v1/visits", json=VISIT, headers=headers)
    again = await visits.client.post("/v1/visits", json=VISIT, headers=headers)
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert again.headers["idempotent-replayed"] == "true"
    assert await count_rows(visits.db, visits_tables.visits) == 1
    assert await count_rows(visits.db, visits_tables.outbox) == 1

    other = await visits.client.post(
        "/v1/visits", json={**VISIT, "city": "Batumi"}, headers=headers
    )
    assert other.status_code == 422
    assert "Idempotency-Key" in other.json()["title"]
    assert await count_rows(visits.db, visits_tables.visits) == 1


async def test_a_stale_if_match_is_refused_with_412(visits):
    headers = auth()
    created = await visits.client.post("/v1/visits", json=VISIT, headers=headers)
    url = f"/v1/visits/{created.json()['id']}"
    etag = (await visits.client.get(url, headers=headers)).headers["etag"]
    moved = await visits.client.post(
        f"{url}/transitions", json={"to": "planned"}, headers={**headers, "If-Match": etag}
    )
    assert moved.status_code == 200
    assert moved.headers["etag"] != etag
    stale = await visits.client.post(
        f"{url}/transitions", json={"to": "confirmed"}, headers={**headers, "If-Match": etag}
    )
    assert stale.status_code == 412
    assert (await visits.client.get(url, headers=headers)).json()["status"] == "planned"


async def test_a_transition_the_lifecycle_forbids_is_409_listing_the_allowed_ones(visits):
    headers = auth()
    created = await visits.client.post("/v1/visits", json=VISIT, headers=headers)
    url = f"/v1/visits/{created.json()['id']}/transitions"
    answer = await visits.client.post(url, json={"to": "completed"}, headers=headers)
    assert answer.status_code == 409
    assert answer.json()["allowed"] == ["cancelled", "planned"]
    refused = await visits.client.post(url, json={"to": "cancelled"}, headers=headers)
    assert refused.status_code == 422  # a cancellation needs a reason
    assert await count_rows(visits.db, visits_tables.outbox) == 1


async def test_lists_are_cursor_paginated_and_filtered(visits):
    headers = auth()
    for n in range(7):
        body = {**VISIT, "direction": "outgoing" if n % 2 else "incoming"}
        assert (
            await visits.client.post("/v1/visits", json=body, headers=headers)
        ).status_code == 201
    seen: list[str] = []
    cursor = None
    while True:
        params = {"limit": 3, "direction": "incoming"} | ({"cursor": cursor} if cursor else {})
        page = (await visits.client.get("/v1/visits", params=params, headers=headers)).json()
        seen += [v["id"] for v in page["items"]]
        assert all(v["direction"] == "incoming" for v in page["items"])
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == len(set(seen)) == 4
    bad = await visits.client.get("/v1/visits", params={"cursor": "%%%"}, headers=headers)
    assert bad.status_code == 400


async def test_unknown_visit_is_404_problem(visits):
    answer = await visits.client.get("/v1/visits/nope", headers=auth())
    assert answer.status_code == 404
    assert answer.headers["content-type"] == PROBLEM


async def test_agreement_and_holder_bad_input_changes_nothing(tmp_path, kafka, prefix):
    for service, path, body, table in (
        (
            "agreements",
            "/v1/agreements",
            {"agreement_type": "memorandum", "title": {"en": "MoU"}, "parties": {},
             "funding": {"amount": "-5", "currency": "EUR"}},
            agreements_tables.agreements,
        ),
        (
            "passports",
            "/v1/holders",
            {"name_ka": "გიორგი", "personal_number": "123", "date_of_birth": "1980-01-01",
             "category": "minister"},
            passports_tables.holders,
        ),
    ):  # fmt: skip
        settings = settings_for(
            service, f"sqlite:///{tmp_path}/{service}.db", kafka.bootstrap, prefix, run_relay=False
        )
        async with running(service, settings) as svc:
            answer = await svc.client.post(path, json=body, headers=auth())
            assert answer.status_code == 422, answer.text
            assert answer.headers["content-type"] == PROBLEM
            assert await count_rows(svc.db, table) == 0
