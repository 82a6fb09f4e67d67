"""`make bench`: an open-loop load generator light enough not to be the bottleneck.

httpx costs about a millisecond of the client's CPU a request and more with hundreds of
connections: at a few hundred requests a second the client, not the service, saturated
(97 % CPU measured). This sends pre-built HTTP/1.1 requests over a fixed set of keep-alive
connections with asyncio streams, at the offered rate whatever the answers; a request
that finds every connection busy is counted as not sent (the service is saturated).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit


@dataclass
class Outcome:
    sent: int = 0
    answered: int = 0
    failed: int = 0  # an answer other than the expected status, or a broken connection
    not_sent: int = 0  # every connection busy: the service is that far behind
    latencies: list[float] = field(default_factory=list)
    seconds: float = 0.0


def request(method: str, url: str, headers: dict[str, str], body: bytes = b"") -> bytes:
    parts = urlsplit(url)
    lines = [f"{method} {parts.path or '/'}{'?' + parts.query if parts.query else ''} HTTP/1.1",
             f"Host: {parts.netloc}", f"Content-Length: {len(body)}",
             *(f"{k}: {v}" for k, v in headers.items())]  # fmt: skip
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


async def _answer(reader: asyncio.StreamReader) -> tuple[int, bytes]:
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
    return status, await reader.readexactly(length) if length else b""


async def offer(
    base: str, make: Callable[[int], bytes], rate: float, seconds: float, connections: int,
    expect: int, on_answer: Callable[[int, bytes], None] | None = None,
) -> Outcome:  # fmt: skip
    """``rate`` requests a second for ``seconds`` (the ``i``-th made by ``make(i)``), over
    ``connections`` keep-alive connections to ``base``."""
    parts = urlsplit(base)
    outcome = Outcome()
    idle: asyncio.Queue[tuple[asyncio.StreamReader, asyncio.StreamWriter]] = asyncio.Queue()
    for _ in range(connections):
        idle.put_nowait(await asyncio.open_connection(parts.hostname, parts.port))

    async def send(i: int, conn: tuple[asyncio.StreamReader, asyncio.StreamWriter]) -> None:
        reader, writer = conn
        started = time.perf_counter()
        try:
            writer.write(make(i))
            status, body = await _answer(reader)
        except (OSError, asyncio.IncompleteReadError, ValueError):
            outcome.failed += 1
            writer.close()
            # a fresh connection in its place; without one the pool is a connection less
            with contextlib.suppress(OSError):
                idle.put_nowait(await asyncio.open_connection(parts.hostname, parts.port))
            return
        idle.put_nowait(conn)
        if status != expect:
            outcome.failed += 1
            return
        outcome.answered += 1
        outcome.latencies.append(time.perf_counter() - started)
        if on_answer is not None:
            on_answer(i, body)

    tasks = []
    start = time.perf_counter()
    for i in range(int(rate * seconds)):
        delay = start + i / rate - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        if idle.empty():
            outcome.not_sent += 1
            continue
        outcome.sent += 1
        tasks.append(asyncio.create_task(send(i, idle.get_nowait())))
    await asyncio.gather(*tasks)
    outcome.seconds = time.perf_counter() - start
    while not idle.empty():
        idle.get_nowait()[1].close()
    return outcome


async def as_fast_as_possible(
    base: str, make: Callable[[int], bytes], n: int, connections: int, expect: int
) -> float:
    """``n`` requests over ``connections`` keep-alive connections, each sent as soon as
    its connection's previous answer is in (a closed loop): answered requests a second."""
    parts = urlsplit(base)
    queue = iter(range(n))
    answered = 0

    async def connection() -> None:
        nonlocal answered
        reader, writer = await asyncio.open_connection(parts.hostname, parts.port)
        try:
            for i in queue:
                writer.write(make(i))
                status, _ = await _answer(reader)
                answered += status == expect
        finally:
            writer.close()

    started = time.perf_counter()
    await asyncio.gather(*(connection() for _ in range(connections)))
    return answered / (time.perf_counter() - started)


def json_body(value: object) -> bytes:
    return json.dumps(value).encode()
