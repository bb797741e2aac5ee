"""The 自查情况报告 as a Word document, laid out the way county offices write it (公文 style).

关于{site}自查情况报告 / date / 一、存在问题: numbered paragraphs grouped by kind of problem,
each naming its 整改责任单位, then the deadline sentence / 二、有关要求 / 三、已整改情况 /
signature block. A4 with 公文 margins (GB/T 9704), 方正小标宋简体 title, 黑体 and 楷体
headings, 仿宋_GB2312 body, page numbers "— N —" in the footer.

A .docx cannot list fallback fonts per run; the font table names 宋体 as the alternative
(``w:altName``) with the GB2312 charset, which Word and LibreOffice use to substitute a
missing 方正/仿宋_GB2312 font with an installed Chinese one rather than a Latin one.
"""

from __future__ import annotations

import io

from docx import Document
from docx.document import Document as DocumentType
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt
from docx.text.paragraph import Paragraph
from lxml import etree

from portalspider.report import policies
from portalspider.report.data import Report
from portalspider.report.links import link_paragraphs
from portalspider.report.office import (
    OfficeExtras,
    exempted,
    office_path,
    to_rectify,
    xml_text,
)
from portalspider.report.render import cn_date, environment
from portalspider.vocab import status_label

TITLE_FONT = "方正小标宋简体"
HEADING_FONT = "黑体"
SUBHEADING_FONT = "楷体_GB2312"
BODY_FONT = "仿宋_GB2312"
FALLBACK_FONT = "宋体"  # SimSun: on every Chinese Windows; Noto Serif CJK elsewhere
LATIN_FONT = "Times New Roman"
BODY_PT, TITLE_PT, FOOTER_PT = 16, 22, 14  # 三号, 二号, 四号
LINE_PT = 28  # fixed line pitch: 22 lines on an A4 公文 page
ORDINALS = "一二三四五六七八九十"


def render_docx(report: Report, extras: OfficeExtras) -> bytes:
    doc = Document()
    _page_setup(doc)
    _font_table(doc)
    _style_normal(doc)
    _title(doc, report)
    rows = to_rectify(report)
    _para(doc, _intro(report))

    _heading(doc, "一、存在问题")
    if not rows and not report.replies.overdue:
        _para(
            doc, "本次自查未发现需整改的栏目。" if report.fully_judged else report.no_problems_text
        )
    groups: dict[str, list[int]] = {}
    for index, row in enumerate(rows):
        groups.setdefault(row.status, []).append(index)
    number = 0
    for position, (status, indexes) in enumerate(groups.items()):
        label = status_label(status)
        _heading(doc, f"({ORDINALS[position]}){label}({len(indexes)}个)", SUBHEADING_FONT)
        for index in indexes:
            row = rows[index]
            number += 1
            _para(
                doc,
                f"{number}.{office_path(row.path, row.name)}:{row.problem_text}。"
                f"(整改责任单位:{row.unit})",
            )
    if report.replies.overdue:  # 互动回应差: overdue letters, 征集 without 结果反馈
        overdue = report.replies.overdue
        title = f"({ORDINALS[len(groups)]})互动回应差({len(overdue)}条)"
        _heading(doc, title, SUBHEADING_FONT)
        for m in overdue:
            number += 1
            _para(doc, f"{number}.{m.column}:{m.title}——{m.problem}。(整改责任单位:{m.unit})")
    if policy := policies.word_lines(report.policies):  # 解读回应
        heading = f"({ORDINALS[len(groups) + bool(report.replies.overdue)]}){policies.WORD_HEADING}"
        _heading(doc, heading, SUBHEADING_FONT)
        for line in policy:
            number += 1
            _para(doc, f"{number}.{line}")
    if rows or report.replies.overdue or policy:
        _para(doc, f"上述整改责任单位请于{cn_date(report.deadline)}前整改到位。")
    if exempt := exempted(report):
        names = "、".join(
            f"{office_path(r.path, r.name)}(报备至{cn_date(r.exempt_until)})" for r in exempt
        )
        _para(doc, f"另有{len(exempt)}个栏目已报备,暂不列入整改:{names}。")

    _heading(doc, "二、有关要求")
    for line in _requirements(report, extras).splitlines():
        if line.strip():
            _para(doc, line.strip())

    _heading(doc, "三、已整改情况")
    if not report.resolved:
        _para(doc, f"近{report.resolved_days}天内无已整改完毕的问题。")
    else:
        _para(doc, f"近{report.resolved_days}天内已整改问题{len(report.resolved)}个:")
        for number, item in enumerate(report.resolved, start=1):
            where = office_path(item.path, item.name)
            if item.resolution == "gone":
                done = f"{item.kind_label}问题,栏目已于{cn_date(item.closed_on)}撤并"
            else:
                done = f"{item.kind_label}问题已于{cn_date(item.closed_on)}整改"
            _para(doc, f"{number}.{where}:{done}。(整改责任单位:{item.unit})")

    _heading(doc, "四、建议合并删减的栏目")
    if not report.candidates:
        _para(doc, f"近{report.candidate_days}天内无每次检测均存在问题的栏目。")
    else:
        _para(
            doc,
            f"以下栏目近{report.candidate_days}天内每次检测均存在问题,信息保障不力,建议合并删减:",
        )
        for number, candidate in enumerate(report.candidates, start=1):
            where = office_path(candidate.path, candidate.name)
            _para(doc, f"{number}.{where}:{candidate.history_text}。(责任单位:{candidate.unit})")

    if report.links is not None:
        _heading(doc, "五、链接可用性")
        for line in link_paragraphs(report.links):
            _para(doc, line)

    _signature(doc, report, extras)
    _footer_page_number(doc)
    doc.core_properties.title = f"关于{report.site_name}自查情况报告"
    doc.core_properties.author = "portalspider"
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _intro(report: Report) -> str:
    """The count is the crawl's SUMMARY count (``Report.problem_count``): 互动回应差 included,
    报备 and once-unreachable columns (listed for checking) not."""
    checked = len(report.columns)
    count = report.problem_count.problems
    return (
        f"根据政府网站检查指标要求,{cn_date(report.today)}对{report.site_name}网站"
        f"{checked}个栏目的更新情况进行了自查,发现需整改问题{count}个。现将有关情况报告如下:"
    )


