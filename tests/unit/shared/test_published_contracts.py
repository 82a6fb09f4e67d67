"""What integrators rely on changes only on purpose: the OpenAPI documents and the
event contracts' JSON Schemas match the recording in ``tests/contracts/``
(re-record with ``python -m tests.contracts.snapshot --write`` and review the diff)."""

from __future__ import annotations

import pytest

from tests.contracts.snapshot import HERE, current, render

DOCUMENTS = current()


@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_published_contract_matches_its_recording(name: str) -> None:
    recorded = (HERE / name).read_text(encoding="utf-8")
    assert render(DOCUMENTS[name]) == recorded, f"{name} changed; re-record it if on purpose"
