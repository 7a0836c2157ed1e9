"""DOCX from the same HTML the PDF is made of: one content, two renderings.

The document templates are semantic HTML (headings, paragraphs, numbered items, tables, and a few classes for the
requisites of ГОСТ Р 7.0.97-2016). WeasyPrint lays that HTML out for the PDF; this module walks the same tree and
writes Word paragraphs with real styles («Заголовок 1», «Обычный»…), Word tables (header rows repeated on every
page), and the requisites in their places, so an office edits the text before signature instead of retyping it.

Classes the writer knows (the templates use them for the PDF too):
  org, kind, place, heading, command, app-mark, executor, center, right, noindent, small — paragraph styles;
  appendix, page — start on a new page; plain — a table without borders (requisite layout);
  num — a right-aligned cell; charts/figure — charts: Word cannot show SVG, svgpng draws them as PNG.
"""
import io
import re

import tinyhtml5
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

BLOCK = {"p", "div", "table", "h1", "h2", "h3", "h4", "ol", "ul", "figure", "section", "li"}
SERIF = "Times New Roman"
SANS = "Arial"
PAGE_NUMBER_NOTE = "диаграмма приведена в PDF-версии документа; значения — в таблице выше"  # if not drawn


def _tag(el):
    return el.tag.rsplit("}", 1)[-1] if isinstance(el.tag, str) else ""


def _classes(el):
    return set((el.get("class") or "").split())


def _space(text):
    return re.sub(r"[ \t\r\n]+", " ", text or "")


def _field(run, code):
    """A Word field (PAGE, NUMPAGES) inside a run: Word and LibreOffice fill it in."""
    for kind, text in (("begin", None), (None, code), ("end", None)):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        else:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = f" {text} "
        run._r.append(el)


def _repeat_header(row):
    tr_pr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    tr_pr.append(el)


def _cant_split(row):
    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:cantSplit"))


def _no_borders(table):
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:val"), "nil")
        borders.append(el)
    tbl_pr.append(borders)


def _styles(doc, base_size):
    normal = doc.styles["Normal"]
    normal.font.name = SERIF
    normal.font.size = Pt(base_size)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), SERIF)
    fmt = normal.paragraph_format
    fmt.space_after = Pt(2)
    fmt.space_before = Pt(0)
    fmt.line_spacing = 1.15
    for name, size in (("Heading 1", base_size + 2), ("Heading 2", base_size + 0.5), ("Heading 3", base_size)):
        style = doc.styles[name]
        style.font.name = SERIF
        style.font.size = Pt(size)
        style.font.bold = True
        style.font.italic = False
        style.font.color.rgb = RGBColor(0, 0, 0)
        fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
        for attr in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):  # the theme font would win
            fonts.attrib.pop(qn(f"w:{attr}"), None)
        for attr in ("ascii", "hAnsi", "eastAsia", "cs"):
            fonts.set(qn(f"w:{attr}"), SERIF)
        style.paragraph_format.keep_with_next = True
        style.paragraph_format.space_before = Pt(8 if name != "Heading 3" else 6)
        style.paragraph_format.space_after = Pt(3)
    doc.styles["Heading 1"].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    table = doc.styles["Table Grid"]
    table.font.name = SANS
    table.font.size = Pt(8)


