"""One register for every promise, whatever its source, and the progress made on it."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, HttpUrl

from shared import references as refs
from shared import reminders
from shared.aggregates import Changed, LifecycleAggregate
from shared.contracts import agreements as contracts
from shared.contracts.base import EventData, LocalizedText
from shared.deadlines import OBLIGATION_DONE, is_overdue
from shared.errors import Conflict, NotFound, RuleViolation, StateMachine
from shared.references import Reference, deprecated
from shared.reminders import PeriodLength, period_of
from shared.types import BilingualText, Day, Id, ShortText

SourceKind = Literal[
    "eu_association_agreement",
    "eu_association_agenda",
    "eu_action_plan",
    "un_hrc_resolution",
    "upr_recommendation",
    "un_treaty_body",
    "commission_decision",
    "agreement_clause",
    "visit_commitment",
]
UN_KINDS = {"un_hrc_resolution", "upr_recommendation", "un_treaty_body"}
SupportLevel = Literal["supported", "supported_in_part", "noted"]
PROGRESS = StateMachine(
    {"submitted": {"approved", "returned"}, "approved": set(), "returned": set()}
)


class Source(BaseModel):
    """Where the promise comes from: an AA article, a UPR recommendation number..."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: SourceKind = Field(
        description="eu_association_agenda, eu_action_plan, un_hrc_resolution, "
        "upr_recommendation, un_treaty_body, commission_decision, agreement_clause or"
        " visit_commitment"
    )
    reference: ShortText = Field(description="article, paragraph, symbol or number")
    support_level: SupportLevel | None = Field(
        None,
        description="for a UN recommendation: Georgia's answer to it (supported, "
        "supported_in_part, noted): a property of the recommendation, whichever measures "
        "implement it",
    )


