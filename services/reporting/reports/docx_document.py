"""A report as a DOCX document to send on, laid out in the office's template.

The template (``templates/report.docx``, or the office's own copy named by
``IRP_REPORT_TEMPLATE``) gives the styles (Normal, Title, Heading 1, Table Grid), the page
(A4, margins) and the running header and footer; its body is replaced by the report. In
the header and footer, ``{ministry}``, ``{office}`` and ``{title}`` become the report's
words and ``{page_x_of_y}`` "page X of Y" in the language, with Word's PAGE and NUMPAGES
fields. Wide tables go on landscape pages, their header row repeats on every page and
their columns are fitted to the words of the shipped fonts.
"""

from __future__ import annotations

import copy
import io
import re
from pathlib import Path
from typing import Any

from services.reporting.reports.common import Lang
from services.reporting.reports.language import DOCUMENT_LOCALE, cell_text, word
from services.reporting.reports.layout import advance, column_needs, fitted
from services.reporting.reports.tabular import Sheet, Tabular, clean, definitions, headers, in_order
from shared.clock import now

TEMPLATE = Path(__file__).parent / "templates" / "report.docx"
_PLACEHOLDER = re.compile(r"\{(page|pages)\}")


def docx(report: Tabular, template: Path | None = None) -> bytes:
    from docx import Document
    from docx.enum.section import WD_SECTION

    lang = report.language
    title, lines = clean(report.heading()[0]), [clean(line) for line in report.heading()[1]]
    doc = Document(str(template or TEMPLATE))
    _emptied(doc)
    _properties(doc, report, title)
    _georgian_font(doc, lang)
    portrait = doc.sections[0]
    _running_texts(portrait, title, lang)
    doc.add_heading(title, level=0)
    for line in lines:
        doc.add_paragraph(line)
    doc.add_paragraph(f"{word('generated', lang)}: {now():%Y-%m-%d %H:%M} UTC")
    landscape = False
    sheets = in_order(report.sheets())
    main = [s for s in sheets if not s.appendix]
    for before, sheet in zip([None, *main], main, strict=False):
        if sheet.wide != landscape:
            _turn(doc.add_section(WD_SECTION.NEW_PAGE), landscape=sheet.wide)
            landscape = sheet.wide
        elif before and before.summary and not sheet.summary:  # the summary has its page
            doc.add_page_break()
        _table(doc, sheet, lang)
    if landscape:
        _turn(doc.add_section(WD_SECTION.NEW_PAGE), landscape=False)
    doc.add_heading(word("definitions", lang), level=1)
    for term, meaning in definitions(report):
        paragraph = doc.add_paragraph()
        paragraph.add_run(f"{term}: ").bold = True
        paragraph.add_run(clean(meaning))
    for sheet in sheets[len(main) :]:
        _table(doc, sheet, lang)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


STYLES = ("Normal", "Title", "Heading 1", "Table Grid")


def check_template(path: Path) -> None:
    """A template the documents can be laid out in: a DOCX with the styles they use."""
    from docx import Document

    try:
        names = {style.name for style in Document(str(path)).styles}
    except Exception as error:  # whatever the file is (missing, not a zip), the office is told
        raise ValueError(f"the report template {path} is not a DOCX document: {error}") from error
    if missing := [name for name in STYLES if name not in names]:
        raise ValueError(f"the report template {path} lacks the styles {', '.join(missing)}")


def _emptied(doc: Any) -> None:
    """The template's body goes; its last section's page setup (``sectPr``) stays."""
    body = doc.element.body
    page_setup = body.sectPr
    for child in list(body):
        if child is not page_setup:
            body.remove(child)


def _properties(doc: Any, report: Tabular, title: str) -> None:
    props = doc.core_properties
    props.title = title
    props.subject = title
    props.author = props.last_modified_by = word("office", report.language)
    props.language = DOCUMENT_LOCALE[report.language]
    props.created = props.modified = now().replace(tzinfo=None)
    props.comments = ""
    props.keywords = ""
    props.revision = 1


def _georgian_font(doc: Any, lang: Lang) -> None:
    """In a Georgian document, letters outside ASCII (Georgian among them) are drawn in Noto
    Sans Georgian, the font the widths are measured with; the template names the rest."""
    if lang != "ka":
        return
    from docx.oxml.ns import qn

    fonts = doc.styles["Normal"].element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:hAnsi"), "Noto Sans Georgian")


