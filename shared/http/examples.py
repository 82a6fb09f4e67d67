"""The OpenAPI documents' examples: fictitious ids and moments, and the model configuration
that puts examples in a model's JSON Schema (the suite checks each against its schema)."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict

M = TypeVar("M", bound=type[BaseModel])

EXAMPLE_ID = "9b2f0c1e-2a51-4d1a-8f43-3c1e0f6a7b10"
OTHER_ID = "3d6a8e42-7c1b-4f9e-9a05-b1c2d3e4f5a6"
EXAMPLE_MOMENT = "2026-11-28T09:30:00Z"


def examples(*values: dict[str, Any], **config: Any) -> ConfigDict:
    """``model_config`` with these examples (and any other ``config``)."""
    return ConfigDict(json_schema_extra={"examples": list(values)}, **config)


def as_kept(example: dict[str, Any], **more: Any) -> dict[str, Any]:
    """A request body's example as the service answers it: with its id and bookkeeping."""
    return {
        **example,
        "id": EXAMPLE_ID,
        "version": 1,
        "created_at": EXAMPLE_MOMENT,
        "updated_at": EXAMPLE_MOMENT,
        **more,
    }


def with_examples(model: M, *values: dict[str, Any]) -> M:
    """``model`` (made at run time, e.g. by ``input_model``) with these examples."""
    model.model_config["json_schema_extra"] = {"examples": list(values)}
    return model
