"""A service's local view of the directory, kept from the directory's events: the units,
counterpart organisations and posts its records refer to by id, checked without calling the
directory (the newest version wins, whatever order the events arrive in).

A reference names its record by id; the record's name is then the directory's. During the
deprecation of free-text names (until 2027-06-30) a name given alone is linked to the id of
the record the view knows by that name. Records kept from before the directory are linked by
``note_unlinked`` (their migration) and ``link_names`` (as the directory's records arrive).
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from pydantic import BaseModel
from sqlalchemy import (
    JSON,
    Column,
    Connection,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    case,
    delete,
    insert,
    select,
    tuple_,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession

from shared.consumer import ReceivedEvent
from shared.db import upsert
from shared.errors import RuleViolation
from shared.references import Kind, Reference

M = TypeVar("M", bound=BaseModel)
_IN_FORCE = {"active", "held"}  # a unit or counterpart active, a post held


def name_key(name: str) -> str:
    """A name as names are compared: case, accents, punctuation and spacing aside."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^\w]+", " ", plain).split())


def display_name(name: Mapping[str, str | None] | None) -> str | None:
    """The name a record's free-text field carries: English, else Georgian."""
    if not name:
        return None
    return name.get("en") or name.get("ka") or None


def _name_keys(*names: Mapping[str, str | None] | None) -> set[str]:
    return {name_key(v) for n in names if n for v in n.values() if v and name_key(v)}


