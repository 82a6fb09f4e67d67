"""The work address of whoever heads a unit, asked of the directory when an escalation is
made (personal data: read with directory:read, recorded in the directory's audit, never kept
in an event)."""

from __future__ import annotations

import logging

import httpx

from shared.auth import CallerTokens
from shared.identity import ProviderKeys
from shared.settings import ServiceSettings

log = logging.getLogger(__name__)


class DirectoryHeads:
    def __init__(
        self, settings: ServiceSettings, client: httpx.AsyncClient | None = None,
        identity: ProviderKeys | None = None,
    ) -> None:  # fmt: skip
        self.settings = settings
        self.client = client  # the directory's; by default one to ``service_urls["directory"]``
        self.tokens = CallerTokens(settings, identity)

    async def address(self, post_id: str) -> str | None:
        try:
            token = await self.tokens.token(["directory:read"])
            headers = {"Authorization": f"Bearer {token}"}
            if self.client is not None:
                answer = await self.client.get(f"/v1/posts/{post_id}", headers=headers)
            else:
                base = self.settings.service_urls.get("directory", "")
                async with httpx.AsyncClient(base_url=base, timeout=10) as client:
                    answer = await client.get(f"/v1/posts/{post_id}", headers=headers)
        except httpx.HTTPError:
            log.warning("the directory did not answer; the escalation waits", exc_info=True)
            return None
        if answer.status_code != 200:
            return None
        post = answer.json()
        return post.get("work_email") if post.get("status") == "held" else None
