"""A report as PDF: the DOCX's document (the same order, words, page setup and running
texts), drawn by fpdf2 with the Noto fonts shipped under ``fonts/``, so that Georgian
renders on any machine."""

from __future__ import annotations

from typing import Any

from services.reporting.reports.common import Lang
from services.reporting.reports.language import DOCUMENT_LOCALE, cell_text, word
from services.reporting.reports.layout import FONTS, column_needs, fitted, is_georgian
from services.reporting.reports.tabular import Sheet, Tabular, definitions, headers, in_order
from shared.clock import now


def pdf(report: Tabular) -> bytes:
    lang = report.language
    title, lines = report.heading()
    document = _document(title, lang)
    document.add_page()
    document.set_font("body", "B", 16)
    document.multi_cell(0, 8, title, align="L", new_x="LMARGIN", new_y="NEXT")
    document.ln(2)
    document.set_font("body", size=9.5)
    for line in [*lines, f"{word('generated', lang)}: {now():%Y-%m-%d %H:%M} UTC"]:
        document.multi_cell(0, 5, line, new_x="LMARGIN", new_y="NEXT")
    landscape = False
    sheets = in_order(report.sheets())
    main = [s for s in sheets if not s.appendix]
    for before, sheet in zip([None, *main], main, strict=False):
        if sheet.wide != landscape:
            document.add_page(orientation="L" if sheet.wide else "P")
            landscape = sheet.wide
        elif before and before.summary and not sheet.summary:  # the summary has its page
            document.add_page(orientation="L" if landscape else "P")
        _table(document, sheet, lang)
    if landscape:
        document.add_page(orientation="P")
    _heading(document, word("definitions", lang))
    for term, meaning in definitions(report):
        document.set_font("body", "B", 9.5)
        document.write(5, f"{term}: ")
        document.set_font("body", size=9.5)
        document.write(5, meaning)
        document.ln(7)
    for sheet in sheets[len(main) :]:
        _table(document, sheet, lang)
    return bytes(document.output())


def _document(title: str, lang: Lang) -> Any:
    """An A4 document with the running header (ministry, office, title), page X of Y, the
    fonts and the document's properties."""
    from fpdf import FPDF

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

    document = Document(format="A4")
    document.set_margins(20, 15, 20)
    document.set_auto_page_break(True, margin=18)
    for family, stem in (("body", "NotoSans"), ("georgian", "NotoSansGeorgian")):
        document.add_font(family, "", str(FONTS / f"{stem}-Regular.ttf"))
        document.add_font(family, "B", str(FONTS / f"{stem}-Bold.ttf"))
    document.set_fallback_fonts(["georgian"], exact_match=False)
    document.set_title(title)
    document.set_subject(title)
    document.set_author(word("office", lang))
    document.set_creator(word("office", lang))
    document.set_lang(DOCUMENT_LOCALE[lang])
    document.set_creation_date(now())
    return document


def _widths(document: Any, sheet: Sheet, lang: Lang) -> list[float]:
    """Measured with the table's font, up to a third of the page for long text."""

    def width(text: str, bold: bool = False) -> float:
        return _text_width(document, text, "B" if bold else "") + 3

    least, wanted = column_needs(sheet, lang, width, cap=document.epw / 3, empty=8.0)
    document.set_font("body", "")
    return fitted(least, wanted, document.epw)


def _text_width(document: Any, text: str, style: str) -> float:
    """Measured in the font that draws it: Georgian letters come from the Georgian font."""
    document.set_font("georgian" if any(map(is_georgian, text)) else "body", style)
    return float(document.get_string_width(text))


def _heading(document: Any, text: str) -> None:
    document.ln(4)
    document.set_font("body", "B", 12)
    document.set_text_color(46, 84, 150)
    document.multi_cell(0, 6, text, align="L", new_x="LMARGIN", new_y="NEXT")
    document.set_text_color(0, 0, 0)
    document.ln(1)


def _table(document: Any, sheet: Sheet, lang: Lang) -> None:
    from fpdf.fonts import FontFace

    _heading(document, sheet.title(lang))
    size = 7.5 if sheet.wide else 9
    document.set_font("body", size=size)
    if not sheet.rows:
        document.multi_cell(0, 5, word("none", lang), new_x="LMARGIN", new_y="NEXT")
        return
    kinds = sheet.kinds()
    heading_style = FontFace(emphasis="BOLD", fill_color=(221, 228, 238))
    with document.table(
        col_widths=_widths(document, sheet, lang), repeat_headings=1, text_align="LEFT",
        headings_style=heading_style, line_height=size * 0.5, width=document.epw,
    ) as table:  # fmt: skip
        heading = table.row()
        for text in headers(sheet, lang):
            heading.cell(text)
        for values in sheet.rows:
            row = table.row()
            for value, kind in zip(values, kinds, strict=False):
                row.cell(cell_text(value, kind, lang))
