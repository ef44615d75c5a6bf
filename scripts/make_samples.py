"""Write the made-up sample reports of samples/your_reports/ (for notebook 05).

Every place, person and figure in these files is invented for teaching; each
file says so in its text. They exist so that notebook 05 can show every
supported format (.txt in GB18030, .html, .docx, .pdf) and the files the
helpers refuse (an unsupported format, a text file posing as .docx, an
archive that would unpack to 60 MB, a scanned PDF without text, an empty file).

Run once to regenerate:  .venv/bin/python scripts/make_samples.py
(It overwrites the sample folder, never anything else.)
"""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import docx
from fpdf import FPDF

import helpers

FOLDER = Path(__file__).resolve().parent.parent / "samples" / "your_reports"
NOTICE = "（本文件为教学示例，地名、人名和数字均为虚构。）"

HTML = f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>示例县2023年法治政府建设情况报告</title>
<style>body {{ font-family: sans-serif; }}</style><script>var visits = 0;</script></head>
<body>
<div class="top">示例县人民政府门户网站</div>
<div class="nav">首页 | 政务公开 | 办事服务 | 互动交流</div>
<div class="crumb">当前位置：首页 &gt; 政务公开 &gt; 法治政府建设</div>
<h1>示例县2023年法治政府建设情况报告</h1>
<p class="meta">发布时间：2024-03-10  来源：县司法局  浏览次数：315</p>
<p>{NOTICE}</p>
<p>2023年，示例县坚持以习近平法治思想为指导，全面推进依法行政，法治政府建设取得新成效。</p>
<p>一、主要举措和成效</p>
<p>（一）深化“放管服”改革。全面推行“一网通办”，政务服务事项网上可办率达到98.5%，不见面审批事项新增46项。</p>
<p>（二）严格规范公正文明执法。落实行政执法三项制度，推行“首违不罚”清单，全年办理行政处罚案件1208件。</p>
<p>（三）化解行政争议。全年收到行政复议申请36件，受理30件，办结28件，直接纠错3件。行政机关负责人出庭应诉率达到100%。</p>
<p>二、存在的问题</p>
<p>基层执法力量不足，部分乡镇合法性审查能力有待提高。</p>
<p>三、2024年工作安排</p>
<p>持续推进重大行政决策程序规范化，加强规范性文件备案审查。</p>
<p>示例县人民政府</p><p>2024年3月8日</p>
<div class="footer">主办单位：示例县人民政府办公室 版权所有 网站标识码：0000000000</div>
</body></html>
"""

DOCX_PARAGRAPHS = [
    "样本区2022年度法治政府建设工作报告",
    NOTICE,
    "2022年，样本区深入推进法治政府建设，各项工作取得积极进展。",
    "一、主要工作",
    "（一）健全依法决策机制。公布区政府重大行政决策事项目录，全年重大行政决策事项5项，全部经过合法性审查。",
    "（二）加强规范性文件管理。全年共制发区级规范性文件8件，废止3件。",
    "（三）做好行政应诉工作。全年行政诉讼案件共15件，败诉2件，行政诉讼败诉率13.3%，"
    "行政机关负责人出庭应诉率达到93.3%。",
    "二、存在的不足",
    "法治宣传教育的针对性有待增强。",
    "三、下一步打算",
    "深入推进综合行政执法改革，提升基层治理法治化水平。",
]

PDF_TEXT = f"""演示市2021年法治政府建设年度报告
{NOTICE}
2021年，演示市以建设法治政府为目标，推动依法行政各项工作。
一、工作成效
（一）推进数字法治政府建设。建成全市统一的行政执法监督平台，电子证照应用扩大到120类。
（二）发挥行政复议主渠道作用。全年共收到行政复议申请142件，受理128件，审结120件，纠错率达11.7%。
（三）规范行政执法。开展行政执法案卷评查，抽查案卷300卷。
二、存在问题
行政执法人员专业能力参差不齐。
三、2022年工作计划
全面落实行政执法公示制度、执法全过程记录制度、重大执法决定法制审核制度。"""

TXT = f"""您当前的位置：首页 > 政务公开 > 工作报告
模拟镇2022年法治建设工作总结
发布日期：2023-01-16  访问次数：88
{NOTICE}
2022年，模拟镇坚持依法行政，推进基层治理法治化。
一、主要做法
（一）坚持和发展新时代“枫桥经验”。全年人民调解委员会调解矛盾纠纷212件，调解成功率98.6%。
（二）推进综合行政执法改革。镇综合行政执法队办理行政执法案件64件。
二、存在问题
法律顾问作用发挥还不充分。
三、明年打算
加强普法，落实“谁执法谁普法”普法责任制。
【打印本页】【关闭窗口】
"""


def write_pdf(path: Path, text: str | None) -> None:
    pdf = FPDF()
    pdf.set_creation_date(datetime(2024, 1, 1, tzinfo=UTC))  # fixed: same file on every run
    pdf.add_page()
    if text is None:  # a "scan": a drawing only, no text layer
        pdf.set_fill_color(200, 200, 200)
        pdf.rect(20, 20, 170, 120, style="F")
    else:
        pdf.add_font("noto", "", str(helpers.fonts.font_path()))
        pdf.set_font("noto", size=11)
        pdf.multi_cell(0, 7, text)
    pdf.output(str(path))


def main() -> None:
    FOLDER.mkdir(parents=True, exist_ok=True)
    for old in FOLDER.iterdir():
        old.unlink()
    (FOLDER / "shili-county-2023.html").write_text(HTML, encoding="utf-8")
    document = docx.Document()
    for paragraph in DOCX_PARAGRAPHS:
        document.add_paragraph(paragraph)
    document.save(str(FOLDER / "yangben-district-2022.docx"))
    write_pdf(FOLDER / "yanshi-city-2021.pdf", PDF_TEXT)
    (FOLDER / "moni-town-2022.txt").write_bytes(TXT.replace("\n", "\r\n").encode("gb18030"))
    # Files the helpers must refuse, each for a different reason.
    write_pdf(FOLDER / "scanned-report.pdf", None)
    (FOLDER / "not-really-word.docx").write_text("这是一个改了扩展名的文本文件。", encoding="utf-8")
    with zipfile.ZipFile(FOLDER / "oversized-archive.docx", "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"\0" * 60_000_000)
    (FOLDER / "empty-report.txt").write_bytes(b"")
    spreadsheet = io.BytesIO()
    with zipfile.ZipFile(spreadsheet, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
    (FOLDER / "statistics.xlsx").write_bytes(spreadsheet.getvalue())
    for path in sorted(FOLDER.iterdir()):
        print(f"{path.name:<28} {path.stat().st_size:>8,} bytes")


if __name__ == "__main__":
    main()
