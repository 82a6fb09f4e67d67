"""The OpenAPI document says everything the API really answers.

FastAPI documents the success and a validation error in its own shape. The rules every
operation follows live once in the shared plumbing, so they are stated once here, from what
the operation declares:

- every error is an RFC 9457 problem (``application/problem+json``), one named response per
  status under ``components/responses``;
- 401 and 403 on every ``/v1`` operation; 404 where a path names a resource; 400, 413 and 422
  where a JSON body is read; 422 where parameters are validated; 409 and 422 on every write
  (a transition not allowed, a business rule, a unique value taken twice); 412 where
  ``If-Match`` is honoured; 400 where a cursor or an ``Idempotency-Key`` is read; 431 and 500
  anywhere; and what a route declares itself (404 where a body or query names a resource:
  ``REFERS``);
- ``ETag`` on every answer that carries a resource's version (reads of one resource, changes
  under ``If-Match``, creations), ``Location`` on creations, ``Idempotent-Replayed`` on
  creations answered again for the same key.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator, Mapping
from typing import Any, get_args

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute, iter_route_contexts
from pydantic import BaseModel

from shared.http.examples import EXAMPLE_ID, EXAMPLE_MOMENT
from shared.http.pagination import encode_cursor
from shared.http.problems import PROBLEM_JSON

PROBLEM_SCHEMA: dict[str, Any] = {
    "title": "Problem",
    "description": "RFC 9457 problem details: what went wrong, for a person and for a program",
    "type": "object",
    "required": ["type", "title", "status"],
    "properties": {
        "type": {
            "type": "string",
            "description": "always about:blank: the status and title say what kind of problem",
        },
        "title": {"type": "string", "description": "a short, fixed summary of the problem kind"},
        "status": {
            "type": "integer",
            "minimum": 400,
            "maximum": 599,
            "description": "the HTTP status, repeated for clients that lose it",
        },
        "detail": {"type": "string", "description": "what was wrong with this request"},
        "instance": {"type": "string", "description": "the path the request was sent to"},
        "correlation_id": {
            "type": "string",
            "description": "the request's id: quote it to find the request in the service's logs",
        },
        "errors": {
            "type": "array",
            "description": "on 422: each invalid field and why (never the value sent)",
            "items": {
                "type": "object",
                "description": "one invalid field",
                "required": ["field", "message"],
                "properties": {
                    "field": {
                        "type": "string",
                        "description": "where: body.title.en, query.limit, header.if-match",
                    },
                    "message": {"type": "string", "description": "why, in English"},
                    "type": {
                        "type": "string",
                        "description": "the kind of error, stable for programs (missing, "
                        "string_too_long, enum...)",
                    },
                    "row": {
                        "type": "integer",
                        "description": "on an import: the sheet's row (the header is row 1)",
                    },
                },
            },
        },
        "allowed": {
            "type": "array",
            "items": {"type": "string"},
            "description": "on a refused transition (409): the states the resource may go to",
        },
        "current": {
            "type": "string",
            "description": "on a refused transition (409): the resource's state now",
        },
        "requested": {
            "type": "string",
            "description": "on a refused transition (409): the state asked for",
        },
        "current_etag": {
            "type": "string",
            "description": "on 412: the resource's current ETag",
        },
        "required_scope": {
            "type": "string",
            "description": "on 403: the scope the operation needs",
        },
    },
    "additionalProperties": True,
}

# status → (name under components/responses, what it means here)
PROBLEMS: dict[str, tuple[str, str]] = {
    "400": (
        "BadRequest",
        "The request cannot be read: the body is not valid JSON, or a cursor or an "
        "Idempotency-Key is not one this service issued or accepts.",
    ),
    "401": (
        "Unauthorized",
        "No valid access token: missing, expired, or not signed with the ministry's key. "
        "WWW-Authenticate says which.",
    ),
    "403": (
        "Forbidden",
        "The token is valid but lacks the scope this operation needs (required_scope).",
    ),
    "404": ("NotFound", "Nothing the path names exists."),
    "409": (
        "Conflict",
        "The change conflicts with the resource's current state: a transition not allowed "
        "from it (allowed lists where it may go), or a value that must be unique taken twice.",
    ),
    "412": (
        "PreconditionFailed",
        "If-Match names a version that is no longer current: read the resource again "
        "(current_etag) and decide on the change anew.",
    ),
    "413": ("ContentTooLarge", "The body is over the service's size limit for this path."),
    "422": (
        "UnprocessableContent",
        "A field or parameter is invalid (errors lists each, never echoing the value), or a "
        "business rule refuses the request (detail says which).",
    ),
    "431": ("HeadersTooLarge", "The request line and headers are over the size limit."),
    "500": (
        "InternalError",
        "An unexpected error. Nothing was half-written; quote correlation_id to the operators.",
    ),
}

# status → an example of its problem (title, detail and the extensions it carries)
PROBLEM_EXAMPLES: dict[str, tuple[str, str, dict[str, Any]]] = {
    "400": ("Malformed JSON", "the request body is not valid JSON", {}),
    "401": ("Authentication required", "send an OAuth2 bearer access token", {}),
    "403": (
        "Insufficient scope",
        "this operation requires the scope 'visits:write'",
        {"required_scope": "visits:write"},
    ),
    "404": ("Not found", f"no visit with id {EXAMPLE_ID}", {}),
    "409": (
        "Transition not allowed",
        "cannot go from 'completed' to 'planned'",
        {"current": "completed", "requested": "planned", "allowed": ["reported"]},
    ),
    "412": (
        "Precondition failed",
        "the resource changed since you read it; fetch it again",
        {"current_etag": '"4"'},
    ),
    "413": ("Content too large", "the request body may have at most 1048576 bytes", {}),
    "422": (
        "Invalid request",
        "one or more fields are invalid",
        {
            "errors": [
                {
                    "field": "body.end_date",
                    "message": "Input should be a valid date",
                    "type": "date_from_datetime_parsing",
                }
            ]
        },
    ),
    "431": (
        "Request header fields too large",
        "the request line and headers may have at most 16384 bytes",
        {},
    ),
    "500": ("Internal error", "the error was logged under this correlation id", {}),
}

HEADERS: dict[str, dict[str, Any]] = {
    "ETag": {
        "description": 'The resource\'s version as a strong entity tag, e.g. "3". Send it '
        "back in If-Match to change the resource only if nobody changed it since.",
        "required": True,
        "schema": {"type": "string", "pattern": '^"[0-9]+"$'},
    },
    "Location": {
        "description": "Where the created resource is read.",
        "required": True,
        "schema": {"type": "string", "format": "uri-reference"},
    },
    "Idempotent-Replayed": {
        "description": "true when this answer repeats the one given to the first request "
        "with the same Idempotency-Key (nothing was created again).",
        "schema": {"type": "string", "enum": ["true"]},
    },
}

# A route that looks up a resource its body or query names (not its path) declares this.
REFERS: dict[int | str, dict[str, Any]] = {404: {"description": "a resource named is unknown"}}

_WRITES = {"post", "put", "patch", "delete"}
_VERSIONED_ANSWER = ("ETag",)
_CREATED_ANSWER = ("ETag", "Location", "Idempotent-Replayed")


def _header_names(operation: Mapping[str, Any], where: str) -> set[str]:
    return {p["name"].lower() for p in operation.get("parameters", []) if p["in"] == where}


def _statuses(path: str, method: str, operation: Mapping[str, Any]) -> list[str]:
    headers = _header_names(operation, "header")
    query = _header_names(operation, "query")
    body = operation.get("requestBody", {}).get("content", {})
    codes = ["431", "500", *(c for c in operation.get("responses", {}) if c in PROBLEMS)]
    if path.startswith("/v1/"):
        codes += ["401", "403"]
        if method in _WRITES:
            codes += ["409", "422"]
    if "{" in path:
        codes.append("404")
    if operation.get("parameters"):
        codes.append("422")
    if body:
        codes += ["413", "422"]
    if "application/json" in body or "idempotency-key" in headers or "cursor" in query:
        codes.append("400")
    if "if-match" in headers:
        codes.append("412")
    return sorted(set(codes))


def _answer_headers(path: str, method: str, operation: Mapping[str, Any]) -> tuple[str, ...]:
    headers = _header_names(operation, "header")
    if "idempotency-key" in headers:
        return _CREATED_ANSWER
    one_resource = path.startswith("/v1/") and path.endswith("}") and "/reports/" not in path
    if "if-match" in headers or (method == "get" and one_resource):
        return _VERSIONED_ANSWER
    return ()


def _link_creations(paths: dict[str, Any]) -> None:
    """OpenAPI links from each creation to what can be done with what it created: the new
    ``id`` fills the next path parameter (``POST /v1/visits`` → ``GET /v1/visits/{visit_id}``).
    Clients and generators follow them; the fuzzer uses them to reach real resources."""
    for path, operations in paths.items():
        created = operations.get("post", {}).get("responses", {}).get("201")
        if created is None:
            continue
        own = re.findall(r"\{([^}]+)\}", path)
        links = {}
        for other, their_operations in paths.items():
            found = re.match(re.escape(path) + r"/\{([^}]+_id)\}", other)
            if found is None:
                continue
            parameters = {name: f"$request.path.{name}" for name in own}
            parameters[found.group(1)] = "$response.body#/id"
            for operation in their_operations.values():
                if set(re.findall(r"\{([^}]+)\}", other)) <= set(parameters):
                    links[operation["operationId"]] = {
                        "operationId": operation["operationId"],
                        "parameters": parameters,
                    }
        if links:
            created["links"] = links


def _describe_ids(operation: dict[str, Any]) -> None:
    """A path's ``{visit_id}`` is always the ``id`` the service gave the visit."""
    for parameter in operation.get("parameters", []):
        name = parameter["name"]
        if parameter["in"] == "path" and name.endswith("_id") and "description" not in parameter:
            noun = name[:-3].replace("_", " ")
            parameter["description"] = f"the {noun}'s id, as the service gave it (its id field)"


