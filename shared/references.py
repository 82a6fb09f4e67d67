"""How a record names what the directory keeps: plain declarations the domain states and
``shared.directory_view`` checks."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Kind = Literal["unit", "counterpart", "post"]
# Until then a name given as free text is still accepted beside (or instead of) the id.
FREE_TEXT_UNTIL = "2027-06-30"


@dataclass(frozen=True)
class Reference:
    """A field holding a directory record's id (``many``: a list of ids) and, beside it, the
    free-text field it replaces, which then carries the directory's name. Paths are dotted
    (``parties.organisation_ids``). ``fills`` copies the record's columns into fields left
    empty (a post's organisation)."""

    kind: Kind
    id_field: str
    name_field: str | None = None
    many: bool = False
    fills: tuple[tuple[str, str], ...] = ()


def unit(id_field: str, name_field: str | None = None, many: bool = False) -> Reference:
    return Reference("unit", id_field, name_field, many)


def counterpart(id_field: str, name_field: str | None = None, many: bool = False) -> Reference:
    return Reference("counterpart", id_field, name_field, many)


def deprecated(what: str) -> str:
    """The description of a free-text field an id replaces."""
    return (
        f"{what}, by name (deprecated until {FREE_TEXT_UNTIL}: give the id; the name is "
        "then the directory's)"
    )
