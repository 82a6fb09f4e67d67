"""A report is made once while the projections stand still: the same request is answered
from memory, a client holding it gets 304, and the next applied event makes it anew."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from prometheus_client import REGISTRY

from services.reporting import tables as reporting_tables
from tests.harness import VISIT, auth, count_rows, eventually, running, sqlite_settings

CSV = """ref,title_ka,title_en,source_reference,area,lead_unit,supporting_units,deadline
M1,ღონისძიება 1,Measure one,1.1,Chapter A,Policy,,2030-12-31
M2,ღონისძიება 2,Measure two,1.2,Chapter A,Legal,,2030-12-31
"""
URL = "/v1/reports/eu-association"
ACTIVITY = "/v1/reports/activity"


def answered(how: str) -> float:
    labels = {"service": "reporting", "answer": how}
    return REGISTRY.get_sample_value("irp_report_answers_total", labels) or 0.0


async def test_a_report_is_made_again_only_when_an_event_changed_what_it_is_made_of(
    tmp_path, kafka, prefix
):
    settings = sqlite_settings(tmp_path, kafka.bootstrap, prefix)

    async with (
        running("agreements", settings("agreements")) as agreements,
        running("visits", settings("visits")) as visits,
        running("reporting", settings("reporting")) as reporting,
    ):
        h = auth()
        plan = await agreements.client.post(
            "/v1/action-plans", json={"year": 2026, "title": {"en": "Plan"}}, headers=h
        )
        imported = await agreements.client.post(
            f"/v1/obligations/import?action_plan_id={plan.json()['id']}",
            content=CSV.encode(),
            headers={**h, "Content-Type": "text/csv"},
        )
        assert imported.json()["created"] == 2, imported.text

        async def applied(n: int) -> bool:
            return await count_rows(reporting.db, reporting_tables.events) >= n

        await eventually(lambda: applied(3))
        moment = datetime.now(UTC).isoformat()

        async def get(held: str | None = None, **params: str):  # type: ignore[no-untyped-def]
            headers = {**h, **({"If-None-Match": held} if held else {})}
            return await reporting.client.get(
                URL, params={"year": "2026", **params}, headers=headers
            )

        made, kept = answered("made"), answered("kept")
        first, again = await get(), await get()
        assert (first.status_code, again.status_code) == (200, 200)
        tag = first.headers["ETag"]
        assert tag.startswith('W/"') and again.headers["ETag"] == tag
        assert (
            again.content == first.content and first.headers["Cache-Control"] == "private, no-cache"
        )
        assert (answered("made") - made, answered("kept") - kept) == (1, 1)

        held = await get(held=tag)
        assert (held.status_code, held.content, held.headers["ETag"]) == (304, b"", tag)
        assert (await get(held=f'"other", {tag}')).status_code == 304  # one of a list
        as_csv = await get(held=tag, format="csv")  # another representation, another tag
        assert as_csv.status_code == 200 and as_csv.headers["ETag"] != tag
        assert as_csv.headers["Content-Disposition"].endswith('.csv"')
        assert (await get(held=as_csv.headers["ETag"], format="csv")).status_code == 304
        kept_csv = await get(format="csv")
        assert (kept_csv.content, kept_csv.headers["Content-Disposition"]) == (
            as_csv.content, as_csv.headers["Content-Disposition"]
        )  # fmt: skip

        # A visit changes no table the EU report is made from: it is not made again.
        activity = {"from": "2026-01-01", "to": "2026-12-31"}
        before = await reporting.client.get(ACTIVITY, params=activity, headers=h)
        assert (await visits.client.post("/v1/visits", json=VISIT, headers=h)).is_success
        await eventually(lambda: applied(4))
        made = answered("made")
        still = await get(held=tag)
        assert (still.status_code, answered("made") - made) == (304, 0)
        after = await reporting.client.get(ACTIVITY, params=activity, headers=h)
        assert after.headers["ETag"] != before.headers["ETag"]  # made from the visits
        assert answered("made") - made == 1

        listed = (await agreements.client.get("/v1/obligations", headers=h)).json()["items"]
        ids = {o["external_ref"]: o["id"] for o in listed}
        moved = await agreements.client.post(
            f"/v1/obligations/{ids['M1']}/transitions",
            json={"to": "in_progress", "reason": "started"},
            headers=h,
        )
        assert moved.status_code == 200, moved.text
        await eventually(lambda: applied(5))
        changed = await get(held=tag)
        assert changed.status_code == 200 and changed.headers["ETag"] != tag
        statuses = {m["ref"]: m["status"] for m in changed.json()["measures"]}
        assert statuses == {"M1": "in_progress", "M2": "not_started"}
        assert {m["ref"]: m["status"] for m in first.json()["measures"]}["M1"] == "not_started"

        # as of a past moment too: kept while nothing that had happened by then changes
        past = [await get(as_of=moment) for _ in range(2)]
        assert (
            past[0].content == past[1].content
            and past[0].headers["ETag"] == past[1].headers["ETag"]
        )
        assert past[0].headers["ETag"] not in (tag, changed.headers["ETag"])
        assert {m["ref"]: m["status"] for m in past[0].json()["measures"]}["M1"] == "not_started"

        # Asked by many at once after a change: made once, the others given what it made.
        assert (await visits.client.post("/v1/visits", json=VISIT, headers=h)).is_success
        await eventually(lambda: applied(6))
        made, kept = answered("made"), answered("kept")
        together = await asyncio.gather(
            *(reporting.client.get(ACTIVITY, params=activity, headers=h) for _ in range(4))
        )
        assert [r.status_code for r in together] == [200] * 4
        assert len({(r.content, r.headers["ETag"]) for r in together}) == 1
        assert together[0].headers["ETag"] != after.headers["ETag"]
        assert (answered("made") - made, answered("kept") - kept) == (1, 3)
