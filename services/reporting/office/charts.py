"""Small bar charts for the office page, drawn on the server as SVG: no script, no outside
asset, readable without colour (every bar carries its figure), described for screen readers."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from typing import Any

from markupsafe import Markup

from services.reporting.reports.language import Lang, code, number, word

WIDTH, LABEL, ROW = 640, 220, 26


@dataclass(frozen=True)
class Chart:
    title: str
    svg: Markup


def bars(
    title: str, items: list[tuple[str, float]], lang: Lang, unit: str = "%", top: float = 100
) -> Chart:
    """Horizontal bars, one per labelled value, scaled to ``top``."""
    scale = (WIDTH - LABEL - 60) / (top or 1)
    height = ROW * len(items) + 10
    rows = []
    for index, (label, value) in enumerate(items):
        y = 5 + index * ROW
        length = max(value * scale, 1)
        shown = f"{number(value, lang)}%" if unit == "%" else number(int(value), lang)
        rows.append(
            f'<text x="{LABEL - 8}" y="{y + 16}" text-anchor="end">{escape(label[:40])}</text>'
            f'<rect x="{LABEL}" y="{y + 4}" width="{length:.1f}" height="{ROW - 10}" '
            f'class="{_band(value) if unit == "%" else "count"}"/>'
            f'<text x="{LABEL + length + 6:.1f}" y="{y + 16}">{shown}</text>'
        )
    description = "; ".join(f"{label}: {value:g}{unit}" for label, value in items)
    svg = (
        f'<svg role="img" aria-label="{escape(title)}: {escape(description)}" '
        f'viewBox="0 0 {WIDTH} {height}" width="100%" class="chart">'
        f"<title>{escape(title)}</title>{''.join(rows)}</svg>"
    )
    return Chart(title, Markup(svg))


def _band(percent: float) -> str:
    return "good" if percent >= 75 else "fair" if percent >= 40 else "poor"


def of(key: str, report: Any, lang: Lang) -> list[Chart]:
    """The charts each report shows on the page."""
    implemented = word("column.implemented_percent", lang)
    if key == "eu":
        return [
            bars(f"{implemented} · {word('sheet.chapters', lang)}",
                 [(g.name, g.implemented_percent) for g in report.by_chapter], lang),
            bars(f"{implemented} · {word('sheet.units', lang)}",
                 [(g.name, g.implemented_percent) for g in report.by_unit], lang),
        ]  # fmt: skip
    if key == "un":
        return [
            bars(f"{implemented} · {word('sheet.by_mechanism', lang)}",
                 [(code(m.mechanism, lang), m.implemented_percent) for m in report.by_mechanism],
                 lang),
            bars(f"{word('column.support_level', lang)}",
                 [(code(level, lang), float(n)) for m in report.by_mechanism
                  for level, n in m.by_support_level.items()], lang, unit="", top=_top(report)),
        ]  # fmt: skip
    if key == "trend":
        eu_points = [(p.month, p.eu.implemented_percent) for p in report.points if p.eu]
        return [
            bars(f"{word('column.eu_implemented_percent', lang)}", eu_points, lang),
            bars(f"{word('column.un_implemented_percent', lang)}",
                 [(p.month, p.un.implemented_percent) for p in report.points], lang),
        ]  # fmt: skip
    if key == "activity":
        visits: dict[str, int] = {}
        for side in (report.visits.incoming, report.visits.outgoing):
            for country, n in side.by_country.items():
                visits[code(country, lang)] = visits.get(code(country, lang), 0) + n
        items = sorted(visits.items(), key=lambda kv: -kv[1])[:15]
        most = max((n for _, n in items), default=1)
        title = f"{code('visits', lang)} · {code('by_country', lang)}"
        return [bars(title, [(k, float(n)) for k, n in items], lang, unit="", top=most)]
    return []


def _top(report: Any) -> float:
    return float(
        max((n for m in report.by_mechanism for n in m.by_support_level.values()), default=1)
    )
