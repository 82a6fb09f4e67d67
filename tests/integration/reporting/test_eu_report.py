"""The EU Association report from the event streams: every format, and as of a past moment."""

from __future__ import annotations

import asyncio
import io
from datetime import UTC, datetime

from docx import Document
from openpyxl import load_workbook
from sqlalchemy import update

from services.reporting import tables as reporting_tables
from services.reporting.history.rebuild import differences, rebuild
from shared.db import Database
from tests.harness import auth, count_rows, eventually, running, settings_for

CSV = """ref,title_ka,title_en,source_reference,area,lead_unit,supporting_units,deadline
M1,ღონისძიება 1,Measure one,1.1,Chapter A,Policy,,2030-12-31
M2,ღონისძიება 2,Measure two,1.2,Chapter A,Policy,,2030-12-31
M3,ღონისძიება 3,Measure three,1.3,Chapter A,Legal,Policy,2030-12-31
M4,ღონისძიება 4,Measure four,2.1,Chapter B,Legal,,2020-01-01
M5,ღონისძიება 5,Measure five,2.2,Chapter B,Legal,,2030-12-31
M6,ღონისძიება 6,Measure six,2.3,Chapter B,Policy,,2030-12-31
"""


async def test_the_eu_report_counts_what_was_done_in_every_format_and_as_of_a_moment(
    tmp_path, kafka, prefix
):
    agreements_settings = settings_for(
        "agreements", f"sqlite:///{tmp_path}/a.db", kafka.bootstrap, prefix
    )
    reporting_settings = settings_for(
        "reporting", f"sqlite:///{tmp_path}/r.db", kafka.bootstrap, prefix
    )
    async with (
        running("agreements", agreements_settings) as agreements,
        running("reporting", reporting_settings) as reporting,
    ):
        client, headers = agreements.client, auth()
        plan = (
            await client.post(
                "/v1/action-plans", json={"year": 2026, "title": {"en": "Action Plan 2026"}},
                headers=headers,
            )
        ).json()  # fmt: skip
        imported = await client.post(
            f"/v1/obligations/import?action_plan_id={plan['id']}",
            content=CSV.encode(),
            headers={**headers, "Content-Type": "text/csv"},
        )
        assert imported.json()["created"] == 6, imported.text
        listed = (await client.get("/v1/obligations", headers=headers)).json()["items"]
        ids = {o["external_ref"]: o["id"] for o in listed}

        async def move(ref: str, *steps: str) -> None:
            for to in steps:
                answer = await client.post(
                    f"/v1/obligations/{ids[ref]}/transitions",
                    json={"to": to, "reason": "as decided"},
                    headers=headers,
                )
                assert answer.status_code == 200, answer.text

        async def approve(ref: str, percent: int, period: str) -> None:
            report = await client.post(
                f"/v1/obligations/{ids[ref]}/progress",
                json={"period": period, "percent": percent, "reporting_unit": "Legal",
                      "narrative": {"en": f"{percent}% done", "ka": f"{percent}% შესრულდა"}},
                headers=headers,
            )  # fmt: skip
            assert report.status_code == 201, report.text
            decided = await client.post(
                f"/v1/obligations/{ids[ref]}/progress/{report.json()['id']}/transitions",
                json={"to": "approved"},
                headers=headers,
            )
            assert decided.status_code == 200, decided.text

        await move("M1", "in_progress", "completed")
        await move("M2", "cancelled")
        await move("M3", "in_progress")
        await approve("M3", 40, "2026-Q1")
        await asyncio.sleep(0.3)
        between = datetime.now(UTC)
        await asyncio.sleep(0.3)
        await approve("M3", 80, "2026-Q2")
        await move("M5", "in_progress", "completed")

        sent = 1 + 6 + 6 + 4  # the plan, 6 measures, 6 status moves, 2 reports x 2 steps

        async def applied() -> bool:
            return await count_rows(reporting.db, reporting_tables.events) >= sent

        await eventually(applied)
        url = "/v1/reports/eu-association"
        get = lambda **params: reporting.client.get(url, params=params, headers=auth())  # noqa: E731
        report = (await get(year=2026)).json()
        xlsx = await get(year=2026, format="xlsx")
        docx = await reporting.client.get(
            url,
            params={"year": 2026, "lang": "ka"},
            headers={**auth(), "Accept": "application/vnd.openxmlformats-officedocument"
                     ".wordprocessingml.document"},
        )  # fmt: skip
        earlier = [(await get(year=2026, as_of=between.isoformat())).json() for _ in range(2)]
        replayed, found = await rebuild(
            reporting_settings.database_url, f"sqlite:///{tmp_path}/re.db"
        )
        assert (replayed, found) == (sent, [])
        assert found == [] and replayed == await count_rows(reporting.db, reporting_tables.events)
        rebuilt = Database(f"sqlite:///{tmp_path}/re.db")  # a tampered copy is told apart
        async with rebuilt.unit_of_work() as session:
            await session.execute(update(reporting_tables.obligations).values(status="completed"))
        assert [d.split(":")[0] for d in await differences(reporting.db, rebuilt)] == [
            "obligations"
        ]
        await rebuilt.dispose()

    overall = report["overall"]
    assert overall["measures"] == 6
    assert overall["by_status"] == {"cancelled": 1, "completed": 2, "in_progress": 1,
                                    "not_started": 2}  # fmt: skip
    assert overall["implemented_percent"] == 40.0  # 2 of 5 (the cancelled one excluded)
    assert overall["average_progress_percent"] == 16.0  # (80 + 0 + 0 + 0 + 0) / 5
    chapters = {c["name"]: c for c in report["by_chapter"]}
    assert chapters["Chapter A"]["implemented_percent"] == 50.0  # M1 of M1, M3
    assert chapters["Chapter B"]["implemented_percent"] == 33.3  # M5 of M4, M5, M6
    assert [m["ref"] for m in report["overdue"]] == ["M4"]
    # and where it is overdue: its chapter's and its unit's count
    assert {name: c["overdue"] for name, c in chapters.items()} == {"Chapter A": 0, "Chapter B": 1}
    m4 = next(m for m in report["measures"] if m["ref"] == "M4")
    assert {u["name"]: u["overdue"] for u in report["by_unit"]}[m4["lead_unit"]] == 1
    assert sum(u["overdue"] for u in report["by_unit"]) == 1
    m3 = next(m for m in report["measures"] if m["ref"] == "M3")
    assert (m3["latest_percent"], m3["latest_narrative"]) == (80, "80% done")
    assert set(report["includes_events_until"]) == {"agreements"}
    assert report["definitions"]["implemented_percent"].startswith("completed")

    book = load_workbook(io.BytesIO(xlsx.content))
    summary = [[c.value for c in row] for row in book["Summary"].iter_rows()]
    assert ["The year", 6, 0.4, 0.16] in summary  # percentages as numbers, shown as %
    rows = book["Chapters"].iter_rows(values_only=True)
    chapters = [r for r in rows if r[0] in ("Chapter A", "Chapter B")]
    assert {r[0]: r[2] for r in chapters} == {"Chapter A": 0.5, "Chapter B": 0.333}
    assert {r[0]: r[4] for r in chapters} == {"Chapter A": 0, "Chapter B": 1}  # overdue
    late = [r for r in book["Overdue measures"].iter_rows(values_only=True) if r[2] == "M4"]
    assert late and late[0][0] == "Chapter B"  # listed under its chapter and unit
    assert docx.headers["content-type"].startswith("application/vnd.openxmlformats")
    text = "\n".join(p.text for p in Document(io.BytesIO(docx.content)).paragraphs)
    cells = [
        c.text for t in Document(io.BytesIO(docx.content)).tables for r in t.rows for c in r.cells
    ]
    assert "Action Plan 2026" in text and "ვადაგადაცილებული ღონისძიებები" in text  # asked in ka
    assert "ღონისძიება 4" in cells and "40,0" in cells  # Georgian as written, same figures

    assert earlier[0] == earlier[1]  # a past moment gives the same report every time
    then = next(m for m in earlier[0]["measures"] if m["ref"] == "M3")
    assert then["latest_percent"] == 40
    assert earlier[0]["overall"]["by_status"]["completed"] == 1  # M5 was completed later


