"""A report in the formats the office works in: JSON, CSV, XLSX, DOCX and PDF.

Every report offers the same tabular view (``Sheet``s, named and headed by keys of
``words.json``); the formats put it in the report's language: CSV is its main table,
XLSX a sheet each with a title block, DOCX a document to send on (A4, a running header,
page X of Y, tables whose header repeats on every page, wide tables on landscape pages,
definitions at the end), PDF the same document (fpdf2, with the Noto fonts shipped under
``fonts/``, so Georgian renders on any machine). Georgian text is written as it is (never
upper-cased).
"""

from __future__ import annotations

import csv
import functools
import io
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, Protocol

from fastapi import Request
from fastapi.responses import Response
from pydantic import BaseModel

from services.reporting.reports.common import Lang
from services.reporting.reports.language import DOCUMENT_LOCALE, cell_text, code, known, word
from shared.clock import now
from shared.errors import RuleViolation

MEDIA = {
    "json": "application/json",
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}

# How a column's values are shown, by the column's key; any other column is text.
COLUMN_KINDS = {
    "status": "code", "mechanism": "code", "support_level": "code", "kind": "code",
    "what": "code", "figure": "code", "value": "code", "scope": "code",
    "deadline": "date", "date": "date", "month": "month",
    "implemented_percent": "percent", "average_progress_percent": "percent",
    "latest_percent": "percent", "%": "percent",
    "eu_implemented_percent": "percent", "eu_average_progress_percent": "percent",
    "un_implemented_percent": "percent", "un_average_progress_percent": "percent",
    "measures": "count", "items": "count", "count": "count",
    "incoming_visits": "count", "outgoing_visits": "count", "meetings": "count",
    "international_events": "count", "business_trips": "count", "agreements_signed": "count",
    "passports_issued": "count",
}  # fmt: skip
WIDE = 6  # a table with more columns goes on a landscape page


@dataclass(frozen=True)
class Sheet:
    name: str  # a key of words.json ("sheet.summary")
    header: Sequence[str]  # column keys ("status"), shown as words.json's "column.<key>"
    rows: Sequence[Sequence[Any]]
    is_items: bool = False  # the report's main table: what CSV exports
    subject: str | None = None  # fills the name's {subject} (a chapter's name)
    appendix: bool = False  # technical figures: last, after the definitions
    on_page: bool = True  # shown on the office page too (breakdowns are the documents')

    def title(self, lang: Lang) -> str:
        return (
            word(self.name, lang, subject=self.subject) if self.subject else word(self.name, lang)
        )

    def kinds(self) -> list[str]:
        return [COLUMN_KINDS.get(key, "text") for key in self.header]


class Tabular(Protocol):
    language: Lang

    def heading(self) -> tuple[str, list[str]]: ...
    def sheets(self) -> list[Sheet]: ...
    def definitions_text(self) -> dict[str, str]: ...


def chosen_format(request: Request, fmt: str | None) -> str:
    """``format=`` wins; otherwise the ``Accept`` header; JSON by default."""
    if fmt:
        if fmt not in MEDIA:
            raise RuleViolation(f"format is one of {', '.join(MEDIA)}")
        return fmt
    accept = request.headers.get("accept", "")
    for name, media in MEDIA.items():
        if media.split(";")[0] in accept:
            return name
    return "json"


def cell(value: Any) -> Any:
    """A value for a machine-readable table: lists joined, nothing as empty, ISO dates."""
    if isinstance(value, list | tuple):
        return "; ".join(str(v) for v in value)
    if value is None:
        return ""
    return value if isinstance(value, int | float | str) else str(value)


