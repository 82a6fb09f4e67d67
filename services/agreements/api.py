"""HTTP routes of the agreements service."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Literal

from fastapi import APIRouter, Depends, Header
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from services.agreements import usecases
from services.agreements.domain import LIFECYCLE, Agreement
from services.agreements.repository import AgreementRepository
from shared.app import ServiceContext, get_context
from shared.auth import Principal, require_scope
from shared.contracts.base import LocalizedText
from shared.http.idempotency import created
from shared.http.pagination import Page, PageRequest, page_request
from shared.types import BilingualText, CountryCode, CurrencyCode, ShortText, StrictModel

router = APIRouter(prefix="/v1/agreements", tags=["agreements"])

AgreementType = Literal[
    "treaty",
    "intergovernmental",
    "interagency",
    "memorandum",
    "donor_agreement",
    "grant_agreement",
]
Status = Literal[tuple(sorted(LIFECYCLE.states))]  # type: ignore[valid-type]


class Parties(StrictModel):
    countries: list[CountryCode] = Field(default_factory=list, max_length=200)
    organisations: list[ShortText] = Field(default_factory=list, max_length=200)


class Funding(StrictModel):
    amount: Decimal = Field(gt=0, max_digits=16, decimal_places=2)
    currency: CurrencyCode


class AgreementIn(StrictModel):
    agreement_type: AgreementType
    title: BilingualText
    parties: Parties
    responsible_unit: ShortText | None = None
    funding: Funding | None = None


class AgreementOut(BaseModel):
    id: str
    agreement_type: str
    title: LocalizedText
    parties: Parties
    responsible_unit: str | None
    funding: Funding | None
    status: str
    allowed_transitions: list[str]
    version: int
    created_at: datetime
    updated_at: datetime


def _out(a: Agreement) -> AgreementOut:
    funding = None
    if a.funding_amount is not None and a.funding_currency is not None:
        funding = Funding(amount=a.funding_amount, currency=a.funding_currency)
    return AgreementOut(
        id=a.id,
        agreement_type=a.agreement_type,
        title=a.title,
        parties=Parties(
            countries=list(a.party_countries), organisations=list(a.party_organisations)
        ),
        responsible_unit=a.responsible_unit,
        funding=funding,
        status=a.status,
        allowed_transitions=sorted(LIFECYCLE.allowed_from(a.status)),
        version=a.version,
        created_at=a.created_at,  # type: ignore[arg-type]
        updated_at=a.updated_at,  # type: ignore[arg-type]
    )


@router.post("", status_code=201, response_model=AgreementOut)
async def create_agreement(
    body: AgreementIn,
    principal: Principal = require_scope("agreements:write"),
    idempotency_key: str | None = Header(None),
    ctx: ServiceContext = Depends(get_context),
) -> JSONResponse:
    async def create(session):  # type: ignore[no-untyped-def]
        agreement = await usecases.register_agreement(
            session,
            ctx.outbox,
            agreement_type=body.agreement_type,
            title=body.title,
            party_countries=tuple(body.parties.countries),
            party_organisations=tuple(body.parties.organisations),
            responsible_unit=body.responsible_unit,
            funding_amount=body.funding.amount if body.funding else None,
            funding_currency=body.funding.currency if body.funding else None,
        )
        return created(_out(agreement), f"/v1/agreements/{agreement.id}", agreement.version)

    assert ctx.idempotency is not None
    return await ctx.idempotency.create(
        principal=principal,
        key=idempotency_key,
        endpoint="POST /v1/agreements",
        body=body,
        create=create,
    )


@router.get("", response_model=Page[AgreementOut])
async def list_agreements(
    agreement_type: AgreementType | None = None,
    status: Status | None = None,
    page: PageRequest = Depends(page_request),
    _: Principal = require_scope("agreements:read"),
    ctx: ServiceContext = Depends(get_context),
) -> Page[AgreementOut]:
    async with ctx.db.unit_of_work(write=False) as session:
        items, cursor = await AgreementRepository(session).list(
            agreement_type=agreement_type, status=status, page=page
        )
    return Page[AgreementOut](items=[_out(a) for a in items], next_cursor=cursor)
