"""Kept report answers: bounded by their bytes, the least recently used dropped first."""

from __future__ import annotations

import asyncio

from services.reporting.reports.kept import KeptAnswer, KeptReports
from shared.http.conditional import none_match


def answer(size: int) -> KeptAnswer:
    return KeptAnswer(b"x" * size, "application/json", {})


def test_the_same_request_on_the_same_projections_has_the_same_tag_and_no_other_does():
    kept = KeptReports(1000)
    tag = kept.tag(("/v1/reports/un", "json", (("agreements", 7),)))
    assert tag == kept.tag(("/v1/reports/un", "json", (("agreements", 7),)))
    assert tag != kept.tag(("/v1/reports/un", "json", (("agreements", 8),)))
    assert tag != kept.tag(("/v1/reports/un", "csv", (("agreements", 7),)))
    # another process (another version of the code, say) never hands out the same tag
    assert tag != KeptReports(1000).tag(("/v1/reports/un", "json", (("agreements", 7),)))


def test_the_least_recently_used_answers_go_first_once_the_bytes_pass_the_bound():
    kept = KeptReports(1000)
    for name in "abcd":
        kept.keep(name, answer(240))
    assert kept.get("a") is not None  # used: now the most recent
    kept.keep("e", answer(240))
    assert [n for n in "abcde" if kept.get(n) is not None] == ["a", "c", "d", "e"]
    assert kept.size == (4, 960)


def test_an_answer_larger_than_a_quarter_of_the_bound_is_not_kept():
    kept = KeptReports(1000)
    kept.keep("big", answer(251))
    assert kept.get("big") is None and kept.size == (0, 0)
    assert KeptReports(0).get("x") is None


def test_if_none_match_names_the_tag_weakly_alone_in_a_list_or_as_a_star():
    tag = 'W/"abc"'
    assert none_match('W/"abc"', tag) and none_match('"abc"', tag)
    assert none_match('"x", W/"abc"', tag) and none_match("*", tag)
    assert not none_match('"abcd"', tag) and not none_match(None, tag)
    assert not none_match("", tag)


def test_a_reports_tables_are_the_union_of_what_its_makings_read():
    kept = KeptReports(1000)
    assert kept.reads_of("/v1/reports/un") is None  # never made: nothing to check against
    assert kept.learn("/v1/reports/un", {"obligations"}) == {"obligations"}
    # another unit's share reads the directory as well: from now on it counts too
    assert kept.learn("/v1/reports/un", {"obligations", "directory_units"}) == {
        "obligations", "directory_units"
    }  # fmt: skip
    assert kept.learn("/v1/reports/un", {"obligations"}) == {"obligations", "directory_units"}
    assert kept.reads_of("/v1/reports/eu-association") is None


async def test_a_request_waits_for_the_making_of_its_tag_under_way_and_no_other():
    kept = KeptReports(1000)
    assert not await kept.made_meanwhile("a")  # nothing being made: no wait
    release = asyncio.Event()

    async def make() -> None:
        with kept.making("a"):
            await release.wait()
            kept.keep("a", answer(10))

    maker = asyncio.create_task(make())
    await asyncio.sleep(0)
    waiter = asyncio.create_task(kept.made_meanwhile("a"))
    assert not await kept.made_meanwhile("b")  # another tag does not wait
    await asyncio.sleep(0)
    assert not waiter.done()
    release.set()
    assert await waiter and kept.get("a") is not None
    await maker
    assert not await kept.made_meanwhile("a")  # done: the next one finds it kept


async def test_a_failed_making_lets_its_waiters_go():
    kept = KeptReports(1000)
    release = asyncio.Event()

    async def fail() -> None:
        with kept.making("a"):
            await release.wait()
            raise RuntimeError("the database went away")

    maker = asyncio.create_task(fail())
    await asyncio.sleep(0)
    waiter = asyncio.create_task(kept.made_meanwhile("a"))
    await asyncio.sleep(0)
    release.set()
    assert await waiter and kept.get("a") is None  # the waiter makes it itself
    assert isinstance(maker.exception(), RuntimeError)