def render(report: BaseModel, fmt: str, filename: str) -> Response:
    if fmt == "json":  # serialised by pydantic in one pass, not dumped to dicts first
        return Response(report.model_dump_json(), media_type=MEDIA["json"])
    body = {"csv": _csv, "xlsx": _xlsx, "docx": _docx, "pdf": _pdf}[fmt](report)  # type: ignore[arg-type]
    return Response(
        body,
        media_type=MEDIA[fmt],
        headers={"Content-Disposition": f'attachment; filename="{filename}.{fmt}"'},
    )


def headers(sheet: Sheet, lang: Lang) -> list[str]:
    return [word(f"column.{key}", lang) if key else "" for key in sheet.header]


def definitions(report: Tabular) -> list[tuple[str, str]]:
    """Each defined term and its meaning, in the report's language where the office has it."""
    lang = report.language
    return [
        (_term(term, lang), word(key, lang) if known(key := f"definition.{term}") else meaning)
        for term, meaning in report.definitions_text().items()
    ]


def _term(key: str, lang: Lang) -> str:
    shown = word(f"column.{key}", lang)
    return shown if shown != f"column.{key}" else code(key, lang)


def _csv(report: Tabular) -> bytes:
    """The main table, headed in the report's language, values as the JSON has them (ISO
    dates, plain numbers) so that a spreadsheet or a program reads them alike."""
    items = next(s for s in report.sheets() if s.is_items)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headers(items, report.language))
    writer.writerows([[cell(v) for v in row] for row in items.rows])
    return out.getvalue().encode("utf-8-sig")  # the BOM lets spreadsheet programs read UTF-8


# --- XLSX ---


def _sheet_title(name: str, taken: set[str]) -> str:
    title = re.sub(r"[\[\]:*?/\\]", " ", name)[:31].strip() or "Sheet"
    while title in taken:
        title = f"{title[:28]}~{len(taken)}"
    taken.add(title)
    return title


