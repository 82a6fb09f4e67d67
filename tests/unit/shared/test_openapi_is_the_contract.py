"""Each service's OpenAPI document is the whole contract an integrating system codes against:
every operation, parameter, schema and field described, every error a problem, examples that
the schemas accept, one name per path parameter and stable operation ids."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from services import NAMES
from tests.contracts.snapshot import openapi

DOCUMENTS = {name: openapi(name) for name in NAMES}
JSON = "application/json"


def _operations(doc: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, operations in doc["paths"].items():
        for method, operation in operations.items():
            yield path, method, operation


def _properties(schema: dict[str, Any], where: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every property of ``schema`` and of the object schemas inside it."""
    for name, prop in schema.get("properties", {}).items():
        yield f"{where}.{name}", prop
        yield from _properties(prop, f"{where}.{name}")
    for key in ("items", "additionalProperties"):
        if isinstance(schema.get(key), dict):
            yield from _properties(schema[key], f"{where}[]")
    for key in ("anyOf", "oneOf", "allOf"):
        for part in schema.get(key, []):
            yield from _properties(part, where)


def _schema_of(doc: dict[str, Any], content: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    schema = content.get(JSON, {}).get("schema", {})
    ref = schema.get("$ref") or schema.get("items", {}).get("$ref", "")
    name = ref.rsplit("/", 1)[-1]
    return name, doc["components"]["schemas"].get(name, schema)


@pytest.mark.parametrize("service", NAMES)
def test_every_operation_has_a_summary_and_a_description(service: str) -> None:
    missing = [
        f"{method.upper()} {path}"
        for path, method, operation in _operations(DOCUMENTS[service])
        if not operation.get("summary") or not operation.get("description")
    ]
    assert missing == []


@pytest.mark.parametrize("service", NAMES)
def test_every_parameter_is_described(service: str) -> None:
    missing = [
        f"{method.upper()} {path} {p['in']} {p['name']}"
        for path, method, operation in _operations(DOCUMENTS[service])
        for p in operation.get("parameters", [])
        if not p.get("description")
    ]
    assert missing == []


@pytest.mark.parametrize("service", NAMES)
def test_every_schema_and_every_field_is_described(service: str) -> None:
    schemas = DOCUMENTS[service]["components"]["schemas"]
    missing = [name for name, schema in schemas.items() if not schema.get("description")]
    missing += [
        where
        for name, schema in schemas.items()
        for where, prop in _properties(schema, name)
        if not prop.get("description")
    ]
    assert missing == []


@pytest.mark.parametrize("service", NAMES)
def test_every_tag_is_described(service: str) -> None:
    doc = DOCUMENTS[service]
    described = {t["name"] for t in doc.get("tags", []) if t.get("description")}
    used = {tag for _, _, operation in _operations(doc) for tag in operation.get("tags", [])}
    assert used - described == set()


@pytest.mark.parametrize("service", NAMES)
def test_operation_ids_are_unique_snake_case_names(service: str) -> None:
    ids = [operation["operationId"] for _, _, operation in _operations(DOCUMENTS[service])]
    assert len(ids) == len(set(ids))
    assert [i for i in ids if not re.fullmatch(r"[a-z]+(_[a-z0-9]+)*", i)] == []


@pytest.mark.parametrize("service", NAMES)
def test_one_resource_names_its_path_parameter_the_same_on_every_route(service: str) -> None:
    names: dict[str, set[str]] = {}
    for path in DOCUMENTS[service]["paths"]:
        for found in re.finditer(r"\{([^}]+)\}", path):
            names.setdefault(path[: found.start()], set()).add(found.group(1))
    assert {prefix: n for prefix, n in names.items() if len(n) > 1} == {}


@pytest.mark.parametrize("service", NAMES)
def test_every_error_is_a_problem_and_every_v1_operation_lists_its_refusals(service: str) -> None:
    doc = DOCUMENTS[service]
    for path, method, operation in _operations(doc):
        responses = operation["responses"]
        for code, response in responses.items():
            if code >= "400" and not path.startswith("/health"):  # a probe's 503 is its body
                name = response["$ref"].rsplit("/", 1)[-1]
                content = doc["components"]["responses"][name]["content"]
                assert list(content) == ["application/problem+json"], (path, code)
        if path.startswith("/v1/"):
            assert {"401", "403", "500"} <= set(responses), (method, path)
            scopes = [s for requirement in operation["security"] for s in requirement["HTTPBearer"]]
            assert scopes, (method, path)  # the scopes it needs, stated
        if "{" in path:
            assert "404" in responses, (method, path)


@pytest.mark.parametrize("service", ["visits", "agreements", "passports"])
def test_creations_and_conditional_changes_document_their_headers(service: str) -> None:
    for path, _, operation in _operations(DOCUMENTS[service]):
        headers = {p["name"].lower() for p in operation.get("parameters", [])}
        success = next(operation["responses"][c] for c in sorted(operation["responses"]))
        if "idempotency-key" in headers:
            assert {"Location", "ETag"} <= set(success["headers"]), path
        if "if-match" in headers:
            assert "412" in operation["responses"], path
            assert "ETag" in success["headers"], path


def _examples(doc: dict[str, Any]) -> Iterator[tuple[str, str, list[Any]]]:
    """Each JSON request body and 2xx answer: where, its schema's name and its examples."""
    for path, method, operation in _operations(doc):
        body = operation.get("requestBody", {}).get("content", {})
        if JSON in body:
            name, schema = _schema_of(doc, body)
            yield f"{method.upper()} {path} body", name, schema.get("examples", [])
        for code, response in operation["responses"].items():
            if code.startswith("2") and JSON in response.get("content", {}):
                name, schema = _schema_of(doc, response["content"])
                if name:
                    yield f"{method.upper()} {path} {code}", name, schema.get("examples", [])


@pytest.mark.parametrize("service", NAMES)
def test_every_request_body_and_answer_has_an_example_its_schema_accepts(service: str) -> None:
    doc = DOCUMENTS[service]
    seen = list(_examples(doc))
    assert seen
    assert [where for where, _, examples in seen if not examples] == []
    for where, name, examples in seen:
        validator = Draft202012Validator(
            {"$ref": f"#/components/schemas/{name}", "components": doc["components"]}
        )
        for example in examples:
            errors = [f"{e.json_path}: {e.message}" for e in validator.iter_errors(example)]
            assert errors == [], where


@pytest.mark.parametrize("service", NAMES)
def test_each_problem_response_has_an_example_of_its_own_status(service: str) -> None:
    doc = DOCUMENTS[service]
    validator = Draft202012Validator(
        {"$ref": "#/components/schemas/Problem", "components": doc["components"]}
    )
    for name, response in doc["components"]["responses"].items():
        media = response["content"]["application/problem+json"]
        assert list(validator.iter_errors(media["example"])) == [], name
    for _, _, operation in _operations(doc):
        for code, response in operation["responses"].items():
            if "$ref" in response:
                name = response["$ref"].rsplit("/", 1)[-1]
                content = doc["components"]["responses"][name]["content"]
                assert content["application/problem+json"]["example"]["status"] == int(code)
