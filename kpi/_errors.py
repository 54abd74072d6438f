"""Errors that point at the bad span of a formula."""

from __future__ import annotations

import unicodedata
from typing import Any


def _display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


class FormulaError(ValueError):
    """A formula that cannot be parsed, checked or evaluated.

    ``start``/``end`` index into ``text`` (end exclusive); ``str(error)`` prints the
    message, the formula and a caret line under the bad span, like pypa/packaging's
    ``InvalidMarker``. ``start`` is ``None`` when the problem has no one place (a
    cycle between formulas names the metrics instead).
    """

    def __init__(
        self,
        message: str,
        text: str = "",
        start: int | None = None,
        end: int | None = None,
    ) -> None:
        self.message = message
        self.text = text
        self.start = start
        self.end = end if end is not None else (None if start is None else start + 1)
        super().__init__(message)

    def caret_line(self) -> str:
        if self.start is None:
            return ""
        end = max(self.start + 1, self.end or self.start + 1)
        lead = _display_width(self.text[: self.start])
        width = max(1, _display_width(self.text[self.start : end]))
        return " " * lead + "^" * width

    def __str__(self) -> str:
        if self.start is None or not self.text:
            return self.message
        return f"{self.message}\n    {self.text}\n    {self.caret_line()}"

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form for live validation in the UI."""
        return {
            "message": self.message,
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "caret": self.caret_line(),
        }


class WorkbookError(ValueError):
    """A workbook file that fails the schema or the engine's checks."""

    def __init__(self, message: str, path: str = "") -> None:
        self.path = path
        super().__init__(f"{path}: {message}" if path else message)
