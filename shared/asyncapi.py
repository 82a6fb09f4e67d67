"""The event contract of a producing service as an AsyncAPI 3.0 document.

Built from the pydantic contracts (``shared.contracts``), so it cannot drift from what the
relay publishes: one channel (the service's topic), one ``send`` operation, one message
per event type. A message is the CloudEvents envelope in structured mode (the whole
envelope is the Kafka value, ``application/cloudevents+json``), its ``data`` the event's
own schema; the Kafka key is the aggregate id.
"""

from __future__ import annotations

import re
from typing import Any

from shared.contracts import contract_for
from shared.contracts.base import types_of
from shared.envelope import CONTENT_TYPE, EventEnvelope

_REF = "#/components/schemas/{model}"


def message_name(event_type: str) -> str:
    """``irp.visits.VisitCreated.v1`` -> ``VisitCreatedV1``."""
    _, _, name, version = event_type.split(".")
    return f"{name}{version.upper()}"


def event_schema(event_type: str) -> dict[str, Any]:
    """The event's ``data`` as a standalone JSON Schema (what ``/events/schemas/`` serves)."""
    model = contract_for(event_type)
    if model is None:
        raise KeyError(event_type)
    schema = model.model_json_schema()
    schema["$id"] = f"urn:irp:event:{event_type}"
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return schema


def document(service: str, topic: str, bootstrap: str = "kafka:9092") -> dict[str, Any]:
    """The AsyncAPI 3.0 document of ``service``'s events on ``topic``."""
    schemas: dict[str, Any] = {"CloudEventsEnvelope": _envelope_schema()}
    messages: dict[str, Any] = {}
    for event_type in types_of(service):
        model = contract_for(event_type)
        assert model is not None
        data = model.model_json_schema(ref_template=_REF)
        schemas.update(data.pop("$defs", {}))
        name = message_name(event_type)
        schemas[name] = data
        messages[name] = _message(event_type, name, model.aggregate_type, model.__doc__)
    channel = f"{service}Events"
    return {
        "asyncapi": "3.0.0",
        "info": {
            "title": f"IRP {service} events",
            "version": "1",
            "description": (
                f"Every domain event of the {service} service, published once per change "
                "through its transactional outbox, in order per aggregate (the key). "
                "Event types are versioned (`.v1`): a change that removes or retypes a "
                "field comes as a new version, published beside the old one."
            ),
        },
        "defaultContentType": CONTENT_TYPE,
        "servers": {
            "kafka": {
                "host": bootstrap,
                "protocol": "kafka",
                "description": "the ministry's Kafka cluster (IRP_KAFKA_BOOTSTRAP)",
            }
        },
        "channels": {
            channel: {
                "address": topic,
                "title": f"{service} events",
                "description": "One topic per producing service; partitioned by the key.",
                "messages": {n: {"$ref": f"#/components/messages/{n}"} for n in messages},
            }
        },
        "operations": {
            f"publish{service.capitalize()}Events": {
                "action": "send",
                "title": f"The {service} service publishes its events",
                "channel": {"$ref": f"#/channels/{channel}"},
                "messages": [{"$ref": f"#/channels/{channel}/messages/{n}"} for n in messages],
            }
        },
        "components": {"messages": messages, "schemas": schemas},
    }


def _message(event_type: str, name: str, aggregate: str, doc: str | None) -> dict[str, Any]:
    summary = " ".join((doc or "").split()) or f"{event_type} happened"
    return {
        "name": name,
        "title": event_type,
        "summary": summary,
        "contentType": CONTENT_TYPE,
        "payload": {
            "allOf": [
                {"$ref": "#/components/schemas/CloudEventsEnvelope"},
                {
                    "type": "object",
                    "properties": {
                        "type": {"const": event_type},
                        "aggregatetype": {"const": aggregate},
                        "data": {"$ref": _REF.format(model=name)},
                    },
                },
            ]
        },
        "bindings": {
            "kafka": {
                "key": {"type": "string", "description": f"the {aggregate}'s id"},
                "bindingVersion": "0.5.0",
            }
        },
    }


def _envelope_schema() -> dict[str, Any]:
    """CloudEvents 1.0 attributes and the extensions every IRP event carries."""
    schema = EventEnvelope.model_json_schema(ref_template=_REF)
    described = {
        "id": "unique per event: consumers skip one they have seen",
        "source": "/irp/<service>",
        "type": "the event type, versioned: irp.<service>.<Name>.v<N>",
        "time": "when it happened (UTC, ISO 8601)",
        "subject": "<aggregate type>/<aggregate id>",
        "aggregatetype": "extension: the kind of record that changed",
        "aggregateid": "extension: its id (also the Kafka key)",
        "aggregateversion": "extension: the record's version after the change (1, 2, …)",
        "correlationid": "extension: the request that caused it (X-Correlation-ID)",
        "data": "the event's own fields (its message's schema)",
    }
    for field, text in described.items():
        schema["properties"][field]["description"] = text
    schema["description"] = "CloudEvents 1.0, structured mode (the whole envelope is the value)."
    return schema


def html(document: dict[str, Any]) -> str:
    """The document as a readable page, with nothing loaded from outside."""
    from html import escape

    channel = next(iter(document["channels"].values()))
    schemas = document["components"]["schemas"]
    rows = []
    for name, message in document["components"]["messages"].items():
        fields = schemas[name].get("properties", {})
        required = set(schemas[name].get("required", []))
        items = "".join(
            f"<tr><td><code>{escape(f)}</code></td><td>{escape(_type_of(s))}</td>"
            f"<td>{'yes' if f in required else ''}</td></tr>"
            for f, s in fields.items()
        )
        rows.append(
            f"<section id='{escape(name)}'><h2>{escape(message['title'])}</h2>"
            f"<p>{escape(message['summary'])}</p><table><thead><tr><th>data field</th>"
            f"<th>type</th><th>required</th></tr></thead><tbody>{items}</tbody></table></section>"
        )
    info = document["info"]
    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>{escape(info['title'])}</title><style>{_STYLE}</style></head><body>"
        f"<h1>{escape(info['title'])}</h1><p>{escape(info['description'])}</p>"
        f"<p>Topic <code>{escape(channel['address'])}</code>; key: the aggregate id; value: "
        f"the CloudEvents envelope (<code>{escape(document['defaultContentType'])}</code>). "
        "The machine-readable document: <a href='asyncapi.json'>asyncapi.json</a>; each "
        "event's JSON Schema: <code>/events/schemas/&lt;type&gt;.json</code>.</p>"
        + "".join(rows)
        + "</body></html>"
    )


def _type_of(schema: dict[str, Any]) -> str:
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[-1]
    if "anyOf" in schema:
        return " or ".join(_type_of(s) for s in schema["anyOf"])
    if schema.get("type") == "array":
        return f"list of {_type_of(schema.get('items', {}))}"
    kind = schema.get("type", "any")
    return f"{kind} ({schema['format']})" if "format" in schema else str(kind)


_STYLE = re.sub(
    r"\s+",
    " ",
    """body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;
    color:#1b1b1b}h1{color:#1f3a68}h2{font-size:1.05rem;margin-top:1.6rem}
    table{border-collapse:collapse;width:100%}td,th{border:1px solid #ccd;padding:.25rem .5rem;
    text-align:left}th{background:#dde4ee}code{font-size:.95em}""",
)
