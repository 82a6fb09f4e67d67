"""The service application factory: every service is wired the same way."""

from __future__ import annotations

import asyncio
import gc
import logging
import os
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any, Literal

from fastapi import APIRouter, FastAPI, Request, Response
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute, iter_route_contexts
from fastapi_offline import FastAPIOffline
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import Table

from shared.auth import AuthenticationMiddleware, TokenVerifier, token_verifier
from shared.consumer import ApplyBatch, EventConsumer, FetchPace
from shared.contracts.base import types_of
from shared.db import Database
from shared.http import event_docs
from shared.http.idempotency import IdempotentCreator
from shared.http.limits import RequestLimitsMiddleware
from shared.http.middleware import ObservabilityMiddleware
from shared.http.openapi import operation_id, problem_openapi
from shared.http.privacy import NoStoreMiddleware
from shared.http.problems import install_problem_handlers
from shared.identity import ProviderKeys
from shared.kafka import BrokerProbe
from shared.migrations import upgrade_async
from shared.observability import BROKER_UP, announce, configure_logging
from shared.outbox import Outbox
from shared.relay import OutboxRelay
from shared.schedule import PeriodicTask
from shared.settings import ServiceSettings
from shared.topics import BY_SERVICE, dead_letter_topic, topic
from shared.writes import Writer

log = logging.getLogger(__name__)

SHARED_TAGS = {
    "operations": "Health probes for the orchestrator and the operators (no token needed).",
    "events": "The contract of the domain events this service publishes to Kafka: the "
    "AsyncAPI document and each event type's JSON Schema.",
}


class Liveness(BaseModel):
    """The process answers."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"status": "ok", "pid": 4711}]})
    status: Literal["ok"] = Field(description="always ok when the process answers at all")
    pid: int = Field(description="the process id, to tell restarts apart")


class Readiness(BaseModel):
    """Whether the service can do its job now."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"status": "ok", "checks": {"database": "ok"}}]}
    )
    status: Literal["ok", "unavailable"] = Field(
        description="ok: the database answers; unavailable: it does not (503)"
    )
    checks: dict[str, str] = Field(description="database: ok or down")


class Health(BaseModel):
    """The detail of what the service depends on."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "status": "degraded",
                    "checks": {"database": "ok", "broker": "down", "outbox_pending": 42},
                }
            ]
        }
    )
    status: Literal["ok", "degraded", "unavailable"] = Field(
        description="ok; degraded: the database answers but the broker, a consumer or the "
        "identity provider does not (the service still does its job); unavailable: no "
        "database (503)"
    )
    checks: dict[str, str | int] = Field(
        description="database and broker: ok or down; consumers: ok or starting; "
        "outbox_pending: events written but not yet published; with an identity provider, "
        "identity_provider (ok or down) and identity_keys_age_seconds"
    )


_UNAVAILABLE: dict[int | str, dict[str, Any]] = {
    503: {"description": "The database does not answer (same body, status unavailable)"}
}


@dataclass
class ServiceContext:
    """What a service's routes and workers need, built once per process."""

    settings: ServiceSettings
    db: Database
    verifier: TokenVerifier
    package: str = ""
    outbox: Outbox | None = None
    idempotency: IdempotentCreator | None = None
    relay: OutboxRelay | None = None
    consumers: list[EventConsumer] = field(default_factory=list)
    schedules: list[PeriodicTask] = field(default_factory=list)
    broker_probe: PeriodicTask | None = None
    broker: BrokerProbe | None = None
    identity: ProviderKeys | None = None  # the identity provider's keys, when one is set
    identity_refresh: PeriodicTask | None = None

    def topic(self, name: str) -> str:
        return topic(name, self.settings.topic_prefix)

    @property
    def writer(self) -> Writer:
        """How use cases write; every service that publishes events has one."""
        if self.outbox is None:
            raise RuntimeError(f"{self.settings.service} publishes no events and cannot write")
        return Writer(self.db, self.outbox)

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
            pace=FetchPace(
                busy_wait_ms=s.consumer_fetch_wait_ms,
                idle_wait_ms=s.consumer_idle_fetch_wait_ms,
                idle_after_seconds=s.consumer_idle_after_seconds,
            ),
        )


