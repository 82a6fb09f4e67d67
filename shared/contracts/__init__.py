"""Versioned integration-event contracts, one module per producing service.

A consumer imports these, never a producer's service package. Importing this package
imports every contract module, so the registry behind ``contract_for`` is complete.
"""

from __future__ import annotations

from shared.contracts import agreements, directory, notifications, passports, visits
from shared.contracts.base import EventData, contract_for, registered_types

__all__ = [
    "EventData",
    "agreements",
    "contract_for",
    "directory",
    "notifications",
    "passports",
    "registered_types",
    "visits",
]
