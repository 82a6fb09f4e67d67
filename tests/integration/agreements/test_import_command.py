"""``irp import-obligations``: an operator imports the office's sheet from the command line,
sees every invalid row with its reason, and is told what was created, changed and left."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import select

from services.agreements import tables
from services.cli import main as irp
from shared import topics
from shared.db import Database
from tests.harness import auth, env_for, running, settings_for

HEADER = "ref,title_en,source_kind,source_reference,lead_unit,deadline\n"
VALID = "AA-2.1,Adopt the strategy,eu_association_agenda,Agenda 2.1,Policy Department,2026-12-31\n"
INVALID = "AA-2.2,,eu_association_agenda,Agenda 2.2,,2026-12-31\n"


async def _outbox_topics(url: str) -> list[str]:
    db = Database(url)
    try:
        async with db.unit_of_work(write=False) as session:
            return list((await session.execute(select(tables.outbox.c.topic))).scalars())
    finally:
        await db.dispose()


async def test_the_import_command_reports_each_step_and_imports_once(
    databases, kafka, prefix, tmp_path, monkeypatch, capsys
):
    settings = settings_for("agreements", await databases.new("a"), kafka.bootstrap, prefix)
    for key, value in env_for(settings).items():
        monkeypatch.setenv(key, value)
    bad, good = tmp_path / "bad.csv", tmp_path / "good.csv"
    bad.write_text(HEADER + VALID + INVALID, encoding="utf-8")
    good.write_text(HEADER + VALID, encoding="utf-8")

    with pytest.raises(SystemExit, match="1 row\\(s\\) are invalid; nothing was imported"):
        await asyncio.to_thread(irp, ["import-obligations", str(bad)])
    said = capsys.readouterr().out
    assert "bad.csv: 2 row(s) read" in said
    assert "row 3, lead_unit:" in said and "row 3, title:" in said
    assert await _outbox_topics(settings.database_url) == []

    await asyncio.to_thread(irp, ["import-obligations", str(good), "--dry-run"])
    assert "1 would be created" in capsys.readouterr().out
    assert await _outbox_topics(settings.database_url) == []

    await asyncio.to_thread(irp, ["import-obligations", str(good)])
    assert "1 were created, 0 were changed, 0 unchanged" in capsys.readouterr().out
    await asyncio.to_thread(irp, ["import-obligations", str(good)])
    assert "0 were created, 0 were changed, 1 unchanged" in capsys.readouterr().out
    # queued once, for the topic the service itself publishes to
    assert await _outbox_topics(settings.database_url) == [topics.topic(topics.AGREEMENTS, prefix)]

    async with running("agreements", settings) as agreements:
        listed = await agreements.client.get("/v1/obligations", headers=auth())
        assert [o["external_ref"] for o in listed.json()["items"]] == ["AA-2.1"]