class Progress(BaseModel):
    """A progress report on an obligation for one period, approved or returned by the office."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    references: ClassVar[tuple[Reference, ...]] = (
        refs.unit("reporting_unit_id", "reporting_unit"),
    )

    id: str = Field(default_factory=lambda: str(uuid.uuid4()), description="the report's id")
    period: str = Field(pattern=r"^\d{4}(-(Q[1-4]|H[12]|\d{2}))?$", description="2026, 2026-Q1...")
    percent: int = Field(ge=0, le=100, description="how much of the obligation is done, 0 to 100")
    narrative: BilingualText = Field(description="what was done in the period")
    evidence: tuple[HttpUrl, ...] = Field(
        (), max_length=20, description="links to the documents that show it"
    )
    reporting_unit: ShortText | None = Field(None, description=deprecated("the unit that reports"))
    reporting_unit_id: Id | None = Field(
        None, description="the unit that reports: its id in the directory"
    )
    status: Literal["submitted", "approved", "returned"] = Field(
        "submitted", description="submitted, then approved or returned (for rework)"
    )
    submitted_at: datetime | None = Field(None, description="when it was submitted (UTC)")
    decided_at: datetime | None = Field(None, description="when it was approved or returned (UTC)")
    decision_note: str | None = Field(
        None, max_length=2000, description="the office's note on approving or returning it"
    )


class Obligation(LifecycleAggregate):
    """Something the ministry must do, from one or more sources (an EU Association Agenda
    measure, a UN recommendation, a commission decision...)."""

    lifecycle: ClassVar[StateMachine] = StateMachine(
        {
            "not_started": {"in_progress", "cancelled"},
            "in_progress": {"completed", "partially_completed", "not_completed", "cancelled"},
            "completed": set(),
            "partially_completed": {"in_progress"},
            "not_completed": {"in_progress"},
            "cancelled": set(),
        }
    )
    needs_reason: ClassVar[set[str]] = {"cancelled", "not_completed"}
    references: ClassVar[tuple[Reference, ...]] = (
        refs.unit("lead_unit_id", "lead_unit"),
        refs.unit("supporting_unit_ids", "supporting_units", many=True),
    )

    status: str = Field(
        "not_started",
        description="not_started → in_progress → completed, or not_completed or cancelled (with a"
        " reason)",
    )
    sources: tuple[Source, ...] = Field(
        min_length=1,
        max_length=20,
        description="where it comes from (1 to 20); one obligation may implement several",
    )
    title: BilingualText = Field(description="what must be done, in Georgian and/or English")
    description: LocalizedText | None = Field(None, description="the detail")
    area: ShortText | None = Field(None, description="chapter, title or thematic area")
    lead_unit: ShortText | None = Field(None, description=deprecated("the unit answerable for it"))
    lead_unit_id: Id | None = Field(
        None, description="the unit answerable for it: its id in the directory"
    )
    supporting_units: tuple[ShortText, ...] = Field(
        (), max_length=50, description=deprecated("units that contribute")
    )
    supporting_unit_ids: tuple[Id, ...] = Field(
        (), max_length=50, description="units that contribute: their ids in the directory"
    )
    deadline: Day | None = Field(
        None, description="when it must be done; overdue after it unless completed or cancelled"
    )
    indicator: str | None = Field(None, max_length=2000, description="how achievement is measured")
    target: str | None = Field(
        None, max_length=2000, description="the value of the indicator that means done"
    )
    support_level: SupportLevel | None = Field(
        None,
        description="deprecated (until 2027-06-30): give it on the UN source instead; when "
        "given here it applies to the obligation's UN sources that state none",
    )
    action_plan_id: str | None = Field(
        None, max_length=36, description="the action plan it is a measure of"
    )
    external_ref: ShortText | None = Field(None, description="the measure's number in its plan")
    origin_ref: ShortText | None = Field(None, description="the visit commitment or decision id")
    progress: tuple[Progress, ...] = Field((), description="its progress reports, oldest first")
    reminded: tuple[str, ...] = Field(
        (),
        description="the reminders published for it, each once (deadline:due, "
        "progress:2026-Q4:overdue...)",
    )

    def index(self) -> dict[str, Any]:
        return {
            "kinds": "|" + "|".join(sorted({s.kind for s in self.sources})) + "|",
            "area": self.area,
            "lead_unit": self.lead_unit,
            "deadline": self.deadline,
            "action_plan_id": self.action_plan_id,
            "external_ref": self.external_ref,
            "origin_ref": self.origin_ref,
        }

    def facts(self) -> dict[str, Any]:
        return {
            "obligation_id": self.id,
            "sources": [s.model_dump() for s in self.stated_sources()],
            "title": self.title,
            "area": self.area,
            "lead_unit": self.lead_unit,
            "lead_unit_id": self.lead_unit_id,
            "supporting_units": list(self.supporting_units),
            "supporting_unit_ids": list(self.supporting_unit_ids),
            "deadline": self.deadline,
            "indicator": self.indicator,
            "target": self.target,
            "support_level": self.support_level,
            "action_plan_id": self.action_plan_id,
            "external_ref": self.external_ref,
            "origin_ref": self.origin_ref,
        }

    def event(self, from_status: str | None = None, reason: str | None = None) -> EventData:
        if from_status is None:
            return contracts.ObligationRegisteredV1(**self.facts(), status=self.status)
        return contracts.ObligationStatusChangedV1(
            obligation_id=self.id, status=self.status, from_status=from_status, reason=reason
        )

    def check(self) -> None:
        kinds = [s.kind for s in self.sources]
        if not self.lead_unit:
            raise RuleViolation("name the lead unit: lead_unit_id (or, deprecated, lead_unit)")
        if len(set(self.sources)) != len(self.sources):
            raise RuleViolation("the same source is cited twice")
        if self.support_level and not UN_KINDS & set(kinds):
            raise RuleViolation("a support level is given for UN recommendations only")
        if any(s.support_level and s.kind not in UN_KINDS for s in self.sources):
            raise RuleViolation("a support level is Georgia's answer to a UN recommendation only")
        if "eu_action_plan" in kinds and self.action_plan_id is None:
            raise RuleViolation("an action plan measure belongs to an action plan")

    def stated_sources(self) -> tuple[Source, ...]:
        """The sources, each UN recommendation with its support level (the obligation's own,
        deprecated, for those that state none)."""
        level = self.support_level
        return tuple(
            s.model_copy(update={"support_level": level})
            if level and s.kind in UN_KINDS and s.support_level is None
            else s
            for s in self.sources
        )

    def is_overdue(self, today: date) -> bool:
        return is_overdue(self.deadline, today, done=self.status in OBLIGATION_DONE)

    def latest_approved(self) -> Progress | None:
        approved = [p for p in self.progress if p.status == "approved"]
        return max(approved, key=lambda p: p.decided_at or datetime.min) if approved else None


CONTENT_FIELDS = (
    "sources", "title", "description", "area", "lead_unit", "lead_unit_id", "supporting_units",
    "supporting_unit_ids", "deadline", "indicator", "target", "support_level",
)  # fmt: skip


def revise(obligation: Obligation, content: dict[str, Any]) -> Changed[Obligation]:
    """New content for the same obligation (a re-imported row that changed)."""
    changed = sorted(
        k for k in CONTENT_FIELDS if k in content and getattr(obligation, k) != content[k]
    )
    if not changed:
        return obligation, []
    revised = obligation.evolve(**{k: content[k] for k in changed})
    revised.check()
    return revised, [
        contracts.ObligationUpdatedV1(**revised.facts(), status=revised.status, changed=changed)
    ]


def _progress_facts(o: Obligation, p: Progress) -> dict[str, Any]:
    return {
        "obligation_id": o.id,
        "progress_id": p.id,
        "period": p.period,
        "percent": p.percent,
        "reporting_unit": p.reporting_unit,
        "reporting_unit_id": p.reporting_unit_id,
    }


def submit_progress(obligation: Obligation, report: Progress, now: datetime) -> Changed[Obligation]:
    if not report.reporting_unit:
        raise RuleViolation("name the reporting unit: reporting_unit_id (or, deprecated, its name)")
    if obligation.status in ("completed", "cancelled"):
        raise Conflict(f"no progress is reported on a {obligation.status} obligation")
    if any(p.period == report.period and p.status != "returned" for p in obligation.progress):
        raise Conflict(f"progress for {report.period} is already reported; it can be returned")
    report = report.model_copy(update={"submitted_at": now, "status": "submitted"})
    changed = obligation.evolve(progress=(*obligation.progress, report))
    return changed, [contracts.ProgressSubmittedV1(**_progress_facts(obligation, report))]


def decide_progress(
    obligation: Obligation, progress_id: str, to: str, note: str | None, now: datetime
) -> Changed[Obligation]:
    report = next((p for p in obligation.progress if p.id == progress_id), None)
    if report is None:
        raise NotFound(f"no progress report {progress_id} on this obligation")
    PROGRESS.check(report.status, to)
    if to == "returned" and not note:
        raise RuleViolation("say why the progress report is returned")
    decided = report.model_copy(update={"status": to, "decided_at": now, "decision_note": note})
    progress = tuple(decided if p.id == progress_id else p for p in obligation.progress)
    changed = obligation.evolve(progress=progress)
    facts = _progress_facts(obligation, decided)
    event: EventData = (
        contracts.ProgressApprovedV1(**facts, narrative=decided.narrative)
        if to == "approved"
        else contracts.ProgressReturnedV1(**facts, reason=note)
    )
    return changed, [event]


@dataclass(frozen=True)
class ReminderRules:
    """How early and how late an obligation's dates are reminded of (from the settings)."""

    deadline_notice_days: int
    progress_notice_days: int
    progress_grace_days: int


