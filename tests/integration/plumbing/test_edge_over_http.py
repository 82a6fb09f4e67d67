"""The limits as a client meets them over real HTTP (``irp serve``, uvicorn): a 100 MB body
without a token is refused at once and leaves the process's memory where it was; headers past
the limit are refused by the server, which goes on serving."""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from services import NAMES
from shared.embedded_broker import free_port
from tests.conftest import TEST_SECRET
from tests.harness import served

MB = 1024 * 1024
BODY = 100 * MB


def _rss(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise AssertionError("no VmRSS")


@pytest.fixture(scope="module")
def served_stack(tmp_path_factory, kafka) -> Iterator[dict[str, tuple[int, int]]]:  # type: ignore[no-untyped-def]
    """Every service under ``irp serve``: name → (port, pid)."""
    var = tmp_path_factory.mktemp("served")
    env = {
        **os.environ,
        "IRP_VAR_DIR": str(var),
        "IRP_JWT_SECRET": TEST_SECRET,
        "IRP_KAFKA_BOOTSTRAP": kafka.bootstrap,
        "IRP_TOPIC_PREFIX": f"served{free_port()}.",
        "IRP_RUN_CONSUMERS": "false",
    }
    with served(NAMES, env, var) as services:
        yield {name: (s.port, s.process.pid) for name, s in services.items() if s.process}


async def _send_huge_body(port: int, path: str) -> tuple[bytes, int]:
    """Announce and start sending a 100 MB body without a token; the status line answered and
    how many bytes went out before the server answered or closed."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    head = (
        f"POST {path} HTTP/1.1\r\nHost: irp\r\nContent-Type: application/json\r\n"
        f"Content-Length: {BODY}\r\n\r\n"
    )
    writer.write(head.encode())
    sent = 0

    async def pour() -> None:
        nonlocal sent
        chunk = b" " * MB
        try:
            while sent < BODY:
                writer.write(chunk)
                await writer.drain()
                sent += len(chunk)
        except (ConnectionError, OSError):
            pass

    pouring = asyncio.create_task(pour())
    status = await asyncio.wait_for(reader.readline(), 60)
    pouring.cancel()
    writer.close()
    return status, sent


@pytest.mark.parametrize("name", NAMES)
async def test_a_100_mb_body_without_a_token_is_refused_at_once_and_costs_no_memory(
    served_stack, name, capsys
):
    port, pid = served_stack[name]
    path = "/v1/obligations/import" if name == "agreements" else "/v1/anything"
    before = _rss(pid)
    started = time.perf_counter()
    answers = await asyncio.gather(*(_send_huge_body(port, path) for _ in range(4)))
    seconds = time.perf_counter() - started
    growth = _rss(pid) - before
    for status, _ in answers:
        assert status.startswith(b"HTTP/1.1 413"), status
    assert growth < 20 * MB, f"{name} grew by {growth / MB:.1f} MB"
    with capsys.disabled():  # the figures for the record, not an assertion
        print(
            f"\n{name}: 4 x 100 MB refused in {seconds * 1000:.0f} ms, "
            f"{sum(s for _, s in answers) / MB:.0f} MB written by the clients meanwhile, "
            f"RSS {before / MB:.0f} -> {(before + growth) / MB:.0f} MB"
        )


async def test_headers_past_the_limit_are_refused_and_the_server_goes_on(served_stack):
    port, _ = served_stack["visits"]
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
        huge = await client.get("/health/live", headers={"X-Filler": "x" * (64 * 1024)})
        assert huge.status_code == 431
        assert huge.headers["content-type"] == "application/problem+json"
        pieces = await client.get("/health/live", headers={f"X-{i}": "y" * 900 for i in range(40)})
        assert pieces.status_code == 431
        assert (await client.get("/health/live")).status_code == 200


async def test_a_head_that_never_ends_is_cut_off_by_the_server(served_stack):
    """Header lines dribbled in one by one, without end: the server holds a bounded part of
    an unfinished head (eight times the header limit), then answers 400 and closes."""
    port, pid = served_stack["visits"]
    before = _rss(pid)
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(b"GET /health/live HTTP/1.1\r\nHost: irp\r\n")
    sent = 0
    try:
        while sent < 4 * MB:
            writer.write(b"X-Filler: " + b"y" * 1000 + b"\r\n")
            await writer.drain()
            sent += 1012
            await asyncio.sleep(0)
    except (ConnectionError, OSError):
        pass
    try:
        answer = await asyncio.wait_for(reader.read(), 60)  # to the end: the server closed
    except ConnectionError:  # reset, with the rest of the head unread (or the pipe broke)
        answer = b""
    writer.close()
    assert sent < 4 * MB
    assert answer == b"" or answer.startswith(b"HTTP/1.1 400"), answer[:40]
    assert _rss(pid) - before < 20 * MB
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
        assert (await client.get("/health/live")).status_code == 200
