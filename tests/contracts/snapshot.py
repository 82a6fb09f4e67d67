"""The published contracts as data: every service's OpenAPI and every event's JSON Schema.

``python -m tests.contracts.snapshot --write`` records them under ``tests/contracts/``;
the contract test compares the running code with the recording, so a change to what
integrators rely on is always a visible, reviewed change of these files.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from services import NAMES, spec
from shared.app import create_service_app
from shared.contracts import contract_for, registered_types
from shared.settings import load_settings
from tests.contracts.compat import breaking_changes

HERE = Path(__file__).parent


def openapi(service: str) -> dict[str, Any]:
    settings = load_settings(service, database_url="sqlite://", jwt_secret="x" * 40)
    return create_service_app(spec(service), settings).openapi()


def event_schemas() -> dict[str, Any]:
    return {t: contract_for(t).model_json_schema() for t in registered_types()}  # type: ignore[union-attr]


def current() -> dict[str, dict[str, Any]]:
    documents = {f"openapi-{name}.json": openapi(name) for name in NAMES}
    documents["events.json"] = event_schemas()
    return documents


def render(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def main() -> None:
    if "--write" not in sys.argv:
        raise SystemExit("usage: python -m tests.contracts.snapshot --write")
    documents = current()
    recorded = json.loads((HERE / "events.json").read_text(encoding="utf-8"))
    if broken := breaking_events(recorded, documents["events.json"]):
        raise SystemExit(
            "refused: these changes break the events' consumers; publish a new version of "
            "the event type (.v2) instead:\n  " + "\n  ".join(broken)
        )
    for name, document in documents.items():
        (HERE / name).write_text(render(document), encoding="utf-8")
        print(f"wrote tests/contracts/{name}")


def breaking_events(recorded: dict[str, Any], now: dict[str, Any]) -> list[str]:
    """What breaks consumers between the recorded event schemas and the code's: a recorded
    event type gone, or changed in a way ``compat`` calls breaking."""
    found = []
    for event_type, schema in recorded.items():
        if event_type not in now:
            found.append(f"{event_type}: no longer published")
        else:
            found += breaking_changes(schema, now[event_type], f"{event_type}: ")
    return found


if __name__ == "__main__":
    main()
