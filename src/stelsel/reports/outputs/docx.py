"""A report as a Word document (python-docx), for boards that finish an annual report in Word.

The title and the lines about the report, then per section a Heading 1, its text turned from
the same parse as the web page (`reports.text.tokens`: headings, paragraphs, bullet and numbered
lists, bold, italic, links as real hyperlinks), and a block's tables as Word tables with a
header row that repeats on every page, a caption, the notes and the source. The footer of every
page names the report, its version, the day it was issued, the start of its hash and the page.
"""

import io

from django.utils.translation import gettext as _
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from stelsel.reports.outputs.common import (
    Progress,
    about,
    cell_text,
    is_number,
    source_line,
    ticker,
)
from stelsel.reports.text import tokens

MUTED = RGBColor(0x4F, 0x5B, 0x69)
LINK = RGBColor(0x0B, 0x5C, 0xAD)
# The author's headings sit below the section's own (Heading 1): "#" is Heading 2.
HEADING_OFFSET = 1


def _muted(paragraph, size: float = 8.5) -> None:
    for run in paragraph.runs:
        run.font.size = Pt(size)
        run.font.color.rgb = MUTED


def _hyperlink(paragraph, url: str, text: str, *, bold: bool, italic: bool) -> None:
    """A clickable link in Word: a w:hyperlink around a run, pointing at an external address."""
    rel_id = paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), rel_id)
    run = OxmlElement("w:r")
    props = OxmlElement("w:rPr")
    colour = OxmlElement("w:color")
    colour.set(qn("w:val"), str(LINK))
    props.append(colour)
    underline = OxmlElement("w:u")
    underline.set(qn("w:val"), "single")
    props.append(underline)
    if bold:
        props.append(OxmlElement("w:b"))
    if italic:
        props.append(OxmlElement("w:i"))
    run.append(props)
    content = OxmlElement("w:t")
    content.text = text
    content.set(qn("xml:space"), "preserve")
    run.append(content)
    link.append(run)
    paragraph._p.append(link)


def _inline(paragraph, children) -> None:
    """The runs of one paragraph: text with bold and italic as the author marked them."""
    bold = italic = 0
    href = None
    link_text: list[str] = []
    for child in children or []:
        kind = child.type
        if kind == "strong_open":
            bold += 1
        elif kind == "strong_close":
            bold -= 1
        elif kind == "em_open":
            italic += 1
        elif kind == "em_close":
            italic -= 1
        elif kind == "link_open":
            href = child.attrGet("href")
            link_text = []
        elif kind == "link_close":
            _hyperlink(
                paragraph, str(href), "".join(link_text) or str(href), bold=bold, italic=italic
            )
            href = None
        elif kind in ("softbreak", "hardbreak"):
            if href is not None:
                link_text.append(" ")
            elif kind == "softbreak":
                paragraph.add_run(" ")
            else:
                paragraph.add_run().add_break()
        elif child.content:
            if href is not None:
                link_text.append(child.content)
                continue
            run = paragraph.add_run(child.content)
            run.bold = bool(bold) or None
            run.italic = bool(italic) or None
            if kind == "code_inline":
                run.font.name = "Courier New"


class _Numbering:
    """Numbered lists that each start at their own first number (Word would otherwise carry
    on counting from the previous list)."""

    def __init__(self, document):
        self.document = document
        self.numbering = document.part.numbering_part.element
        style = document.styles["List Number"]
        num_id = style.element.pPr.numPr.numId.val
        num = next(n for n in self.numbering.num_lst if n.numId == num_id)
        self.abstract_id = num.abstractNumId.val

    def new(self, start: int) -> int:
        num = self.numbering.add_num(self.abstract_id)
        override = num.add_lvlOverride(ilvl=0)
        override.add_startOverride(start)
        return num.numId


def _list_style(kind: str, depth: int) -> str:
    base = "List Number" if kind == "ordered" else "List Bullet"
    return base if depth <= 1 else f"{base} {min(depth, 3)}"


