"""Validated value types for the APIs: ISO codes, bilingual text, bounded strings."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Annotated, Any

import pycountry
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    GetJsonSchemaHandler,
    StringConstraints,
    create_model,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema

from shared.contracts.base import LocalizedText

ShortText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
# A record's id (a UUID as the services make them; other services' ids kept as given).
Id = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=36)]
Reason = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]


def _country(code: str) -> str:
    if pycountry.countries.get(alpha_2=code) is None:
        raise ValueError(f"'{code}' is not an ISO 3166-1 alpha-2 country code")
    return code


def _currency(code: str) -> str:
    if pycountry.currencies.get(alpha_3=code) is None:
        raise ValueError(f"'{code}' is not an ISO 4217 currency code")
    return code


CountryCode = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$"), AfterValidator(_country)]
CurrencyCode = Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$"), AfterValidator(_currency)]


# --- dates and moments: what the office's records can mean ---

EARLIEST, LATEST = date(1900, 1, 1), date(2200, 12, 31)
_OUT_OF_RANGE = f"a date between {EARLIEST.isoformat()} and {LATEST.isoformat()}"


def _in_domain_range(value: date) -> date:
    # ``.year`` holds for dates and datetimes alike, with or without a time zone.
    if not EARLIEST.year <= value.year <= LATEST.year:
        raise ValueError(_OUT_OF_RANGE)
    return value


@dataclass(frozen=True)
class _StatedRange:
    """States the bounds in the JSON schema (``formatMinimum``/``formatMaximum``)."""

    earliest: str
    latest: str

    def __get_pydantic_json_schema__(
        self, core_schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        schema = handler(core_schema)
        schema.update(formatMinimum=self.earliest, formatMaximum=self.latest)
        return schema


_ISO_MOMENT = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")


def _iso_8601_only(value: Any) -> Any:
    """Pydantic would take ``22287`` as a Unix time; a moment here is ISO 8601 only."""
    if isinstance(value, datetime):
        return value
    if not isinstance(value, str) or not _ISO_MOMENT.match(value):
        raise ValueError("an ISO 8601 moment, e.g. 2026-11-24T10:00:00Z")
    return value


def _iso_date_only(value: Any) -> Any:
    if isinstance(value, date) or (isinstance(value, str) and re.match(r"^\d{4}-", value)):
        return value
    raise ValueError("an ISO 8601 date, e.g. 2026-11-24")


Day = Annotated[
    date,
    BeforeValidator(_iso_date_only),
    AfterValidator(_in_domain_range),
    _StatedRange(EARLIEST.isoformat(), LATEST.isoformat()),
]
Moment = Annotated[
    datetime,
    BeforeValidator(_iso_8601_only),
    AfterValidator(_in_domain_range),
    _StatedRange(f"{EARLIEST.isoformat()}T00:00:00Z", f"{LATEST.isoformat()}T23:59:59Z"),
]


def _not_blank(text: LocalizedText) -> LocalizedText:
    if not (text.ka.strip() or text.en.strip()):
        raise ValueError("give the text in Georgian (ka), English (en) or both")
    return text


BilingualText = Annotated[LocalizedText, AfterValidator(_not_blank)]


class StrictModel(BaseModel):
    """Request bodies: unknown fields are refused, not silently dropped."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    def as_fields(self) -> dict[str, Any]:
        """The validated fields, nested models kept as models."""
        return {name: getattr(self, name) for name in type(self).model_fields}


class TransitionRequest(StrictModel):
    """A move in a lifecycle: the body of every ``POST .../{id}/transitions``."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"to": "cancelled", "reason": "the counterpart asked to postpone"}]
        }
    )

    to: str = Field(
        min_length=1,
        max_length=50,
        description="the status to move to: one of the resource's allowed_transitions",
    )
    reason: Reason | None = Field(
        None, description="why; required for some moves (cancelling, rejecting...)"
    )


def input_model(
    model: type[BaseModel], *, exclude: tuple[str, ...] = ("id",), name: str | None = None
) -> type[BaseModel]:
    """A strict request body with ``model``'s fields but those the service sets itself
    (named ``<model>In`` unless ``name`` says otherwise)."""
    fields = {
        name: (info.annotation, info)
        for name, info in model.model_fields.items()
        if name not in exclude
    }
    return create_model(  # type: ignore[call-overload, no-any-return]
        name or f"{model.__name__}In", __base__=StrictModel, __doc__=model.__doc__, **fields
    )
