"""The migration from free text: databases holding the shape from before the directory (units
and organisations named as text) are brought to the newest schema, and each name is linked to
the directory's id — at once where the service's view already knows the name, else as soon as
the directory's events bring a record of that name (case, accents and spacing aside). A name
no record has stays text, waiting."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import create_async_engine

from services.agreements import tables as agreements_tables
from shared.db import async_url
from shared.migrations import upgrade
from tests.harness import auth, count_rows, eventually, running, settings_for

# the newest revision of each service before the directory's references
BEFORE = {
    "visits": "5e720f71f249",
    "agreements": "88049e03c538",
    "passports": "00f6d3ad0f0f",
}
IR = {"ka": "საერთაშორისო ურთიერთობების დეპარტამენტი", "en": "International Relations Department"}
EU = {"ka": "ევროინტეგრაციის დეპარტამენტი", "en": "EU Integration Department"}
MINISTRY = {"ka": "", "en": "Ministry of National Education"}
NOW = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
KEPT = {"version": 1, "created_at": NOW, "updated_at": NOW}


def _table(name: str, *columns: str, json: tuple[str, ...] = ()) -> sa.TableClause:
    return sa.table(name, *(sa.column(c) for c in columns), *(sa.column(c, sa.JSON) for c in json))


def _document(name: str, *columns: str) -> sa.TableClause:
    return _table(name, "id", "status", "version", "created_at", "updated_at", *columns,
                  json=("body",))  # fmt: skip


async def _kept(url: str, rows: list[tuple[sa.TableClause, dict[str, Any]]]) -> None:
    """Rows written as the service kept them before."""
    engine = create_async_engine(async_url(url))
    async with engine.begin() as connection:
        for table, row in rows:
            await connection.execute(sa.insert(table), [row])
    await engine.dispose()


def _old_visits(ir: str) -> list[tuple[sa.TableClause, dict[str, Any]]]:
    visits = _table("visits", "id", "direction", "kind", "status", "responsible_unit",
                    "organisation", "version", "created_at", "updated_at",
                    json=("title", "details"))  # fmt: skip
    meeting = {
        "official_level": "minister", "official_name": "Minister",
        "counterpart_type": "foreign_delegation", "counterpart": "Minister of Education",
        "organisation": "  MINISTRY of national   education ", "counterpart_country": "FR",
        "starts_at": "2026-01-06T10:00:00+04:00", "ends_at": "2026-01-06T11:00:00+04:00",
    }  # fmt: skip
    trip = {
        "traveller": "Nino Beridze", "unit": "EU Integration Department",
        "destination_country": "BE", "purpose": {"ka": "", "en": "Working group"},
        "start_date": "2026-02-01", "end_date": "2026-02-03", "funding": "ministry",
    }  # fmt: skip
    return [
        (visits, {"id": "visit-1", "direction": "incoming", "kind": "official", "status": "draft",
                  "responsible_unit": ir, "organisation": "Ministry of National Education",
                  "title": {"ka": "", "en": "Visit"}, "details": {}, **KEPT}),
        (_document("meetings", "official", "country_code"),
         {"id": "meeting-1", "status": "planned", "official": "Minister", "country_code": "FR",
          "body": meeting, **KEPT}),
        (_document("business_trips", "official", "country_code"),
         {"id": "trip-1", "status": "requested", "official": "Nino Beridze",
          "country_code": "BE", "body": trip, **KEPT}),
    ]  # fmt: skip


def _old_agreements(ir_id: str, eu_id: str) -> list[tuple[sa.TableClause, dict[str, Any]]]:
    obligation = {
        "sources": [{"kind": "commission_decision", "reference": "session 1, decision 1"}],
        "title": {"ka": "", "en": "Open a checkpoint"},
        "lead_unit": "international relations department",
        "supporting_units": ["EU Integration Department", "Office of Nobody"],
    }
    agreement = {
        "agreement_type": "memorandum", "title": {"ka": "", "en": "Memorandum"},
        "parties": {"countries": ["FR"], "organisations": ["Ministry of National Education"]},
        "responsible_unit": "EU Integration Department",
    }  # fmt: skip
    view = _table("directory_units", "unit_id", "status", "merged_into", "version", json=("name",))
    return [
        # the units its view had kept from the directory's events already
        (view, {"unit_id": ir_id, "name": IR, "status": "active", "merged_into": None,
                "version": 1}),
        (view, {"unit_id": eu_id, "name": EU, "status": "active", "merged_into": None,
                "version": 1}),
        (_document("obligations", "kinds", "lead_unit"),
         {"id": "obligation-1", "status": "not_started", "kinds": "|commission_decision|",
          "lead_unit": obligation["lead_unit"], "body": obligation, **KEPT}),
        (_document("agreements", "agreement_type", "countries"),
         {"id": "agreement-1", "status": "proposal", "agreement_type": "memorandum",
          "countries": "|FR|", "body": agreement, **KEPT}),
    ]  # fmt: skip


def _old_passports(ir: str) -> list[tuple[sa.TableClause, dict[str, Any]]]:
    holders = _table(
        "holders", "id", "name_ka", "name_latin", "personal_number", "date_of_birth",
        "category", "unit", "version", "created_at", "updated_at",
    )  # fmt: skip
    return [(holders, {"id": "holder-1", "name_ka": "ნინო ბერიძე", "name_latin": "Nino Beridze",
                       "personal_number": "01001011234", "date_of_birth": date(1985, 4, 2),
                       "category": "deputy_minister", "unit": ir, **KEPT})]  # fmt: skip


async def test_names_kept_as_text_are_linked_to_the_directory_from_a_database_of_the_old_shape(
    databases, kafka, prefix
):
    def settings(service: str, url: str):  # type: ignore[no-untyped-def]
        # no sweeps: a reminder the old rows' dates call for is a change of its own
        return settings_for(service, url, kafka.bootstrap, prefix, run_schedules=False)

    urls = {s: await databases.new(s) for s in ("directory", *BEFORE)}
    for service, revision in BEFORE.items():
        await asyncio.to_thread(upgrade, f"services.{service}", urls[service], revision)
    async with running("directory", settings("directory", urls["directory"])) as directory:
        d = directory.client
        unit = {"kind": "department", "valid_from": "2019-07-01"}
        ir = (await d.post("/v1/units", json={**unit, "name": IR}, headers=auth())).json()
        eu = (await d.post("/v1/units", json={**unit, "name": EU}, headers=auth())).json()
        await _kept(urls["visits"], _old_visits(IR["en"]))
        await _kept(urls["agreements"], _old_agreements(ir["id"], eu["id"]))
        await _kept(urls["passports"], _old_passports(IR["en"]))
        async with (
            running("visits", settings("visits", urls["visits"])) as visits,
            running("agreements", settings("agreements", urls["agreements"])) as agreements,
            running("passports", settings("passports", urls["passports"])) as passports,
        ):
            v, a, p = visits.client, agreements.client, passports.client
            # migrated: linked at once where the view knew the name already
            obligation = (await a.get("/v1/obligations/obligation-1", headers=auth())).json()
            assert obligation["lead_unit_id"] == ir["id"]
            assert obligation["supporting_unit_ids"] == []  # "Office of Nobody" is no unit
            assert obligation["lead_unit"] == "international relations department"  # as kept
            agreement = (await a.get("/v1/agreements/agreement-1", headers=auth())).json()
            assert agreement["responsible_unit_id"] == eu["id"]
            assert agreement["parties"]["organisation_ids"] == []  # no counterparts yet

            ministry = await d.post(
                "/v1/counterparts",
                json={"name": MINISTRY, "kind": "foreign_ministry", "country_code": "FR"},
                headers=auth(),
            )
            ministry_id = ministry.json()["id"]

            async def linked() -> bool:
                visit = (await v.get("/v1/visits/visit-1", headers=auth())).json()
                meeting = (await v.get("/v1/meetings/meeting-1", headers=auth())).json()
                trip = (await v.get("/v1/business-trips/trip-1", headers=auth())).json()
                holder = (await p.get("/v1/holders/holder-1", headers=auth())).json()
                party = (await a.get("/v1/agreements/agreement-1", headers=auth())).json()
                return (
                    visit["responsible_unit_id"] == ir["id"]
                    and visit["organisation_id"] == ministry_id
                    and meeting["organisation_id"] == ministry_id
                    and trip["unit_id"] == eu["id"]
                    and holder["unit_id"] == ir["id"]
                    and party["parties"]["organisation_ids"] == [ministry_id]
                )

            await eventually(linked, timeout=60)
            links = agreements_tables.directory.links
            assert await count_rows(agreements.db, links) == 2  # the obligation's supporting units
            again = await a.get("/v1/obligations/obligation-1", headers=auth())
            assert again.json()["version"] == 1  # linking is no change of the obligation
