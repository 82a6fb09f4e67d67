"""The OpenAPI document says what the API really answers on errors: RFC 9457 problems
(``application/problem+json``), not FastAPI's default validation body — 422 on every operation
that validates input, 401 and 403 on every ``/v1`` operation."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from shared.http.problems import PROBLEM_JSON

PROBLEM_SCHEMA: dict[str, Any] = {
    "title": "Problem",
    "description": "RFC 9457 problem details",
    "type": "object",
    "required": ["type", "title", "status"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer", "minimum": 400, "maximum": 599},
        "detail": {"type": "string"},
        "instance": {"type": "string"},
        "correlation_id": {"type": "string", "description": "find the request in the logs"},
        "errors": {
            "type": "array",
            "description": "on 422: each invalid field and why (never the value sent)",
            "items": {
                "type": "object",
                "required": ["field", "message", "type"],
                "properties": {
                    "field": {"type": "string"},
                    "message": {"type": "string"},
                    "type": {"type": "string"},
                },
            },
        },
    },
    "additionalProperties": True,
}
_ERRORS = {
    "401": "no valid access token",
    "403": "the token lacks the scope this operation needs",
    "422": "the request is invalid",
}


def _problem(description: str) -> dict[str, Any]:
    schema = {"$ref": "#/components/schemas/Problem"}
    return {"description": description, "content": {PROBLEM_JSON: {"schema": schema}}}


def problem_openapi(app: FastAPI) -> dict[str, Any]:
    """The app's schema with the problem responses, built once."""
    if app.openapi_schema is None:
        schema = get_openapi(title=app.title, version=app.version, routes=app.routes)
        for path, operations in schema.get("paths", {}).items():
            for operation in operations.values():
                responses = operation.setdefault("responses", {})
                codes = ["401", "403"] if path.startswith("/v1/") else []
                if "422" in responses:
                    codes.append("422")
                for code in codes:
                    responses[code] = _problem(_ERRORS[code])
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        components.pop("HTTPValidationError", None)
        components.pop("ValidationError", None)
        components["Problem"] = PROBLEM_SCHEMA
        app.openapi_schema = schema
    return app.openapi_schema
