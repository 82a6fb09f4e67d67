"""Column widths for the documents laid out on pages (DOCX and PDF): measured with the
shipped Noto fonts (``fonts/``) so that no word is broken."""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path

from services.reporting.reports.common import Lang
from services.reporting.reports.language import cell_text
from services.reporting.reports.tabular import Sheet, headers

FONTS = Path(__file__).parent / "fonts"


def column_needs(
    sheet: Sheet, lang: Lang, measure: Callable[..., float], cap: float, empty: float
) -> tuple[list[float], list[float]]:
    """Per column: the least width (its widest word, bold in the header, so that no word is
    broken) and the width it wants (its widest text, counted up to ``cap``).
    ``measure(text, bold=False)`` gives a text's width."""
    kinds = sheet.kinds()
    least, wanted = [], []
    for index, head in enumerate(headers(sheet, lang)):
        texts = [cell_text(r[index], kinds[index], lang) for r in sheet.rows if index < len(r)]
        words = [measure(w, True) for w in head.split()]
        words += [measure(w) for t in texts for w in t.split()]
        low = max(words, default=empty)
        least.append(low)
        wanted.append(max(low, min(max((measure(t) for t in texts), default=0.0), cap)))
    return least, wanted


def fitted(least: list[float], wanted: list[float], width: float) -> list[float]:
    """Widths filling ``width``: every column first gets its least, the width left goes to
    the columns whose text would wrap, what is still left is shared alike. With more
    columns than the width holds, only the widest are narrowed, to one common width, so
    that short words (a number, a date) are never the ones broken."""
    spare, growth = width - sum(least), sum(wanted) - sum(least)
    if spare <= 0:
        return _capped(least, width)
    share = min(spare / growth, 1.0) if growth > 0 else 0.0
    grown = [low + (want - low) * share for low, want in zip(least, wanted, strict=True)]
    leftover = (width - sum(grown)) / len(grown)
    return [g + leftover for g in grown]


def _capped(least: list[float], width: float) -> list[float]:
    """Each column its least, but none wider than the one cap that makes them fill
    ``width`` (the columns under it keep theirs, the others share what is left alike)."""
    kept = 0.0
    ordered = sorted(least)
    for index, low in enumerate(ordered):
        cap = (width - kept) / (len(ordered) - index)
        if low > cap:
            return [min(w, cap) for w in least]
        kept += low
    return list(least)


@functools.cache
def _advances(stem: str) -> tuple[dict[int, float], float]:
    """Each character's width in ems, read from the shipped font file."""
    from fontTools.ttLib import TTFont

    font = TTFont(FONTS / f"{stem}.ttf", lazy=True)
    per_em, metrics = font["head"].unitsPerEm, font["hmtx"].metrics
    widths = {code: metrics[name][0] / per_em for code, name in font.getBestCmap().items()}
    return widths, max(widths.values())


def is_georgian(ch: str) -> bool:
    """A letter of the Georgian block: drawn from the Georgian font, in DOCX and PDF alike."""
    return "\u10a0" <= ch <= "\u10ff"


def advance(ch: str, bold: bool) -> float:
    """A character's width in ems, in the shipped font that draws it."""
    stem = ("NotoSansGeorgian" if is_georgian(ch) else "NotoSans") + (
        "-Bold" if bold else "-Regular"
    )
    widths, widest = _advances(stem)
    return widths.get(ord(ch), widest)