def remind(
    obligation: Obligation, today: date, rules: ReminderRules, period: PeriodLength
) -> Changed[Obligation]:
    """The reminders its dates call for today, each published once: the deadline, and the
    progress report of the period ending (due ``progress_grace_days`` after its end) and of
    the one before, for periods that ended while it existed."""
    closed = obligation.status in OBLIGATION_DONE
    found: list[tuple[str, str | None, date, int, bool]] = []  # what, period, due, notice, done
    if obligation.deadline:
        found.append(("deadline", None, obligation.deadline, rules.deadline_notice_days, closed))
    current = period_of(today, period)
    for p in (current.previous(period), current):
        if obligation.created_at is not None and p.last < obligation.created_at.date():
            continue
        reported = any(r.period == p.label and r.status != "returned" for r in obligation.progress)
        grace = rules.progress_grace_days
        notice = rules.progress_notice_days + grace
        due_on = p.last + timedelta(days=grace)
        found.append(("progress_report", p.label, due_on, notice, closed or reported))
    events: list[EventData] = []
    keys: list[str] = []
    for what, label, due_on, notice, done in found:
        key = "deadline" if label is None else f"progress:{label}"
        stage = reminders.due(today, due_on, notice, done, obligation.reminded, key)
        if stage is None:
            continue
        keys.append(f"{key}:{stage}")
        events.append(contracts.ObligationDueV1(
            obligation_id=obligation.id, what=what, stage=stage, due_on=due_on, period=label,
            title=obligation.title, external_ref=obligation.external_ref,
            lead_unit=obligation.lead_unit or "", lead_unit_id=obligation.lead_unit_id,
            action_plan_id=obligation.action_plan_id, status=obligation.status,
        ))  # fmt: skip
    if not events:
        return obligation, []
    return obligation.changed(events, reminded=(*obligation.reminded, *keys))
