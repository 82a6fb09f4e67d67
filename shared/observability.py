"""Metrics, structured JSON logs and the correlation id that ties a request to its events."""

from __future__ import annotations

import logging
import sys
import uuid
from collections.abc import Mapping, Sequence
from contextvars import ContextVar

from prometheus_client import Counter, Gauge, Histogram
from pythonjsonlogger.json import JsonFormatter

correlation_id: ContextVar[str | None] = ContextVar("correlation_id", default=None)


def new_correlation_id() -> str:
    return str(uuid.uuid4())


# --- metrics (one registry per process, every series labelled by service) ---

HTTP_REQUESTS = Counter(
    "irp_http_requests_total",
    "HTTP requests served",
    ["service", "method", "route", "status"],
)
HTTP_LATENCY = Histogram(
    "irp_http_request_duration_seconds",
    "HTTP request latency",
    ["service", "method", "route"],
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5),
)
OUTBOX_PENDING = Gauge("irp_outbox_pending", "Outbox rows not yet published", ["service"])
OUTBOX_OLDEST_AGE = Gauge(
    "irp_outbox_oldest_pending_age_seconds",
    "Age of the oldest unpublished outbox row (0 when none)",
    ["service"],
)
EVENTS_PUBLISHED = Counter(
    "irp_events_published_total", "Events published to Kafka by the relay", ["service", "topic"]
)
PUBLISH_FAILURES = Counter(
    "irp_publish_failures_total", "Relay publish attempts that failed", ["service"]
)
RELAY_LEADER = Gauge(
    "irp_relay_is_leader", "1 when this replica's relay holds the publishing lock", ["service"]
)
NOTIFICATIONS_SENT = Counter(
    "irp_notifications_sent_total", "Messages the SMTP relay accepted", ["service", "kind"]
)
NOTIFICATION_FAILURES = Counter(
    "irp_notification_send_failures_total",
    "Attempts to send a message that failed (retried with backoff)",
    ["service"],
)
REPORT_ANSWERS = Counter(
    "irp_report_answers_total",
    "Report requests by how they were answered: made, kept (the same report from memory) "
    "or not_modified (304: the client holds it)",
    ["service", "answer"],
)
EVENTS_APPLIED = Counter(
    "irp_consumer_events_applied_total",
    "Events whose effect a consumer applied",
    ["service", "topic", "type"],
)
DUPLICATES_SKIPPED = Counter(
    "irp_consumer_duplicates_skipped_total",
    "Redelivered or re-sent events a consumer skipped",
    ["service", "topic"],
)
DEAD_LETTERED = Counter(
    "irp_consumer_dead_lettered_total",
    "Messages sent to the dead-letter topic after bounded retries",
    ["service", "topic"],
)
CONSUMER_LAG = Gauge(
    "irp_consumer_lag",
    "Messages behind the partition's high watermark",
    ["service", "topic", "partition"],
)
BROKER_UP = Gauge(
    "irp_broker_up",
    "1 when the last probe reached the Kafka broker, 0 when it did not (the service is degraded)",
    ["service"],
)
IDENTITY_PROVIDER_UP = Gauge(
    "irp_identity_provider_up",
    "1 when the identity provider answered the last fetch or probe, 0 when it did not (tokens "
    "are still verified with the keys kept)",
    ["service"],
)
JWKS_AGE = Gauge(
    "irp_identity_keys_age_seconds",
    "Seconds since the identity provider's signing keys were last fetched",
    ["service"],
)
JWKS_REFRESHES = Counter(
    "irp_identity_provider_fetches_total",
    "Fetches of the identity provider's discovery document and keys, by outcome",
    ["service", "outcome"],
)
CONSUMER_RETRIES = Counter(
    "irp_consumer_retries_total", "Failed attempts to apply an event", ["service", "topic"]
)


def announce(
    service: str,
    *,
    routes: Sequence[tuple[str, str]] = (),
    published: Sequence[str] = (),
    consumed: Mapping[str, Sequence[str]] | None = None,
    partitions: int = 1,
) -> None:
    """Every series the process will report, there from its start: counters at zero (a rate
    or a ratio over a counter that has not moved yet is then 0, not absent, and an alert on
    absent data stays silent), gauges at 0 until their first reading (the broker not yet
    reached, nothing pending, no lag measured). ``routes`` are (method, route template)
    pairs, each with its server-error series; ``consumed`` maps each consumed topic to the
    event types it carries."""
    BROKER_UP.labels(service).set(0)
    for method, route in routes:
        HTTP_REQUESTS.labels(service, method, route, "500")
        HTTP_LATENCY.labels(service, method, route)
    if published:
        PUBLISH_FAILURES.labels(service)
        RELAY_LEADER.labels(service).set(0)
        OUTBOX_PENDING.labels(service).set(0)
        OUTBOX_OLDEST_AGE.labels(service).set(0)
    for name in published:
        EVENTS_PUBLISHED.labels(service, name)
    for name, types in (consumed or {}).items():
        for counter in (DUPLICATES_SKIPPED, DEAD_LETTERED, CONSUMER_RETRIES):
            counter.labels(service, name)
        for event_type in types:
            EVENTS_APPLIED.labels(service, name, event_type)
        for partition in range(partitions):
            CONSUMER_LAG.labels(service, name, str(partition)).set(0)


# --- logging ---


class _ContextFilter(logging.Filter):
    def __init__(self, service: str) -> None:
        super().__init__()
        self.service = service

    def filter(self, record: logging.LogRecord) -> bool:
        record.service = self.service
        record.correlation_id = correlation_id.get()
        return True


def configure_logging(service: str, level: str = "INFO") -> None:
    """JSON lines on stdout, each carrying the service and the current correlation id."""
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(
        JsonFormatter(
            "{asctime}{levelname}{name}{message}{service}{correlation_id}",
            style="{",
            rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
        )
    )
    handler.addFilter(_ContextFilter(service))
    handler.irp_handler = True  # type: ignore[attr-defined]
    root = logging.getLogger()
    # Replace our own handler, keep any other (a test's capture, a platform's shipper).
    root.handlers[:] = [h for h in root.handlers if not getattr(h, "irp_handler", False)]
    root.addHandler(handler)
    root.setLevel(level.upper())
    # Drivers log SQL parameters at DEBUG, and those can be personal data: never below WARNING.
    for quiet in ("aiokafka", "faststream", "uvicorn.access", "aiosqlite", "asyncpg", "sqlalchemy"):
        logging.getLogger(quiet).setLevel(logging.WARNING)
