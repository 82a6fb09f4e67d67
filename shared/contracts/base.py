"""Base of every event contract and the registry of published event types."""

from __future__ import annotations

from typing import ClassVar

from pydantic import BaseModel, ConfigDict, Field

_REGISTRY: dict[str, type[EventData]] = {}


class EventData(BaseModel):
    """The ``data`` of an event. Subclasses name their CloudEvents ``type``.

    Contracts never carry personal numbers, passport numbers or dates of birth.
    """

    model_config = ConfigDict(frozen=True, extra="ignore")

    event_type: ClassVar[str]
    aggregate_type: ClassVar[str]

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        event_type = cls.__dict__.get("event_type")
        if event_type:
            if event_type in _REGISTRY:
                raise ValueError(f"event type {event_type} registered twice")
            _REGISTRY[event_type] = cls


def contract_for(event_type: str) -> type[EventData] | None:
    """The contract of ``event_type``; ``shared.contracts`` imports every producer's module."""
    return _REGISTRY.get(event_type)


def registered_types() -> list[str]:
    return sorted(_REGISTRY)


def types_of(service: str) -> list[str]:
    """The event types ``service`` publishes (``irp.<service>.<Name>.v<N>``)."""
    return [t for t in registered_types() if t.startswith(f"irp.{service}.")]


class LocalizedText(BaseModel):
    """Text the office writes in Georgian and English."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    ka: str = Field("", max_length=4000, description="the text in Georgian")
    en: str = Field("", max_length=4000, description="the text in English")
