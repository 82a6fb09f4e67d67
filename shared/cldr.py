"""Names the CLDR knows (through Babel), for every service alike."""

from __future__ import annotations

from datetime import date

from babel import Locale
from babel.dates import format_interval


def country_name(code: str, lang: str) -> str:
    """The country's name in ``lang``; an unknown code as it is."""
    return Locale(lang).territories.get(code.upper(), code)


def date_range(first: date, last: date, lang: str) -> str:
    """A period as the language writes it (CLDR's interval: a month or year once)."""
    return format_interval(first, last, "yMMMd", locale="en_GB" if lang == "en" else lang)
