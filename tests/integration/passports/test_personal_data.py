"""Personal data of passport holders stays out of events, logs and metrics."""

from __future__ import annotations

import io
import logging

from prometheus_client import generate_latest
from sqlalchemy import select

from services.passports import tables
from tests.harness import auth, count_rows, running, settings_for

HOLDER = {
    "name_ka": "ნინო ბერიძე",
    "personal_number": "01987654321",
    "date_of_birth": "1977-03-14",
    "category": "head_of_department",
    "unit": "Policy Department",
}


async def test_personal_data_is_masked_without_the_pii_scope_and_never_leaves_the_service(
    tmp_path, kafka, prefix
):
    captured = io.StringIO()
    handler = logging.StreamHandler(captured)
    root = logging.getLogger()
    previous = root.level
    settings = settings_for("passports", f"sqlite:///{tmp_path}/p.db", kafka.bootstrap, prefix)
    try:
        async with running("passports", settings) as passports:
            # After the service configured its logging: capture everything it logs.
            root.addHandler(handler)
            root.setLevel(logging.DEBUG)
            officer = auth("passports:write", "passports:pii", subject="registrar")
            created = await passports.client.post("/v1/holders", json=HOLDER, headers=officer)
            assert created.status_code == 201, created.text
            assert created.json()["personal_number"] == HOLDER["personal_number"]

            duplicate = await passports.client.post("/v1/holders", json=HOLDER, headers=officer)
            assert duplicate.status_code == 409
            assert HOLDER["personal_number"] not in duplicate.text

            masked = await passports.client.get("/v1/holders", headers=auth("passports:read"))
            assert masked.json()["items"][0]["personal_number"] == "*********21"
            assert masked.json()["items"][0]["date_of_birth"] is None
            assert await count_rows(passports.db, tables.pii_reads) == 1  # the registrar's

            full = await passports.client.get(
                "/v1/holders", headers=auth("passports:read", "passports:pii", subject="auditor-7")
            )
            item = full.json()["items"][0]
            assert (item["personal_number"], item["date_of_birth"]) == ("01987654321", "1977-03-14")
            async with passports.db.unit_of_work(write=False) as session:
                reads = (await session.execute(select(tables.pii_reads))).all()
                payloads = (await session.execute(select(tables.outbox.c.payload))).scalars().all()
            assert [(r.subject, r.holder_id) for r in reads] == [
                ("registrar", item["id"]),
                ("auditor-7", item["id"]),
            ]

            assert len(payloads) == 1
            metrics = generate_latest().decode()
    finally:
        root.removeHandler(handler)
        root.setLevel(previous)
    assert "holder registered" in captured.getvalue()
    for secret in ("01987654321", "1977-03-14", "ნინო"):
        assert secret not in payloads[0]
        assert secret not in captured.getvalue()
        assert secret not in metrics
