"""The manifest: a table that says what each report file is, and how that was decided.

Introduced in ``notebooks/01_reading.ipynb``; writing one in
``notebooks/05_your_own_reports.ipynb``.

A manifest is a CSV file beside the reports, one row per file. Only ``file``
and ``id`` are required; the other columns of :data:`MANIFEST_COLUMNS` are
filled in where known, and you may add columns of your own. ``url`` and
``accessed`` record where and when a page was saved (``docs/collecting.md``):
blank where unknown, as for the seeds, whose scrape kept neither. Every value is
checked by one rule of :data:`VALUE_CHECKS`, a table of (column, check, message)
that you can read. For a file the manifest does not describe,
:func:`infer_metadata` reads what the report's own text states.

Ids become file names (notebook 02 saves ``outputs/clean/<id>.txt``), so an id
follows :data:`ID_RULE`, and :func:`safe_filename` is the one way to turn an id
into a file name. Ids are compared after Unicode NFC normalisation ("é" typed as
one character or as "e" plus an accent is the same id).

A manifest is meant to be opened in a spreadsheet, and a title comes from an
untrusted web page. :func:`write_manifest` therefore writes a cell that begins
with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return with a leading ``'``
(:func:`helpers.appendix.spreadsheet_safe`), so that a spreadsheet shows it as
text instead of running it as a formula; :func:`read_manifest` takes exactly
that ``'`` off again, so a manifest the project wrote reads back unchanged.
"""

from __future__ import annotations

import csv
import datetime
import io
import os
import re
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pandas as pd

from .appendix import spreadsheet_safe
from .cache import FileTooLargeError, NotRegularFileError, read_regular, write_atomically
from .errors import Message, ReportError, is_utf8_name, shown

__all__ = [
    "COMPUTED_COLUMNS",
    "ID_RULE",
    "LEVELS",
    "MANIFEST_COLUMNS",
    "REQUIRED_COLUMNS",
    "SCRIPTS",
    "VALUE_CHECKS",
    "detect_script",
    "infer_metadata",
    "infer_title",
    "is_safe_id",
    "normalise_id",
    "read_manifest",
    "safe_filename",
    "to_simplified_chars",
    "write_manifest",
]

#: Columns a manifest must have. Every other column is optional.
REQUIRED_COLUMNS = ("file", "id")

#: The manifest's columns, in order (missing optional ones are filled with empty values).
MANIFEST_COLUMNS = (
    "file",
    "sha256",
    "id",
    "title",
    "issuer",
    "region",
    "prefecture",
    "province",  # the provincial-level division: a province, autonomous region (宁夏回族自治区) …
    "level",
    "report_year",
    "published",
    "url",
    "accessed",
    "script",
    "notes",
)

#: Columns computed from the files when they are read; a manifest may not set them.
COMPUTED_COLUMNS = ("format", "encoding", "newline", "bytes", "chars", "source", "text")
#: Columns helpers.clean_reports adds; write_manifest leaves them out too.
CLEANED_COLUMNS = ("clean", "flags")

#: The largest manifest read (bytes): a row is a few hundred bytes, so about a million rows.
MAX_MANIFEST_BYTES = 500_000_000

LEVELS = ("prefecture-level city", "county-level city", "district", "county", "town")
SCRIPTS = ("simplified", "traditional")


# --------------------------------------------------------------------------
# The rules a manifest's values follow
# --------------------------------------------------------------------------


def _is_iso_date(value: str) -> bool:
    try:
        datetime.date.fromisoformat(value)
    except ValueError:
        return False
    return bool(re.fullmatch(r"\d{4}-\d{2}-\d{2}", value))


#: What an id may be, as messages state it.
ID_RULE = Message(
    "An id is printable text (letters, digits, Chinese characters, - _ . and spaces) without "
    '/ \\ : * ? " < > | and without "..", not starting or ending with a dot or a space, at '
    "most 200 bytes in UTF-8 (about 60 Chinese characters), e.g. taicang-2019 or 太仓-2019",
    zh='id 是可打印的文本（字母、数字、汉字、- _ . 和空格），不含 / \\ : * ? " < > | 和 ".."，'
    "不以点或空格开头或结尾，UTF-8 编码下最多 200 字节（约 60 个汉字），"
    "例如 taicang-2019 或 太仓-2019",
)
_ID_FORBIDDEN = re.compile(r'[/\\:*?"<>|]|\.\.')


