"""Units referred to by id, from the directory through agreements to the EU report: the
report names each unit as on its day, and after a merger counts the merged unit's measures
under the unit that carries its work; as of a moment before the merger, apart."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from services.reporting import tables as reporting_tables
from tests.harness import (
    auth,
    count_rows,
    created,
    eventually,
    running,
    settings_for,
)

TODAY = datetime.now(UTC).date()
IR = {"ka": "საერთაშორისო ურთიერთობების დეპარტამენტი", "en": "International Relations Department"}
EU = {"ka": "ევროინტეგრაციის დეპარტამენტი", "en": "EU Integration Department"}


async def test_reports_name_units_as_on_their_day_and_follow_a_merger(databases, kafka, prefix):
    def settings(service: str, url: str):  # type: ignore[no-untyped-def]
        return settings_for(service, url, kafka.bootstrap, prefix)

    urls = {s: await databases.new(s[0]) for s in ("directory", "agreements", "reporting")}
    async with (
        running("directory", settings("directory", urls["directory"])) as directory,
        running("agreements", settings("agreements", urls["agreements"])) as agreements,
        running("reporting", settings("reporting", urls["reporting"])) as reporting,
    ):
        unit = {"kind": "department", "valid_from": "2019-07-01"}
        ir = await created(directory.client, "/v1/units", {**unit, "name": IR})
        eu = await created(directory.client, "/v1/units", {**unit, "name": EU})
        plan = await created(agreements.client, "/v1/action-plans",
                              {"year": TODAY.year, "title": {"en": "Action Plan"}})  # fmt: skip

        def measure(ref: str, unit: dict) -> dict:
            return {"sources": [{"kind": "eu_action_plan", "reference": ref}],
                    "title": {"en": f"Measure {ref}"}, "lead_unit_id": unit["id"],
                    "action_plan_id": plan["id"]}  # fmt: skip

        async def registered(body: dict) -> bool:  # once agreements knows the unit
            answer = await agreements.client.post("/v1/obligations", json=body, headers=auth())
            return answer.status_code == 201

        for ref, owner in (("1.1", ir), ("1.2", ir), ("2.1", eu)):
            await eventually(lambda b=measure(ref, owner): registered(b), timeout=30)
        unknown = await agreements.client.post(
            "/v1/obligations", json={**measure("9.9", ir), "lead_unit_id": "nope"}, headers=auth()
        )
        assert unknown.status_code == 422 and "no unit nope" in unknown.json()["detail"]
        renamed = await directory.client.post(
            f"/v1/units/{ir['id']}/renaming",
            json={"name": {"ka": "", "en": "International Relations and Protocol"},
                  "on": str(TODAY - timedelta(days=1))},
            headers=auth(),
        )  # fmt: skip
        assert renamed.status_code == 200, renamed.text

        async def applied(n: int) -> bool:
            return await count_rows(reporting.db, reporting_tables.events) >= n

        await eventually(lambda: applied(2 + 1 + 3 + 1), timeout=30)
        await asyncio.sleep(1.1)  # a moment strictly between the rename and the merger
        before_merger = datetime.now(UTC)
        await asyncio.sleep(1.1)
        merged = await directory.client.post(
            f"/v1/units/{eu['id']}/merger", json={"into": ir["id"], "on": str(TODAY)},
            headers=auth(),
        )  # fmt: skip
        assert merged.status_code == 200, merged.text
        await eventually(lambda: applied(8), timeout=30)

        url, year = "/v1/reports/eu-association", {"year": TODAY.year}
        now = (await reporting.client.get(url, params=year, headers=auth())).json()
        then = await reporting.client.get(
            url, params={**year, "as_of": before_merger.isoformat()}, headers=auth()
        )

    def by_unit(report: dict) -> dict[str, int]:
        return {u["name"]: u["measures"] for u in report["by_unit"]}

    assert by_unit(now) == {"International Relations and Protocol": 3}
    assert by_unit(then.json()) == {
        "International Relations and Protocol": 2,
        "EU Integration Department": 1,
    }