def _turn(section: Any, *, landscape: bool) -> None:
    """The template's page, turned: the long side across for landscape."""
    from docx.enum.section import WD_ORIENT

    short, long = sorted((section.page_width, section.page_height))
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (long, short) if landscape else (short, long)


def _running_texts(section: Any, title: str, lang: Lang) -> None:
    """The template's header and footer with the report's words in their placeholders."""
    values = {
        "ministry": word("ministry", lang),
        "office": word("office", lang),
        "title": title,
        "page_x_of_y": word("page_x_of_y", lang),
    }
    for part in (section.header, section.footer):
        for paragraph in part.paragraphs:
            if "{" in paragraph.text:
                _fill(paragraph, values)


def _fill(paragraph: Any, values: dict[str, str]) -> None:
    """The paragraph's text with its placeholders filled, in its first run's formatting
    (Word may split a placeholder across runs when the office edits it); ``{page}`` and
    ``{pages}`` become fields the reader fills in when it lays out the pages."""
    text = paragraph.text
    for key, value in values.items():
        text = text.replace(f"{{{key}}}", value)
    runs = paragraph.runs
    look = copy.deepcopy(runs[0]._r.rPr) if runs and runs[0]._r.rPr is not None else None
    for run in runs:
        run._r.getparent().remove(run._r)
    pieces = _PLACEHOLDER.split(text)
    for index, piece in enumerate(pieces):
        if index % 2:
            _field(paragraph, "PAGE" if piece == "page" else "NUMPAGES", look)
        elif piece:
            _styled(paragraph.add_run(piece), look)


def _styled(run: Any, look: Any) -> Any:
    if look is not None:
        run._r.insert(0, copy.deepcopy(look))
    return run


def _field(paragraph: Any, instruction: str, look: Any = None) -> None:
    """A Word field (PAGE, NUMPAGES) that the reader fills in when it lays out the pages."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), instruction)
    run = OxmlElement("w:r")
    if look is not None:
        run.append(copy.deepcopy(look))
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def _table(doc: Any, sheet: Sheet, lang: Lang) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    doc.add_heading(clean(sheet.title(lang)), level=1)
    if not sheet.rows:
        doc.add_paragraph(word("none", lang))
        return
    kinds = sheet.kinds()
    size = Pt(8) if sheet.wide else Pt(9.5)  # wide tables: smaller, unbroken words
    table = doc.add_table(rows=1, cols=len(sheet.header))
    table.style = "Table Grid"
    table.autofit = False
    for column, text in zip(table.rows[0].cells, headers(sheet, lang), strict=True):
        column.text = ""
        run = column.paragraphs[0].add_run(clean(text))
        run.bold, run.font.size = True, size
    repeat = OxmlElement("w:tblHeader")  # the header row repeats on every page
    repeat.set(qn("w:val"), "true")
    table.rows[0]._tr.get_or_add_trPr().append(repeat)
    for row in sheet.rows:
        cells = table.add_row().cells
        for target, value, kind in zip(cells, row, kinds, strict=False):
            target.paragraphs[0].add_run(clean(cell_text(value, kind, lang))).font.size = size
            if kind == "percent" and not sheet.is_items and isinstance(value, int | float):
                _traffic_light(target, value)
    section = doc.sections[-1]
    width = int(section.page_width - section.left_margin - section.right_margin)
    for index, share in enumerate(_widths(sheet, lang, width, size.pt)):
        table.columns[index].width = share
        for table_cell in table.columns[index].cells:
            table_cell.width = share


def _widths(sheet: Sheet, lang: Lang, width: int, size_pt: float) -> list[int]:
    """Fitted to the words in the shipped fonts (named on the Normal style), with 5 % spare
    for a reader that substitutes a slightly wider one, and the cell's margins (0.19 cm
    each side)."""
    emu_per_pt = 12700

    def length(text: str, bold: bool = False) -> float:
        ems = sum(advance(ch, bold) for ch in text) * 1.05
        return (ems * size_pt + 11) * emu_per_pt

    least, wanted = column_needs(sheet, lang, length, cap=width / 3, empty=length("    "))
    return [int(w) for w in fitted(least, wanted, width)]


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