def normalise_id(value: str) -> str:
    """An id in Unicode NFC form, the form in which ids are compared and used.

    Example:
        >>> normalise_id("cafe\u0301") == "caf\u00e9"
        True
    """
    return unicodedata.normalize("NFC", value)


def is_safe_id(value: str) -> bool:
    """True if ``value`` follows :data:`ID_RULE`, so that it can name a file anywhere.

    Example:
        >>> is_safe_id("taicang-2019"), is_safe_id("太仓-2019")
        (True, True)
        >>> is_safe_id("../../x"), is_safe_id("a/b"), is_safe_id(".hidden"), is_safe_id("a\u200bb")
        (False, False, False, False)
    """
    return (
        isinstance(value, str)
        and value.isprintable()
        and value[:1] not in ("", ".", " ")
        and not value.endswith((" ", "."))
        and _ID_FORBIDDEN.search(value) is None
        and is_utf8_name(value)
        and len(value.encode("utf-8")) <= 200
    )


def safe_filename(report_id: str, suffix: str = ".txt") -> str:
    """The file name for a report's id (``<id><suffix>``), refusing an id that is no safe name.

    Use it whenever a file is named after an id, so that an id such as
    ``../../x`` can never write outside the folder you chose::

        (clean_folder / safe_filename(report_id)).write_text(text, encoding="utf-8")

    Raises ``ValueError`` naming the id and stating :data:`ID_RULE`.

    Example:
        >>> safe_filename("taicang-2019")
        'taicang-2019.txt'
        >>> safe_filename("../../x")
        Traceback (most recent call last):
        ...
        ValueError: the id '../../x' cannot be a file name. An id is printable text ...
    """
    if not isinstance(report_id, str) or not is_safe_id(normalise_id(report_id)):
        raise ValueError(
            f"the id {report_id!r} cannot be a file name. {ID_RULE}. Fix the id in the "
            "manifest (or in the table) and try again."
        )
    if not re.fullmatch(r"(\.[A-Za-z0-9]{1,10})?", suffix):
        raise ValueError(
            f"suffix must be empty or a dot and 1-10 letters or digits; got {suffix!r}."
        )
    return normalise_id(report_id) + suffix


@dataclass(frozen=True)
class Check:
    """One rule: the values of ``column`` must pass ``test``; else the row gets ``message``.

    Empty values are allowed (unknown), except in a ``required`` column. ``message``
    may be a :class:`~helpers.errors.Message`, to be said in Chinese too.
    """

    column: str
    test: Callable[[str], bool]
    message: str
    required: bool = False


