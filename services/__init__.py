"""The services, by name: ``services.<name>.app.SPEC`` wires each one."""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from shared.app import ServiceSpec

NAMES = ("visits", "agreements", "passports", "reporting", "directory", "notifications")


def spec(name: str) -> ServiceSpec:
    if name not in NAMES:
        raise SystemExit(f"unknown service '{name}'; one of: {', '.join(NAMES)}")
    return import_module(f"services.{name}.app").SPEC


def package(name: str) -> str:
    """The Python package of a service; its Alembic revisions live in ``<package>/migrations``."""
    return f"services.{name}"
