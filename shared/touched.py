"""The tables a session's statements read and write, told from the statements themselves
(SQLAlchemy's ``do_orm_execute``, which sees every statement given to ``Session.execute``):
what an answer was made from, what a transaction changed.

Walking a statement for its tables costs more than running a small one, so a statement's
tables are told once per compiled form: SQLAlchemy compiles a statement's shape once and
reuses it, and the tables are part of the shape."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from weakref import WeakKeyDictionary

from sqlalchemy import CompoundSelect, Delete, Insert, Select, Table, Update, event
from sqlalchemy.engine import Result
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import ORMExecuteState
from sqlalchemy.sql.compiler import Compiled
from sqlalchemy.sql.util import find_tables


@dataclass
class Touched:
    read: set[str] = field(default_factory=set)
    written: set[str] = field(default_factory=set)
    # A statement whose tables could not be told (text SQL, say): it may have read anything.
    opaque: bool = False

    def note(self, statement: Any, tables: frozenset[str]) -> None:
        """``statement`` ran, and its SQL names ``tables``."""
        if isinstance(statement, Insert | Update | Delete):
            self.written.add(statement.table.name)
        self.read |= tables  # of an INSERT ... SELECT or a subquery in WHERE too


def _tables_in(statement: Any) -> set[str]:
    found = find_tables(statement, check_columns=True, include_aliases=True, include_joins=True)
    return {t.name for t in found if isinstance(t, Table)}


_TABLES_OF: WeakKeyDictionary[Compiled, frozenset[str]] = WeakKeyDictionary()
_TOLD = Insert | Update | Delete | Select | CompoundSelect


def _tables_of(result: Any, statement: Any) -> frozenset[str]:
    """The tables of the statement behind ``result``: walked once per compiled form."""
    compiled = getattr(getattr(result, "context", None), "compiled", None)
    if not isinstance(compiled, Compiled) or compiled.statement is None:
        return frozenset(_tables_in(statement))
    tables = _TABLES_OF.get(compiled)
    if tables is None:
        tables = _TABLES_OF[compiled] = frozenset(_tables_in(compiled.statement))
    return tables


@contextmanager
def tables_touched(session: AsyncSession) -> Iterator[Touched]:
    """The tables of the statements ``session`` executes inside the block."""
    touched = Touched()

    def noted(state: ORMExecuteState) -> Result[Any] | None:
        if not isinstance(state.statement, _TOLD):
            touched.opaque = True
            return None
        result = state.invoke_statement()
        touched.note(state.statement, _tables_of(result, state.statement))
        return result

    target = session.sync_session
    event.listen(target, "do_orm_execute", noted)
    try:
        yield touched
    finally:
        event.remove(target, "do_orm_execute", noted)