#: The rules every manifest row follows, one per line: column, test, what to do.
VALUE_CHECKS = (
    Check(
        "file",
        bool,
        Message("is empty. Fill in the report's file name.", zh="为空。请填写报告的文件名。"),
        required=True,
    ),
    Check(
        "file",
        lambda v: not any(mark in v for mark in "/\\") and v not in (".", ".."),
        Message(
            "is not a plain file name. A manifest describes the files in its own folder: "
            "write the name only, e.g. report.txt, and keep sub-folders in their own manifest.",
            zh="不是单纯的文件名。清单描述的是它所在文件夹中的文件：只写文件名（例如 report.txt），"
            "子文件夹请用各自的清单。",
        ),
    ),
    Check(
        "file",
        lambda v: not v.startswith("."),
        Message(
            "is a hidden file (its name starts with a dot), which load_reports never reads. "
            "Rename the file and the row.",
            zh="是隐藏文件（文件名以点开头），load_reports 从不读取这种文件。"
            "请重命名该文件，并相应修改这一行。",
        ),
    ),
    Check(
        "id",
        bool,
        Message(
            "is empty. Give the report a short unique id.",
            zh="为空。请给报告起一个简短且唯一的 id。",
        ),
        required=True,
    ),
    Check(
        "id",
        is_safe_id,
        Message(
            f"cannot be used as an id: ids become file names. {ID_RULE}.",
            zh=f"不能用作 id：id 会成为文件名。{ID_RULE:zh}。",
        ),
    ),
    Check(
        "report_year",
        lambda v: re.fullmatch(r"(19|20)\d{2}", v) is not None,
        Message(
            "is not a four-digit year. Write e.g. 2019, or leave it empty if unknown.",
            zh="不是四位数的年份。请写成例如 2019；不知道就留空。",
        ),
    ),
    Check(
        "published",
        _is_iso_date,
        Message(
            "is not a date written YYYY-MM-DD. Fix it, or leave it empty if the page gives none.",
            zh="不是 YYYY-MM-DD 格式的日期。请改正；如果网页上没有日期，就留空。",
        ),
    ),
    Check(
        "url",
        lambda v: re.fullmatch(r"https?://\S+", v) is not None,
        Message(
            "is not a web address (http:// or https://, no spaces). Write the page's address as "
            "the browser shows it, or leave it empty if unknown.",
            zh="不是网址（应以 http:// 或 https:// 开头，不含空格）。请照浏览器显示的样子"
            "填写网页地址；不知道就留空。",
        ),
    ),
    Check(
        "accessed",
        _is_iso_date,
        Message(
            "is not a date written YYYY-MM-DD: the day you saved the page. Leave it empty if "
            "unknown.",
            zh="不是 YYYY-MM-DD 格式的日期（应为你保存网页的那一天）。不知道就留空。",
        ),
    ),
    Check(
        "level",
        LEVELS.__contains__,
        Message(
            f"is not one of: {', '.join(LEVELS)}.",
            zh=f"不是以下值之一：{', '.join(LEVELS)}。",
        ),
    ),
    Check(
        "script",
        SCRIPTS.__contains__,
        Message(
            f"is not one of: {', '.join(SCRIPTS)}.",
            zh=f"不是以下值之一：{', '.join(SCRIPTS)}。",
        ),
    ),
)

#: Columns whose values must differ from row to row.
UNIQUE_COLUMNS = ("file", "id")


def _csv_rows(path: Path) -> tuple[list[list[str]], bool]:
    """The rows of a manifest file (checked to be UTF-8 CSV text), and whether it has a "'"."""
    name = shown(path)
    try:
        raw = read_regular(path, limit=MAX_MANIFEST_BYTES)
    except NotRegularFileError as err:
        kind = Message(err.kind)
        raise ReportError(
            f"{name}: the manifest cannot be read: it is {kind}, not a CSV file (it was not "
            "opened: reading a pipe or device can hang). Put the manifest file there, or pass "
            "manifest=None.",
            zh=f"{name}: 无法读取清单：它是{kind:zh}，不是 CSV 文件（没有打开它：读取管道或设备"
            "可能会卡住）。请把清单文件放到那里，或传入 manifest=None。",
        ) from None
    except FileTooLargeError as err:
        raise ReportError(
            f"{name}: the manifest has {err.size:,} bytes, more than {err.limit:,}; is it the "
            "right file? Split the folder into smaller ones.",
            zh=f"{name}: 清单有 {err.size:,} 字节，超过了 {err.limit:,}；是不是选错了文件？"
            "请把文件夹拆分成几个较小的文件夹。",
        ) from None
    except (OSError, RuntimeError) as err:  # RuntimeError: a symbolic-link loop (pathlib)
        reason = getattr(err, "strerror", None) or str(err)
        raise ReportError(
            f"{name}: the manifest cannot be read ({reason}); it must be a readable CSV file. "
            "Check its permissions, and that it is not a broken or looping symbolic link.",
            zh=f"{name}: 无法读取清单（{reason}）；清单必须是可读的 CSV 文件。请检查它的权限，"
            "并确认它不是失效或循环的符号链接。",
        ) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise ReportError(
            f"{name}: the manifest is not UTF-8 text (byte {err.start}). Save it as "
            "'CSV UTF-8' from your spreadsheet program.",
            zh=f"{name}: 清单不是 UTF-8 文本（位置 {err.start} 处的字节）。"
            "请在电子表格程序中另存为“CSV UTF-8”。",
        ) from None
    if "\x00" in text or not text.strip():
        raise ReportError(
            f"{name}: the manifest is empty or binary; it must be a CSV file.",
            zh=f"{name}: 清单是空的或是二进制文件；它必须是 CSV 文件。",
        )
    try:
        return list(csv.reader(io.StringIO(text))), "'" in text
    except csv.Error as err:
        raise ReportError(
            f"{name}: not a valid CSV file ({err}).",
            zh=f"{name}: 不是有效的 CSV 文件（{err}）。",
        ) from None


