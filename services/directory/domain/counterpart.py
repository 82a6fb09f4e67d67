"""Counterpart organisations: donors, international organisations, embassies and missions
accredited to Georgia, Georgia's missions abroad, foreign ministries and agencies, and the
state bodies the office works with. Their names over time and their standard identifiers."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any, ClassVar, Literal

from pydantic import AfterValidator, Field

from services.directory.domain.names import Named
from shared.aggregates import Changed
from shared.contracts import directory as contracts
from shared.contracts.base import EventData, LocalizedText
from shared.errors import RuleViolation, StateMachine
from shared.types import CountryCode, ShortText

CounterpartKind = Literal[
    "donor",
    "international_organisation",
    "embassy",
    "international_mission",
    "georgian_mission",
    "foreign_ministry",
    "foreign_agency",
    "state_body",
    "other",
]
# Kinds that belong to one country (the others may be international).
NATIONAL = {"embassy", "georgian_mission", "foreign_ministry", "foreign_agency"}
# Identifier schemes the office records, with the form each standard gives its values.
SCHEMES = {
    # IATI organisation identifier: registration agency prefix, then the agency's number
    # (e.g. XM-DAC-41114 for UNDP, GB-GOV-1 for the UK's FCDO).
    "iati": re.compile(r"^[A-Z]{2}-[A-Z0-9]+-[A-Za-z0-9_.\-]+$"),
}


def _known_schemes(value: dict[str, str]) -> dict[str, str]:
    for scheme, identifier in value.items():
        form = SCHEMES.get(scheme)
        if form is None:
            raise ValueError(f"unknown identifier scheme '{scheme}'; one of: iati")
        if not form.match(identifier):
            raise ValueError(f"'{identifier}' is not an {scheme.upper()} identifier")
    return value


# Identifiers travel with their check, into request bodies made from the model too.
Identifiers = Annotated[dict[str, str], AfterValidator(_known_schemes)]


class Counterpart(Named):
    """An organisation the ministry deals with."""

    lifecycle: ClassVar[StateMachine] = StateMachine({"active": {"closed"}, "closed": set()})
    events: ClassVar[dict[str, type[EventData]]] = {
        "active": contracts.CounterpartRegisteredV1,
        "closed": contracts.CounterpartClosedV1,
    }
    needs_reason: ClassVar[set[str]] = {"closed"}

    status: str = Field("active", description="active, or closed (with a reason)")
    kind: CounterpartKind = Field(
        description="donor, international_organisation, embassy (accredited to Georgia), "
        "international_mission (an organisation's office in Georgia), georgian_mission "
        "(Georgia's embassy or mission abroad), foreign_ministry, foreign_agency, "
        "state_body (a Georgian one) or other"
    )
    country_code: CountryCode | None = Field(
        None, description="its country, ISO 3166-1 alpha-2 (the host country for a mission)"
    )
    acronym: ShortText | None = Field(None, description="the usual short name, e.g. UNDP")
    identifiers: Identifiers = Field(
        default_factory=dict,
        description="standard identifiers by scheme; iati: the IATI organisation identifier",
    )

    def facts(self) -> dict[str, Any]:
        return {
            "counterpart_id": self.id,
            "kind": self.kind,
            "country_code": self.country_code,
            "name": self.name,
            "acronym": self.acronym,
            "identifiers": self.identifiers,
            "effective_on": self.name_since,
        }

    def index(self) -> dict[str, Any]:
        return {"kind": self.kind, "country_code": self.country_code}

    def check(self) -> None:
        if self.kind in NATIONAL and self.country_code is None:
            raise RuleViolation(f"a counterpart of kind {self.kind} names its country")


def rename_counterpart(org: Counterpart, name: LocalizedText, on: date) -> Changed[Counterpart]:
    org.still_active("counterpart")
    renamed, facts = org.renamed(name, on)
    event = contracts.CounterpartRenamedV1(**{**renamed.facts(), **facts}, status=org.status)
    return renamed.changed([event])


def change_counterpart(org: Counterpart, changes: dict[str, Any], on: date) -> Changed[Counterpart]:
    org.still_active("counterpart")
    changed = Counterpart.model_validate({**org.model_dump(), **changes})
    changed.check()
    event = contracts.CounterpartChangedV1(
        **{**changed.facts(), "effective_on": on}, status=changed.status
    )
    return changed.changed([event])


def close_counterpart(org: Counterpart, reason: str, on: date) -> Changed[Counterpart]:
    org.still_active("counterpart")
    closed = org.evolve(status="closed", status_reason=reason)
    event = contracts.CounterpartClosedV1(
        **{**closed.facts(), "effective_on": on},
        status="closed", from_status="active", reason=reason,
    )  # fmt: skip
    return closed, [event]
