"""Which changes of an event's JSON Schema break its consumers: a field removed, retyped,
or no longer always present, in the event or in a type it uses. Adding a field, or a
value to the values a field may take, breaks nobody (consumers ignore what they do not
know). A breaking change must come as a new version of the event type (``.v2``)."""

from __future__ import annotations

from typing import Any


def breaking_changes(old: dict[str, Any], new: dict[str, Any], where: str = "") -> list[str]:
    found = _object_changes(old, new, where)
    old_defs, new_defs = old.get("$defs", {}), new.get("$defs", {})
    for name, definition in old_defs.items():
        if name not in new_defs:
            found += [f"{where}{name}: the type is gone"]
        else:
            found += _object_changes(definition, new_defs[name], f"{where}{name}.")
    return found


def _object_changes(old: dict[str, Any], new: dict[str, Any], where: str) -> list[str]:
    found = []
    old_fields, new_fields = old.get("properties", {}), new.get("properties", {})
    always_before, always_now = set(old.get("required", [])), set(new.get("required", []))
    for field, schema in old_fields.items():
        if field not in new_fields:
            found.append(f"{where}{field}: removed")
            continue
        if _types(schema) - _types(new_fields[field]) or _shape(schema) != _shape(
            new_fields[field]
        ):
            found.append(f"{where}{field}: retyped")
        if field in always_before and field not in always_now:
            found.append(f"{where}{field}: no longer always present")
    return found


def _types(schema: dict[str, Any]) -> set[str]:
    """What a field's value may be, as a consumer reads it (null included)."""
    if "anyOf" in schema:
        return set().union(*(_types(s) for s in schema["anyOf"]))
    if "$ref" in schema:
        return {schema["$ref"]}
    kind = schema.get("type", "any")
    return {f"{kind}:{schema.get('format', '')}"}


def _shape(schema: dict[str, Any]) -> Any:
    """What else a consumer relies on: the items of a list, a fixed value."""
    if "anyOf" in schema:
        return [_shape(s) for s in schema["anyOf"] if s.get("type") != "null"]
    return (schema.get("const"), _types(schema.get("items", {})) if "items" in schema else None)