def _xlsx_value(value: Any, kind: str, lang: Lang) -> Any:
    """Dates stay dates, numbers numbers (percent as a fraction, shown as %), words words."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return cell_text(value, kind, lang)
    if kind == "percent" and isinstance(value, int | float | Decimal):
        return float(value) / 100
    if isinstance(value, datetime):
        return value.replace(tzinfo=None)
    if isinstance(value, date | int | float):
        return value
    if isinstance(value, Decimal):
        return float(value)
    return cell_text(value, kind, lang)


_NUMBER_FORMATS = {"percent": "0.0%", "date": "DD.MM.YYYY", "count": "#,##0"}
_NOT_IN_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _clean(value: Any) -> Any:
    """Text without the control characters XML documents cannot hold (a unit typed with
    them is written without them, not refused with a 500)."""
    return _NOT_IN_XML.sub("", value) if isinstance(value, str) else value


def _xlsx(report: Tabular) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.properties import PageSetupProperties

    lang = report.language
    title, lines = report.heading()
    book = Workbook()
    book.remove(book.active)
    book.properties.title = title
    book.properties.creator = word("office", lang)
    book.properties.language = DOCUMENT_LOCALE[lang]
    taken: set[str] = set()
    bold, shaded = Font(bold=True), PatternFill("solid", fgColor="DDE4EE")
    for sheet in _in_order(report.sheets()):
        ws = book.create_sheet(_sheet_title(_clean(sheet.title(lang)), taken))
        ws.append([_clean(title)])
        ws["A1"].font = Font(bold=True, size=13)
        for line in [sheet.title(lang), *lines]:
            ws.append([_clean(line)])
        ws.append([])
        ws.append(headers(sheet, lang))
        header_row = ws.max_row
        kinds = sheet.kinds()
        for row in sheet.rows:
            ws.append([_clean(_xlsx_value(v, k, lang)) for v, k in zip(row, kinds, strict=False)])
        for column, kind in enumerate(kinds, start=1):
            head = ws.cell(header_row, column)
            head.font, head.fill = bold, shaded
            head.alignment = Alignment(wrap_text=True, vertical="top")
            for (data,) in ws.iter_rows(
                min_row=header_row + 1, min_col=column, max_col=column, max_row=ws.max_row
            ):
                data.alignment = Alignment(wrap_text=True, vertical="top")
                if kind in _NUMBER_FORMATS:
                    data.number_format = _NUMBER_FORMATS[kind]
        widths = _widths(sheet, lang)
        for column, width in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(column)].width = width
        ws.row_dimensions[header_row].height = 15 * _wrapped_lines(headers(sheet, lang), widths)
        last = get_column_letter(max(len(sheet.header), 1))
        ws.freeze_panes = ws.cell(header_row + 1, 1)
        ws.auto_filter.ref = f"A{header_row}:{last}{max(ws.max_row, header_row)}"
        ws.print_title_rows = f"{header_row}:{header_row}"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.orientation = "landscape" if len(sheet.header) > WIDE else "portrait"
        ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
        ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _wrapped_lines(texts: list[str], widths: list[float]) -> int:
    """How many lines the longest header takes in its column's width."""
    lines = [-(-len(t) // max(int(w) - 1, 1)) for t, w in zip(texts, widths, strict=True)]
    return max([1, *lines])


def _in_order(sheets: list[Sheet]) -> list[Sheet]:
    return [s for s in sheets if not s.appendix] + [s for s in sheets if s.appendix]


def _widths(sheet: Sheet, lang: Lang, cap: int = 30) -> list[float]:
    """Each column's share: its longest value up to ``cap`` characters (longer text wraps),
    never narrower than its longest word, so that no word is broken."""
    kinds = sheet.kinds()
    widths = []
    for index, head in enumerate(headers(sheet, lang)):
        texts = [
            cell_text(row[index], kinds[index], lang) for row in sheet.rows if index < len(row)
        ]
        longest_word = max((len(w) for t in [head, *texts] for w in t.split()), default=4)
        longest_text = max((len(t) for t in texts), default=0)
        widths.append(float(max(longest_word + 1, min(longest_text, cap), 4) + 1))
    return widths


# --- DOCX ---


def _docx(report: Tabular) -> bytes:
    from docx import Document
    from docx.enum.section import WD_SECTION
    from docx.shared import Pt

    lang = report.language
    title, lines = _clean(report.heading()[0]), [_clean(line) for line in report.heading()[1]]
    doc = Document()
    _properties(doc, report, title)
    style = doc.styles["Normal"]
    style.font.size = Pt(10)
    _fonts(doc, lang)
    first = doc.sections[0]
    _page(first, landscape=False)
    _running_header_and_footer(first, title, lang)
    doc.add_heading(title, level=0)
    for line in lines:
        doc.add_paragraph(line)
    doc.add_paragraph(f"{word('generated', lang)}: {now():%Y-%m-%d %H:%M} UTC")
    landscape = False
    sheets = _in_order(report.sheets())
    main = [s for s in sheets if not s.appendix]
    for sheet in main:
        wide = len(sheet.header) > WIDE
        if wide != landscape:
            _page(doc.add_section(WD_SECTION.NEW_PAGE), landscape=wide)
            landscape = wide
        _table(doc, sheet, lang, width=_usable_width(doc.sections[-1]))
    if landscape:
        _page(doc.add_section(WD_SECTION.NEW_PAGE), landscape=False)
    doc.add_heading(word("definitions", lang), level=1)
    for term, meaning in definitions(report):
        paragraph = doc.add_paragraph()
        paragraph.add_run(f"{term}: ").bold = True
        paragraph.add_run(_clean(meaning))
    for sheet in sheets[len(main) :]:
        _table(doc, sheet, lang, width=_usable_width(doc.sections[-1]))
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _properties(doc: Any, report: Tabular, title: str) -> None:
    props = doc.core_properties
    props.title = title
    props.subject = title
    props.author = props.last_modified_by = word("office", report.language)
    props.language = DOCUMENT_LOCALE[report.language]
    props.created = props.modified = now().replace(tzinfo=None)
    props.comments = ""
    props.keywords = ""


def _page(section: Any, *, landscape: bool) -> None:
    """A4, 2 cm margins, portrait or landscape."""
    from docx.enum.section import WD_ORIENT
    from docx.shared import Cm

    short, long = Cm(21.0), Cm(29.7)
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (long, short) if landscape else (short, long)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2.0))


