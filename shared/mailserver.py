"""A local SMTP server for ``make run`` and the tests (aiosmtpd): every message it accepts is
kept as one ``.eml`` file under a folder, exactly as received."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller


class _KeepAsFiles:
    def __init__(self, folder: Path) -> None:
        self.folder = folder

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
        path = self.folder / f"{stamp}-{uuid.uuid4().hex[:8]}.eml"
        path.write_bytes(envelope.original_content or envelope.content)
        return "250 Message accepted for delivery"


class LocalMailServer:
    """Listens on ``127.0.0.1:port`` (0: a free port) and keeps each message in ``folder``."""

    def __init__(self, folder: Path, port: int = 0) -> None:
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        self._controller = Controller(
            _KeepAsFiles(folder), hostname="127.0.0.1", port=port or _free_port()
        )

    @property
    def port(self) -> int:
        return int(self._controller.port)

    def start(self) -> LocalMailServer:
        self._controller.start()
        return self

    def stop(self) -> None:
        self._controller.stop()

    def messages(self) -> list[EmailMessage]:
        """Every message received so far, oldest first, parsed as a mail reader would."""
        return [
            message_from_bytes(p.read_bytes(), policy=policy.default)  # type: ignore[misc]
            for p in sorted(self.folder.glob("*.eml"))
        ]


def _free_port() -> int:
    from shared.embedded_broker import free_port

    return free_port()
