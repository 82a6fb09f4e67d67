"""SQLite's one writer connection, run on the event loop instead of aiosqlite's thread.

A unit of work that writes holds SQLite's one write lock from ``BEGIN IMMEDIATE`` to
``COMMIT``, and every other writer of the process queues behind it. Through aiosqlite each
statement is a trip to the connection's thread and back, and the way back waits for the
event loop's turn behind every other request it is busy with: a ``POST /v1/visits`` held
the lock 4.5 ms (p50) for 0.7 ms of SQLite's own work, and with 16 requests at a time
each queued ~75 ms for it (`make bench`'s API figure, 200 requests/s at most). On the
loop, a statement costs only what SQLite does (tens of microseconds for a row: less than
the trip), and the lock is held for the work alone.

Only writers use it: reads (reports of thousands of rows) stay on aiosqlite's threads, so
that they never hold up the loop. Nor does another process that holds the write lock (a
migration run by hand): the connection does not wait for SQLite's lock on the loop (its
busy timeout there is 0); a statement that finds the database locked is run again on the
connection's thread, which waits up to the busy timeout as aiosqlite would.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Coroutine
from typing import Any

import aiosqlite


class OnTheLoopConnection(aiosqlite.Connection):
    """aiosqlite's connection with every call made where it is awaited, on the event loop,
    unless the database is locked by another connection. Opening and closing still go
    through its thread, as aiosqlite does them."""

    busy_seconds = 30.0

    async def _execute(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        if not self._running or not self._connection:
            raise ValueError("Connection closed")
        try:
            return fn(*args, **kwargs)
        except sqlite3.OperationalError as exc:
            if exc.sqlite_errorcode & 0xFF != sqlite3.SQLITE_BUSY:  # extended codes too
                raise
        # A statement that found the database locked did nothing: run it again, waiting.
        return await super()._execute(self._waiting, fn, *args, **kwargs)

    def _waiting(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """``fn`` on the connection's thread, with the busy timeout (0 on the loop)."""
        self._conn.execute(f"PRAGMA busy_timeout={int(self.busy_seconds * 1000)}")
        try:
            return fn(*args, **kwargs)
        finally:
            self._conn.execute("PRAGMA busy_timeout=0")


def connector(path: str, busy_seconds: float) -> Callable[[], Coroutine[Any, Any, Any]]:
    """The ``async_creator`` of an engine whose connections run on the loop (the engine's
    own connect handler sets their busy timeout to 0)."""

    async def connect() -> OnTheLoopConnection:
        # Opened in aiosqlite's thread, used on the loop's: hence check_same_thread=False.
        connection = OnTheLoopConnection(
            lambda: sqlite3.connect(path, timeout=0, check_same_thread=False), 64
        )
        connection.busy_seconds = busy_seconds
        connection._thread.daemon = True  # as SQLAlchemy sets it for aiosqlite's own
        return await connection

    return connect
