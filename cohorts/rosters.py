"""Reading a roster file (CSV or XLSX of names and emails) into checked rows.

Rows carry an outcome code and parameters rather than text, so the report is
rendered in the language of whoever reads it.
"""

from __future__ import annotations

import io
from dataclasses import asdict, dataclass, field
from typing import Any

import pandas as pd
from django.core.exceptions import ValidationError
from django.core.validators import validate_email

NAME_HEADERS = {"name", "姓名", "名字", "display name", "display_name", "full name"}
EMAIL_HEADERS = {"email", "e-mail", "email address", "邮箱", "电子邮箱", "电子邮件"}
MAX_ROWS = 2000


class RosterError(Exception):
    """The file as a whole cannot be read; `code` names why."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


@dataclass(slots=True)
class RosterRow:
    line: int  # as the admin sees it in a spreadsheet: header is line 1
    name: str
    email: str
    outcome: str = "ok"  # ok | bad_email | missing_email | missing_name | duplicate
    params: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _decode(raw: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise RosterError("encoding")


def read_frame(raw: bytes, filename: str) -> pd.DataFrame:
    name = filename.lower()
    try:
        if name.endswith((".xlsx", ".xlsm")):
            return pd.read_excel(io.BytesIO(raw), dtype=str, engine="openpyxl")
        if name.endswith((".csv", ".txt")):
            text = _decode(raw)
            return pd.read_csv(io.StringIO(text), dtype=str, sep=None, engine="python")
    except RosterError:
        raise
    except Exception:  # pandas raises many kinds for a broken file
        raise RosterError("unreadable") from None
    raise RosterError("file_type")


def _column(frame: pd.DataFrame, candidates: set[str]) -> str | None:
    for column in frame.columns:
        if str(column).strip().lower() in candidates:
            return str(column)
    return None


def read_roster(raw: bytes, filename: str) -> list[RosterRow]:
    frame = read_frame(raw, filename)
    name_col = _column(frame, NAME_HEADERS)
    email_col = _column(frame, EMAIL_HEADERS)
    missing = [
        label
        for label, col in (("name / 姓名", name_col), ("email / 邮箱", email_col))
        if col is None
    ]
    if missing:
        raise RosterError(
            "missing_columns",
            missing=", ".join(missing),
            found=", ".join(str(c) for c in frame.columns),
        )
    if len(frame) > MAX_ROWS:
        raise RosterError("too_many_rows", limit=MAX_ROWS)
    frame = frame.fillna("")
    rows: list[RosterRow] = []
    seen: dict[str, int] = {}
    for offset, record in enumerate(frame.to_dict("records")):
        name = str(record[name_col]).strip()
        email = str(record[email_col]).strip().lower()
        line = offset + 2
        if not name and not email:
            continue
        row = RosterRow(line=line, name=name, email=email)
        if not email:
            row.outcome = "missing_email"
        else:
            try:
                validate_email(email)
            except ValidationError:
                row.outcome = "bad_email"
        if row.outcome == "ok" and not name:
            row.outcome = "missing_name"
        if row.outcome == "ok":
            if email in seen:
                row.outcome = "duplicate"
                row.params = {"first_line": seen[email]}
            else:
                seen[email] = line
        rows.append(row)
    if not rows:
        raise RosterError("empty")
    return rows
