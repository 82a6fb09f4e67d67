"""What callers touch at the edge: limits, authentication first, honest errors, the contract's
small print — on every service's real app."""

from __future__ import annotations

import logging
import re

import pytest
from prometheus_client import generate_latest
from sqlalchemy import text

from services.visits import tables as visits_tables
from tests.harness import VISIT, auth, count_rows, running, settings_for

PROBLEM = "application/problem+json"
SERVICES = ["visits", "agreements", "passports", "reporting"]
MIB = 1024 * 1024


def _quiet(service: str, tmp_path, kafka, prefix, database_url: str | None = None, **overrides):  # type: ignore[no-untyped-def]
    url = database_url or f"sqlite:///{tmp_path}/{service}.db"
    return settings_for(
        service, url, kafka.bootstrap, prefix, run_relay=False, run_consumers=False, **overrides
    )


@pytest.fixture
async def visits(tmp_path, kafka, prefix):
    async with running("visits", _quiet("visits", tmp_path, kafka, prefix)) as service:
        yield service


# --- limits ---


@pytest.mark.parametrize("service", SERVICES)
async def test_a_body_over_the_limit_is_refused_with_413_before_authentication(
    tmp_path, kafka, prefix, service
):
    settings = _quiet(service, tmp_path, kafka, prefix, max_body_bytes=64 * 1024)
    async with running(service, settings) as svc:
        path = next(p for p in svc.app.openapi()["paths"] if p.startswith("/v1/"))
        answer = await svc.client.post(path, content=b"{" + b" " * (65 * 1024) + b"}")
        assert answer.status_code == 413, answer.text
        assert answer.headers["content-type"] == PROBLEM
        assert answer.json()["correlation_id"] == answer.headers["x-correlation-id"]


async def test_a_streamed_body_without_a_length_is_cut_off_at_the_limit(visits):
    sent = 0

    async def chunks():  # type: ignore[no-untyped-def]
        nonlocal sent
        for _ in range(4 * 1024):  # 64 MiB if nobody stopped reading
            sent += 16 * 1024
            yield b" " * (16 * 1024)

    answer = await visits.client.post("/v1/visits", content=chunks(), headers=auth())
    assert answer.status_code == 413
    assert "content-length" not in answer.request.headers
    assert await count_rows(visits.db, visits_tables.visits) == 0


async def test_the_import_takes_a_larger_file_than_other_routes(tmp_path, kafka, prefix):
    settings = _quiet("agreements", tmp_path, kafka, prefix, max_body_bytes=64 * 1024)
    async with running("agreements", settings) as svc:
        sheet = ("ref,kind,title_en\n" + "x" * (100 * 1024) + "\n").encode()
        imported = await svc.client.post(
            "/v1/obligations/import", content=sheet,
            headers={**auth(), "Content-Type": "text/csv"},
        )  # fmt: skip
        assert imported.status_code == 422, imported.text  # read, and refused for its content
        other = await svc.client.post(
            "/v1/agreements", content=sheet, headers={**auth(), "Content-Type": "application/json"}
        )
        assert other.status_code == 413


async def test_invented_methods_and_raw_paths_never_become_metric_labels(visits):
    for i in range(20):
        answer = await visits.client.request(f"INVENTED{i}", f"/v1/visits/{i}")
        assert answer.status_code in (401, 405)
        await visits.client.get(f"/no/such/path/{i}")
    metrics = generate_latest().decode()
    assert "INVENTED" not in metrics
    assert "/no/such/path" not in metrics
    assert re.search(r'irp_http_requests_total\{[^}]*method="other"', metrics)


# --- authentication before validation ---


@pytest.mark.parametrize(
    ("method", "path", "content"),
    [
        ("GET", "/v1/visits?cursor=0000", None),
        ("GET", "/v1/visits?limit=abc&status=nonsense", None),
        ("POST", "/v1/visits", b'{"direction": "incoming",'),
        ("POST", "/v1/visits", b"[1, 2]"),
        ("PATCH", "/v1/visits/some-id", b"{"),
        ("GET", "/v1/calendar.ics?from=9999-99-99", None),
    ],
)
async def test_without_a_token_every_v1_request_is_401_whatever_its_input(
    visits, method, path, content
):
    answer = await visits.client.request(
        method, path, content=content, headers={"Content-Type": "application/json"}
    )
    assert answer.status_code == 401, answer.text
    assert answer.headers["content-type"] == PROBLEM
    assert answer.headers["www-authenticate"].startswith("Bearer")


async def test_a_405_and_options_name_every_method_of_the_path(visits):
    created = await visits.client.post("/v1/visits", json=VISIT, headers=auth())
    path = f"/v1/visits/{created.json()['id']}"
    refused = await visits.client.delete(path, headers=auth())
    assert refused.status_code == 405
    assert refused.headers["content-type"] == PROBLEM
    assert {m.strip() for m in refused.headers["allow"].split(",")} >= {"GET", "PATCH"}
    options = await visits.client.options(path)
    assert options.status_code == 204
    assert {m.strip() for m in options.headers["allow"].split(",")} >= {"GET", "PATCH", "OPTIONS"}


# --- no 500 for any input ---