def _document_operation(path: str, method: str, operation: dict[str, Any]) -> None:
    _describe_ids(operation)
    responses = operation.setdefault("responses", {})
    for code in _statuses(path, method, operation):
        responses[code] = {"$ref": f"#/components/responses/{PROBLEMS[code][0]}"}
    success = next((code for code in sorted(responses) if code.startswith("2")), None)
    if success == "201" and responses["201"].get("description") == "Successful Response":
        responses["201"]["description"] = "Created; Location (when given) says where it is read"
    names = _answer_headers(path, method, operation)
    if success and names:
        responses[success]["headers"] = {n: {"$ref": f"#/components/headers/{n}"} for n in names}


def _describe_pages(schemas: dict[str, Any]) -> None:
    """A page's description, and its example: its item's, with a cursor to the next page."""
    for name, schema in schemas.items():
        item = schemas.get(name.removeprefix("Page_").removesuffix("_"), {})
        if name.startswith("Page_"):
            schema.setdefault("description", "One page of the list; next_cursor leads on.")
        if name.startswith("Page_") and item.get("examples") and "examples" not in schema:
            cursor = encode_cursor([EXAMPLE_MOMENT, EXAMPLE_ID])
            schema["examples"] = [{"items": item["examples"][:1], "next_cursor": cursor}]


