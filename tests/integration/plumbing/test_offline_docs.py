"""``/docs`` and ``/redoc`` work on a closed network: every script, style sheet and icon they
load is served by the service itself, none comes from a CDN."""

from __future__ import annotations

import re

import httpx
import pytest

from services import NAMES, spec
from shared.app import create_service_app
from shared.settings import load_settings

ASSET = re.compile(r"""(?:src|href)=["']([^"']+)["']|url:\s*["']([^"']+)["']""")


@pytest.mark.parametrize("service", NAMES)
@pytest.mark.parametrize("page", ["/docs", "/redoc"])
async def test_the_api_documentation_loads_nothing_from_outside(service, page, tmp_path):
    settings = load_settings(
        service, database_url=f"sqlite:///{tmp_path}/db.sqlite", jwt_secret="x" * 40
    )
    app = create_service_app(spec(service), settings)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://irp") as client:
        html = (await client.get(page)).text
        assets = [a or b for a, b in ASSET.findall(html)]
        assert any(a.endswith(".js") for a in assets), html
        assert not [a for a in assets if a.startswith(("http:", "https:", "//"))]
        for asset in assets:
            answer = await client.get(asset)
            assert answer.status_code == 200 and answer.content, asset
        assert "fonts.googleapis" not in html and "cdn.jsdelivr" not in html
