"""What every projection module uses: the batch's changes and the upsert of a whole row."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Table

from shared.consumer import ReceivedEvent
from shared.db import upsert

# The events of a batch that are newer than what the projections hold, with their data
# decoded by their contracts (None for a type unknown here).
Changes = Sequence[tuple[ReceivedEvent, Any]]


def every_column_but(table: Table, new: Any, *keys: str) -> dict[str, Any]:
    """The upsert's update: every column but the keys, from the incoming row."""
    return {c.name: getattr(new, c.name) for c in table.columns if c.name not in keys}


async def upsert_rows(
    session: Any, dialect: str, table: Table, keys: list[str], rows: Iterable[dict[str, Any]]
) -> None:
    """Insert the rows, or replace every other column of the rows already there."""
    await session.execute(
        upsert(dialect, table, keys, lambda new: every_column_but(table, new, *keys)), list(rows)
    )


def contacted(*ids: str | None) -> list[str]:
    """The directory's organisations and posts a record involves, each once, in order."""
    return list(dict.fromkeys(i for i in ids if i))