def _check_header(header: list[str], name: str) -> None:
    repeated = sorted(column for column, n in Counter(header).items() if n > 1)
    if repeated:
        raise ReportError(
            f"{name}: the column {repeated[0]!r} appears twice in the header.",
            zh=f"{name}: 表头中 {repeated[0]!r} 列出现了两次。",
        )
    reserved = [column for column in header if column in COMPUTED_COLUMNS]
    if reserved:
        raise ReportError(
            f"{name}: the column {reserved[0]!r} is computed when reading the files; "
            "rename or remove it from the manifest.",
            zh=f"{name}: {reserved[0]!r} 列是读取文件时计算出来的；请在清单中重命名或删除这一列。",
        )
    missing = [column for column in REQUIRED_COLUMNS if column not in header]
    if missing:
        raise ReportError(
            f"{name}: the manifest lacks the required column(s) {', '.join(missing)}; it has "
            f"{', '.join(header)}. Add a header line naming at least file and id.",
            zh=f"{name}: 清单缺少必需的列 {', '.join(missing)}；现有的列是 "
            f"{', '.join(header)}。请加一行表头，至少包含 file 和 id。",
        )


def _first_failure(values: pd.Series, check: Check):
    """The index of the first value that fails ``check`` (empty ones pass unless required)."""
    tested = values if check.required else values[values != ""]
    if tested.empty:
        return None
    passed = tested.map(check.test).astype(bool).to_numpy()
    return None if passed.all() else tested.index[~passed][0]


def _check_values(table: pd.DataFrame, name: str) -> None:
    for check in VALUE_CHECKS:
        row = _first_failure(table[check.column], check)
        if row is not None:
            value = table.at[row, check.column]
            file = shown(table.at[row, "file"])
            where = Message(file) if file else Message("no file", zh="未填文件名")
            message = Message(check.message)
            raise ReportError(
                f"{name}: row {row + 2} ({where}): {check.column} {shown(value)!r} {message}",
                zh=f"{name}: 第 {row + 2} 行（{where:zh}）：{check.column} {shown(value)!r} "
                f"{message:zh}",
            )
    for column in UNIQUE_COLUMNS:
        repeated = table[column][table[column].duplicated()].tolist()
        if repeated:
            extra = (
                Message(
                    " Ids are compared after Unicode NFC normalisation: the same letters typed "
                    "differently (é as one character, or e plus an accent) are the same id.",
                    zh="比较 id 之前会先做 Unicode NFC 规范化：同样的字母即使输入方式不同"
                    "（é 作为一个字符，或 e 加上重音符），也是同一个 id。",
                )
                if column == "id"
                else Message("")
            )
            raise ReportError(
                f"{name}: {column} {repeated[0]!r} appears more than once. Each report gets "
                f"one row and a unique id.{extra}",
                zh=f"{name}: {column} {repeated[0]!r} 出现了不止一次。每份报告只占一行，"
                f"并有唯一的 id。{extra:zh}",
            )


def _unneutralised(values: pd.Series) -> pd.Series:
    """Values without the ``'`` that :func:`write_manifest` put before a formula-like cell."""
    marked = values.str.match(r"'[=+\-@\t\r]")
    if not marked.any():
        return values
    values = values.copy()
    values[marked] = values[marked].str[1:]
    return values


