"""What the agreements service does that is more than one document's change: the sheet
import, a commission decision and the obligation it becomes, a visit's follow-up.

Single-document writes (create, transitions, progress, sessions...) are
``shared.documents``' through ``shared.http.resource.LifecycleResource``.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from datetime import date
from typing import Any, TypeVar

from pydantic import BaseModel

from services.agreements import tables
from services.agreements.domain import commission as cm
from services.agreements.domain import obligation_import
from services.agreements.domain.agreement import remind as remind_agreement
from services.agreements.domain.obligation import (
    CONTENT_FIELDS,
    Obligation,
    ReminderRules,
    Source,
    revise,
)
from services.agreements.domain.obligation import remind as remind_obligation
from services.agreements.repository import (
    ObligationRepository,
    action_plan_repository,
    agreement_repository,
    commission_repository,
)
from shared.contracts.visits import FollowUpCommittedV1
from shared.deadlines import OBLIGATION_DONE
from shared.documents import create_document, save_document
from shared.errors import Conflict, RuleViolation, check_expected_version
from shared.settings import ServiceSettings
from shared.writes import UnitOfWork, Writer

M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class ImportedRow:
    row: int  # in the sheet, the header being row 1
    ref: str | None
    id: str | None  # the obligation's; None for one a dry run would create
    outcome: str  # created, updated or unchanged


@dataclass(frozen=True)
class ImportOutcome:
    rows: int
    created: int
    updated: int
    unchanged: int
    items: list[ImportedRow]


async def import_obligations(
    writer: Writer, table: list[dict[str, Any]], action_plan_id: str | None, dry_run: bool
) -> ImportOutcome:
    """Every row valid, or nothing imported; rows match existing obligations by ``ref``, so
    importing the same sheet again changes nothing. ``dry_run`` validates and rolls back."""
    async with writer.unit_of_work() as uow:
        if action_plan_id:
            plan = await action_plan_repository(uow.session).get(action_plan_id)
            if plan.status == "reported":
                raise Conflict("the action plan is reported: its measures are final")
        valid, errors = obligation_import.to_obligations(
            table, action_plan_id, "eu_action_plan" if action_plan_id else None
        )
        if errors:
            raise RuleViolation(
                f"{len({e.row for e in errors})} row(s) are invalid; nothing was imported",
                errors=[vars(e) for e in errors],
            )
        done = await _create_or_revise(uow, valid, action_plan_id)
        if dry_run:
            await uow.session.rollback()
            done = [d if d.outcome != "created" else replace(d, id=None) for d in done]
    counted = Counter(d.outcome for d in done)
    return ImportOutcome(
        len(valid), counted["created"], counted["updated"], counted["unchanged"], done
    )


async def _create_or_revise(
    uow: UnitOfWork, rows: list[tuple[int, Obligation]], action_plan_id: str | None
) -> list[ImportedRow]:
    """Create new rows, revise changed ones, leave identical ones alone; what each became."""
    repo = ObligationRepository(uow.session)
    refs = [o.external_ref for _, o in rows]
    existing = {o.external_ref: o for o in await repo.of_plan(action_plan_id, refs)}
    done = []
    for number, row in rows:
        row = await tables.directory.named_model(uow.session, row)
        current = existing.get(row.external_ref)
        if current is None:
            await create_document(uow, repo, (row, [row.event()]))
            done.append(ImportedRow(number, row.external_ref, row.id, "created"))
            continue
        revised, events = revise(current, {k: getattr(row, k) for k in CONTENT_FIELDS})
        if events:
            await save_document(uow, repo, (revised, events), current.version)
        outcome = "updated" if events else "unchanged"
        done.append(ImportedRow(number, row.external_ref, current.id, outcome))
    return done


async def named(writer: Writer, model: M) -> M:
    """``model`` with its units and organisations checked against the directory's and named
    as the directory names them."""
    async with writer.unit_of_work() as uow:
        return await tables.directory.named_model(uow.session, model)


async def take_decision(
    writer: Writer,
    commission_id: str,
    number: int,
    decision: cm.Decision,
    expected_version: int | None,
) -> Obligation:
    """The decision on the commission's session, and the obligation it becomes."""
    async with writer.unit_of_work() as uow:
        decision = await tables.directory.named_model(uow.session, decision)
        commissions = commission_repository(uow.session)
        commission = await commissions.get(commission_id)
        check_expected_version(commission.version, expected_version)
        on_commission, obligation = cm.take_decision(commission, number, decision)
        await save_document(uow, commissions, on_commission, commission.version)
        return await create_document(uow, ObligationRepository(uow.session), obligation)


async def register_visit_commitment(
    uow: UnitOfWork, commitment: FollowUpCommittedV1
) -> Obligation | None:
    """A visit's follow-up commitment becomes one obligation, however often it arrives."""
    repo = ObligationRepository(uow.session)
    if await repo.from_origin(commitment.commitment_id):
        return None
    counterpart = commitment.country_code or commitment.organisation or "counterpart"
    obligation = Obligation(
        sources=(
            Source(
                kind="visit_commitment",
                reference=f"{commitment.direction} visit {commitment.visit_id} ({counterpart})",
            ),
        ),
        title=commitment.text,
        lead_unit=commitment.responsible_unit,
        lead_unit_id=commitment.responsible_unit_id,
        deadline=commitment.deadline,
        origin_ref=commitment.commitment_id,
        area="Visit follow-up",
    )
    return await create_document(uow, repo, (obligation, [obligation.event()]))


async def sweep_reminders(writer: Writer, today: date, settings: ServiceSettings) -> int:
    """The reminders the obligations' and agreements' dates call for today, each published
    once (the keys saved with the events): restart-safe, and harmless to run again."""
    rules = ReminderRules(
        settings.deadline_notice_days, settings.progress_notice_days, settings.progress_grace_days
    )
    changed = 0
    async with writer.unit_of_work() as uow:
        plans = {p.id: p.reporting_period for p in await action_plan_repository(uow.session).find()}
        obligations = ObligationRepository(uow.session)
        t = tables.obligations
        for o in await obligations.find(t.c.status.not_in(sorted(OBLIGATION_DONE))):
            period = plans.get(o.action_plan_id or "", "quarter")
            step = remind_obligation(o, today, rules, period)
            if step[1]:
                await save_document(uow, obligations, step, o.version)
                changed += 1
        agreements = agreement_repository(uow.session)
        a = tables.agreements
        for agreement in await agreements.find(a.c.status.in_(["in_force", "suspended"])):
            step = remind_agreement(agreement, today, settings.expiry_window_days)
            if step[1]:
                await save_document(uow, agreements, step, agreement.version)
                changed += 1
    return changed
