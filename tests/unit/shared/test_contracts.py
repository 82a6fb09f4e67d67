"""Event contracts and the envelope."""

from __future__ import annotations

import pytest

from shared.contracts import contract_for, registered_types
from shared.contracts.passports import HolderRegisteredV1
from shared.envelope import EventEnvelope
from shared.http.pagination import decode_cursor, encode_cursor
from shared.http.problems import Problem

PERSONAL_FIELDS = {"personal_number", "date_of_birth", "passport_number", "name_ka", "name_latin"}


def test_every_event_type_is_versioned_and_resolvable():
    types = registered_types()
    assert "irp.visits.VisitCreated.v1" in types
    for event_type in types:
        assert event_type.rsplit(".", 1)[-1].startswith("v")
        assert contract_for(event_type).event_type == event_type


def test_no_contract_carries_personal_data():
    for event_type in registered_types():
        assert not PERSONAL_FIELDS & set(contract_for(event_type).model_fields), event_type


def test_the_envelope_uses_cloudevents_names_and_round_trips():
    payload = HolderRegisteredV1(holder_id="h1", category="minister")
    envelope = EventEnvelope.wrap(
        payload, service="passports", aggregate_id="h1", aggregate_version=1, correlation_id="c1"
    )
    raw = envelope.model_dump(mode="json")
    for attribute in ("specversion", "id", "source", "type", "time", "subject", "datacontenttype"):
        assert attribute in raw
    assert raw["specversion"] == "1.0" and raw["source"] == "/irp/passports"
    assert (raw["aggregateid"], raw["aggregateversion"], raw["correlationid"]) == ("h1", 1, "c1")
    assert EventEnvelope.from_bytes(envelope.to_bytes()) == envelope


def test_cursors_round_trip_and_garbage_is_refused():
    assert decode_cursor(encode_cursor(["2026-11-24T10:00:00+00:00", "id"])) == [
        "2026-11-24T10:00:00+00:00",
        "id",
    ]
    with pytest.raises(Problem):
        decode_cursor("not-a-cursor!")
