"""Events published by the directory service on ``irp.directory.events.v1``.

Units and counterpart organisations travel whole (names, kind, place in the hierarchy,
validity, the address notices go to). Posts travel without the people holding them: the
post, where it is, its title and dates; names and contact details stay in the directory.
"""

from __future__ import annotations

from datetime import date

from pydantic import Field

from shared.contracts.base import EventData, LocalizedText


class UnitEvent(EventData):
    """A ministry unit or LEPL as it stands after the change."""

    aggregate_type = "unit"

    unit_id: str
    kind: str
    name: LocalizedText
    parent_id: str | None = None
    notice_email: str | None = Field(None, description="the unit's functional mailbox")
    valid_from: date
    valid_to: date | None = None
    merged_into: str | None = None
    status: str
    from_status: str | None = None
    reason: str | None = None
    effective_on: date = Field(description="the day the change takes effect")


class UnitRegisteredV1(UnitEvent):
    event_type = "irp.directory.UnitRegistered.v1"


class UnitRenamedV1(UnitEvent):
    """``name`` is the new name from ``effective_on``; ``previous_name`` the one before."""

    event_type = "irp.directory.UnitRenamed.v1"

    previous_name: LocalizedText


class UnitChangedV1(UnitEvent):
    """Its kind, parent or notice address changed."""

    event_type = "irp.directory.UnitChanged.v1"


class UnitMergedV1(UnitEvent):
    """The unit ceased on ``valid_to``; from ``effective_on`` its work is ``merged_into``'s."""

    event_type = "irp.directory.UnitMerged.v1"


class UnitClosedV1(UnitEvent):
    event_type = "irp.directory.UnitClosed.v1"


class CounterpartEvent(EventData):
    """A counterpart organisation as it stands after the change."""

    aggregate_type = "counterpart"

    counterpart_id: str
    kind: str
    country_code: str | None = None
    name: LocalizedText
    acronym: str | None = None
    identifiers: dict[str, str] = {}
    status: str
    from_status: str | None = None
    reason: str | None = None
    effective_on: date | None = Field(None, description="the day it takes effect; null: now")


class CounterpartRegisteredV1(CounterpartEvent):
    event_type = "irp.directory.CounterpartRegistered.v1"


class CounterpartRenamedV1(CounterpartEvent):
    event_type = "irp.directory.CounterpartRenamed.v1"

    previous_name: LocalizedText


class CounterpartChangedV1(CounterpartEvent):
    """Its kind, country, acronym or identifiers changed."""

    event_type = "irp.directory.CounterpartChanged.v1"


class CounterpartClosedV1(CounterpartEvent):
    event_type = "irp.directory.CounterpartClosed.v1"


class PostEvent(EventData):
    """A post and where it is; never the name or contacts of who holds it."""

    aggregate_type = "post"

    post_id: str
    organisation_id: str | None = None
    unit_id: str | None = None
    title: LocalizedText
    heads_unit: bool = False
    valid_from: date
    valid_to: date | None = None
    status: str
    from_status: str | None = None
    reason: str | None = None


class PostTakenV1(PostEvent):
    event_type = "irp.directory.PostTaken.v1"


class PostEndedV1(PostEvent):
    event_type = "irp.directory.PostEnded.v1"