class DirectoryView:
    """The tables of one service's view of the directory."""

    def __init__(self, metadata: MetaData) -> None:
        self.tables: dict[Kind, Table] = {
            "unit": Table(
                "directory_units",
                metadata,
                Column("unit_id", String(36), primary_key=True),
                Column("name", JSON, nullable=False),
                Column("status", String(20), nullable=False),
                Column("merged_into", String(36)),
                Column("version", Integer, nullable=False),
            ),
            "counterpart": Table(
                "directory_counterparts",
                metadata,
                Column("counterpart_id", String(36), primary_key=True),
                Column("name", JSON, nullable=False),
                Column("country_code", String(2)),
                Column("status", String(20), nullable=False),
                Column("version", Integer, nullable=False),
            ),
            "post": Table(
                "directory_posts",
                metadata,
                Column("post_id", String(36), primary_key=True),
                Column("name", JSON, nullable=False),  # the post's title, never its holder
                Column("organisation_id", String(36)),
                Column("unit_id", String(36)),
                Column("status", String(20), nullable=False),
                Column("version", Integer, nullable=False),
            ),
        }
        # free-text names kept from before the directory, waiting for a record of that name
        self.links = Table(
            "directory_links",
            metadata,
            Column("record_table", String(40), primary_key=True),
            Column("record_id", String(36), primary_key=True),
            Column("field", String(80), primary_key=True),
            Column("position", Integer, primary_key=True),
            Column("kind", String(20), nullable=False),
            Column("name_key", String(400), nullable=False),
            Column("linked_id", String(36)),
            Index("ix_directory_links_name", "kind", "name_key"),
        )

    @property
    def units(self) -> Table:
        return self.tables["unit"]

    # --- kept from the directory's events ---

    async def record(
        self, session: AsyncSession, events: Sequence[ReceivedEvent]
    ) -> dict[Kind, dict[str, set[str]]]:
        """Apply the directory's events; answer the name keys each record in them had, for
        ``link_names``."""
        latest: dict[Kind, dict[str, dict[str, Any]]] = defaultdict(dict)
        seen: dict[Kind, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
        for e in events:
            kind, data = e.envelope.aggregatetype, e.envelope.data
            row = _view_row(kind, data)
            if row is None:
                continue
            record_id = row[f"{kind}_id"]
            row["version"] = e.envelope.aggregateversion
            for key in _name_keys(data.get("name"), data.get("previous_name")):
                seen[kind][key].add(record_id)  # type: ignore[index]
            known = latest[kind].get(record_id)  # type: ignore[index]
            if known is None or known["version"] < row["version"]:
                latest[kind][record_id] = row  # type: ignore[index]
        dialect = session.get_bind().dialect.name
        for kind, rows in latest.items():
            table = self.tables[kind]
            kept = [c.name for c in table.c if not c.primary_key]
            newer = lambda new, t=table, k=kept: {  # noqa: E731
                c: case((new.version > t.c.version, new[c]), else_=t.c[c]) for c in k
            }
            key = [f"{kind}_id"]
            await session.execute(upsert(dialect, table, key, newer), list(rows.values()))
        return seen

    # --- references ---

    async def in_force(self, session: AsyncSession, kind: Kind, record_id: str) -> dict[str, Any]:
        """The record as the view knows it; refused when unknown or no longer in force."""
        table = self.tables[kind]
        row = (
            await session.execute(select(table).where(table.c[f"{kind}_id"] == record_id))
        ).first()
        if row is None:
            raise RuleViolation(
                f"no {kind} {record_id} in the directory (one just registered there may take "
                "a moment to arrive)"
            )
        if row.status not in _IN_FORCE:
            raise RuleViolation(f"the {kind} {record_id} is {row.status}")
        return dict(row._mapping)

    async def named(
        self,
        session: AsyncSession,
        references: Iterable[Reference],
        data: dict[str, Any],
        fill: bool = True,
    ) -> dict[str, Any]:
        """``data`` with each reference given by id checked and named as the directory names
        it, and each name given alone linked to the id the view knows it by. ``fill``: fill
        the fields a reference's record supplies (a new record's, not a partial change's)."""
        data = _copied(data)
        for ref in references:
            given = _get(data, ref.id_field)
            if given:
                ids = list(given) if ref.many else [given]
                rows = [await self.in_force(session, ref.kind, i) for i in ids]
                names = [display_name(r["name"]) for r in rows]
                if ref.name_field:
                    _set(data, ref.name_field, names if ref.many else names[0])
                for field, column in ref.fills if fill else ():
                    if _get(data, field) is None and rows[0][column] is not None:
                        _set(data, field, rows[0][column])
            elif ref.name_field and _get(data, ref.name_field):
                free = _get(data, ref.name_field)
                written = list(free) if ref.many else [free]
                found = await self._by_names(session, ref.kind, written)
                if found is not None:  # linked, and named as the directory names it
                    ids = [i for i, _ in found]
                    names = [name or w for (_, name), w in zip(found, written, strict=True)]
                    _set(data, ref.id_field, ids if ref.many else ids[0])
                    _set(data, ref.name_field, names if ref.many else names[0])
                else:  # a name the directory does not know (yet): no id beside it
                    _set(data, ref.id_field, [] if ref.many else None)
        return data

    async def named_model(self, session: AsyncSession, model: M) -> M:
        """``named`` for a model declaring its ``references``, and for the models it holds
        that declare theirs (an outcome's follow-ups)."""
        inner = {}
        for field, value in model:
            if isinstance(value, tuple) and value and hasattr(value[0], "references"):
                inner[field] = tuple([await self.named_model(session, v) for v in value])
        if inner:
            model = model.model_copy(update=inner)
        references = getattr(type(model), "references", ())
        if not references:
            return model
        data = await self.named(session, references, model.model_dump())
        return type(model).model_validate(data)

    async def _by_names(
        self, session: AsyncSession, kind: Kind, names: list[str]
    ) -> list[tuple[str, str | None]] | None:
        """The ids and names of the records in force known by these names, when each is
        known once."""
        table = self.tables[kind]
        by_key: dict[str, set[tuple[str, str | None]]] = defaultdict(set)
        rows = await session.execute(select(table.c[f"{kind}_id"], table.c.name, table.c.status))
        for record_id, name, status in rows:
            if status in _IN_FORCE:
                for key in _name_keys(name):
                    by_key[key].add((record_id, display_name(name)))
        found = [by_key.get(name_key(n), set()) for n in names]
        if all(len(records) == 1 for records in found):
            return [next(iter(records)) for records in found]
        return None

    # --- linking what was kept as free text ---

    def note_unlinked(self, connection: Connection, fields: Sequence[LinkedField]) -> int:
        """Record every free-text name without its id in ``fields``' tables (a migration's
        first step); answer how many names wait."""
        waiting = []
        for f in fields:
            for row in connection.execute(select(f.table)).mappings():
                if _get(row, f.id_path):
                    continue
                names = _get(row, f.name_path)
                if not names:
                    continue
                for position, name in enumerate(names if f.many else [names]):
                    waiting.append(
                        {"record_table": f.table.name, "record_id": row["id"], "field": f.id_path,
                         "position": position, "kind": f.kind, "name_key": name_key(name)}
                    )  # fmt: skip
        if waiting:
            connection.execute(insert(self.links), waiting)
        return len(waiting)

    def link_kept(self, connection: Connection, fields: Sequence[LinkedField]) -> int:
        """A migration's step: note every name kept as text without its id, and link those
        the view already knows; answer how many records' fields were linked."""
        self.note_unlinked(connection, fields)
        return self.link_names(connection, fields, self.known_names(connection))

    def known_names(self, connection: Connection) -> dict[Kind, dict[str, set[str]]]:
        """Every name key the view knows now, with the records it names."""
        known: dict[Kind, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
        for kind, table in self.tables.items():
            if kind == "post":
                continue
            for record_id, name in connection.execute(select(table.c[f"{kind}_id"], table.c.name)):
                for key in _name_keys(name):
                    known[kind][key].add(record_id)
        return known

    def link_names(
        self,
        connection: Connection,
        fields: Sequence[LinkedField],
        seen: Mapping[Kind, Mapping[str, set[str]]],
    ) -> int:
        """Link the waiting names to the records ``seen`` by those names (a name two records
        share is left waiting); answer how many records' fields were linked."""
        links = self.links
        group = tuple_(links.c.record_table, links.c.record_id, links.c.field)
        touched: set[tuple[str, str, str]] = set()
        for kind, keys in seen.items():
            for key, ids in keys.items():
                if len(ids) == 1:
                    named = (links.c.kind == kind, links.c.name_key == key)
                    found = connection.execute(
                        select(links.c.record_table, links.c.record_id, links.c.field).where(*named)
                    ).all()
                    if found:
                        connection.execute(
                            update(links).where(*named).values(linked_id=next(iter(ids)))
                        )
                        touched.update(tuple(r) for r in found)
        by_field = {(f.table.name, f.id_path): f for f in fields}
        groups: dict[tuple[str, str, str], list[Any]] = defaultdict(list)
        wanted = sorted(touched)
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            for p in connection.execute(
                select(links).where(group.in_(chunk)).order_by(links.c.position)
            ):
                groups[(p.record_table, p.record_id, p.field)].append(p)
        linked = 0
        for (table_name, record_id, path), parts in groups.items():
            f = by_field.get((table_name, path))
            if f is None or any(p.linked_id is None for p in parts):
                continue
            ids = [p.linked_id for p in parts]
            f.link(connection, record_id, ids if f.many else ids[0])
            connection.execute(delete(links).where(group == (table_name, record_id, path)))
            linked += 1
        return linked


@dataclass(frozen=True)
class LinkedField:
    """Where a table keeps a free-text name and the id that replaces it: paths start with a
    column and go on into its JSON (``body.lead_unit``)."""

    table: Table
    kind: Kind
    name_path: str
    id_path: str
    many: bool = False

    def link(self, connection: Connection, record_id: str, ids: Any) -> None:
        column, *inner = self.id_path.split(".")
        if not inner:
            values = {column: ids}
        else:
            current = connection.execute(
                select(self.table.c[column]).where(self.table.c.id == record_id)
            ).scalar_one()
            document = _copied(current or {})
            _set(document, ".".join(inner), ids)
            values = {column: document}
        connection.execute(update(self.table).where(self.table.c.id == record_id).values(**values))


def _view_row(kind: str, data: Mapping[str, Any]) -> dict[str, Any] | None:
    if kind == "unit" and "unit_id" in data:
        keep = ("unit_id", "name", "status", "merged_into")
    elif kind == "counterpart" and "counterpart_id" in data:
        keep = ("counterpart_id", "name", "country_code", "status")
    elif kind == "post" and "post_id" in data:
        return {
            "post_id": data["post_id"], "name": data["title"], "status": data["status"],
            "organisation_id": data.get("organisation_id"), "unit_id": data.get("unit_id"),
        }  # fmt: skip
    else:
        return None
    return {c: data.get(c) for c in keep}


def _copied(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {k: _copied(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_copied(v) for v in value]
    return value


def _get(data: Mapping[str, Any], path: str) -> Any:
    for part in path.split("."):
        if not isinstance(data, Mapping):
            return None
        data = data.get(part)  # type: ignore[assignment]
    return data


def _set(data: dict[str, Any], path: str, value: Any) -> None:
    *outer, last = path.split(".")
    for part in outer:
        data = data.setdefault(part, {})
    data[last] = value


async def record_directory_events(
    session: AsyncSession,
    view: DirectoryView,
    fields: Sequence[LinkedField],
    events: Sequence[ReceivedEvent],
) -> None:
    """Keep the view from the directory's events, and link the names waiting for the records
    they brought."""
    seen = await view.record(session, events)
    if seen:
        await session.run_sync(lambda s: view.link_names(s.connection(), fields, seen))
