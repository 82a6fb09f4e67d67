"""Cursor pagination: ``?limit=&cursor=`` → ``{"items": [...], "next_cursor": ...}``."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

from fastapi import Query, Request
from pydantic import BaseModel, Field
from sqlalchemy import tuple_

from shared.envelope import parse_utc
from shared.http.problems import Problem

T = TypeVar("T")

DEFAULT_LIMIT = 50
MAX_LIMIT = 1000  # what a request may ask; a page holds at most IRP_MAX_PAGE_SIZE (default 200)


class Page(BaseModel, Generic[T]):
    """One page of a list, in creation order; follow next_cursor for the rest."""

    items: list[T] = Field(description="this page's items")
    next_cursor: str | None = Field(
        None, description="send it as cursor for the next page; null on the last page"
    )


class PageRequest(BaseModel):
    limit: int
    after: list[Any] | None


def encode_cursor(values: list[Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(values, default=str).encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> list[Any]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (binascii.Error, ValueError, UnicodeDecodeError) as exc:
        raise Problem(400, "Invalid cursor", "use the next_cursor of a previous page") from exc
    if not isinstance(values, list):
        raise Problem(400, "Invalid cursor", "use the next_cursor of a previous page")
    return values


async def page_request(  # async: no thread-pool hop for a dependency that does no I/O
    request: Request,
    limit: int = Query(
        DEFAULT_LIMIT,
        ge=1,
        le=MAX_LIMIT,
        description="page size; a page holds at most the service's IRP_MAX_PAGE_SIZE "
        "(default 200) items, the rest follows with next_cursor",
    ),
    cursor: str | None = Query(None, max_length=500, description="next_cursor of the last page"),
) -> PageRequest:
    most = request.app.state.ctx.settings.max_page_size
    return PageRequest(limit=min(limit, most), after=decode_cursor(cursor) if cursor else None)


def keyset(query, columns: Sequence[Any], page: PageRequest, convert: Sequence[Any]):  # type: ignore[no-untyped-def]
    """Order by ``columns`` and continue after the cursor's values (``convert`` parses each)."""
    if page.after is not None:
        if len(page.after) != len(columns):
            raise Problem(400, "Invalid cursor", "use the next_cursor of a previous page")
        try:
            values = [parse(v) for parse, v in zip(convert, page.after, strict=True)]
        except (TypeError, ValueError) as exc:
            raise Problem(400, "Invalid cursor", "use the next_cursor of a previous page") from exc
        query = query.where(tuple_(*columns) > tuple_(*values))
    return query.order_by(*columns).limit(page.limit + 1)


def build_page(rows: Sequence[Any], page: PageRequest, cursor_of: Callable[[Any], list[Any]]):  # type: ignore[no-untyped-def]
    """Trim the look-ahead row and point ``next_cursor`` at the last row returned."""
    items = list(rows[: page.limit])
    next_cursor = encode_cursor(cursor_of(items[-1])) if len(rows) > page.limit else None
    return items, next_cursor


async def creation_order_page(session, query, table, page: PageRequest, to_item):  # type: ignore[no-untyped-def]
    """One page of ``query`` in creation order, each row mapped through ``to_item``.

    Every aggregate table keeps ``created_at`` and ``id``; the cursor is the last row's pair.
    """
    columns = [table.c.created_at, table.c.id]
    rows = (await session.execute(keyset(query, columns, page, [parse_utc, str]))).all()
    return build_page(
        [to_item(r) for r in rows], page, lambda item: [item.created_at.isoformat(), item.id]
    )