class Writer:
    def __init__(self, *, landscape=False, gost=False, footer="", base_size=12):
        self.doc = Document()
        self.gost = gost
        _styles(self.doc, base_size)
        section = self.doc.sections[0]
        section.page_width, section.page_height = Mm(210), Mm(297)
        if landscape:
            section.orientation = WD_ORIENT.LANDSCAPE
            section.page_width, section.page_height = Mm(297), Mm(210)
        # ГОСТ Р 7.0.97-2016, 5.1: margins at least 20 mm left, top and bottom, 10 mm right.
        section.top_margin = section.bottom_margin = Mm(20)
        section.left_margin, section.right_margin = Mm(25), Mm(10)
        self.width_mm = (297 if landscape else 210) - 35
        if gost:
            # Page numbers in the middle of the top margin, from the second page on (ГОСТ Р 7.0.97-2016, 5.1).
            section.different_first_page_header_footer = True
            p = section.header.paragraphs[0]
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _field(p.add_run(), "PAGE")
        else:
            p = section.footer.paragraphs[0]
            p.style.font.size = Pt(8)
            run = p.add_run(f"{footer}\t\tстр. " if footer else "стр. ")
            run.font.size = Pt(8)
            for code, after in (("PAGE", " из "), ("NUMPAGES", "")):
                r = p.add_run()
                r.font.size = Pt(8)
                _field(r, code)
                if after:
                    p.add_run(after).font.size = Pt(8)
        self.break_next = False

    # -- paragraphs ------------------------------------------------------------------------------------------

    def paragraph(self, style=None):
        p = self.doc.add_paragraph(style=style)
        if self.break_next:
            p.paragraph_format.page_break_before = True
            self.break_next = False
        return p

    def inline(self, p, el, bold=False, size=None, skip_first_text=False):
        """Runs for the text of `el` and its inline children (b/strong bold, br a line break)."""
        if not skip_first_text and el.text:
            self._run(p, el.text, bold, size)
        for child in el:
            tag = _tag(child)
            if tag == "br":
                p.add_run().add_break(WD_BREAK.LINE)
            elif tag == "svg":
                pass
            else:
                self.inline(p, child, bold or tag in ("b", "strong", "th"),
                            Pt(9) if "small" in _classes(child) else size)
            if child.tail:
                self._run(p, child.tail, bold, size)

    def _run(self, p, text, bold, size):
        text = _space(text)
        if not text:
            return
        if not p.runs or not (p.runs[-1].text or "").strip():
            text = text.lstrip() if not p.runs else text
        run = p.add_run(text)
        run.bold = bold or None
        if size:
            run.font.size = size

    def text_paragraph(self, el, style=None):
        classes = _classes(el)
        tag = _tag(el)
        p = self.paragraph(style)
        fmt = p.paragraph_format
        size = Pt(9) if "small" in classes or "executor" in classes else None
        bold = False
        if tag == "p" and not classes & {"noindent", "command", "center", "right", "small"}:
            fmt.first_line_indent = Mm(12.5)
            p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        if classes & {"org", "kind", "place", "center", "appeal"}:
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        if "org" in classes:
            bold = True
            fmt.space_after = Pt(6)
        if "kind" in classes:
            bold, size = True, Pt(16)
            fmt.space_before = fmt.space_after = Pt(8)
        if "heading" in classes:
            bold = True
            fmt.right_indent = Mm(self.width_mm * 0.3)
            fmt.space_before, fmt.space_after = Pt(6), Pt(8)
            fmt.keep_with_next = True
        if "visa-head" in classes:
            bold = True
            fmt.keep_with_next = True
        if "command" in classes:
            bold = True
            fmt.space_before = fmt.space_after = Pt(6)
            fmt.keep_with_next = True
        if "right" in classes:
            p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        if classes & {"app-mark", "addressee", "grif"}:
            fmt.left_indent = Mm(self.width_mm * 0.55)
            fmt.space_after = Pt(8)
        if "executor" in classes:
            fmt.space_before = Pt(24)
        self.inline(p, el, bold, size)
        if "org" in classes:
            for run in p.runs:
                run.text = run.text.upper()
        return p

    # -- blocks ----------------------------------------------------------------------------------------------

    def blocks(self, el):
        for child in el:
            self.block(child)

    def block(self, el):
        tag = _tag(el)
        classes = _classes(el)
        if classes & {"appendix", "page"}:
            self.break_next = True
        if tag in ("h1", "h2", "h3", "h4"):
            level = min(int(tag[1]), 3)
            self.text_paragraph(el, f"Heading {level}")
        elif tag == "p":
            self.text_paragraph(el)
        elif tag in ("ol", "ul"):
            self.items(el, numbered=tag == "ol")
        elif tag == "table":
            self.table(el)
        elif tag == "div" and "charts" in classes:
            self.charts([c for c in el if _tag(c) == "figure"])
        elif tag == "figure":
            self.charts([el], per_row=1)
        elif tag in ("div", "section"):
            if any(_tag(c) in BLOCK for c in el):
                if el.text and el.text.strip():
                    self.paragraph().add_run(_space(el.text).strip())
                for child in el:
                    self.block(child)
                    if child.tail and child.tail.strip():
                        self.paragraph().add_run(_space(child.tail).strip())
            elif "".join(el.itertext()).strip():
                self.text_paragraph(el)
        elif tag in ("style", "script", "title", "head"):
            pass
        elif "".join(el.itertext()).strip():
            self.text_paragraph(el)

    def charts(self, figures, per_row=2):
        """Charts as pictures (svgpng draws our SVG charts), two a row in a borderless table, caption above."""
        from .svgpng import png

        if not figures:
            return
        table = self.doc.add_table(rows=0, cols=per_row)
        _no_borders(table)
        width = Mm(self.width_mm / per_row - 4)
        row = None
        for i, fig in enumerate(figures):
            if i % per_row == 0:
                row = table.add_row()
                _cant_split(row)
            cell = row.cells[i % per_row]
            caption = next((c for c in fig if _tag(c) == "figcaption"), None)
            svg = next((c for c in fig.iter() if _tag(c) == "svg"), None)
            p = cell.paragraphs[0]
            p.paragraph_format.keep_with_next = True
            text = _space("".join(caption.itertext())).strip() if caption is not None else ""
            if text:
                run = p.add_run(text)
                run.font.size = Pt(8)
            drawn = png(svg) if svg is not None else None
            if drawn:
                content, w, h = drawn
                cell.add_paragraph().add_run().add_picture(io.BytesIO(content), width=width)
            else:
                note = cell.add_paragraph().add_run(PAGE_NUMBER_NOTE + ".")
                note.italic = True
                note.font.size = Pt(8)
        self.doc.add_paragraph().paragraph_format.space_after = Pt(2)

    def items(self, el, numbered):
        n = 0
        for li in el:
            if _tag(li) != "li":
                continue
            n += 1
            p = self.paragraph()
            p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
            fmt = p.paragraph_format
            fmt.first_line_indent = Mm(12.5)
            fmt.space_after = Pt(3)
            p.add_run(f"{n}. " if numbered else "– ")
            self.inline(p, li)

    def table(self, el):
        rows = []  # (cells, is_header)
        for part in el:
            ptag = _tag(part)
            if ptag in ("thead", "tbody", "tfoot"):
                rows += [(tr, ptag == "thead") for tr in part if _tag(tr) == "tr"]
            elif ptag == "tr":
                rows.append((part, False))
        if not rows:
            return
        width = max(sum(int(c.get("colspan") or 1) for c in tr if _tag(c) in ("td", "th")) for tr, _ in rows)
        plain = "plain" in _classes(el)
        table = self.doc.add_table(rows=0, cols=width)
        table.style = self.doc.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        if plain:
            _no_borders(table)
        if self.break_next:
            self.paragraph()  # the page break goes on an empty paragraph before the table
        widths = [c.get("data-width") for c in rows[0][0] if _tag(c) in ("td", "th")]
        for tr, header in rows:
            row = table.add_row()
            if header:
                _repeat_header(row)
            _cant_split(row)
            col = 0
            for cell_el in tr:
                ctag = _tag(cell_el)
                if ctag not in ("td", "th"):
                    continue
                span = int(cell_el.get("colspan") or 1)
                cell = row.cells[col]
                if span > 1:
                    cell = cell.merge(row.cells[min(col + span - 1, width - 1)])
                self.cell(cell, cell_el, bold=ctag == "th", plain=plain)
                col += span
        if widths and all(widths) and len(widths) == width:
            # Word reads the cells' widths, LibreOffice the table grid: set both, and switch autofit off.
            total = sum(float(w) for w in widths)
            table.autofit = False
            sizes = [Mm(self.width_mm * float(w) / total) for w in widths]
            for col, size in zip(table._tbl.tblGrid.findall(qn("w:gridCol")), sizes):
                col.set(qn("w:w"), str(int(size.twips)))
            for row in table.rows:
                for i, cell in enumerate(row.cells):
                    cell.width = sizes[min(i, len(sizes) - 1)]
        if plain:  # a signature or visa block stays on one page (Word keeps rows "with next")
            for row in table.rows[:-1]:
                for cell in row.cells:
                    for p in cell.paragraphs:
                        p.paragraph_format.keep_with_next = True
        self.doc.add_paragraph().paragraph_format.space_after = Pt(2)

    def cell(self, cell, el, bold, plain):
        classes = _classes(el)
        p = cell.paragraphs[0]
        size = None if plain else Pt(8)
        blocks = [c for c in el if _tag(c) in ("ul", "ol", "p", "div")]
        if bold:
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif "num" in classes:
            p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        elif "right" in classes:
            p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        if not blocks:
            self.inline(p, el, bold, size)
            return
        if el.text and el.text.strip():
            self._run(p, el.text, bold, size)
        first = not (el.text and el.text.strip())
        for child in el:
            ctag = _tag(child)
            if ctag in ("ul", "ol"):
                for i, li in enumerate(c for c in child if _tag(c) == "li"):
                    q = p if first else cell.add_paragraph()
                    first = False
                    self._run(q, "• " if ctag == "ul" else f"{i + 1}. ", bold, size)
                    self.inline(q, li, bold, size)
            elif ctag in ("p", "div"):
                q = p if first else cell.add_paragraph()
                first = False
                child_classes = _classes(child)
                org = "org" in child_classes
                self.inline(q, child, bold or org, size)
                if org or "center" in child_classes:  # the letter's blank: organisation, place, date
                    q.alignment = WD_ALIGN_PARAGRAPH.CENTER
                if org:
                    for run in q.runs:
                        run.text = run.text.upper()
            elif ctag == "br":
                p.add_run().add_break(WD_BREAK.LINE)
            else:
                q = p if first else cell.paragraphs[-1]
                first = False
                self.inline(q, child, bold or ctag in ("b", "strong"), size, skip_first_text=False) \
                    if ctag != "svg" else None
            if child.tail and child.tail.strip():
                self._run(cell.paragraphs[-1], child.tail, bold, size)

    def bytes(self):
        from .reproducible import stable_zip

        buf = io.BytesIO()
        self.doc.save(buf)
        return stable_zip(buf.getvalue())


def from_html(html, *, landscape=False, gost=False, footer=""):
    root = tinyhtml5.parse(html)
    body = next(el for el in root if _tag(el) == "body")
    writer = Writer(landscape=landscape, gost=gost, footer=footer)
    title = next((el for el in root.iter() if _tag(el) == "title"), None)
    if title is not None and title.text:
        writer.doc.core_properties.title = _space(title.text).strip()[:250]
    writer.doc.core_properties.language = "ru-RU"
    writer.blocks(body)
    return writer.bytes()