@dataclass(frozen=True)
class ServiceSpec:
    """How one service plugs into the shared plumbing."""

    name: str
    title: str
    routers: Sequence[APIRouter]
    # The OpenAPI document's introduction, and a description of each of its tags.
    description: str = ""
    tags: Mapping[str, str] = field(default_factory=dict)
    package: str = ""  # the service's Python package; its migrations are in <package>/migrations
    outbox_table: Table | None = None
    topic: str | None = None
    idempotency_table: Table | None = None
    make_consumers: Callable[[ServiceContext], list[EventConsumer]] | None = None
    make_schedules: Callable[[ServiceContext], list[PeriodicTask]] | None = None
    # Paths that take larger bodies than ``max_body_bytes``: path → the settings field.
    large_bodies: Mapping[str, str] = field(default_factory=dict)
    # Path prefixes whose answers can carry personal data: never stored by any cache.
    personal_data_paths: Sequence[str] = ()


def build_context(spec: ServiceSpec, settings: ServiceSettings) -> ServiceContext:
    db = Database(settings.effective_database_url)
    identity = ProviderKeys(settings) if settings.oidc_issuer else None
    ctx = ServiceContext(
        settings=settings, db=db, verifier=token_verifier(settings, identity),
        package=spec.package, identity=identity,
    )  # fmt: skip
    if identity is not None:  # keys fresh before a token needs them, and the metrics current
        ctx.identity_refresh = PeriodicTask(
            "identity provider keys", settings.oidc_keys_cache_seconds, lambda: _refresh(identity)
        )
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
    ctx.broker = BrokerProbe(settings.kafka_bootstrap)
    ctx.broker_probe = PeriodicTask(
        "broker probe", settings.broker_check_interval, lambda: _probe_broker(ctx)
    )
    return ctx


async def _broker_reachable(ctx: ServiceContext) -> bool:
    """The broker's reachability, for ``/health`` and ``irp_broker_up``. Its absence degrades
    the service (events wait in the outbox, consumers fall behind), it does not stop it."""
    up = ctx.broker is not None and await ctx.broker.answers()
    BROKER_UP.labels(ctx.settings.service).set(1 if up else 0)
    return up


async def _refresh(identity: ProviderKeys) -> int:
    await identity.refresh()
    return 0


async def _probe_broker(ctx: ServiceContext) -> int:
    await _broker_reachable(ctx)
    return 0  # nothing changed that the periodic task should log


async def start_workers(ctx: ServiceContext) -> None:
    if ctx.settings.auto_migrate:
        await upgrade_async(ctx.package, ctx.settings.effective_database_url)
    if ctx.broker_probe is not None:
        ctx.broker_probe.start()
    if ctx.identity_refresh is not None:
        ctx.identity_refresh.start()
    if ctx.relay is not None and ctx.settings.run_relay:
        ctx.relay.start()
    if ctx.settings.run_consumers:
        for consumer in ctx.consumers:
            consumer.start()
    if ctx.settings.run_schedules:
        for task in ctx.schedules:
            task.start()


def settle_heap() -> None:
    """What start-up built lives as long as the process: keep it out of every later garbage
    collection, which then only walks what requests and batches allocate. A worker applying
    40,000 events spent 1.07 s of its ~6 s in 12 full collections without it. Young
    collections every 10,000 allocations, not 700: a tenth of the count, half the time."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(10_000, 10, 10)


async def stop_workers(ctx: ServiceContext) -> None:
    if ctx.broker_probe is not None:
        await ctx.broker_probe.stop()
    if ctx.identity_refresh is not None:
        await ctx.identity_refresh.stop()
    for task in ctx.schedules:
        await task.stop()
    for consumer in ctx.consumers:
        await consumer.stop()
    if ctx.relay is not None:
        await ctx.relay.stop()
    if ctx.broker is not None:
        await ctx.broker.close()
    await ctx.db.dispose()


def create_service_app(spec: ServiceSpec, settings: ServiceSettings) -> FastAPI:
    configure_logging(spec.name, settings.log_level)
    ctx = build_context(spec, settings)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        await start_workers(ctx)
        settle_heap()
        log.info("service started")
        try:
            yield
        finally:
            await stop_workers(ctx)

    # /docs and /redoc with their scripts served by the service itself: no CDN, so they work
    # on a ministry's closed network.
    app = FastAPIOffline(
        title=spec.title, version="1", lifespan=lifespan, generate_unique_id_function=operation_id
    )
    app.state.ctx = ctx
    # The last added runs first: metrics and the correlation id around everything, then the
    # size limits (from the head, before any work), no-store for personal data, then
    # authentication, then routing.
    app.add_middleware(AuthenticationMiddleware, verifier=ctx.verifier)
    if spec.personal_data_paths:
        app.add_middleware(NoStoreMiddleware, prefixes=spec.personal_data_paths)
    app.add_middleware(
        RequestLimitsMiddleware,
        limit=settings.max_body_bytes,
        header_limit=settings.max_header_bytes,
        per_path={path: getattr(settings, name) for path, name in spec.large_bodies.items()},
    )
    app.add_middleware(ObservabilityMiddleware, service=spec.name)
    install_problem_handlers(app)
    app.include_router(_operations_router(ctx))
    if ctx.outbox is not None:
        app.include_router(event_docs.router(spec.name, ctx.outbox.topic, settings.kafka_bootstrap))
    for router in spec.routers:
        app.include_router(router)
    tags = {**spec.tags, **SHARED_TAGS}
    app.openapi = lambda: problem_openapi(app, description=spec.description, tags=tags)  # type: ignore[method-assign]
    routes = [c.original_route for c in iter_route_contexts(app.routes)]
    announce_series(
        ctx, [(m, r.path) for r in routes if isinstance(r, APIRoute) for m in r.methods]
    )
    return app


def announce_series(ctx: ServiceContext, routes: Sequence[tuple[str, str]] = ()) -> None:
    """Every metric series the process will report, present from its start."""
    announce(
        ctx.settings.service,
        routes=routes,
        published=[ctx.outbox.topic] if ctx.outbox else [],
        consumed={t: _types_on(t) for consumer in ctx.consumers for t in consumer.topics},
        partitions=ctx.settings.topic_partitions,
    )


def _types_on(deployed_topic: str) -> list[str]:
    """The event types a stream carries: its producing service's."""
    producer = next((s for s, name in BY_SERVICE.items() if deployed_topic.endswith(name)), None)
    return types_of(producer) if producer else []


