"""Names the CLDR knows (through Babel), for every service alike."""

from __future__ import annotations

from babel import Locale


def country_name(code: str, lang: str) -> str:
    """The country's name in ``lang``; an unknown code as it is."""
    return Locale(lang).territories.get(code.upper(), code)
