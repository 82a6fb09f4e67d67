"""Every word of a report document in the chosen language.

The office's own terms (headings, column headers, statuses, yes and no, definitions) are
in ``words.json`` beside this module, which the office may edit. Country names, dates
and numbers come from CLDR through Babel, never from hand-typed lists.
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from decimal import Decimal
from functools import cache, lru_cache
from importlib import resources
from typing import Any, Literal

from babel import Locale
from babel.dates import format_date

from shared.cldr import country_name

Lang = Literal["ka", "en"]

# The locale a document declares: Georgian as written in Georgia, English as the EU writes it.
DOCUMENT_LOCALE = {"ka": "ka-GE", "en": "en-GB"}
_COUNTRY = re.compile(r"^[A-Z]{2}$")


@cache
def _words() -> dict[str, dict[str, str]]:
    text = resources.files(__package__).joinpath("words.json").read_text(encoding="utf-8")
    return {k: v for k, v in json.loads(text).items() if not k.startswith("_")}


def word(key: str, lang: Lang, **values: object) -> str:
    """The office's term for ``key``; a key without one is shown as it is."""
    entry = _words().get(key)
    text = (entry.get(lang) or entry.get("en") or key) if entry else key
    return text.format(**values) if values else text


def known(key: str) -> bool:
    return key in _words()


def country(code: str, lang: Lang) -> str:
    """The country's name in ``lang`` (CLDR); an unknown code as it is."""
    return country_name(code, lang)


def yes_no(value: bool, lang: Lang) -> str:
    return word("yes" if value else "no", lang)


@lru_cache(maxsize=8192)
def day(value: date, lang: Lang) -> str:
    """A date as the language writes it: 31 Jan 2026 / 31 იან. 2026 (remembered: a report
    repeats the same few hundred days thousands of times)."""
    return format_date(value, format="medium", locale=_locale(lang))


@cache
def _separators(lang: Lang) -> dict[int, str]:
    """The language's decimal and grouping signs (CLDR), as a translation table."""
    symbols = Locale.parse(lang).number_symbols["latn"]
    return str.maketrans({".": symbols["decimal"], ",": symbols["group"]})


def number(value: float | int | Decimal, lang: Lang, places: int = 1) -> str:
    """Grouped thousands and ``places`` decimals (none for whole numbers), with the
    language's signs: 1,234.5 / 1 234,5."""
    text = f"{value:,d}" if isinstance(value, int) else f"{value:,.{places}f}"
    return text.translate(_separators(lang))


def code(value: str, lang: Lang) -> str:
    """A code shown in words: a status, a kind, a mechanism, a country."""
    if known(value):
        return word(value, lang)
    for prefix in ("status.", "code."):
        if known(prefix + value):
            return word(prefix + value, lang)
    return country(value, lang) if _COUNTRY.match(value) else value


@lru_cache(maxsize=1024)
def month(value: str, lang: Lang) -> str:
    """A month (``YYYY-MM``) as the language names it: March 2026 / მარტი 2026 (CLDR's
    stand-alone month name); anything else as it is."""
    try:
        first = date.fromisoformat(f"{value}-01")
    except ValueError:
        return value
    return format_date(first, format="LLLL y", locale=_locale(lang))


def _locale(lang: Lang) -> Locale:
    return Locale("en", "GB") if lang == "en" else Locale(lang)


def moment(value: datetime) -> str:
    return f"{value:%Y-%m-%d %H:%M} UTC"


def cell_text(value: Any, kind: str, lang: Lang) -> str:
    """A value as a document shows it, by the kind of its column."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return yes_no(value, lang)
    if isinstance(value, datetime):
        return moment(value)
    if isinstance(value, date):
        return day(value, lang)
    if isinstance(value, int | float | Decimal):
        return number(value, lang)
    if isinstance(value, list | tuple):
        return "; ".join(cell_text(v, kind, lang) for v in value)
    if kind == "code":
        return code(str(value), lang)
    if kind == "month":
        return month(str(value), lang)
    if kind == "source":  # "eu_action_plan AP 2026": the kind of source in words, its reference
        source, _, reference = str(value).partition(" ")
        return f"{code(source, lang)} {reference}".strip()
    return str(value)


def text_in(value: dict[str, str] | None, lang: Lang) -> str:
    if not value:
        return ""
    return value.get(lang) or value.get("en" if lang == "ka" else "ka") or ""