def _requirements(report: Report, extras: OfficeExtras) -> str:
    if extras.requirements:
        return extras.requirements
    template = environment().get_template("report/requirements.txt.jinja")
    return template.render(report=report, filler=extras.filler)


def _page_setup(doc: DocumentType) -> None:
    """A4, margins of GB/T 9704: top 3.7, bottom 3.5, left 2.8, right 2.6 cm."""
    for section in doc.sections:
        section.page_width, section.page_height = Cm(21), Cm(29.7)
        section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
        section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
        section.footer_distance = Cm(2.5)


def _font_table(doc: DocumentType) -> None:
    """Declare the Chinese fonts with 宋体 as their alternative (see module docstring)."""
    part = next(
        rel.target_part for rel in doc.part.rels.values() if rel.reltype.endswith("/fontTable")
    )
    table = parse_xml(part.blob)
    for name in (TITLE_FONT, HEADING_FONT, SUBHEADING_FONT, BODY_FONT, FALLBACK_FONT):
        alt = "" if name == FALLBACK_FONT else f'<w:altName w:val="{FALLBACK_FONT}"/>'
        table.append(
            parse_xml(
                f'<w:font {nsdecls("w")} w:name="{name}">{alt}<w:charset w:val="86"/>'
                '<w:family w:val="roman"/><w:pitch w:val="variable"/></w:font>'
            )
        )
    part._blob = etree.tostring(table, xml_declaration=True, encoding="UTF-8", standalone=True)


def _fonts(run_or_style_rpr: object, east_asia: str) -> None:
    """Latin text in Times New Roman, Chinese in ``east_asia`` (``w:rFonts w:eastAsia``)."""
    rpr = run_or_style_rpr
    fonts = rpr.get_or_add_rFonts()  # type: ignore[attr-defined]
    fonts.set(qn("w:ascii"), LATIN_FONT)
    fonts.set(qn("w:hAnsi"), LATIN_FONT)
    fonts.set(qn("w:eastAsia"), east_asia)


def _style_normal(doc: DocumentType) -> None:
    style = doc.styles["Normal"]
    style.font.size = Pt(BODY_PT)
    _fonts(style.element.get_or_add_rPr(), BODY_FONT)
    fmt = style.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(LINE_PT)
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.first_line_indent = Pt(BODY_PT * 2)  # 首行缩进两字
    fmt.widow_control = False


def _para(
    doc: DocumentType,
    text: str,
    font: str = BODY_FONT,
    size: int = BODY_PT,
    align: WD_ALIGN_PARAGRAPH | None = None,
    indent: bool = True,
) -> Paragraph:
    paragraph = doc.add_paragraph()
    if align is not None:
        paragraph.alignment = align
    if not indent:
        paragraph.paragraph_format.first_line_indent = Pt(0)
    run = paragraph.add_run(xml_text(text))
    run.font.size = Pt(size)
    _fonts(run._element.get_or_add_rPr(), font)
    return paragraph


def _heading(doc: DocumentType, text: str, font: str = HEADING_FONT) -> None:
    _para(doc, text, font).paragraph_format.keep_with_next = True


def _title(doc: DocumentType, report: Report) -> None:
    title = _para(
        doc,
        f"关于{report.site_name}自查情况报告",
        TITLE_FONT,
        TITLE_PT,
        WD_ALIGN_PARAGRAPH.CENTER,
        indent=False,
    )
    title.paragraph_format.line_spacing = Pt(36)
    title.paragraph_format.space_after = Pt(LINE_PT / 2)
    date = _para(doc, cn_date(report.today), align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
    date.paragraph_format.space_after = Pt(LINE_PT / 2)


def _signature(doc: DocumentType, report: Report, extras: OfficeExtras) -> None:
    blank = "_" * 12  # written in by hand
    doc.add_paragraph()
    for line in (
        f"填报单位:{extras.filler or blank}",
        f"审核人:{blank}",
        f"日期:{cn_date(report.today)}",
    ):
        paragraph = _para(doc, line, align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False)
        paragraph.paragraph_format.right_indent = Pt(BODY_PT * 2)


def _footer_page_number(doc: DocumentType) -> None:
    """ "— 3 —" centred: a PAGE field, so Word and LibreOffice number every page."""
    footer = doc.sections[0].footer
    paragraph = footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.first_line_indent = Pt(0)
    pieces: list[tuple[str, str | None]] = [
        ("text", "— "),
        ("begin", None),
        ("instr", " PAGE "),
        ("separate", None),
        ("text", "1"),
        ("end", None),
        ("text", " —"),
    ]
    for kind, value in pieces:
        run = paragraph.add_run()
        run.font.size = Pt(FOOTER_PT)
        _fonts(run._element.get_or_add_rPr(), FALLBACK_FONT)
        if kind == "text":
            run.text = value or ""
        elif kind == "instr":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = value
            run._element.append(instr)
        else:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._element.append(char)
