"""From bytes on disk to a grid of text cells: size limit, encodings, delimiters, XLSX.

Everything downstream works on :class:`Grid`: the header row as written, a frame of
string cells with positional column labels, and for each body row the row number a
spreadsheet would show, so that every problem can name it.
"""

from __future__ import annotations

import csv
import io
import os
import re
import unicodedata
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path

import numpy as np
import pandas as pd
from python_calamine import CalamineWorkbook

from kpi.readers._model import ReasonCode, RowError, Severity
from kpi.readers._problems import problem

__all__ = [
    "Grid",
    "Raw",
    "RawProblem",
    "Source",
    "decode",
    "grid_from_rows",
    "head_rows",
    "load",
    "normalise_header",
]

Source = str | os.PathLike[str] | bytes

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = b"PK\x03\x04"
_DELIMITERS = (",", "\t", ";", "|")
_HEAD_LINES = 30
_DASHES = str.maketrans({"\u2013": "-", "\u2014": "-", "\u2010": "-", "\u2212": "-"})


class RawProblem(Exception):
    """A problem that stops the whole file; carries the report line."""

    def __init__(self, error: RowError) -> None:
        super().__init__(error.message_en)
        self.error = error


@dataclass(slots=True)
class Raw:
    """The file as uploaded, with what its bytes say about it (text decoded once)."""

    name: str
    data: bytes
    kind: str  # "text" or "xlsx"
    _decoded: tuple[str, str] | None = None

    def decoded(self) -> tuple[str, str]:
        if self._decoded is None:
            self._decoded = decode(self.data)
        return self._decoded


@dataclass(slots=True)
class Grid:
    """Header and body of one table, all cells text ("" for empty)."""

    header: list[str]
    body: pd.DataFrame
    rows: np.ndarray
    header_row: int
    encoding: str
    delimiter: str
    sheet: str | None = None
    problems: list[RowError] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.body)


def normalise_header(text: str) -> str:
    """Compare headers after NFKC (full-width brackets), dash folding and trimming."""
    folded = unicodedata.normalize("NFKC", text.replace("\ufeff", "")).translate(
        _DASHES
    )
    return re.sub(r"\s+", " ", folded).strip().casefold()