def _usable_width(section: Any) -> int:
    return int(section.page_width - section.left_margin - section.right_margin)


def _running_header_and_footer(section: Any, title: str, lang: Lang) -> None:
    """Ministry and office over every page with the report's title; page X of Y under it."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    header = section.header.paragraphs[0]
    header.text = f"{word('ministry', lang)} · {word('office', lang)}\n{title}"
    for run in header.runs:
        run.font.size = Pt(8)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    before, _, rest = word("page_x_of_y", lang).partition("{page}")
    middle, _, after = rest.partition("{pages}")
    footer.add_run(before)
    _field(footer, "PAGE")
    footer.add_run(middle)
    _field(footer, "NUMPAGES")
    footer.add_run(after)


def _field(paragraph: Any, instruction: str) -> None:
    """A Word field (PAGE, NUMPAGES) that the reader fills in when it lays out the pages."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), instruction)
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def _table(doc: Any, sheet: Sheet, lang: Lang, width: int) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    doc.add_heading(_clean(sheet.title(lang)), level=1)
    if not sheet.rows:
        doc.add_paragraph(word("none", lang))
        return
    kinds = sheet.kinds()
    size = Pt(8) if len(sheet.header) > WIDE else Pt(9.5)  # wide tables: smaller, unbroken words
    table = doc.add_table(rows=1, cols=len(sheet.header))
    table.style = "Table Grid"
    table.autofit = False
    for column, text in zip(table.rows[0].cells, headers(sheet, lang), strict=True):
        column.text = ""
        run = column.paragraphs[0].add_run(_clean(text))
        run.bold, run.font.size = True, size
    repeat = OxmlElement("w:tblHeader")  # the header row repeats on every page
    repeat.set(qn("w:val"), "true")
    table.rows[0]._tr.get_or_add_trPr().append(repeat)
    for row in sheet.rows:
        cells = table.add_row().cells
        for target, value, kind in zip(cells, row, kinds, strict=False):
            target.paragraphs[0].add_run(_clean(cell_text(value, kind, lang))).font.size = size
            if kind == "percent" and not sheet.is_items and isinstance(value, int | float):
                _traffic_light(target, value)
    for index, share in enumerate(_docx_widths(sheet, lang, width, size.pt)):
        table.columns[index].width = share
        for table_cell in table.columns[index].cells:
            table_cell.width = share


def _column_needs(
    sheet: Sheet, lang: Lang, measure: Callable[..., float], cap: float, empty: float
) -> tuple[list[float], list[float]]:
    """Per column, what DOCX and PDF lay out alike: the least width (its widest word, bold
    in the header, so that no word is broken) and the width it wants (its widest text,
    counted up to ``cap``). ``measure(text, bold=False)`` gives a text's width."""
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


def _docx_widths(sheet: Sheet, lang: Lang, width: int, size_pt: float) -> list[int]:
    """Every column first gets its longest word (no word is broken), the width left goes to
    the columns whose text would wrap. Lengths are estimated from the font size: a Latin
    letter about half the size wide, a Georgian one a little wider."""
    emu_per_pt = 12700

    def length(text: str, bold: bool = False) -> float:
        # the document's own fonts (set on its Normal style), 5 % spare for a reader that
        # substitutes a slightly wider one, and the cell's margins (0.19 cm each side)
        ems = sum(_advance(ch, bold) for ch in text) * 1.05
        return (ems * size_pt + 11) * emu_per_pt

    least, wanted = _column_needs(sheet, lang, length, cap=width / 3, empty=length("    "))
    spare, growth = width - sum(least), sum(wanted) - sum(least)
    if spare <= 0:  # more columns than the page holds: shrink all alike
        return [int(low * width / sum(least)) for low in least]
    share = min(spare / growth, 1.0) if growth > 0 else 0.0
    grown = [low + (want - low) * share for low, want in zip(least, wanted, strict=True)]
    leftover = (width - sum(grown)) / len(grown)
    return [int(g + leftover) for g in grown]


