"""The notifications service killed mid-stream (SIGKILL, a real process) and restarted: every
reminder is kept once, and each unit gets exactly one digest holding all of its reminders —
nothing sent twice, nothing lost."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from datetime import UTC, datetime, time, timedelta

from services.agreements import usecases as agreements_usecases
from services.agreements.domain.obligation import Obligation, Source
from services.agreements.repository import ObligationRepository
from services.notifications import tables, usecases
from services.notifications.heads import DirectoryHeads
from services.notifications.mail import Mailer
from shared import aggregates
from shared.contracts.base import LocalizedText
from shared.db import Database
from shared.documents import create_document
from tests.harness import auth, count_rows, env_for, eventually, local_mail, running, settings_for

UNITS, PER_UNIT = 8, 25
D0 = datetime.now(UTC).date() + timedelta(days=1)


def _start_worker(settings) -> subprocess.Popen[bytes]:  # type: ignore[no-untyped-def]
    return subprocess.Popen(
        [sys.executable, "-m", "services.cli", "worker", "notifications"],
        env={**os.environ, **env_for(settings), "IRP_RUN_SCHEDULES": "false"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


async def test_killed_mid_stream_and_restarted_it_sends_each_unit_one_digest_with_everything(
    databases, kafka, prefix, tmp_path
):
    mail = local_mail(tmp_path / "mail")

    def settings(service: str, url: str, **more):  # type: ignore[no-untyped-def]
        return settings_for(service, url, kafka.bootstrap, prefix, smtp_port=mail.port,
                            run_schedules=False, **more)  # fmt: skip

    urls = {s: await databases.new(s) for s in ("directory", "agreements", "notifications")}
    notifications = settings("notifications", urls["notifications"], consumer_batch_size=10)
    async with (
        running("directory", settings("directory", urls["directory"])) as directory,
        running("agreements", settings("agreements", urls["agreements"])) as agreements,
    ):
        units = []
        for n in range(UNITS):
            answer = await directory.client.post("/v1/units", headers=auth(), json={
                "kind": "department", "valid_from": "2020-01-01",
                "name": {"ka": f"დეპარტამენტი {n}", "en": f"Department {n}"},
                "notice_email": f"unit{n}@mfa.gov.ge",
            })  # fmt: skip
            units.append(answer.json()["id"])
        async with agreements.ctx.writer.unit_of_work() as uow:
            repo = ObligationRepository(uow.session)
            for n in range(UNITS * PER_UNIT):
                obligation = Obligation(
                    sources=(Source(kind="agreement_clause", reference=f"Art. {n}"),),
                    title=LocalizedText(en=f"Obligation {n}"), lead_unit=f"Department {n % UNITS}",
                    lead_unit_id=units[n % UNITS], deadline=D0 + timedelta(days=5),
                    external_ref=f"{n}",
                )  # fmt: skip
                await create_document(uow, repo, aggregates.create(obligation))
        swept = await agreements_usecases.sweep_reminders(
            agreements.ctx.writer, D0, agreements.ctx.settings
        )
        assert swept == UNITS * PER_UNIT
        producers = (directory, agreements)
        produced = sum([await count_rows(s.db, s.ctx.outbox.table) for s in producers])

        async def published() -> bool:  # every event out before the producers stop
            waiting = [s.ctx.outbox.table.c.published_at.is_(None) for s in producers]
            counts = [await count_rows(s.db, s.ctx.outbox.table, w)
                      for s, w in zip(producers, waiting, strict=True)]  # fmt: skip
            return sum(counts) == 0

        await eventually(published, timeout=60)

    db = Database(notifications.effective_database_url)
    worker = _start_worker(notifications)
    try:
        items = tables.items

        async def kept(n: int) -> bool:
            try:
                return await count_rows(db, items) >= n
            except Exception:  # the worker has not made its tables yet
                return False

        await eventually(lambda: kept(40), timeout=90, interval=0.01)
        worker.send_signal(signal.SIGKILL)
        worker.wait()
        killed_at = await count_rows(db, items)
        assert killed_at < UNITS * PER_UNIT, "the kill must land in the middle of the stream"
        worker = _start_worker(notifications)

        async def all_handled() -> bool:
            return await count_rows(db, tables.inbox) >= produced

        await eventually(all_handled, timeout=90)
    finally:
        worker.terminate()
        worker.wait(10)
        await db.dispose()
    assert await _count(notifications, tables.items) == UNITS * PER_UNIT  # each reminder once

    quiet = {"run_consumers": False}
    async with running(
        "notifications", settings("notifications", urls["notifications"], **quiet)
    ) as service:
        ctx, at = service.ctx, datetime.combine(D0, time(9), UTC)
        heads = DirectoryHeads(ctx.settings)
        assert await usecases.compose_messages(ctx.writer, at, ctx.settings, heads) == UNITS
        assert (
            await usecases.send_pending(ctx.writer, Mailer(ctx.settings), at, ctx.settings) == UNITS
        )
        assert await usecases.compose_messages(ctx.writer, at, ctx.settings, heads) == 0
        assert await usecases.send_pending(ctx.writer, Mailer(ctx.settings), at, ctx.settings) == 0
    mail.stop()

    received = mail.messages()
    assert sorted(str(m["To"]) for m in received) == sorted(
        f"unit{n}@mfa.gov.ge" for n in range(UNITS)
    )
    for message in received:
        unit = int(str(message["To"]).removeprefix("unit").split("@")[0])
        listed = [x for x in message.get_content().splitlines() if x.startswith("- [due] deadline")]
        expected = {f"Obligation {n}" for n in range(unit, UNITS * PER_UNIT, UNITS)}
        assert {x.split(": ", 1)[1].split(" (")[0] for x in listed} == expected


async def _count(settings, table) -> int:  # type: ignore[no-untyped-def]
    db = Database(settings.effective_database_url)
    try:
        return await count_rows(db, table)
    finally:
        await db.dispose()