async def test_a_second_action_plan_for_the_same_year_is_409(databases, kafka, prefix, tmp_path):
    url = await databases.new("a")
    async with running("agreements", _quiet("agreements", tmp_path, kafka, prefix, url)) as svc:
        plan = {"year": 2027, "title": {"en": "Action Plan 2027"}}
        assert (await svc.client.post("/v1/action-plans", json=plan, headers=auth())).is_success
        again = await svc.client.post("/v1/action-plans", json=plan, headers=auth())
        assert again.status_code == 409, again.text
        assert again.headers["content-type"] == PROBLEM
        assert "2027" not in again.json().get("detail", "")


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/v1/visits", {**VISIT, "end_date": "9999-12-31"}),
        ("/v1/visits", {**VISIT, "start_date": "1899-12-31"}),
        ("/v1/business-trips", {"traveller": "N. Beridze", "unit": "EU Integration",
                                "destination_country": "BE", "purpose": {"en": "Talks"},
                                "start_date": "2026-01-01", "end_date": "9999-12-31",
                                "funding": "ministry"}),
    ],
)  # fmt: skip
async def test_dates_outside_what_the_domain_means_are_refused(visits, path, body):
    answer = await visits.client.post(path, json=body, headers=auth())
    assert answer.status_code == 422, answer.text
    assert any(
        "1900-01-01" in e["message"] and "2200-12-31" in e["message"]
        for e in answer.json()["errors"]
    ), answer.json()


async def test_the_calendar_far_in_the_future_is_422_not_500(visits):
    answer = await visits.client.get(
        "/v1/calendar.ics", params={"from": "9999-01-01", "to": "9999-12-31"}, headers=auth()
    )
    assert answer.status_code == 422, answer.text


async def test_the_schema_states_the_bounds_of_dates(visits):
    schemas = visits.app.openapi()["components"]["schemas"]
    end = schemas["VisitIn"]["properties"]["end_date"]
    bounded = end.get("anyOf", [end])[0]
    assert (bounded["formatMinimum"], bounded["formatMaximum"]) == ("1900-01-01", "2200-12-31")


async def test_an_unexpected_error_is_a_500_with_its_correlation_id_and_no_values_in_the_log(
    databases, kafka, prefix, tmp_path, caplog
):
    url = await databases.new("v")
    async with running("visits", _quiet("visits", tmp_path, kafka, prefix, url)) as svc:

        async def broken() -> None:
            async with svc.db.unit_of_work() as session:
                await session.execute(
                    text("SELECT * FROM no_such_table WHERE personal_number = :pn"),
                    {"pn": "Sensitive-01987654321"},
                )

        svc.app.router.add_api_route("/v1/broken", broken, methods=["GET"])
        with caplog.at_level(logging.INFO):
            answer = await svc.client.get(
                "/v1/broken", headers={**auth(), "X-Correlation-ID": "trace-500"}
            )
        assert answer.status_code == 500
        assert answer.headers["content-type"] == PROBLEM
        assert answer.headers["x-correlation-id"] == "trace-500"
        assert answer.json()["correlation_id"] == "trace-500"
        errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
        assert errors and all(r.__dict__.get("correlation_id") == "trace-500" for r in errors)
        logged = "\n".join(f"{r.getMessage()} {r.__dict__} {caplog.text}" for r in caplog.records)
        assert "Sensitive-01987654321" not in logged
        assert "Sensitive-01987654321" not in answer.text


# --- small print ---


@pytest.mark.parametrize("as_of", ["22287", "1732530000.5", "tomorrow", "9999-01-01T00:00:00Z"])
async def test_as_of_is_only_an_iso_8601_moment(tmp_path, kafka, prefix, as_of):
    async with running("reporting", _quiet("reporting", tmp_path, kafka, prefix)) as svc:
        answer = await svc.client.get(
            "/v1/reports/un-obligations", params={"as_of": as_of}, headers=auth()
        )
        assert answer.status_code == 422, answer.text
        assert answer.json()["errors"][0]["field"].endswith("as_of")


@pytest.mark.parametrize("content", [b"\r\xe2\xe0", b"ref,kind\n\xff\xfe\x00", b'"unclosed\x00'])
async def test_an_import_that_is_not_utf8_csv_is_refused_not_a_500(
    tmp_path, kafka, prefix, content
):
    async with running("agreements", _quiet("agreements", tmp_path, kafka, prefix)) as svc:
        answer = await svc.client.post(
            "/v1/obligations/import", content=content,
            headers={**auth(), "Content-Type": "text/csv"},
        )  # fmt: skip
        assert answer.status_code == 422, answer.text
        assert answer.headers["content-type"] == PROBLEM


async def test_the_latest_dates_the_domain_allows_work_end_to_end(visits):
    last = {**VISIT, "direction": "outgoing", "kind": "working", "country_code": "BE",
            "start_date": "2200-12-20", "end_date": "2200-12-31"}  # fmt: skip
    created = await visits.client.post("/v1/visits", json=last, headers=auth())
    assert created.status_code == 201, created.text
    member = {"name_latin": "Tamar Gelashvili", "role": "head", "precedence": 1,
              "passport_holder_id": "00000000-0000-0000-0000-000000000001",
              "passport_type": "diplomatic", "visa": {"status": "not_required"}}  # fmt: skip
    linked = await visits.client.post(
        f"/v1/visits/{created.json()['id']}/delegation", json=member, headers=auth()
    )
    assert linked.status_code == 201, linked.text
    feed = await visits.client.get(
        "/v1/calendar.ics", params={"from": "2200-01-01", "to": "2200-12-31"}, headers=auth()
    )
    assert feed.status_code == 200, feed.text
    assert "BEGIN:VCALENDAR" in feed.text


@pytest.mark.parametrize("official", ["Minister\nX-INJECTED:1", "Tab\there", "\x00"])
async def test_a_calendar_for_an_official_with_control_characters_is_422_not_500(visits, official):
    answer = await visits.client.get(
        "/v1/calendar.ics", params={"official": official}, headers=auth()
    )
    assert answer.status_code == 422, answer.text


def test_the_calendar_name_is_escaped_whatever_it_holds():
    from services.visits.api.ical import build_calendar

    feed = build_calendar([], [], [], official="Line one\nX-INJECTED:1").decode()
    assert "X-INJECTED" not in feed.replace("\\nX-INJECTED", "")
