"""ICAO Doc 9303 checks: document numbers and the check digits of a TD3 MRZ line 2."""

from __future__ import annotations

import re
from dataclasses import dataclass

NUMBER = re.compile(r"^[A-Z0-9]{1,9}$")
_WEIGHTS = (7, 3, 1)


def _value(ch: str) -> int:
    if ch.isdigit():
        return int(ch)
    if ch == "<":
        return 0
    return ord(ch) - ord("A") + 10


def check_digit(field: str) -> int:
    return sum(_value(c) * _WEIGHTS[i % 3] for i, c in enumerate(field)) % 10


def valid_document_number(number: str) -> bool:
    """Upper-case Latin letters and digits, at most 9 characters (TD3 document number)."""
    return bool(NUMBER.match(number))


@dataclass(frozen=True)
class MrzCheck:
    valid: bool
    errors: list[str]
    document_number: str | None = None
    nationality: str | None = None
    birth_date: str | None = None
    sex: str | None = None
    expiry_date: str | None = None


def check_line2(line: str) -> MrzCheck:
    """Every check digit of a passport's second MRZ line (44 characters)."""
    if len(line) != 44 or not re.fullmatch(r"[A-Z0-9<]{44}", line):
        return MrzCheck(False, ["a TD3 line 2 has 44 characters: A-Z, 0-9 and <"])
    fields = {
        "document number": (line[0:9], line[9]),
        "date of birth": (line[13:19], line[19]),
        "date of expiry": (line[21:27], line[27]),
        "optional data": (line[28:42], line[42]),
    }
    errors = [
        f"the {name} check digit should be {check_digit(value)}"
        for name, (value, digit) in fields.items()
        if not digit.isdigit() or check_digit(value) != int(digit)
        if not (name == "optional data" and digit == "<" and set(value) == {"<"})
    ]
    composite = line[0:10] + line[13:20] + line[21:43]
    if not line[43].isdigit() or check_digit(composite) != int(line[43]):
        errors.append(f"the composite check digit should be {check_digit(composite)}")
    if line[20] not in "MFX<":
        errors.append("sex is M, F or <")
    return MrzCheck(
        valid=not errors,
        errors=errors,
        document_number=line[0:9].rstrip("<"),
        nationality=line[10:13],
        birth_date=line[13:19],
        sex=line[20],
        expiry_date=line[21:27],
    )
