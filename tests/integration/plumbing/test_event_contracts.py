"""Each producing service publishes its event contract itself: an AsyncAPI 3.0 document
that the AsyncAPI Initiative's own schema accepts, whose references all resolve and whose
message schemas accept the events the services really publish; a page of it; and each
event type's JSON Schema."""

from __future__ import annotations

import copy
import json
import re
from datetime import date

import httpx
import jsonschema
import pytest
from referencing import Registry, Resource

from services import spec
from shared.app import create_service_app
from shared.contracts.base import LocalizedText, types_of
from shared.contracts.visits import VisitCreatedV1
from shared.envelope import EventEnvelope
from shared.settings import load_settings
from tests.contracts.snapshot import HERE

PRODUCERS = ("visits", "agreements", "passports")
SPEC = json.loads((HERE / "vendor" / "asyncapi-3.0.0.schema.json").read_text())


async def _get(service: str, path: str, tmp_path) -> httpx.Response:  # type: ignore[no-untyped-def]
    settings = load_settings(
        service, database_url=f"sqlite:///{tmp_path}/db.sqlite", jwt_secret="x" * 40
    )
    app = create_service_app(spec(service), settings)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://irp"
    ) as client:
        return await client.get(path)


def _problems(document: dict) -> list[str]:
    return [e.message for e in jsonschema.Draft7Validator(SPEC).iter_errors(document)]


def _refs(node) -> list[str]:  # type: ignore[no-untyped-def]
    if isinstance(node, dict):
        own = [node["$ref"]] if "$ref" in node else []
        return own + [r for v in node.values() for r in _refs(v)]
    if isinstance(node, list):
        return [r for v in node for r in _refs(v)]
    return []


def _resolves(document: dict, ref: str) -> bool:
    node = document
    for part in ref.removeprefix("#/").split("/"):
        if not isinstance(node, dict) or part not in node:
            return False
        node = node[part]
    return True


@pytest.mark.parametrize("service", PRODUCERS)
async def test_the_asyncapi_document_is_valid_and_names_every_event(service, tmp_path):
    answer = await _get(service, "/asyncapi.json", tmp_path)
    assert answer.status_code == 200
    document = answer.json()

    assert _problems(document) == []
    assert [r for r in _refs(document) if not _resolves(document, r)] == []
    titles = {m["title"] for m in document["components"]["messages"].values()}
    assert titles == set(types_of(service)) and titles
    (channel,) = document["channels"].values()
    assert channel["address"] == f"irp.{service}.events.v1"


def test_the_validator_refuses_what_is_not_asyncapi_3():
    document = {"asyncapi": "3.0.0", "info": {"title": "t", "version": "1"}}
    assert _problems(document) == []
    wrong = copy.deepcopy(document) | {"operations": {"x": {"action": "publish"}}}
    assert _problems(wrong)  # 2.x wording, and no channel


async def test_a_published_event_is_what_its_message_schema_describes(tmp_path):
    document = (await _get("visits", "/asyncapi.json", tmp_path)).json()
    event = VisitCreatedV1(
        visit_id="v1", direction="incoming", kind="official", status="draft",
        title=LocalizedText(en="Visit"), start_date=date(2026, 3, 2),
    )  # fmt: skip
    envelope = EventEnvelope.wrap(
        event, service="visits", aggregate_id="v1", aggregate_version=1, correlation_id=None
    )
    value = json.loads(envelope.to_bytes())
    registry = Registry().with_resource("urn:irp:asyncapi", Resource.opaque(document))
    message = {"$ref": "urn:irp:asyncapi#/components/messages/VisitCreatedV1/payload"}
    validator = jsonschema.Draft202012Validator(message, registry=registry)
    assert list(validator.iter_errors(value)) == []
    value["data"]["title"] = "not a bilingual text"
    assert list(validator.iter_errors(value))
    other = {"$ref": "urn:irp:asyncapi#/components/messages/VisitCancelledV1/payload"}
    assert list(jsonschema.Draft202012Validator(other, registry=registry).iter_errors(value))


async def test_the_events_page_and_each_events_schema_are_served_offline(tmp_path):
    page = await _get("agreements", "/asyncapi", tmp_path)
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert all(t in page.text for t in types_of("agreements"))
    assert not re.findall(r"""(?:src|href)=["'](?:https?:)?//""", page.text)

    schema = await _get("visits", "/events/schemas/irp.visits.VisitCreated.v1.json", tmp_path)
    assert schema.status_code == 200 and "title" in schema.json()["properties"]
    unknown = await _get("visits", "/events/schemas/irp.agreements.ObligationCreated.v1.json",
                         tmp_path)  # fmt: skip
    assert unknown.status_code == 404
    assert unknown.headers["content-type"] == "application/problem+json"
    assert (await _get("reporting", "/asyncapi.json", tmp_path)).status_code == 404