def read_manifest(path: str | Path) -> pd.DataFrame:
    """Read and check a manifest CSV; raise :class:`~helpers.ReportError` saying what is wrong.

    Checks, in order: UTF-8 CSV text; the header (no repeated or computed
    column, the required ones present); every row as long as the header (blank
    rows that spreadsheets leave at the end are skipped); every value by the
    rules of :data:`VALUE_CHECKS` (ids by :data:`ID_RULE`, after NFC
    normalisation); no file or id twice. The table's index is the row's
    position (row 0 is the file's line 2). Values are stripped strings, ``""``
    where empty, without the ``'`` that :func:`write_manifest` puts before a
    formula-like cell. A pipe or device is refused before it is opened.

    Example:
        >>> read_manifest("seeds/manifest.csv")[["id", "level"]].head(2)
                     id              level
        0  taicang-2019  county-level city
        1  huinong-2018           district
    """
    path = Path(path)
    name = shown(path)
    rows, has_quote = _csv_rows(path)
    header = [column.strip() for column in rows[0]]
    _check_header(header, name)
    body = [(n, row) for n, row in enumerate(rows[1:], start=2) if any(c.strip() for c in row)]
    for line, row in body:
        if len(row) != len(header):
            raise ReportError(
                f"{name}: line {line} has {len(row)} fields but the header has {len(header)}. "
                "Put any value that contains a comma in double quotes, and check for a "
                "missing or extra comma.",
                zh=f"{name}: 第 {line} 行有 {len(row)} 个字段，而表头有 {len(header)} 个。"
                "含有逗号的值请用双引号括起来，并检查是否少了或多了逗号。",
            )
    values = [[cell.strip() for cell in row] for _, row in body]
    table = pd.DataFrame(values, columns=header, dtype=object)
    table.index = [line - 2 for line, _ in body]
    for column in MANIFEST_COLUMNS:
        if column not in table.columns:
            table[column] = ""
    if len(table) and has_quote:  # only then can a cell carry write_manifest's "'"
        for column in table.columns:
            table[column] = _unneutralised(table[column])
    if len(table):
        table["id"] = table["id"].map(normalise_id)
    _check_values(table, name)
    return table


# --------------------------------------------------------------------------
# Writing a manifest
# --------------------------------------------------------------------------


def _unwritable_cell(table: pd.DataFrame) -> tuple[int, str, str] | None:
    """(row, column, value) of the first cell that UTF-8 cannot hold (a name not in UTF-8)."""
    for column in table.columns:
        for row, value in enumerate(table[column]):
            if isinstance(value, str) and not is_utf8_name(value):
                return row, str(column), value
    return None


def write_manifest(reports: pd.DataFrame, path: str | Path) -> Path:
    """Write the manifest columns of ``reports`` (and any columns you added) to a new CSV file.

    Save it as ``manifest.csv`` beside your reports, correct it by hand, and
    :func:`helpers.load_reports` reads it next time. ``path`` is relative to
    the working directory. Raises ``FileExistsError`` if the file exists, so
    nothing you corrected is lost.

    The file is written all at once (a temporary file, then a rename): if
    anything fails, no manifest is left behind and you can simply retry. A
    cell that a spreadsheet would run as a formula (it begins with ``=``,
    ``+``, ``-``, ``@``, a tab or a carriage return, e.g. a title taken from a
    hostile page) is written with a leading ``'``; :func:`read_manifest`
    removes it again. A value that is not valid UTF-8 (the name of a file
    unpacked from an archive made on another system) raises ``ReportError``
    naming it: rename the file and load the folder again.

    Example:
        >>> import tempfile
        >>> table = pd.DataFrame({"file": ["a.txt"], "id": ["a"], "title": ["=1+1"]})
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     path = write_manifest(table, Path(folder) / "manifest.csv")
        ...     path.read_text(encoding="utf-8"), read_manifest(path).at[0, "title"]
        ("file,id,title\\na.txt,a,'=1+1\\n", '=1+1')
    """
    path = Path(path)
    if os.path.lexists(path):
        raise FileExistsError(f"{shown(path)} exists already; choose another name or delete it.")
    keep = [c for c in reports.columns if c not in (*COMPUTED_COLUMNS, *CLEANED_COLUMNS)]
    table = reports[keep].copy()
    for column in ("published", "accessed"):
        if column in table.columns:
            table[column] = pd.to_datetime(table[column]).dt.strftime("%Y-%m-%d")
    bad = _unwritable_cell(table)
    if bad is not None:
        row, column, value = bad
        raise ReportError(
            f"{shown(path)}: row {row + 1}, {column} {shown(value)!r} is not valid UTF-8 (a file "
            "name from an archive made on another system?). Rename the file to a UTF-8 name "
            "(e.g. in your file manager), load the folder again and write the manifest then; "
            "nothing was written.",
            zh=f"{shown(path)}: 第 {row + 1} 行，{column} {shown(value)!r} 不是有效的 UTF-8"
            "（是从其他系统制作的压缩包中解压出的文件名？）。请把文件重命名为 UTF-8 名称"
            "（例如在文件管理器中），重新加载文件夹后再写清单；本次没有写入任何内容。",
        )
    data = table.map(spreadsheet_safe).to_csv(index=False).encode("utf-8")
    path.parent.mkdir(parents=True, exist_ok=True)
    return write_atomically(path, data, overwrite=False)


