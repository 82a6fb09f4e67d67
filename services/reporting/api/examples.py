"""Examples of each report's JSON for the OpenAPI document: a small office's figures, fictitious
but consistent (the suite checks each against its schema)."""

from __future__ import annotations

from typing import Any

from services.reporting.reports import activity, commissions, dossiers, eu, reminders, trend, un
from shared.http.examples import EXAMPLE_ID, EXAMPLE_MOMENT, OTHER_ID, with_examples

INCLUDES = {
    "agreements": "2026-11-28T09:12:03Z",
    "passports": "2026-11-27T16:40:11Z",
    "visits": "2026-11-28T09:29:58Z",
}
COMMON: dict[str, Any] = {
    "language": "en",
    "report_date": "2026-11-28",
    "unit": None,
    "as_of": None,
    "includes_events_until": INCLUDES,
}
STATUSES = {"not_started": 2, "in_progress": 5, "completed": 12, "not_completed": 0, "cancelled": 1}
FIGURES = {
    "measures": 20,
    "by_status": STATUSES,
    "implemented_percent": 63.2,
    "average_progress_percent": 71.5,
}
MEASURE = {
    "ref": "23.1.4",
    "title": "Adopt the national human rights strategy",
    "area": "Chapter 23: Judiciary and fundamental rights",
    "lead_unit": "Policy Department",
    "sources": ["Action Plan AP 2026 23.1.4", "UPR recommendation 148.112"],
    "deadline": "2026-10-31",
    "status": "in progress",
    "overdue": True,
    "latest_percent": 60,
    "latest_period": "2026-Q3",
    "latest_narrative": "The draft strategy went to public consultation.",
}
PROGRESS = {
    "status": "in progress",
    "overdue": True,
    "latest_percent": 60,
    "latest_narrative": "The draft strategy went to public consultation.",
}

