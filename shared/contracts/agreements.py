"""Events published by the agreements service on ``irp.agreements.events.v1``."""

from __future__ import annotations

from decimal import Decimal

from shared.contracts.base import EventData, LocalizedText


class AgreementRegisteredV1(EventData):
    event_type = "irp.agreements.AgreementRegistered.v1"
    aggregate_type = "agreement"

    agreement_id: str
    agreement_type: str
    title: LocalizedText
    party_countries: list[str]
    party_organisations: list[str]
    responsible_unit: str | None = None
    funding_amount: Decimal | None = None
    funding_currency: str | None = None
    status: str