# --------------------------------------------------------------------------
# Metadata stated in the text (for reports the manifest does not describe)
# --------------------------------------------------------------------------

_TITLE_WORDS = ("报告", "報告", "总结", "總結", "情况", "情況")
_HAN_RE = re.compile(r"[\u4e00-\u9fff]+")
_DATE = re.compile(
    r"(?:发布|發布|成文|印发|发文)(?:时间|時間|日期)\s*[:：]\s*"
    r"(\d{4})\s*[-年/.]\s*(\d{1,2})\s*[-月/.]\s*(\d{1,2})"
)
_PLACE = re.compile(r"([\u4e00-\u9fff]{1,8}?(?:自治区|自治州|省|市|区|县|區|縣|旗|镇|乡|街道))")


def _head_lines(text: str) -> list[str]:
    """The first 15 lines, stripped, without the blank ones."""
    return [line.strip() for line in text.splitlines()[:15] if line.strip()]


def infer_title(text: str) -> str | None:
    """The report's title: the first short line near the top that names a report (报告, 总结 …).

    Example:
        >>> infer_title("首页 > 法治\\n某某市2021年法治政府建设情况报告\\n正文。")
        '某某市2021年法治政府建设情况报告'
    """
    return next(
        (
            line
            for line in _head_lines(text)
            if any(w in line for w in _TITLE_WORDS)
            and len(line) <= 60
            and not re.search(r"[:：>|]", line)
        ),
        None,
    )


def infer_metadata(text: str) -> dict[str, object]:
    """Guess what a report's own text states about itself.

    Used for files that the manifest does not describe. It reads the first
    lines only and leaves a value empty (``None``) rather than guess wildly.

    Returns a dict with ``title``, ``region``, ``report_year``, ``published``
    (ISO date string) and ``script`` ("simplified" or "traditional").

    Example:
        >>> page = "首页 > 法治\\n某某市2021年法治政府建设情况报告\\n发布时间：2022-03-01"
        >>> meta = infer_metadata(page)
        >>> meta["title"], meta["region"], meta["report_year"], meta["published"]
        ('某某市2021年法治政府建设情况报告', '某某市', 2021, '2022-03-01')
    """
    head_lines = _head_lines(text)
    title = infer_title(text)
    year = None
    region = None
    if title:
        found = re.search(r"(19|20)\d{2}", title)
        year = int(found.group()) if found else None
        # "浙江省台州市椒江区…" names a chain of places; the report's own is the last.
        position = 0
        while place := _PLACE.match(title, position):
            region, position = place.group(1), place.end()
    published = None
    date = _DATE.search("\n".join(head_lines))
    if date:
        try:  # "2022-02-30" is no date: leave it empty rather than fail or guess
            published = datetime.date(*(int(g) for g in date.groups())).isoformat()
        except ValueError:
            published = None
    return {
        "title": title,
        "region": region,
        "report_year": year,
        "published": published,
        "script": detect_script(text),
    }


@cache
def _t2s():
    import opencc  # imported here: only needed when a script must be detected or converted

    return opencc.OpenCC("t2s")


def to_simplified_chars(text: str) -> str:
    """OpenCC's Traditional-to-Simplified conversion (one converter, built once).

    Example:
        >>> to_simplified_chars("法治政府建設")
        '法治政府建设'
    """
    return _t2s().convert(text)


def detect_script(text: str, threshold: float = 0.05) -> str:
    """Return "traditional" if OpenCC's Traditional->Simplified changes over 5% of Han characters.

    (``threshold`` sets that share.) A Simplified text changes hardly at all;
    a Traditional one changes about a third of its characters.

    Example:
        >>> detect_script("法治政府建設報告"), detect_script("法治政府建设报告")
        ('traditional', 'simplified')
    """
    from .checks import check_share

    check_share("threshold", threshold)
    han = "".join(_HAN_RE.findall(text))
    if not han:
        return "simplified"
    converted = to_simplified_chars(han)
    changed = sum(map(str.__ne__, han, converted))  # character by character
    return "traditional" if changed / len(han) > threshold else "simplified"