async def test_the_un_report_groups_by_mechanism_and_support_level(tmp_path, kafka, prefix):
    agreements_settings = settings_for(
        "agreements", f"sqlite:///{tmp_path}/a.db", kafka.bootstrap, prefix
    )
    reporting_settings = settings_for(
        "reporting", f"sqlite:///{tmp_path}/r.db", kafka.bootstrap, prefix
    )
    rows = (
        "ref,title_en,source_kind,source_reference,source2_kind,source2_reference,lead_unit,"
        "deadline,support_level\n"
        "U1,Ratify the convention,upr_recommendation,148.1,,,Legal,2030-01-01,supported\n"
        "U2,Review the law,upr_recommendation,148.2,un_treaty_body,CAT/C/GEO/CO/4 para 9,"
        "Legal,2020-01-01,supported_in_part\n"
        "U3,Consider the protocol,upr_recommendation,148.3,,,Policy,2030-01-01,noted\n"
        "H1,Resolution follow-up,un_hrc_resolution,A/HRC/RES/52/1,,,Policy,2030-01-01,\n"
        # a measure implementing 148.1 without answering it: the answer is the recommendation's
        "E1,Draft the law,eu_association_agenda,AA 2.1,upr_recommendation,148.1,Legal,2030-01-01,\n"
    )
    async with (
        running("agreements", agreements_settings) as agreements,
        running("reporting", reporting_settings) as reporting,
    ):
        imported = await agreements.client.post(
            "/v1/obligations/import", content=rows.encode(),
            headers={**auth(), "Content-Type": "text/csv"},
        )  # fmt: skip
        assert imported.json()["created"] == 5, imported.text
        listed = (await agreements.client.get("/v1/obligations", headers=auth())).json()["items"]
        u1 = next(o["id"] for o in listed if o["external_ref"] == "U1")
        for to in ("in_progress", "completed"):
            await agreements.client.post(
                f"/v1/obligations/{u1}/transitions", json={"to": to}, headers=auth()
            )

        async def applied() -> bool:
            return await count_rows(reporting.db, reporting_tables.events) >= 7

        await eventually(applied)
        url = "/v1/reports/un-obligations"
        report = (await reporting.client.get(url, headers=auth())).json()
        csv_text = (await reporting.client.get(url, params={"format": "csv"}, headers=auth())).text
        supported = (
            await reporting.client.get(url, params={"support_level": "supported"}, headers=auth())
        ).json()

    upr = next(m for m in report["by_mechanism"] if m["mechanism"] == "upr_recommendation")
    assert (upr["measures"], upr["recommendations"]) == (4, 3)  # 148.1 has two measures
    # each recommendation counted once, with the answer stated for it
    assert upr["by_support_level"] == {"noted": 1, "supported": 1, "supported_in_part": 1}
    assert upr["implemented_percent"] == 25.0
    treaty = next(m for m in report["by_mechanism"] if m["mechanism"] == "un_treaty_body")
    assert treaty["measures"] == 1  # U2 counts under both of its mechanisms
    assert report["overall"]["measures"] == 5
    e1 = next(i for i in report["items"] if i["ref"] == "E1")
    assert e1["support_level"] == "supported"  # 148.1's answer, stated on U1
    # an overdue item names the obligation (its own ref) and the source it answers
    assert sorted((i["mechanism"], i["ref"], i["reference"]) for i in report["overdue"]) == [
        ("un_treaty_body", "U2", "CAT/C/GEO/CO/4 para 9"),
        ("upr_recommendation", "U2", "148.2"),
    ]
    assert csv_text.splitlines()[0].lstrip("\ufeff").startswith("Mechanism,No.,Reference,Title")
    assert len(csv_text.splitlines()) == 1 + 6  # six citations of five obligations
    # the measures implementing supported recommendations: 148.1's two, whoever stated it
    assert sorted(i["ref"] for i in supported["items"]) == ["E1", "U1"]
    assert supported["overall"]["measures"] == 2