def _human_size(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB"


def load(source: Source, name: str | None, max_bytes: int) -> Raw:
    if isinstance(source, bytes):
        data = source
        label = name or "upload"
        if len(data) > max_bytes:
            raise RawProblem(
                problem(
                    ReasonCode.TOO_LARGE,
                    value=_human_size(len(data)),
                    detail=_human_size(max_bytes),
                )
            )
    else:
        path = Path(source)
        label = name or path.name
        try:
            size = path.stat().st_size
        except OSError:
            raise RawProblem(problem(ReasonCode.NOT_FOUND, value=str(path))) from None
        if size > max_bytes:
            raise RawProblem(
                problem(
                    ReasonCode.TOO_LARGE,
                    value=_human_size(size),
                    detail=_human_size(max_bytes),
                )
            )
        try:
            data = path.read_bytes()
        except OSError:
            raise RawProblem(problem(ReasonCode.NOT_FOUND, value=str(path))) from None
    if not data.strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"):
        raise RawProblem(problem(ReasonCode.EMPTY_FILE))
    if data.startswith(_OLE_MAGIC):
        raise RawProblem(problem(ReasonCode.ENCRYPTED_XLSX))
    if data.startswith(_ZIP_MAGIC) or label.lower().endswith((".xlsx", ".xlsm")):
        return Raw(label, data, "xlsx")
    return Raw(label, data, "text")


# --------------------------------------------------------------------------- text


def _looks_chinese(text: str) -> bool:
    """GB18030 decodes most byte soup; accept it only when the result reads as CJK."""
    odd = 0
    for ch in text:
        if ord(ch) < 0x80:
            continue
        cat = unicodedata.category(ch)
        cjk = "\u3000" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef"
        if not cjk and cat not in ("Po", "Ps", "Pe", "Pd", "Sc", "Zs"):
            odd += 1
    return odd == 0


def decode(data: bytes) -> tuple[str, str]:
    """Text and the encoding it was read with (BOM first, then content)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            raise RawProblem(problem(ReasonCode.UNDECODABLE)) from None
    head = data[:4000]
    if head.count(b"\x00") > len(head) // 4:
        even_zero = head[0::2].count(b"\x00")
        odd_zero = head[1::2].count(b"\x00")
        enc = "utf-16-le" if odd_zero > even_zero else "utf-16-be"
        try:
            return data.decode(enc), enc
        except UnicodeDecodeError:
            raise RawProblem(problem(ReasonCode.BINARY_FILE)) from None
    if b"\x00" in head:
        raise RawProblem(problem(ReasonCode.BINARY_FILE))
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        if exc.start >= len(data) - 3:  # a file cut inside its last character
            return data.decode("utf-8", errors="replace"), "utf-8"
    try:
        text = data.decode("gb18030")
        if _looks_chinese(text):
            return text, "gb18030"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"


def _head_lines(text: str) -> list[str]:
    lines: list[str] = []
    start = 0
    while len(lines) < _HEAD_LINES:
        end = text.find("\n", start)
        if end < 0:
            if start < len(text):
                lines.append(text[start:])
            break
        lines.append(text[start:end])
        start = end + 1
    return lines


def _sniff_delimiter(lines: Sequence[str]) -> str:
    """The delimiter that splits the most head lines into the same, largest width."""
    best, best_score = ",", -1.0
    for delim in _DELIMITERS:
        widths = [
            len(next(csv.reader([line], delimiter=delim), []))
            for line in lines
            if line.strip()
        ]
        if not widths:
            continue
        top = max(set(widths), key=lambda w: (widths.count(w), w))
        if top < 2:
            continue
        score = top * widths.count(top) / len(widths)
        if score > best_score:
            best, best_score = delim, score
    return best


def _uses_quotes(lines: Sequence[str], delim: str) -> bool:
    if delim != "\t":
        return True
    return any(re.search(r'(^|\t)"', line) for line in lines)


def _csv_records(text: str, delim: str, quoted: bool) -> Iterator[list[str]]:
    reader = csv.reader(
        io.StringIO(text, newline=""),
        delimiter=delim,
        quoting=csv.QUOTE_MINIMAL if quoted else csv.QUOTE_NONE,
        strict=False,
    )
    try:
        yield from reader
    except csv.Error as exc:
        raise RawProblem(
            problem(ReasonCode.UNPARSABLE_TEXT, row=reader.line_num, detail=str(exc))
        ) from None


def head_rows(raw: Raw) -> tuple[list[tuple[str, list[list[str]]]], str, str]:
    """The first rows of each table in the file, for detection and previews.

    Returns ``([(sheet_or_empty, rows)], encoding, delimiter)``.
    """
    if raw.kind == "xlsx":
        return _xlsx_heads(raw.data), "xlsx", ""
    text, encoding = raw.decoded()
    lines = _head_lines(text)
    delim = _sniff_delimiter(lines)
    quoted = _uses_quotes(lines, delim)
    rows: list[list[str]] = []
    for record in _csv_records("\n".join(lines), delim, quoted):
        rows.append([cell.strip() for cell in record])
    return [("", rows)], encoding, delim


def text_grid(raw: Raw, header_index: int) -> Grid:
    """Parse the whole text file; ``header_index`` is the 0-based record of the header."""
    text, encoding = raw.decoded()
    lines = _head_lines(text)
    delim = _sniff_delimiter(lines)
    quoted = _uses_quotes(lines, delim)
    if not quoted:
        fast = _fast_grid(text, delim, header_index, encoding)
        if fast is not None:
            return fast
    header: list[str] = []
    body: list[list[str]] = []
    numbers: list[int] = []
    problems: list[RowError] = []
    width = 0
    for index, record in enumerate(_csv_records(text, delim, quoted)):
        if index < header_index:
            continue
        if index == header_index:
            header = [cell.strip() for cell in record]
            width = len(header)
            continue
        if not any(cell.strip() for cell in record):
            continue
        rownum = index + 1
        if len(record) < width:
            problems.append(
                problem(
                    ReasonCode.TRUNCATED_ROW,
                    row=rownum,
                    detail=f"{len(record)}/{width}",
                    value=delim.join(record),
                )
            )
            continue
        if len(record) > width:
            extra = record[width:]
            if any(cell.strip() for cell in extra):
                problems.append(
                    problem(
                        ReasonCode.EXTRA_FIELDS,
                        row=rownum,
                        detail=f"{len(record)}/{width}",
                        value=delim.join(record),
                    )
                )
                continue
            record = record[:width]
        body.append(record)
        numbers.append(rownum)
    frame = pd.DataFrame(body, columns=range(width), dtype=object) if body else None
    if frame is None:
        frame = pd.DataFrame({i: pd.Series([], dtype=object) for i in range(width)})
    return Grid(
        header=header,
        body=frame,
        rows=np.asarray(numbers, dtype=np.int64),
        header_row=header_index + 1,
        encoding=encoding,
        delimiter=delim,
        problems=problems,
    )


def _fast_grid(text: str, delim: str, header_index: int, encoding: str) -> Grid | None:
    """pandas' C parser for big unquoted files; ``None`` sends the caller to csv."""
    pos = 0
    for _ in range(header_index):
        nxt = text.find("\n", pos)
        if nxt < 0:
            return None
        pos = nxt + 1
    end = text.find("\n", pos)
    header_line = text[pos:] if end < 0 else text[pos:end]
    header = [cell.strip() for cell in header_line.rstrip("\r").split(delim)]
    width = len(header)
    tail = "" if end < 0 else text[end + 1 :]
    if "\n\n" in tail.rstrip("\r\n") or "\n\r\n" in tail.rstrip("\r\n"):
        return None
    try:
        body = pd.read_csv(
            io.StringIO(tail),
            sep=delim,
            header=None,
            names=list(range(width)),
            dtype=object,
            na_filter=False,
            quoting=csv.QUOTE_NONE,
            engine="c",
            skip_blank_lines=True,
            index_col=False,
        )
    except (pd.errors.ParserError, ValueError, csv.Error):
        return None
    if tail.count(delim) != (width - 1) * len(body):
        return None
    rows = np.arange(len(body), dtype=np.int64) + header_index + 2
    return Grid(
        header=header,
        body=body,
        rows=rows,
        header_row=header_index + 1,
        encoding=encoding,
        delimiter=delim,
    )


# --------------------------------------------------------------------------- xlsx


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.isoformat()
    return str(value).strip()


def _sheet_rows(
    data: bytes, sheet: str | None, limit: int | None
) -> Iterator[tuple[str, list[list[str]]]]:
    """Rows of each sheet as text, read with calamine (fast, no formulas run)."""
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise RawProblem(problem(ReasonCode.CORRUPT_XLSX, detail="not a zip archive"))
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        names = list(book.sheet_names)
    except Exception as exc:  # calamine reports damaged archives as many types
        detail = type(exc).__name__
        raise RawProblem(problem(ReasonCode.CORRUPT_XLSX, detail=detail)) from None
    for name in names:
        if sheet is not None and name != sheet:
            continue
        try:
            values = book.get_sheet_by_name(name).to_python(
                skip_empty_area=False, nrows=limit
            )
        except Exception as exc:  # a damaged sheet part inside a valid zip
            detail = type(exc).__name__
            raise RawProblem(problem(ReasonCode.CORRUPT_XLSX, detail=detail)) from None
        yield name, [[_cell_text(v) for v in row] for row in values]


def _xlsx_heads(data: bytes) -> list[tuple[str, list[list[str]]]]:
    return list(_sheet_rows(data, None, _HEAD_LINES))


def xlsx_grid(raw: Raw, sheet: str, header_index: int) -> Grid:
    found = list(_sheet_rows(raw.data, sheet, None))
    rows = found[0][1] if found else []
    header = [c.strip() for c in rows[header_index]] if header_index < len(rows) else []
    while header and not header[-1]:
        header.pop()
    width = len(header)
    body: list[list[str]] = []
    numbers: list[int] = []
    problems: list[RowError] = []
    for index in range(header_index + 1, len(rows)):
        record = rows[index]
        if not any(cell for cell in record):
            continue
        if len(record) > width:
            if any(cell for cell in record[width:]):
                problems.append(
                    problem(
                        ReasonCode.EXTRA_FIELDS,
                        row=index + 1,
                        detail=f"{len(record)}/{width}",
                        severity=Severity.WARNING,
                    )
                )
            record = record[:width]
        elif len(record) < width:
            record = record + [""] * (width - len(record))
        body.append(record)
        numbers.append(index + 1)
    frame = pd.DataFrame(body, columns=range(width), dtype=object)
    return Grid(
        header=header,
        body=frame,
        rows=np.asarray(numbers, dtype=np.int64),
        header_row=header_index + 1,
        encoding="xlsx",
        delimiter="",
        sheet=sheet,
        problems=problems,
    )


def grid_from_rows(raw: Raw, sheet: str | None, header_index: int) -> Grid:
    if raw.kind == "xlsx":
        return xlsx_grid(raw, sheet or "", header_index)
    return text_grid(raw, header_index)
