"""The tables a session's statements read and write, told from the statements themselves
(SQLAlchemy's ``do_orm_execute``, which sees every statement given to ``Session.execute``):
what an answer was made from, what a transaction changed."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import CompoundSelect, Delete, Insert, Select, Table, Update, event
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import ORMExecuteState
from sqlalchemy.sql.util import find_tables


@dataclass
class Touched:
    read: set[str] = field(default_factory=set)
    written: set[str] = field(default_factory=set)
    # A statement whose tables could not be told (text SQL, say): it may have read anything.
    opaque: bool = False

    def note(self, statement: Any) -> None:
        if isinstance(statement, Insert | Update | Delete):
            self.written.add(statement.table.name)
            self.read |= _tables_in(statement)  # INSERT ... SELECT, a subquery in WHERE
        elif isinstance(statement, Select | CompoundSelect):
            self.read |= _tables_in(statement)
        else:
            self.opaque = True


def _tables_in(statement: Any) -> set[str]:
    found = find_tables(statement, check_columns=True, include_aliases=True, include_joins=True)
    return {t.name for t in found if isinstance(t, Table)}


@contextmanager
def tables_touched(session: AsyncSession) -> Iterator[Touched]:
    """The tables of the statements ``session`` executes inside the block."""
    touched = Touched()

    def noted(state: ORMExecuteState) -> None:
        touched.note(state.statement)

    target = session.sync_session
    event.listen(target, "do_orm_execute", noted)
    try:
        yield touched
    finally:
        event.remove(target, "do_orm_execute", noted)