@functools.cache
def _advances(stem: str) -> tuple[dict[int, float], float]:
    """Each character's width in ems, read from the shipped font file."""
    from fontTools.ttLib import TTFont

    font = TTFont(_FONTS / f"{stem}.ttf", lazy=True)
    per_em, metrics = font["head"].unitsPerEm, font["hmtx"].metrics
    widths = {code: metrics[name][0] / per_em for code, name in font.getBestCmap().items()}
    return widths, max(widths.values())


def _georgian(ch: str) -> bool:
    """A letter of the Georgian block: drawn from the Georgian font, in DOCX and PDF alike."""
    return "\u10a0" <= ch <= "\u10ff"


def _advance(ch: str, bold: bool) -> float:
    stem = ("NotoSansGeorgian" if _georgian(ch) else "NotoSans") + ("-Bold" if bold else "-Regular")
    widths, widest = _advances(stem)
    return widths.get(ord(ch), widest)


def _fonts(doc: Any, lang: Lang) -> None:
    """The shipped fonts, named on the Normal style (the widths are measured with them):
    Latin letters and figures in Noto Sans, Georgian in Noto Sans Georgian."""
    from docx.oxml.ns import qn

    fonts = doc.styles["Normal"].element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:ascii"), "Noto Sans")
    fonts.set(qn("w:hAnsi"), "Noto Sans Georgian" if lang == "ka" else "Noto Sans")
    fonts.set(qn("w:cs"), "Noto Sans")


