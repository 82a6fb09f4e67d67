"""Versioned integration-event contracts, one module per producing service.

A consumer imports these, never a producer's service package.
"""

from __future__ import annotations

from shared.contracts.base import EventData, contract_for, registered_types

__all__ = ["EventData", "contract_for", "registered_types"]
