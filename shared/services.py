"""The registry of services, by name, for the command line and the launcher."""

from __future__ import annotations

from importlib import import_module

NAMES = ("visits", "agreements", "passports", "reporting")


def spec(name: str):  # type: ignore[no-untyped-def]
    if name not in NAMES:
        raise SystemExit(f"unknown service '{name}'; one of: {', '.join(NAMES)}")
    return import_module(f"services.{name}.app").SPEC
