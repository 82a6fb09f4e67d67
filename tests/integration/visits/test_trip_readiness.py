"""An outgoing visit flags a delegation member whose passport will not last the trip."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from services.visits import tables as visits_tables
from tests.harness import VISIT, auth, eventually, remember_personal_data, running, settings_for

TODAY = datetime.now(UTC).date()
START, END = TODAY + timedelta(days=20), TODAY + timedelta(days=23)
HOLDER = {
    "name_ka": "თამარ გელაშვილი",
    "personal_number": "01005012345",
    "date_of_birth": "1970-05-01",
    "category": "deputy_minister",
}
remember_personal_data(HOLDER["personal_number"], HOLDER["date_of_birth"], "DA1111111", "DA2222222")


async def _issue(client, headers, holder_id: str, number: str, expires) -> dict:  # type: ignore[no-untyped-def]
    passport = (
        await client.post(
            "/v1/passports", json={"holder_id": holder_id, "passport_type": "diplomatic"},
            headers=headers,
        )
    ).json()  # fmt: skip
    base = f"/v1/passports/{passport['id']}"
    for to in ("approved", "submitted"):
        assert (
            await client.post(f"{base}/transitions", json={"to": to}, headers=headers)
        ).is_success
    issue = {"number": number, "issued_on": str(TODAY), "expires_on": str(expires)}
    issued = await client.post(f"{base}/issue", json=issue, headers=headers)
    assert issued.status_code == 200, issued.text
    return issued.json()


async def test_a_head_of_delegation_with_a_passport_expiring_too_soon_is_flagged_until_renewed(
    databases, kafka, prefix
):
    passports_settings = settings_for(
        "passports", await databases.new("p"), kafka.bootstrap, prefix
    )
    visits_settings = settings_for(
        "visits", await databases.new("v"), kafka.bootstrap, prefix,
        passport_validity_margin_days=90,
    )  # fmt: skip
    async with (
        running("passports", passports_settings) as passports,
        running("visits", visits_settings) as visits,
    ):
        headers = auth()
        holder = (await passports.client.post("/v1/holders", json=HOLDER, headers=headers)).json()
        await _issue(passports.client, headers, holder["id"], "DA1111111", END + timedelta(days=60))

        visit = {**VISIT, "direction": "outgoing", "kind": "working", "country_code": "BE",
                 "start_date": str(START), "end_date": str(END)}  # fmt: skip
        visit_id = (await visits.client.post("/v1/visits", json=visit, headers=headers)).json()[
            "id"
        ]
        head = {"name_latin": "Tamar Gelashvili", "role": "head", "precedence": 1,
                "passport_holder_id": holder["id"], "passport_type": "diplomatic",
                "visa": {"status": "not_required"}}  # fmt: skip
        added = await visits.client.post(
            f"/v1/visits/{visit_id}/delegation", json=head, headers=headers
        )
        assert added.status_code == 201, added.text

        async def head() -> dict:
            shown = await visits.client.get(f"/v1/visits/{visit_id}/delegation", headers=headers)
            return shown.json()[0]

        async def flagged() -> bool:  # expires 60 days after the return; the margin is 90
            member = await head()
            return member["passport_ready"] is False and "expires on" in member["passport_issue"]

        await eventually(flagged)
        await _issue(
            passports.client, headers, holder["id"], "DA2222222", END + timedelta(days=2000)
        )

        async def cleared() -> bool:
            return (await head())["passport_ready"] is True

        await eventually(cleared)
        assert (await head())["passport_issue"] is None
        outbox = visits_tables.outbox
        async with visits.db.unit_of_work(write=False) as session:
            rows = (
                await session.execute(
                    select(outbox.c.payload)
                    .where(outbox.c.event_type.endswith("DelegationMemberReadinessChanged.v1"))
                    .order_by(outbox.c.id)
                )
            ).scalars()
            changes = [json.loads(r)["data"] for r in rows]
        # Each change published: it was flagged for the early expiry, and ready at the end.
        # (Between the two, the old passport's cancellation may arrive before the new one's
        # issue — they are different aggregates, on different partitions — and publish a
        # passing "no passport in hand": that is a true state of the projection, not a fault.)
        assert changes[-1]["ready"] is True
        flagged_at = [i for i, c in enumerate(changes) if "expires on" in (c["reason"] or "")]
        assert flagged_at and all(changes[i]["ready"] is False for i in flagged_at)
        assert flagged_at[-1] < len(changes) - 1
