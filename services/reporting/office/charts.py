"""Small bar charts for the office page, drawn on the server as SVG: no script, no outside
asset, readable without colour (every bar carries its figure), described for screen readers."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from typing import Any

from markupsafe import Markup

from services.reporting.reports.common import figures
from services.reporting.reports.language import Lang, code, month, number, word

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


def stacked(title: str, rows: list[tuple[str, list[int]]], series: list[str], lang: Lang) -> Chart:
    """One horizontal bar per row (a month), made of a segment per series (visits,
    meetings...), with a legend; each bar's total is written beside it and every segment's
    figure is in the description."""
    top = max((sum(values) for _, values in rows), default=0) or 1
    scale = (WIDTH - LABEL - 60) / top
    per_row = 3  # legend entries a row: Georgian names are long
    legend = "".join(
        f'<rect x="{10 + i % per_row * 210}" y="{4 + i // per_row * 18}" width="12" '
        f'height="12" class="s{i}"/><text x="{26 + i % per_row * 210}" '
        f'y="{15 + i // per_row * 18}" class="legend">{escape(name[:32])}</text>'
        for i, name in enumerate(series)
    )
    top_of_bars = 8 + 18 * -(-len(series) // per_row)
    bars_ = []
    for index, (label, values) in enumerate(rows):
        y, x = top_of_bars + index * ROW, float(LABEL)
        segments = []
        for i, value in enumerate(values):
            if value:
                segments.append(f'<rect x="{x:.1f}" y="{y + 4}" width="{value * scale:.1f}" '
                                f'height="{ROW - 10}" class="s{i}"/>')  # fmt: skip
                x += value * scale
        bars_.append(
            f'<text x="{LABEL - 8}" y="{y + 16}" text-anchor="end">{escape(label[:40])}</text>'
            f'{"".join(segments)}<text x="{x + 6:.1f}" y="{y + 16}">'
            f"{number(sum(values), lang)}</text>"
        )
    described = "; ".join(
        f"{label}: " + ", ".join(f"{name} {v}" for name, v in zip(series, values, strict=True))
        for label, values in rows
    )
    svg = (
        f'<svg role="img" aria-label="{escape(title)}: {escape(described)}" '
        f'viewBox="0 0 {WIDTH} {ROW * len(rows) + top_of_bars + 10}" width="100%" class="chart">'
        f"<title>{escape(title)}</title>{legend}{''.join(bars_)}</svg>"
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
        eu_points = [(month(p.month, lang), p.eu.implemented_percent) for p in report.points
                     if p.eu]  # fmt: skip
        return [
            bars(f"{word('column.eu_implemented_percent', lang)}", eu_points, lang),
            bars(f"{word('column.un_implemented_percent', lang)}",
                 [(month(p.month, lang), p.un.implemented_percent) for p in report.points],
                 lang),
        ]  # fmt: skip
    if key == "activity":
        return [_activity_by_month(report, lang), _visits_by_country(report, lang)]
    if key == "commission":
        return _decisions(report, lang)
    if key == "dossier":
        return [_dossier_by_year(report, lang)]
    if key == "reminders":
        return [_reminders_by_unit(report, lang)]
    return []


def _reminders_by_unit(report: Any, lang: Lang) -> Chart:
    """Each unit's open reminders, overdue and due."""
    rows = [(u.unit, [u.overdue, u.due]) for u in report.by_unit if u.due or u.overdue]
    series = [word(f"column.{key}", lang) for key in ("overdue_items", "due_items")]
    return stacked(word("chart.reminders_by_unit", lang), rows, series, lang)


def _decisions(report: Any, lang: Lang) -> list[Chart]:
    """The previous session's decisions: how many of each status, and each responsible
    unit's implementation (the report's own arithmetic, per unit)."""
    by_status: dict[str, int] = {}
    by_unit: dict[str, list[dict[str, Any]]] = {}
    for d in report.decisions:
        by_status[d.status] = by_status.get(d.status, 0) + 1
        by_unit.setdefault(d.responsible_unit, []).append(
            {"status": d.status, "latest_percent": d.latest_percent}
        )
    most = max(by_status.values(), default=1)
    per_unit = (
        f"{word('column.implemented_percent', lang)} · {word('column.responsible_unit', lang)}"
    )
    return [
        bars(f"{word('sheet.decisions', lang)} · {code('by_status', lang)}",
             [(code(k, lang), float(n)) for k, n in sorted(by_status.items())], lang,
             unit="", top=most),
        bars(per_unit,
             [(u, figures(rows).implemented_percent) for u, rows in sorted(by_unit.items())],
             lang),
    ]  # fmt: skip


_DOSSIER_SERIES = ("visits", "meetings_events_trips", "agreements", "obligations")


def _dossier_by_year(report: Any, lang: Lang) -> Chart:
    """What the office did with the country, year by year (obligations by their deadline)."""
    years: dict[int, list[int]] = {}
    for index, part in enumerate(_DOSSIER_SERIES):
        for entry in getattr(report, part):
            if entry.date is not None:
                years.setdefault(entry.date.year, [0] * len(_DOSSIER_SERIES))[index] += 1
    rows = [(str(year), counts) for year, counts in sorted(years.items())]
    series = [word(f"chart.{part}", lang) for part in _DOSSIER_SERIES]
    return stacked(word("chart.dossier_by_year", lang), rows, series, lang)


_BY_MONTH_SERIES = ("incoming_visits", "outgoing_visits", "meetings", "international_events",
                    "business_trips")  # fmt: skip


def _activity_by_month(report: Any, lang: Lang) -> Chart:
    rows = [
        (month(m.month, lang), [getattr(m, key) for key in _BY_MONTH_SERIES])
        for m in report.by_month
    ]
    series = [word(f"column.{key}", lang) for key in _BY_MONTH_SERIES]
    return stacked(word("chart.activity_by_month", lang), rows, series, lang)


def _visits_by_country(report: Any, lang: Lang) -> Chart:
    visits: dict[str, int] = {}
    for side in (report.visits.incoming, report.visits.outgoing):
        for country, n in side.by_country.items():
            visits[code(country, lang)] = visits.get(code(country, lang), 0) + n
    items = sorted(visits.items(), key=lambda kv: -kv[1])[:15]
    most = max((n for _, n in items), default=1)
    title = word("chart.visits_by_country", lang)
    return bars(title, [(k, float(n)) for k, n in items], lang, unit="", top=most)


def _top(report: Any) -> float:
    return float(
        max((n for m in report.by_mechanism for n in m.by_support_level.values()), default=1)
    )