def _problem_example(status: str) -> dict[str, Any]:
    title, detail, extensions = PROBLEM_EXAMPLES[status]
    return {
        "type": "about:blank",
        "title": title,
        "status": int(status),
        "detail": detail,
        "instance": f"/v1/visits/{EXAMPLE_ID}/transitions",
        "correlation_id": "5f0c9d7e-6b2a-4c1d-9e8f-0a1b2c3d4e5f",
        **extensions,
    }


def _components(schema: dict[str, Any]) -> None:
    components = schema.setdefault("components", {})
    schemas = components.setdefault("schemas", {})
    _describe_pages(schemas)
    schemas.pop("HTTPValidationError", None)
    schemas.pop("ValidationError", None)
    schemas["Problem"] = PROBLEM_SCHEMA
    components["responses"] = {
        name: {
            "description": meaning,
            "content": {
                PROBLEM_JSON: {
                    "schema": {"$ref": "#/components/schemas/Problem"},
                    "example": _problem_example(status),
                }
            },
        }
        for status, (name, meaning) in PROBLEMS.items()
    }
    components["headers"] = copy.deepcopy(HEADERS)
    for scheme in components.get("securitySchemes", {}).values():
        scheme.update(
            bearerFormat="JWT",
            description="An access token (JWT) whose scope claim lists the scopes granted, "
            "space-separated; each operation's security requirement lists the scopes it needs.",
        )


def _models(annotation: Any) -> Iterator[type[BaseModel]]:
    """The models in ``annotation`` (``Page[X]``, ``list[X]``, ``X | None``) and in their
    fields, each once."""
    seen: set[type[BaseModel]] = set()
    stack = [annotation]
    while stack:
        current = stack.pop()
        if isinstance(current, type) and issubclass(current, BaseModel):
            if current not in seen:
                seen.add(current)
                stack += [f.annotation for f in current.model_fields.values()]
        else:
            stack += list(get_args(current))
    yield from seen


def _restore_examples(routes: list[Any], schemas: dict[str, Any]) -> None:
    """FastAPI leaves nulls out of the document, but an example's nulls are part of it
    (a required field that may be null): put each model's examples back as it states them."""
    for context in iter_route_contexts(routes):
        route = context.original_route
        if not isinstance(route, APIRoute):
            continue
        annotations = [route.response_model] + [
            p.field_info.annotation for p in route.dependant.body_params
        ]
        for model in (m for a in annotations for m in _models(a)):
            extra = model.model_config.get("json_schema_extra")
            if isinstance(extra, dict) and model.__name__ in schemas and "examples" in extra:
                schemas[model.__name__]["examples"] = extra["examples"]


def operation_id(route: APIRoute) -> str:
    """The route's own name (``create_visit``): stable across paths and FastAPI versions."""
    return route.name


def problem_openapi(
    app: FastAPI, *, description: str = "", tags: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """The app's schema with the problem responses and headers, built once."""
    if app.openapi_schema is None:
        schema = get_openapi(
            title=app.title,
            version=app.version,
            description=description,
            routes=app.routes,
            tags=[{"name": n, "description": d} for n, d in (tags or {}).items()],
        )
        for path, operations in schema.get("paths", {}).items():
            for method, operation in operations.items():
                _document_operation(path, method, operation)
        _link_creations(schema.get("paths", {}))
        _restore_examples(app.routes, schema.get("components", {}).get("schemas", {}))
        _components(schema)
        app.openapi_schema = schema
    return app.openapi_schema
