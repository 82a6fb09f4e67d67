"""The definitions every service shares: overdue, the clock, versions and lifecycles."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from shared import clock
from shared.deadlines import is_overdue
from shared.errors import (
    InvalidTransition,
    PreconditionFailed,
    StateMachine,
    check_expected_version,
)
from shared.http.conditional import etag, expected_version
from shared.http.problems import Problem

DAY = date(2026, 6, 30)


@pytest.mark.parametrize(
    ("deadline", "done", "overdue"),
    [(date(2026, 6, 29), False, True), (DAY, False, False), (date(2026, 7, 1), False, False),
     (date(2026, 6, 29), True, False), (None, False, False)],
)  # fmt: skip
def test_overdue_is_a_deadline_before_the_day_and_not_done(deadline, done, overdue):
    assert is_overdue(deadline, DAY, done=done) is overdue


def test_the_clock_can_be_set_and_reads_utc():
    moment = datetime(2026, 12, 31, 23, 30, tzinfo=timezone(timedelta(hours=-2)))
    with clock.fixed_at(moment):
        assert clock.now() == moment and clock.now().tzinfo == UTC
        assert clock.today() == date(2027, 1, 1)  # already the next day in UTC
    assert clock.now() != moment


def test_a_fixed_clock_needs_a_timezone():
    with pytest.raises(ValueError, match="timezone"), clock.fixed_at(datetime(2026, 1, 1)):
        pass


def test_a_lifecycle_refuses_a_move_naming_the_allowed_ones():
    machine = StateMachine({"a": {"b", "c"}, "b": {"c"}, "c": set()})
    machine.check("a", "b")
    with pytest.raises(InvalidTransition) as refused:
        machine.check("c", "a")
    assert refused.value.extra["allowed"] == []
    assert machine.states == {"a", "b", "c"} and machine.allowed_from("unknown") == set()


@pytest.mark.parametrize(
    ("header", "version"),
    [(None, None), ("*", None), ('"3"', 3), ('W/"3"', 3), (" 7 ", 7)],
)
def test_if_match_names_the_version_the_client_saw(header, version):
    assert expected_version(header) == version
    if version is not None:
        assert expected_version(etag(version)) == version


def test_an_if_match_that_names_no_version_is_a_412():
    with pytest.raises(Problem) as refused:
        expected_version('"abc"')
    assert refused.value.status == 412


def test_a_stale_version_is_refused_with_the_current_etag():
    check_expected_version(4, None)
    check_expected_version(4, 4)
    with pytest.raises(PreconditionFailed) as refused:
        check_expected_version(4, 3)
    assert refused.value.extra["current_etag"] == '"4"'