EU = {
    **COMMON,
    "title": "Implementation of the Association Agenda: Action Plan 2026",
    "year": 2026,
    "plan_status": "in implementation",
    "overall": FIGURES,
    "cumulative": {**FIGURES, "measures": 64, "implemented_percent": 71.4},
    "by_chapter": [{**FIGURES, "name": "Chapter 23: Judiciary and fundamental rights"}],
    "by_unit": [{**FIGURES, "name": "Policy Department"}],
    "overdue": [MEASURE],
    "measures": [MEASURE],
}
UN_ITEM = {
    "mechanism": "UPR recommendation",
    "ref": "23.1.4",
    "reference": "148.112",
    "title": "Adopt the national human rights strategy",
    "support_level": "supported",
    "lead_unit": "Policy Department",
    "deadline": "2026-10-31",
    **PROGRESS,
}
UN = {
    **COMMON,
    "title": "Fulfilment of UN and Human Rights Council obligations",
    "mechanism": None,
    "support_level": None,
    "period_from": None,
    "period_to": None,
    "overall": FIGURES,
    "by_mechanism": [
        {
            **FIGURES,
            "mechanism": "UPR recommendation",
            "recommendations": 12,
            "by_support_level": {"noted": 2, "supported": 10},
        }
    ],
    "overdue": [UN_ITEM],
    "items": [UN_ITEM],
}
BREAKDOWN = {
    "total": 3,
    "by_status": {"held": 2, "cancelled": 1},
    "by_country": {"FR": 2, "JP": 1},
    "by_kind": {"ambassador": 3},
}
ACTIVITY = {
    "period_from": "2026-01-01",
    "period_to": "2026-06-30",
    "unit": None,
    "language": "en",
    "visits": {
        "incoming": {**BREAKDOWN, "by_kind": {"official": 2, "working": 1}},
        "outgoing": {**BREAKDOWN, "by_kind": {"working": 3}},
        "by_level": {"minister": 4, "deputy_minister": 2},
    },
    "meetings": BREAKDOWN,
    "international_events": {**BREAKDOWN, "by_kind": {"conference": 3}},
    "business_trips": {**BREAKDOWN, "by_kind": {"ministry": 3}},
    "agreements": {"signed": 2, "entered_into_force": 1, "by_type_signed": {"memorandum": 2}},
    "passports": {
        "issued": 4,
        "handed_over": 4,
        "returned": 1,
        "cancelled": 1,
        "expiring_notices": 2,
        "return_overdue_notices": 0,
        "in_hand_at_end": 7,
        "in_safe_at_end": 12,
        "overdue_at_end": 1,
    },
    "total": 57,
    "by_month": [
        {
            "month": "2026-01",
            "incoming_visits": 1,
            "outgoing_visits": 0,
            "meetings": 1,
            "international_events": 0,
            "business_trips": 1,
            "agreements_signed": 0,
            "passports_issued": 1,
        }
    ],
    "by_type": [{"stream": "visits", "type": "irp.visits.VisitCompleted.v1", "count": 5}],
    "generated_at": EXAMPLE_MOMENT,
    "as_of": None,
    "includes_events_until": INCLUDES,
}
COMMISSION = {
    **COMMON,
    "title": "Georgia-Lithuania Intergovernmental Commission",
    "partner_country": "LT",
    "session_number": 4,
    "held_on": "2026-10-14",
    "place": "Vilnius",
    "our_co_chair": "Deputy Minister Giorgi Kapanadze",
    "partner_co_chair": "Vice-Minister Rūta Petrauskienė",
    "previous_session": 3,
    "implementation": {**FIGURES, "measures": 6},
    "taken": [],
    "decisions": [
        {
            "ref": "3.1",
            "decision": "Prepare a memorandum on vocational education exchange",
            "responsible_unit": "International Relations and Protocol Department",
            "deadline": "2026-09-30",
            **PROGRESS,
        }
    ],
}
del COMMISSION["unit"]
TREND = {
    **COMMON,
    "year": 2026,
    "points": [{"month": "2026-01", "as_of": "2026-01-31T20:00:00Z", "eu": FIGURES, "un": FIGURES}],
}
DOSSIER = {
    **COMMON,
    "country_code": "FR",
    "period_from": None,
    "period_to": None,
    "visits": [
        {
            "what": "visit",
            "kind": "official",
            "status": "completed",
            "date": "2026-03-15",
            "title": "Official visit of the Minister of National Education of France",
        }
    ],
    "meetings_events_trips": [],
    "agreements": [],
    "obligations": [],
    "counterparts": [
        {
            "counterpart_id": OTHER_ID,
            "name": "Embassy of France",
            "kind": "embassy",
            "acronym": None,
            "status": "active",
        }
    ],
    "contacts": [
        {
            "counterpart": "Embassy of France",
            "what": "meeting",
            "kind": "ambassador",
            "status": "held",
            "date": "2026-02-10",
            "title": None,
        }
    ],
}
COUNTERPART = {
    **{k: v for k, v in COMMON.items() if k != "unit"},
    "counterpart_id": OTHER_ID,
    "name": "Embassy of France",
    "kind": "embassy",
    "country_code": "FR",
    "organisation": None,
    "period_from": None,
    "period_to": None,
    "posts": [
        {
            "post_id": EXAMPLE_ID,
            "title": "Ambassador",
            "valid_from": "2025-09-01",
            "valid_to": None,
            "status": "held",
        }
    ],
    "contacts": [
        {
            "counterpart": "Embassy of France: Ambassador",
            "what": "meeting",
            "kind": "ambassador",
            "status": "held",
            "date": "2026-02-10",
            "title": None,
        }
    ],
}
REMINDERS = {
    **COMMON,
    "sent_from": "2026-10-29",
    "sent_to": "2026-11-28",
    "by_unit": [
        {
            "unit": "Policy Department",
            "unit_id": EXAMPLE_ID,
            "due": 1,
            "overdue": 1,
            "oldest_overdue_on": "2026-10-31",
            "digests": 1,
            "escalations": 1,
            "last_sent_on": "2026-11-15",
        }
    ],
    "reminders": [
        {
            "unit": "Policy Department",
            "unit_id": EXAMPLE_ID,
            "what": "deadline",
            "status": "overdue",
            "title": "Adopt the national human rights strategy",
            "ref": "23.1.4",
            "period": None,
            "due_on": "2026-10-31",
            "days_overdue": 28,
            "reminded_on": "2026-10-17",
            "escalated_on": "2026-11-15",
            "record_type": "obligation",
            "record_id": OTHER_ID,
            "link": f"/v1/obligations/{OTHER_ID}",
        },
        {
            "unit": "Policy Department",
            "unit_id": EXAMPLE_ID,
            "what": "progress_report",
            "status": "due",
            "title": "Adopt the national human rights strategy",
            "ref": "23.1.4",
            "period": "2026-Q4",
            "due_on": "2027-01-15",
            "days_overdue": None,
            "reminded_on": None,
            "escalated_on": None,
            "record_type": "obligation",
            "record_id": OTHER_ID,
            "link": f"/v1/obligations/{OTHER_ID}",
        },
    ],
    "messages": [
        {
            "day": "2026-11-15",
            "unit": "Policy Department",
            "unit_id": EXAMPLE_ID,
            "kind": "escalation",
            "recipient": "unit_head",
            "items": 1,
        },
        {
            "day": "2026-11-01",
            "unit": "Policy Department",
            "unit_id": EXAMPLE_ID,
            "kind": "digest",
            "recipient": "unit_mailbox",
            "items": 1,
        },
    ],
}
FRESHNESS = {
    "streams": [
        {
            "stream": "visits",
            "events_applied": 18234,
            "newest_event_id": EXAMPLE_ID,
            "newest_event_type": "irp.visits.VisitConfirmed.v1",
            "newest_event_time": "2026-11-28T09:29:58Z",
            "applied_at": "2026-11-28T09:29:58.120Z",
            "seconds_since_applied": 2.4,
        }
    ],
    "generated_at": EXAMPLE_MOMENT,
}

with_examples(eu.EuReport, EU)
with_examples(un.UnReport, UN)
with_examples(activity.ActivityReport, ACTIVITY)
with_examples(commissions.CommissionReport, COMMISSION)
with_examples(trend.TrendReport, TREND)
with_examples(dossiers.CountryDossier, DOSSIER)
with_examples(dossiers.CounterpartDossier, COUNTERPART)
with_examples(reminders.RemindersReport, REMINDERS)
with_examples(activity.FreshnessReport, FRESHNESS)
