"""``/v1/posts``: who holds which post, in a unit of the ministry or in a counterpart
organisation, from when to when. Names and work contacts are personal data: reading them
needs ``directory:read``, and they never leave in an event."""

from __future__ import annotations

from typing import Any

from fastapi import Depends, Query
from fastapi.responses import JSONResponse
from pydantic import Field

from services.directory import repository, tables, usecases
from services.directory.api.common import READ, WRITE
from services.directory.domain import post as domain
from services.directory.domain.post import Post
from shared.app import ServiceContext, get_context
from shared.auth import Principal, require_scope
from shared.http.examples import OTHER_ID, examples
from shared.http.pagination import Page, PageRequest, page_request
from shared.http.resource import LifecycleResource
from shared.http.writes import ChangeRequest, change_request
from shared.types import Day, Reason, StrictModel

posts = LifecycleResource(
    "posts", "post", Post, tables.posts, scope="directory", transitions=False,
    exclude=("valid_to",), register=usecases.take_post,
    example={
        "person_name_latin": "Sébastien Surun",
        "person_name_ka": None,
        "title": {"ka": "", "en": "Ambassador of France to Georgia"},
        "organisation_id": OTHER_ID,
        "unit_id": None,
        "heads_unit": False,
        "valid_from": "2025-09-01",
        "work_email": None,
        "work_phone": None,
    },
)  # fmt: skip
router = posts.router


class PostEnd(StrictModel):
    """The holder leaves the post."""

    model_config = examples({"on": "2028-08-31", "reason": "end of mission"})

    on: Day = Field(description="the last day in the post")
    reason: Reason | None = Field(None, description="why, when worth keeping")


@router.get("", response_model=Page[posts.output], summary="List posts")  # type: ignore[name-defined]
async def list_posts(
    organisation_id: str | None = Query(
        None, max_length=36, description="only in this organisation"
    ),
    unit_id: str | None = Query(None, max_length=36, description="only in this unit"),
    on: Day | None = Query(None, description="only the posts held on that day"),
    page: PageRequest = Depends(page_request),
    principal: Principal = require_scope(READ),
    ctx: ServiceContext = Depends(get_context),
) -> dict[str, Any]:
    """Posts in registration order: who held what, where and when (``on``: who held a
    post that day, e.g. the ambassador at the time of a visit). Every list read is
    recorded (who was shown which posts, when): see ``GET /v1/audit/post-reads``."""
    flt = repository.PostFilter(organisation_id, unit_id, on)
    async with ctx.db.unit_of_work() as session:
        items, cursor = await repository.list_posts(session, flt, page)
        await repository.record_post_reads(session, principal.subject, items, "GET /v1/posts")
    return {"items": [posts.out(p) for p in items], "next_cursor": cursor}


@router.post("/{post_id}/end", response_model=posts.output, summary="End a post")
async def end_post(
    post_id: str, body: PostEnd, request: ChangeRequest = change_request(WRITE)
) -> JSONResponse:
    """The holder's last day in the post; the record stays for the history."""
    step = domain.end_post
    return posts.respond(await posts.change(request, post_id, step, body.on, body.reason))
