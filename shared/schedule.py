"""Work that time alone triggers (expiry sweeps...), run every so often by worker processes."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

log = logging.getLogger(__name__)


class PeriodicTask:
    def __init__(
        self, name: str, interval: float, run: Callable[[], Awaitable[int]], first_after: float = 0
    ) -> None:
        self.name = name
        self.interval = interval
        self.run = run
        self.first_after = first_after  # seconds after the start before the first run
        self._task: asyncio.Task[None] | None = None
        self._stopping = False

    def start(self) -> None:
        self._stopping = False
        self._task = asyncio.create_task(self._loop(), name=self.name)

    async def _loop(self) -> None:
        await asyncio.sleep(self.first_after)
        while not self._stopping:
            try:
                changed = await self.run()
                if changed:
                    log.info(
                        "periodic task changed records",
                        extra={"task": self.name, "changed": changed},
                    )
            except asyncio.CancelledError:
                raise
            except Exception:
                log.warning("periodic task failed; next run as scheduled", exc_info=True)
            await asyncio.sleep(self.interval)

    async def stop(self) -> None:
        """Cancel the run, again if need be: a client library's ``wait_for`` can swallow one
        cancellation (Python 3.11), and awaiting the task after that would wait forever."""
        if self._task is None:
            return
        self._stopping = True
        while not self._task.done():
            self._task.cancel()
            await asyncio.wait({self._task}, timeout=1)
        with contextlib.suppress(asyncio.CancelledError):
            await self._task
