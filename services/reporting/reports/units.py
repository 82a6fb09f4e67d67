"""The ministry's units in reports: each named as on the report's day, a merged unit's work
counted under the unit it joined from the merger on, and the rows that still name a unit as
text (kept from before the directory) matched to it by any name it has had."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.reporting import tables
from services.reporting.reports.language import Lang, text_in
from shared.directory_view import name_key

MAX_MERGERS = 20  # a longer chain of mergers is a cycle in the data


@dataclass(frozen=True)
class UnitScope:
    """What a report limited to one unit keeps: the rows naming by id the unit or a unit
    whose work it carries on the report's day, and the rows naming any of them as text by a
    name it has had."""

    ids: frozenset[str]
    names: frozenset[str]
    label: str  # the unit's name on the report's day, in the report's language

    def matches(self, unit_id: str | None, name: str | None) -> bool:
        return unit_id in self.ids if unit_id else name in self.names

    def where(self, id_column: Any, name_column: Any) -> ColumnElement[bool]:
        by_name = and_(id_column.is_(None), name_column.in_(sorted(self.names)))
        return or_(id_column.in_(sorted(self.ids)), by_name)


class Units:
    """The directory's units as reporting keeps them, read once for a report."""

    def __init__(self, units: dict[str, Any], names: dict[str, list[tuple[date, Any]]]) -> None:
        self.units, self.names = units, names
        self._known: dict[str, str | None] = {}
        self.by_key: dict[str, set[str]] = defaultdict(set)
        for unit_id, kept in names.items():
            for _, name in kept:
                for text in (name or {}).values():
                    if text:
                        self.by_key[name_key(text)].add(unit_id)

    @classmethod
    async def read(cls, session: AsyncSession) -> Units:
        u, n = tables.directory_units, tables.directory_names
        units = {r.unit_id: r for r in await session.execute(select(u))}
        names: dict[str, list[tuple[date, Any]]] = defaultdict(list)
        query = select(n.c.record_id, n.c.valid_from, n.c.name).where(
            n.c.record_id.in_(list(units))
        )
        for record_id, since, name in await session.execute(query.order_by(n.c.valid_from)):
            names[record_id].append((since, name))
        return cls(units, names)

    def known(self, unit: str) -> str | None:
        """The unit an id or a name (any it has had) designates; None when none or several."""
        if unit in self.units:
            return unit
        if unit not in self._known:  # a report names the same few units thousands of times
            found = self.by_key.get(name_key(unit), set())
            self._known[unit] = next(iter(found)) if len(found) == 1 else None
        return self._known[unit]

    def carrier(self, unit_id: str, on: date) -> str:
        """The unit carrying ``unit_id``'s work on ``on``: itself, or after a merger that
        took effect by then, the unit it joined."""
        current, hops = unit_id, 0
        while (unit := self.units.get(current)) and unit.merged_into and hops < MAX_MERGERS:
            if unit.valid_to is None or unit.valid_to >= on:
                break  # the merger had not taken effect on that day
            current, hops = unit.merged_into, hops + 1
        return current

    def name_on(self, unit_id: str, on: date, lang: Lang) -> str | None:
        """Its newest name from ``on`` or before (its first name if it came later)."""
        kept = self.names.get(unit_id)
        if not kept:
            return None
        name = kept[0][1]
        for since, later in kept:
            if since <= on:
                name = later
        return text_in(name, lang)

    def namer(self, on: date, lang: Lang) -> Callable[[str | None, str | None], str]:
        """How a row's unit (its id, else its text) reads in a report of ``on``: the name on
        that day of the unit carrying its work; text no unit ever had stays as written."""

        seen: dict[tuple[str | None, str | None], str] = {}

        def named(unit_id: str | None, text: str | None) -> str:
            if (unit_id, text) not in seen:
                known = unit_id if unit_id in self.units else self.known(text) if text else None
                seen[unit_id, text] = (
                    text or ""
                    if known is None
                    else self.name_on(self.carrier(known, on), on, lang) or text or ""
                )
            return seen[unit_id, text]

        return named

    def scope(self, unit: str, on: date, lang: Lang) -> UnitScope:
        """A report limited to ``unit`` (an id or a name): see ``UnitScope``."""
        chosen = self.known(unit)
        if chosen is None:  # a unit the directory does not know: its name as written
            return UnitScope(frozenset(), frozenset({unit}), unit)
        members = {u for u in self.units if self.carrier(u, on) == chosen} | {chosen}
        names = {t for m in members for _, n in self.names.get(m, []) for t in (n or {}).values()}
        label = self.name_on(chosen, on, lang) or unit
        return UnitScope(frozenset(members), frozenset(t for t in names if t), label)


async def unit_scope(
    session: AsyncSession, unit: str | None, on: date, lang: Lang
) -> UnitScope | None:
    """The scope of a report limited to ``unit``; None for the whole office."""
    if unit is None:
        return None
    return (await Units.read(session)).scope(unit, on, lang)


async def names_on(
    session: AsyncSession, ids: Iterable[str], on: date, lang: Lang
) -> dict[str, str]:
    """The name each directory record (unit, counterpart) had on ``on``, in ``lang``: its
    newest name from that day or before (its first name if it came later)."""
    t = tables.directory_names
    wanted = list(ids)
    if not wanted:
        return {}
    rows = await session.execute(
        select(t.c.record_id, t.c.valid_from, t.c.name)
        .where(t.c.record_id.in_(wanted))
        .order_by(t.c.record_id, t.c.valid_from)
    )
    names: dict[str, str] = {}
    for record_id, since, name in rows:
        if since <= on or record_id not in names:
            names[record_id] = text_in(name, lang)
    return names
