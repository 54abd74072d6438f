"""From bytes on disk to a grid of text cells: size limit, encodings, delimiters, XLSX.

Everything downstream works on :class:`Grid`: the header row as written, a frame of
string cells with positional column labels, and for each body row the row number a
spreadsheet would show, so that every problem can name it.
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

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
    """The file as uploaded; its encoding is found once, its text decoded on demand."""

    name: str
    data: bytes
    kind: str  # "text" or "xlsx"
    _encoding: str | None = None
    _text: str | None = None

    def encoding(self) -> str:
        if self._encoding is None:
            self._encoding = detect_encoding(self.data)
        return self._encoding

    def text(self) -> str:
        if self._text is None:
            self._text = _decode(self.data, self.encoding())
        return self._text

    def head_text(self, size: int = 1 << 16) -> tuple[str, bool]:
        """The first ``size`` bytes as text, and whether that is the whole file."""
        if self._text is not None or len(self.data) <= size:
            return self.text(), True
        return self.data[:size].decode(self.encoding(), errors="ignore"), False


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
    blank = b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"
    if not data[:4096].strip(blank) and not data.strip(blank):
        raise RawProblem(problem(ReasonCode.EMPTY_FILE))
    if data.startswith(_OLE_MAGIC):
        raise RawProblem(problem(ReasonCode.ENCRYPTED_XLSX))
    # the bytes decide, not the name: ERPs often save text tables as ".xls(x)"
    if data.startswith(_ZIP_MAGIC):
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


_FULL_CHECK = 8 << 20


def _valid_utf8(data: bytes) -> bool:
    """UTF-8 check: whole files up to 8 MB, else the first MB and 64 spread slices.

    A big file that passes the samples but holds a stray byte elsewhere is still
    read as UTF-8; the odd character becomes U+FFFD in that cell, never a crash.
    """
    if len(data) > _FULL_CHECK:
        slices = [data[: 1 << 20]]
        step = len(data) // 64
        for start in range(step, len(data) - (1 << 16), step):
            piece = data[start : start + (1 << 16)]
            lead = next((i for i, b in enumerate(piece[:4]) if b & 0xC0 != 0x80), 0)
            slices.append(piece[lead:])
        for piece in slices:
            try:
                piece.decode("utf-8")
            except UnicodeDecodeError as exc:
                if exc.start < len(piece) - 3:
                    return False
        return True
    decoder = codecs.getincrementaldecoder("utf-8")()
    step = 1 << 22
    start = 0
    try:
        for start in range(0, len(data), step):
            decoder.decode(data[start : start + step])
        decoder.decode(b"", final=True)
    except UnicodeDecodeError as exc:
        # a file cut inside its last character is still UTF-8 (the cut is reported)
        return start + exc.start >= len(data) - 3
    return True


def detect_encoding(data: bytes) -> str:
    """BOM first, then UTF-16 by its zero bytes, UTF-8, GB18030, Windows-1252."""
    if data.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    head = data[:4000]
    if head.count(b"\x00") > len(head) // 4:
        even_zero = head[0::2].count(b"\x00")
        odd_zero = head[1::2].count(b"\x00")
        return "utf-16-le" if odd_zero > even_zero else "utf-16-be"
    if b"\x00" in head:
        raise RawProblem(problem(ReasonCode.BINARY_FILE))
    if _valid_utf8(data):
        return "utf-8"
    try:
        if _looks_chinese(data.decode("gb18030")):
            return "gb18030"
    except UnicodeDecodeError:
        pass
    try:
        data.decode("cp1252")
        return "cp1252"
    except UnicodeDecodeError:
        return "latin-1"


def _decode(data: bytes, encoding: str) -> str:
    try:
        if encoding.startswith("utf-8"):
            return data.decode(encoding, errors="replace")
        return data.decode(encoding)
    except UnicodeDecodeError:
        raise RawProblem(problem(ReasonCode.UNDECODABLE)) from None


def decode(data: bytes) -> tuple[str, str]:
    """Text and the encoding it was read with."""
    encoding = detect_encoding(data)
    return _decode(data, encoding), encoding


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


def _width(line: str, delim: str) -> int:
    try:
        return len(next(csv.reader([line], delimiter=delim), []))
    except csv.Error:
        return 1


def _sniff_delimiter(lines: Sequence[str]) -> str:
    """The delimiter that splits the most head lines into the same, largest width."""
    best, best_score = ",", -1.0
    for delim in _DELIMITERS:
        widths = [_width(line, delim) for line in lines if line.strip()]
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


def _head(raw: Raw) -> tuple[list[str], str, bool]:
    text, whole = raw.head_text()
    lines = _head_lines(text)
    if not whole and len(lines) < _HEAD_LINES and lines:
        lines = lines[:-1]  # the last line may be cut by the head's size
    delim = _sniff_delimiter(lines)
    return lines, delim, _uses_quotes(lines, delim)


def head_rows(raw: Raw) -> tuple[list[tuple[str, list[list[str]]]], str, str]:
    """The first rows of each table in the file, for detection and previews.

    Returns ``([(sheet_or_empty, rows)], encoding, delimiter)``.
    """
    if raw.kind == "xlsx":
        return _xlsx_heads(raw.data), "xlsx", ""
    lines, delim, quoted = _head(raw)
    rows: list[list[str]] = []
    for record in _csv_records("\n".join(lines), delim, quoted):
        rows.append([cell.strip() for cell in record])
    return [("", rows)], raw.encoding(), delim


# header -> (positions to keep, positions that hold plain numbers when the file is clean)
Wanted = Callable[[list[str]], tuple[set[int], set[int]]]


def text_grid(raw: Raw, header_index: int, wanted: Wanted | None = None) -> Grid:
    """Parse the whole text file; ``header_index`` is the 0-based record of the header.

    ``wanted`` picks the columns to keep (by header); big unquoted files then parse
    only those, which is most of the speed and memory of a million-line read.
    """
    _, delim, quoted = _head(raw)
    if not quoted:
        fast = _fast_grid(raw, delim, header_index, wanted)
        if fast is not None:
            return fast
    text, encoding = raw.text(), raw.encoding()
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


def _read_columns(
    data: bytes, delim: str, width: int, keep: set[int], skip: int, numeric: set[int]
) -> pd.DataFrame:
    dtypes: dict[Any, Any] = {p: ("float64" if p in numeric else object) for p in keep}
    missing: dict[Any, Any] = {p: ["", "--"] for p in numeric}
    return pd.read_csv(
        io.BytesIO(data),
        sep=delim,
        header=None,
        names=list(range(width)),
        usecols=sorted(keep),
        skiprows=skip,
        dtype=dtypes,
        na_filter=bool(numeric),
        keep_default_na=False,
        na_values=missing or None,
        quoting=csv.QUOTE_NONE,
        engine="c",
        skip_blank_lines=True,
        index_col=False,
        encoding="utf-8",
        encoding_errors="replace",
    )


def _fast_grid(
    raw: Raw, delim: str, header_index: int, wanted: Wanted | None
) -> Grid | None:
    """pandas' C parser straight from the bytes of a big unquoted UTF-8 file.

    Every line must hold exactly the header's number of fields (checked by counting
    delimiters); otherwise ``None`` sends the caller to the csv module, which
    names the bad lines.
    """
    encoding = raw.encoding()
    if encoding not in ("utf-8", "utf-8-sig"):
        return None
    data = raw.data
    pos = 3 if encoding == "utf-8-sig" else 0
    for _ in range(header_index):
        nxt = data.find(b"\n", pos)
        if nxt < 0:
            return None
        pos = nxt + 1
    end = data.find(b"\n", pos)
    if end < 0:
        return None
    header_line = data[pos:end].decode("utf-8", errors="replace").rstrip("\r")
    header = [cell.strip() for cell in header_line.split(delim)]
    width = len(header)
    stop = len(data)
    while stop > end and data[stop - 1] in (10, 13):
        stop -= 1
    keep, numeric = wanted(header) if wanted is not None else (set(range(width)), set())
    body: pd.DataFrame | None = None
    if numeric:
        # clean files parse numbers in C; any odd cell sends us to the text pass,
        # where every bad cell gets its own report
        try:
            body = _read_columns(data, delim, width, keep, header_index + 1, numeric)
        except (pd.errors.ParserError, ValueError, csv.Error):
            body = None
    if body is None:
        try:
            body = _read_columns(data, delim, width, keep, header_index + 1, set())
        except (pd.errors.ParserError, ValueError, csv.Error):
            return None
    # one newline per body line means no blank lines (their rows would shift)
    if data.count(b"\n", end, stop) != len(body):
        return None
    if data.count(delim.encode(), end, stop) != (width - 1) * len(body):
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


def grid_from_rows(
    raw: Raw, sheet: str | None, header_index: int, wanted: Wanted | None = None
) -> Grid:
    if raw.kind == "xlsx":
        return xlsx_grid(raw, sheet or "", header_index)
    return text_grid(raw, header_index, wanted)
