"""Validated value types for the APIs: ISO codes, bilingual text, bounded strings."""

from __future__ import annotations

from typing import Annotated, Any

import pycountry
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints, create_model

from shared.contracts.base import LocalizedText

ShortText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
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
    """The body of every ``POST .../{id}/transitions``."""

    to: str = Field(min_length=1, max_length=50)
    reason: Reason | None = None


def input_model(model: type[BaseModel], *, exclude: tuple[str, ...] = ("id",)) -> type[BaseModel]:
    """A strict request body with ``model``'s fields but those the service sets itself."""
    fields = {
        name: (info.annotation, info)
        for name, info in model.model_fields.items()
        if name not in exclude
    }
    return create_model(f"{model.__name__}In", __base__=StrictModel, **fields)  # type: ignore[call-overload]
