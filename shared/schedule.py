"""Work that time alone triggers (expiry sweeps...), run every so often by worker processes."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

log = logging.getLogger(__name__)


class PeriodicTask:
    def __init__(self, name: str, interval: float, run: Callable[[], Awaitable[int]]) -> None:
        self.name = name
        self.interval = interval
        self.run = run
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._loop(), name=self.name)

    async def _loop(self) -> None:
        while True:
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
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
