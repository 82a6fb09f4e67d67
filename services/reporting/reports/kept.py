"""Reports as answered, kept while nothing they are made from has changed.

A report is a function of its request (path, parameters, format, day, moment) and of the
tables it reads. Those tables change only by applying events, and every applied batch
draws a new token for each table it wrote (``table_versions``). Each report's tables are
learned by making it (``shared.touched`` tells the tables of every statement it runs), so a
report's tag is made of its request and the tokens of the tables it was made from: the
same tag, the same report. An event that changes no table a report reads (a visit, for the
UN report) leaves its tag as it was. An answer is kept under its tag, the least recently
used dropped first when the kept answers' bytes pass the bound; a client that holds the
answer of a tag asks with ``If-None-Match`` and gets ``304 Not Modified``.

Requests for a report whose making is under way with the same tag wait for it and are
answered with what it made: a dashboard of many users asking at once makes it once.

The tag also holds a token drawn when the process starts: an answer made by other code
(after an upgrade) is never taken for the same.
"""

from __future__ import annotations

import asyncio
import hashlib
import uuid
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

# A report made by a statement whose tables could not be told: every table's token counts.
EVERY_TABLE = "*"


@dataclass(frozen=True)
class KeptAnswer:
    body: bytes
    media_type: str
    headers: dict[str, str]


class KeptReports:
    """The answers of the latest reports, up to ``max_bytes`` of them in all."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._answers: OrderedDict[str, KeptAnswer] = OrderedDict()
        self._bytes = 0
        self._token = uuid.uuid4().hex
        self._reads: dict[str, frozenset[str]] = {}
        self._making: dict[str, asyncio.Event] = {}

    def reads_of(self, report: str) -> frozenset[str] | None:
        """The tables ``report`` has been made from so far (None before it is first made)."""
        return self._reads.get(report)

    def learn(self, report: str, read: set[str]) -> frozenset[str]:
        """Add what one making of ``report`` read. The union over its makings: a making
        that reads one table more (another unit, a data-dependent query) widens it."""
        known = self._reads.get(report, frozenset()) | read
        self._reads[report] = known
        return known

    def tag(self, key: tuple[Any, ...]) -> str:
        """A weak entity tag: the same report, not necessarily the same bytes (its
        ``generated_at``, say, is the moment it was made)."""
        digest = hashlib.sha256(repr((self._token, key)).encode()).hexdigest()[:32]
        return f'W/"{digest}"'

    @contextmanager
    def making(self, tag: str | None) -> Iterator[None]:
        """A making of the report of ``tag`` under way (None: a tag not yet known, which
        no one can wait for)."""
        if tag is None or tag in self._making:
            yield
            return
        done = self._making[tag] = asyncio.Event()
        try:
            yield
        finally:
            del self._making[tag]
            done.set()

    async def made_meanwhile(self, tag: str) -> bool:
        """Wait for a making of ``tag`` under way, if any; whether there was one. (Its
        answer is then kept, unless it failed, was too large, or learned other tables.)"""
        done = self._making.get(tag)
        if done is None:
            return False
        await done.wait()
        return True

    def get(self, tag: str) -> KeptAnswer | None:
        answer = self._answers.get(tag)
        if answer is not None:
            self._answers.move_to_end(tag)
        return answer

    def keep(self, tag: str, answer: KeptAnswer) -> None:
        """Keep the answer, unless it alone would take more than a quarter of the bound."""
        if len(answer.body) > self.max_bytes // 4 or tag in self._answers:
            return
        self._answers[tag] = answer
        self._bytes += len(answer.body)
        while self._bytes > self.max_bytes:
            _, dropped = self._answers.popitem(last=False)
            self._bytes -= len(dropped.body)

    @property
    def size(self) -> tuple[int, int]:
        """How many answers are kept, and their bytes."""
        return len(self._answers), self._bytes
