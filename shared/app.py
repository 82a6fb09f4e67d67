"""The service application factory: every service is wired the same way."""

from __future__ import annotations

import asyncio
import gc
import logging
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from fastapi import APIRouter, FastAPI, Request, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sqlalchemy import Table

from shared.auth import TokenVerifier
from shared.consumer import ApplyBatch, EventConsumer
from shared.db import Database
from shared.http.idempotency import IdempotentCreator
from shared.http.middleware import ObservabilityMiddleware
from shared.http.problems import install_problem_handlers
from shared.kafka import broker_answers
from shared.migrations import upgrade_async
from shared.observability import configure_logging
from shared.outbox import Outbox
from shared.relay import OutboxRelay
from shared.schedule import PeriodicTask
from shared.settings import ServiceSettings
from shared.topics import dead_letter_topic, topic

log = logging.getLogger(__name__)


@dataclass
class ServiceContext:
    """What a service's routes and workers need, built once per process."""

    settings: ServiceSettings
    db: Database
    verifier: TokenVerifier
    outbox: Outbox | None = None
    idempotency: IdempotentCreator | None = None
    relay: OutboxRelay | None = None
    consumers: list[EventConsumer] = field(default_factory=list)
    schedules: list[PeriodicTask] = field(default_factory=list)

    def topic(self, name: str) -> str:
        return topic(name, self.settings.topic_prefix)

    def consumer(self, *, topics: Sequence[str], inbox: Table, apply: ApplyBatch) -> EventConsumer:
        """A consumer of ``topics`` in this service's group, configured from the settings."""
        s = self.settings
        group = s.effective_consumer_group
        return EventConsumer(
            service=s.service,
            db=self.db,
            inbox=inbox,
            topics=[self.topic(t) for t in topics],
            group_id=group,
            dead_letter_topic=dead_letter_topic(group, s.topic_prefix),
            bootstrap=s.kafka_bootstrap,
            apply=apply,
            partitions=s.topic_partitions,
            batch_size=s.consumer_batch_size,
            max_attempts=s.consumer_max_attempts,
            retry_backoff=s.consumer_retry_backoff,
            session_timeout_ms=s.consumer_session_timeout_ms,
        )


@dataclass(frozen=True)
class ServiceSpec:
    """How one service plugs into the shared plumbing."""

    name: str
    title: str
    routers: Sequence[APIRouter]
    outbox_table: Table | None = None
    topic: str | None = None
    idempotency_table: Table | None = None
    make_consumers: Callable[[ServiceContext], list[EventConsumer]] | None = None
    make_schedules: Callable[[ServiceContext], list[PeriodicTask]] | None = None


def build_context(spec: ServiceSpec, settings: ServiceSettings) -> ServiceContext:
    db = Database(settings.effective_database_url)
    ctx = ServiceContext(settings=settings, db=db, verifier=TokenVerifier(settings))
    if spec.outbox_table is not None and spec.topic is not None:
        ctx.outbox = Outbox(spec.name, spec.outbox_table, ctx.topic(spec.topic))
        ctx.relay = OutboxRelay(
            db,
            ctx.outbox,
            bootstrap=settings.kafka_bootstrap,
            partitions=settings.topic_partitions,
            batch_size=settings.relay_batch_size,
            poll_interval=settings.relay_poll_interval,
            max_backoff=settings.relay_max_backoff,
        )
    if spec.idempotency_table is not None:
        ctx.idempotency = IdempotentCreator(db, spec.idempotency_table)
    if spec.make_consumers is not None:
        ctx.consumers = spec.make_consumers(ctx)
    if spec.make_schedules is not None:
        ctx.schedules = spec.make_schedules(ctx)
    return ctx


async def start_workers(ctx: ServiceContext) -> None:
    if ctx.settings.auto_migrate:
        await upgrade_async(ctx.settings.service, ctx.settings.effective_database_url)
    if ctx.relay is not None and ctx.settings.run_relay:
        ctx.relay.start()
    if ctx.settings.run_consumers:
        for consumer in ctx.consumers:
            consumer.start()
    if ctx.settings.run_schedules:
        for task in ctx.schedules:
            task.start()


async def stop_workers(ctx: ServiceContext) -> None:
    for task in ctx.schedules:
        await task.stop()
    for consumer in ctx.consumers:
        await consumer.stop()
    if ctx.relay is not None:
        await ctx.relay.stop()
    await ctx.db.dispose()


def create_service_app(spec: ServiceSpec, settings: ServiceSettings) -> FastAPI:
    configure_logging(spec.name, settings.log_level)
    ctx = build_context(spec, settings)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        await start_workers(ctx)
        # What start-up built lives as long as the process: keep it out of every later
        # garbage collection, which then only walks what requests allocate (shorter pauses).
        gc.collect()
        gc.freeze()
        log.info("service started")
        try:
            yield
        finally:
            await stop_workers(ctx)

    app = FastAPI(title=spec.title, version="1", lifespan=lifespan)
    app.state.ctx = ctx
    app.add_middleware(ObservabilityMiddleware, service=spec.name)
    install_problem_handlers(app)
    app.include_router(_operations_router(ctx))
    for router in spec.routers:
        app.include_router(router)
    return app


def _operations_router(ctx: ServiceContext) -> APIRouter:
    router = APIRouter(tags=["operations"])

    @router.get("/health/live")
    async def live() -> dict[str, str]:
        return {"status": "ok"}

    @router.get("/health/ready")
    async def ready() -> JSONResponse:
        db_ok, broker_ok = await asyncio.gather(
            _db_answers(ctx.db), broker_answers(ctx.settings.kafka_bootstrap)
        )
        consumers_ok = not ctx.settings.run_consumers or all(c.ready for c in ctx.consumers)
        checks = {
            "database": "ok" if db_ok else "down",
            "broker": "ok" if broker_ok else "down",
            "consumers": "ok" if consumers_ok else "starting",
        }
        ok = db_ok and broker_ok and consumers_ok
        return JSONResponse(
            {"status": "ok" if ok else "unavailable", "checks": checks},
            status_code=200 if ok else 503,
        )

    @router.get("/metrics", include_in_schema=False)
    async def metrics() -> Response:
        return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)

    return router


async def _db_answers(db: Database) -> bool:
    try:
        await asyncio.wait_for(db.ping(), 2)
        return True
    except Exception:
        return False


def get_context(request: Request) -> ServiceContext:
    """Dependency: the service's context, for routes."""
    return request.app.state.ctx