def _operations_router(ctx: ServiceContext) -> APIRouter:
    router = APIRouter(tags=["operations"])

    @router.get("/health/live", response_model=Liveness, summary="Liveness probe")
    async def check_liveness() -> dict[str, Any]:
        """The process works (answers at all)."""
        return {"status": "ok", "pid": os.getpid()}

    @router.get(
        "/health/ready", response_model=Readiness, responses=_UNAVAILABLE, summary="Readiness probe"
    )
    async def check_readiness() -> JSONResponse:
        """It can do its job: its database answers. The broker is not asked: without it
        writes go on into the outbox and reports are served from the projections."""
        db_ok = await _db_answers(ctx.db)
        return JSONResponse(
            {"status": "ok" if db_ok else "unavailable",
             "checks": {"database": "ok" if db_ok else "down"}},
            status_code=200 if db_ok else 503,
        )  # fmt: skip

    @router.get("/health", response_model=Health, responses=_UNAVAILABLE, summary="Health detail")
    async def check_health() -> JSONResponse:
        """The detail: database, broker, consumers, outbox. ``degraded`` when the database
        answers but something else does not (200: the service still does its job); 503 only
        without the database."""
        db_ok, broker_ok, provider_ok = await asyncio.gather(
            _db_answers(ctx.db), _broker_reachable(ctx), _provider_answers(ctx)
        )
        checks: dict[str, Any] = {
            "database": "ok" if db_ok else "down",
            "broker": "ok" if broker_ok else "down",
        }
        if ctx.identity is not None:
            checks["identity_provider"] = "ok" if provider_ok else "down"
            checks["identity_keys_age_seconds"] = int(ctx.identity.age())
        if ctx.settings.run_consumers and ctx.consumers:
            checks["consumers"] = "ok" if all(c.ready for c in ctx.consumers) else "starting"
        if ctx.outbox is not None and db_ok:
            checks["outbox_pending"] = await _outbox_pending(ctx)
        degraded = not broker_ok or not provider_ok or checks.get("consumers", "ok") != "ok"
        status = "unavailable" if not db_ok else "degraded" if degraded else "ok"
        return JSONResponse({"status": status, "checks": checks}, status_code=200 if db_ok else 503)

    @router.get("/metrics", include_in_schema=False)
    async def metrics() -> Response:
        return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)

    return router


async def _provider_answers(ctx: ServiceContext) -> bool:
    """The identity provider answers (True without one). Without it tokens are still
    verified with the keys kept: the service is degraded, not down."""
    return await ctx.identity.probe() if ctx.identity is not None else True


async def _outbox_pending(ctx: ServiceContext) -> int:
    assert ctx.outbox is not None
    async with ctx.db.unit_of_work(write=False) as session:
        pending, _oldest = (await session.execute(ctx.outbox.pending_stats())).one()
    return int(pending)


async def _db_answers(db: Database) -> bool:
    try:
        await asyncio.wait_for(db.ping(), 2)
        return True
    except Exception:
        return False


async def get_context(request: Request) -> ServiceContext:
    """Dependency: the service's context, for routes (``async``: FastAPI would run a plain
    function in its thread pool, a thread hop on every request)."""
    return request.app.state.ctx
