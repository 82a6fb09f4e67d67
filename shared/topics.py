"""Kafka topic names: one event stream per producing service, versioned."""

from __future__ import annotations

VISITS = "irp.visits.events.v1"
AGREEMENTS = "irp.agreements.events.v1"
PASSPORTS = "irp.passports.events.v1"
DIRECTORY = "irp.directory.events.v1"
NOTIFICATIONS = "irp.notifications.events.v1"

BY_SERVICE = {
    "visits": VISITS,
    "agreements": AGREEMENTS,
    "passports": PASSPORTS,
    "directory": DIRECTORY,
    "notifications": NOTIFICATIONS,
}


def topic(name: str, prefix: str = "") -> str:
    """The topic as deployed: tests give each run its own prefix."""
    return f"{prefix}{name}"


def dead_letter_topic(group: str, prefix: str = "") -> str:
    return f"{prefix}irp.dlq.{group}"