def _text(document, text: str, numbering: _Numbering) -> None:
    """The author's text as Word paragraphs, headings and lists."""
    lists: list[dict] = []  # the lists the parse is inside, outermost first
    style = None
    quote = 0
    for token in tokens(text):
        kind = token.type
        if kind == "heading_open":
            level = min(9, int(token.tag[1]) + HEADING_OFFSET)
            style = f"Heading {level}"
        elif kind in ("bullet_list_open", "ordered_list_open"):
            entry = {"kind": "ordered" if kind == "ordered_list_open" else "bullet", "num": None}
            if entry["kind"] == "ordered":
                entry["num"] = numbering.new(int(token.attrGet("start") or 1))
            lists.append(entry)
        elif kind in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
        elif kind == "blockquote_open":
            quote += 1
        elif kind == "blockquote_close":
            quote -= 1
        elif kind == "inline":
            if style is None and lists:
                current = lists[-1]
                paragraph = document.add_paragraph(style=_list_style(current["kind"], len(lists)))
                if current["num"] is not None and len(lists) == 1:
                    num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
                    num_pr.get_or_add_ilvl().val = 0
                    num_pr.get_or_add_numId().val = current["num"]
            elif style is None and quote:
                paragraph = document.add_paragraph(style="Quote")
            else:
                paragraph = document.add_paragraph(style=style)
            _inline(paragraph, token.children)
            style = None
        elif kind in ("fence", "code_block"):
            for line in token.content.rstrip("\n").split("\n"):
                run = document.add_paragraph().add_run(line)
                run.font.name = "Courier New"
        elif kind == "hr":
            document.add_paragraph("—" * 10).alignment = WD_ALIGN_PARAGRAPH.CENTER


def _repeat_header(row) -> None:
    """The header row repeats at the top of every page the table runs over."""
    props = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    props.append(header)


def _table(document, table: dict) -> None:
    caption = document.add_paragraph(table["caption"], style="Caption")
    caption.paragraph_format.keep_with_next = True
    columns = table["columns"]
    if not columns:
        return
    grid = document.add_table(rows=1, cols=len(columns))
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.LEFT
    head = grid.rows[0]
    _repeat_header(head)
    for cell, title in zip(head.cells, columns, strict=True):
        cell.text = ""
        run = cell.paragraphs[0].add_run(title)
        run.bold = True
        run.font.size = Pt(8)
    for values in table["rows"]:
        cells = grid.add_row().cells
        for cell, value in zip(cells, values, strict=False):
            paragraph = cell.paragraphs[0]
            run = paragraph.add_run(cell_text(value))
            run.font.size = Pt(8)
            if is_number(value):
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    if table.get("note"):
        _muted(document.add_paragraph(table["note"]))


def _footer(document, line: str) -> None:
    """The report's line and the page number at the foot of every page."""
    paragraph = document.sections[0].footer.paragraphs[0]
    paragraph.text = line + " · " + _("page") + " "
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)
    _muted(paragraph, 7.5)


def render(snapshot: dict, progress: Progress = None) -> bytes:
    info = about(snapshot)
    document = Document()
    page = document.sections[0]
    page.orientation = WD_ORIENT.PORTRAIT
    page.page_width, page.page_height = Mm(210), Mm(297)
    for side in ("left_margin", "right_margin"):
        setattr(page, side, Mm(18))
    properties = document.core_properties
    properties.title = info.title
    properties.subject = info.unit
    properties.language = snapshot.get("language") or ""
    properties.author = info.issued_by or ""
    properties.comments = info.hash
    document.styles["Normal"].font.size = Pt(10)

    document.add_paragraph(info.title, style="Title")
    for label, value in info.lines():
        paragraph = document.add_paragraph()
        paragraph.add_run(f"{label}: ").bold = True
        paragraph.add_run(value)
        paragraph.paragraph_format.space_after = Pt(0)
    _footer(document, info.footer)

    numbering = _Numbering(document)
    sections = snapshot.get("sections", [])
    step = ticker(progress, 0.0, 0.95, len(sections))
    for section in sections:
        heading = document.add_heading(section["title"], level=1)
        heading.paragraph_format.page_break_before = True
        if section.get("text", "").strip():
            _text(document, section["text"], numbering)
        elif section["kind"] == "text":
            _muted(document.add_paragraph(_("Nothing written yet.")))
        block = section.get("block")
        if block:
            if block.get("svg"):
                _muted(
                    document.add_paragraph(
                        _(
                            "The charts of these figures are in the PDF and on the web page; "
                            "the tables below hold the same figures."
                        )
                    )
                )
            for table in block.get("tables", []):
                _table(document, table)
            for note in block.get("notes", []):
                _muted(document.add_paragraph(note))
            if block.get("empty") and not block.get("tables"):
                _muted(document.add_paragraph(block["empty"]))
            _muted(document.add_paragraph(source_line(block)))
        step()
    buffer = io.BytesIO()
    document.save(buffer)
    if progress is not None:
        progress(1.0)
    return buffer.getvalue()