def _traffic_light(target: Any, percent: float) -> None:
    """A percentage cell shaded green (75 % and more), amber (40 %) or red: the chapter's
    state at a glance, legible in black and white too since the figure stays written."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    colour = "C6EFCE" if percent >= 75 else "FFEB9C" if percent >= 40 else "FFC7CE"
    shade = OxmlElement("w:shd")
    shade.set(qn("w:val"), "clear")
    shade.set(qn("w:color"), "auto")
    shade.set(qn("w:fill"), colour)
    target._tc.get_or_add_tcPr().append(shade)


# --- PDF ---

_FONTS = Path(__file__).parent / "fonts"


def _pdf(report: Tabular) -> bytes:
    """The DOCX's document as PDF: the same order, words, page setup and running texts."""
    from fpdf import FPDF

    lang = report.language
    title, lines = report.heading()
    running = f"{word('ministry', lang)} · {word('office', lang)}\n{title}"
    page_text = word("page_x_of_y", lang)

    class Document(FPDF):
        def header(self) -> None:
            self.set_font("body", size=7)
            self.multi_cell(0, 3.2, running, new_x="LMARGIN", new_y="NEXT")
            self.ln(3)

        def footer(self) -> None:
            self.set_y(-14)
            self.set_font("body", size=8)
            self.cell(0, 5, page_text.format(page=self.page_no(), pages="{nb}"), align="C")

    pdf = Document(format="A4")
    pdf.set_margins(20, 15, 20)
    pdf.set_auto_page_break(True, margin=18)
    for family, stem in (("body", "NotoSans"), ("georgian", "NotoSansGeorgian")):
        pdf.add_font(family, "", str(_FONTS / f"{stem}-Regular.ttf"))
        pdf.add_font(family, "B", str(_FONTS / f"{stem}-Bold.ttf"))
    pdf.set_fallback_fonts(["georgian"], exact_match=False)
    pdf.set_title(title)
    pdf.set_subject(title)
    pdf.set_author(word("office", lang))
    pdf.set_creator(word("office", lang))
    pdf.set_lang(DOCUMENT_LOCALE[lang])
    pdf.set_creation_date(now())
    pdf.add_page()
    pdf.set_font("body", "B", 16)
    pdf.multi_cell(0, 8, title, align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.set_font("body", size=9.5)
    for line in [*lines, f"{word('generated', lang)}: {now():%Y-%m-%d %H:%M} UTC"]:
        pdf.multi_cell(0, 5, line, new_x="LMARGIN", new_y="NEXT")
    landscape = False
    sheets = _in_order(report.sheets())
    for sheet in sheets:
        if sheet.appendix:
            continue
        wide = len(sheet.header) > WIDE
        if wide != landscape:
            pdf.add_page(orientation="L" if wide else "P")
            landscape = wide
        _pdf_table(pdf, sheet, lang)
    if landscape:
        pdf.add_page(orientation="P")
    _pdf_heading(pdf, word("definitions", lang))
    for term, meaning in definitions(report):
        pdf.set_font("body", "B", 9.5)
        pdf.write(5, f"{term}: ")
        pdf.set_font("body", size=9.5)
        pdf.write(5, meaning)
        pdf.ln(7)
    for sheet in sheets:
        if sheet.appendix:
            _pdf_table(pdf, sheet, lang)
    return bytes(pdf.output())


def _pdf_widths(pdf: Any, sheet: Sheet, lang: Lang) -> list[float]:
    """Measured with the table's font: every column first gets its widest word (no word is
    broken), the space left goes to the columns whose text would wrap, long text counted
    up to a third of the page."""

    def width(text: str, bold: bool = False) -> float:
        return _text_width(pdf, text, "B" if bold else "") + 3

    least, wanted = _column_needs(sheet, lang, width, cap=pdf.epw / 3, empty=8.0)
    pdf.set_font("body", "")
    spare, growth = pdf.epw - sum(least), sum(wanted) - sum(least)
    if spare <= 0 or growth <= 0:
        return wanted
    share = min(spare / growth, 1.0)
    return [low + (want - low) * share for low, want in zip(least, wanted, strict=True)]


def _text_width(pdf: Any, text: str, style: str) -> float:
    """Measured in the font that draws it: Georgian letters come from the Georgian font."""
    georgian = any(map(_georgian, text))
    pdf.set_font("georgian" if georgian else "body", style)
    return float(pdf.get_string_width(text))


def _pdf_heading(pdf: Any, text: str) -> None:
    pdf.ln(4)
    pdf.set_font("body", "B", 12)
    pdf.set_text_color(46, 84, 150)
    pdf.multi_cell(0, 6, text, align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0, 0, 0)
    pdf.ln(1)


def _pdf_table(pdf: Any, sheet: Sheet, lang: Lang) -> None:
    from fpdf.fonts import FontFace

    _pdf_heading(pdf, sheet.title(lang))
    size = 7.5 if len(sheet.header) > WIDE else 9
    pdf.set_font("body", size=size)
    if not sheet.rows:
        pdf.multi_cell(0, 5, word("none", lang), new_x="LMARGIN", new_y="NEXT")
        return
    kinds = sheet.kinds()
    heading_style = FontFace(emphasis="BOLD", fill_color=(221, 228, 238))
    with pdf.table(
        col_widths=_pdf_widths(pdf, sheet, lang), repeat_headings=1, text_align="LEFT",
        headings_style=heading_style, line_height=size * 0.5, width=pdf.epw,
    ) as table:  # fmt: skip
        heading = table.row()
        for text in headers(sheet, lang):
            heading.cell(text)
        for values in sheet.rows:
            row = table.row()
            for value, kind in zip(values, kinds, strict=False):
                row.cell(cell_text(value, kind, lang))
