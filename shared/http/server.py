"""The HTTP server every service runs: uvicorn, with a quiet housekeeping tick.

uvicorn wakes ten times a second to refresh its ``Date`` header and look for a shutdown;
on an idle stack of six services that alone was more than 1 % of a core (a bare uvicorn
app idles at 0.22 %, this one at 0.03 %, `make bench`). Here the tick runs once a second,
which is as often as the ``Date`` header changes, and a shutdown signal wakes it at once.
"""

from __future__ import annotations

import asyncio
import contextlib
from types import FrameType

import uvicorn

TICK_SECONDS = 1.0


class QuietServer(uvicorn.Server):
    def __init__(self, config: uvicorn.Config) -> None:
        super().__init__(config)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._exit_requested = asyncio.Event()

    async def main_loop(self) -> None:
        self._loop = asyncio.get_running_loop()
        counter = 0
        while not await self.on_tick(counter):
            counter += 10  # on_tick refreshes the Date header on multiples of ten
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._exit_requested.wait(), TICK_SECONDS)

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        super().handle_exit(sig, frame)
        if self._loop is not None:
            self._loop.call_soon_threadsafe(self._exit_requested.set)


def serve(app: str, **options: object) -> None:
    """Run the ``app`` factory (an import string) until a signal stops it, as ``uvicorn.run``
    would; a server that could not start exits with status 3 as uvicorn's does."""
    # asyncio's own loop and h11: h11 bounds a request head that arrives in pieces, where
    # httptools let 2 MB of headers through to the application.
    config = uvicorn.Config(app, factory=True, loop="asyncio", http="h11", **options)  # type: ignore[arg-type]
    server = QuietServer(config)
    with contextlib.suppress(KeyboardInterrupt):
        server.run()
    if not server.started:
        raise SystemExit(3)
