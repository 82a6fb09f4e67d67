"""``ETag`` on reads and ``If-Match`` on updates, from the aggregate's version."""

from __future__ import annotations

from shared.http.problems import Problem


def etag(version: int) -> str:
    return f'"{version}"'


def expected_version(if_match: str | None) -> int | None:
    """The version an ``If-Match`` header demands; ``None`` when absent or ``*``."""
    if if_match is None or if_match.strip() == "*":
        return None
    value = if_match.strip()
    if value.startswith("W/"):
        value = value[2:]
    value = value.strip('"')
    if not value.isdigit():
        raise Problem(
            412, "Precondition failed", "If-Match does not name a version of this resource"
        )
    return int(value)


def none_match(if_none_match: str | None, tag: str) -> bool:
    """Whether ``If-None-Match`` names ``tag`` (or ``*``): the client holds this version.
    Compared weakly, as RFC 9110 has it for ``If-None-Match``."""
    if if_none_match is None:
        return False
    opaque = tag.removeprefix("W/")
    held = (t.strip() for t in if_none_match.split(","))
    return any(t == "*" or t.removeprefix("W/") == opaque for t in held)
