"""The event envelope: CloudEvents 1.0 attributes plus aggregate id, version and correlation id.

On Kafka an event travels in CloudEvents *structured mode*: the whole envelope
is the JSON value, the aggregate id is the key.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from shared import clock
from shared.contracts.base import EventData

CONTENT_TYPE = "application/cloudevents+json"


def utcnow() -> datetime:
    """The moment of a record (``shared.clock``: settable in tests)."""
    return clock.now()


def as_utc(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; everything stored is UTC."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def parse_utc(text: str) -> datetime:
    return as_utc(datetime.fromisoformat(text))


class EventEnvelope(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")

    specversion: Literal["1.0"] = "1.0"
    id: str = Field(default_factory=lambda: str(uuid.uuid4()))
    source: str
    type: str
    time: datetime = Field(default_factory=utcnow)
    subject: str
    datacontenttype: Literal["application/json"] = "application/json"
    # CloudEvents extension attributes (lower-case alphanumerics, per the spec).
    aggregatetype: str
    aggregateid: str
    aggregateversion: int = Field(ge=1)
    correlationid: str | None = None
    data: dict[str, Any]

    @classmethod
    def wrap(
        cls,
        payload: EventData,
        *,
        service: str,
        aggregate_id: str,
        aggregate_version: int,
        correlation_id: str | None,
        time: datetime | None = None,
    ) -> EventEnvelope:
        return cls(
            source=f"/irp/{service}",
            type=payload.event_type,
            time=time or utcnow(),
            subject=f"{payload.aggregate_type}/{aggregate_id}",
            aggregatetype=payload.aggregate_type,
            aggregateid=aggregate_id,
            aggregateversion=aggregate_version,
            correlationid=correlation_id,
            data=payload.model_dump(mode="json"),
        )

    def to_bytes(self) -> bytes:
        return self.model_dump_json().encode()

    @classmethod
    def from_bytes(cls, raw: bytes) -> EventEnvelope:
        return cls.model_validate_json(raw)
