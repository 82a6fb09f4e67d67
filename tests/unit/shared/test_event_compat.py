"""A change to an event contract that breaks its consumers is caught, whoever re-records:
the recording is compared with the code, and re-recording refuses such a change."""

from __future__ import annotations

import copy
import json

import pytest

from tests.contracts.compat import breaking_changes
from tests.contracts.snapshot import HERE, breaking_events, event_schemas

RECORDED = json.loads((HERE / "events.json").read_text(encoding="utf-8"))
CREATED = "irp.visits.VisitCreated.v1"


def test_no_recorded_event_type_is_broken_by_the_code():
    assert breaking_events(RECORDED, event_schemas()) == []


def _changed(change) -> dict:  # type: ignore[no-untyped-def]
    schema = copy.deepcopy(RECORDED[CREATED])
    change(schema)
    return schema


@pytest.mark.parametrize(
    ("change", "found"),
    [
        (lambda s: s["properties"].pop("kind"), "kind: removed"),
        (lambda s: s["properties"]["kind"].update(type="integer"), "kind: retyped"),
        (lambda s: s["required"].remove("kind"), "kind: no longer always present"),
        (lambda s: s["properties"].update(start_date={"type": "string"}), "start_date: retyped"),
        (
            lambda s: s["$defs"]["LocalizedText"]["properties"].pop("ka"),
            "LocalizedText.ka: removed",
        ),
    ],
)
def test_a_planted_break_is_found(change, found):
    assert breaking_changes(RECORDED[CREATED], _changed(change)) == [found]


@pytest.mark.parametrize(
    "change",
    [
        lambda s: s["properties"].update(delegation_size={"type": "integer", "default": 0}),
        lambda s: s["properties"]["city"].update(maxLength=300),
        lambda s: s["required"].append("city"),
    ],
)
def test_adding_to_an_event_breaks_nobody(change):
    assert breaking_changes(RECORDED[CREATED], _changed(change)) == []


def test_a_version_raised_is_no_break_but_a_version_dropped_is():
    now = {**event_schemas(), "irp.visits.VisitCreated.v2": {"properties": {}}}
    assert breaking_events(RECORDED, now) == []
    del now[CREATED]
    assert breaking_events(RECORDED, now) == [f"{CREATED}: no longer published"]


def test_re_recording_refuses_a_breaking_change(monkeypatch, capsys):
    from tests.contracts import snapshot

    broken = copy.deepcopy(snapshot.current())
    broken["events.json"][CREATED]["properties"].pop("kind")
    monkeypatch.setattr(snapshot, "current", lambda: broken)
    monkeypatch.setattr("sys.argv", ["snapshot", "--write"])
    written = []
    monkeypatch.setattr(type(HERE), "write_text", lambda *a, **k: written.append(a))
    with pytest.raises(SystemExit, match="kind: removed"):
        snapshot.main()
    assert written == []
