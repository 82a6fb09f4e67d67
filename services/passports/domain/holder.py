"""Holders of diplomatic and service passports: plain Python, no I/O."""

from __future__ import annotations

import re
from datetime import date

from shared.aggregates import Aggregate, Changed
from shared.contracts.passports import HolderDismissedV1, HolderRegisteredV1
from shared.errors import Conflict, RuleViolation
from shared.references import unit

CATEGORIES = (
    "minister",
    "deputy_minister",
    "head_of_department",
    "head_of_lepl",
    "other_entitled",
)

# Georgia's national romanization (2002), apostrophes of the ejectives dropped
# as in Georgian passports' machine-readable names.
_ROMANIZATION = {
    "ა": "a", "ბ": "b", "გ": "g", "დ": "d", "ე": "e", "ვ": "v", "ზ": "z", "თ": "t",
    "ი": "i", "კ": "k", "ლ": "l", "მ": "m", "ნ": "n", "ო": "o", "პ": "p", "ჟ": "zh",
    "რ": "r", "ს": "s", "ტ": "t", "უ": "u", "ფ": "p", "ქ": "k", "ღ": "gh", "ყ": "q",
    "შ": "sh", "ჩ": "ch", "ც": "ts", "ძ": "dz", "წ": "ts", "ჭ": "ch", "ხ": "kh",
    "ჯ": "j", "ჰ": "h",
}  # fmt: skip
_GEORGIAN_NAME = re.compile(r"^[\u10D0-\u10FA]+(?:[ \-][\u10D0-\u10FA]+)*$")
_LATIN_NAME = re.compile(r"^[A-Za-z]+(?:[ \-'][A-Za-z]+)*$")


PII_SCOPE = "passports:pii"  # the scope that shows personal data (and lets one submit it)


def romanize(georgian: str) -> str:
    """The Latin-script name offered for a Georgian one (editable by the officer)."""
    latin = "".join(_ROMANIZATION.get(ch, ch) for ch in georgian)
    return re.sub(r"[A-Za-z]+", lambda m: m.group(0).capitalize(), latin)


class Holder(Aggregate):
    name_ka: str
    name_latin: str
    personal_number: str
    date_of_birth: date
    category: str
    position: str | None = None
    unit: str | None = None
    unit_id: str | None = None
    appointed_on: date | None = None
    dismissed_on: date | None = None


def register_holder(
    *, name_ka: str, name_latin: str | None, date_of_birth: date, today: date, **fields: object
) -> Changed[Holder]:
    if not _GEORGIAN_NAME.match(name_ka):
        raise RuleViolation("name_ka must be written in Georgian script")
    name_latin = name_latin or romanize(name_ka)
    if not _LATIN_NAME.match(name_latin):
        raise RuleViolation("name_latin must be written in Latin letters")
    age = (today - date_of_birth).days // 365
    if not 16 <= age <= 100:
        raise RuleViolation("date_of_birth is not plausible for an official")
    holder = Holder(
        name_ka=name_ka,
        name_latin=name_latin,
        date_of_birth=date_of_birth,
        **fields,  # type: ignore[arg-type]
    )
    if holder.dismissed_on and holder.appointed_on and holder.dismissed_on < holder.appointed_on:
        raise RuleViolation("a holder cannot be dismissed before being appointed")
    event = HolderRegisteredV1(
        holder_id=holder.id,
        category=holder.category,
        unit=holder.unit,
        unit_id=holder.unit_id,
        appointed_on=holder.appointed_on,
    )
    return holder, [event]


# The unit a holder works in, from the directory.
REFERENCES = (unit("unit_id", "unit"),)


def mask_personal_number(number: str) -> str:
    return "*" * (len(number) - 2) + number[-2:]


def dismiss(holder: Holder, on: date) -> Changed[Holder]:
    if holder.dismissed_on is not None:
        raise Conflict(f"already dismissed on {holder.dismissed_on.isoformat()}")
    if holder.appointed_on and on < holder.appointed_on:
        raise RuleViolation("a holder cannot be dismissed before being appointed")
    event = HolderDismissedV1(holder_id=holder.id, category=holder.category, dismissed_on=on)
    return holder.changed([event], dismissed_on=on)
