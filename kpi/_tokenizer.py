"""Tokenizer for the formula language.

Tokens: numbers (``12``, ``0.5``, ``1e3``), names (metric keys, function names,
``days_in_period``), operators ``+ - * /``, comparisons ``< <= > >= == !=``,
``(``, ``)``, ``,`` and ``=`` (only after a definition's name). Whitespace
separates tokens and is otherwise ignored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from kpi._errors import FormulaError


class TokenKind(StrEnum):
    NUMBER = "number"
    NAME = "name"
    OPERATOR = "operator"
    COMPARISON = "comparison"
    LPAREN = "("
    RPAREN = ")"
    COMMA = ","
    EQUALS = "="
    END = "end of formula"


@dataclass(slots=True)
class Token:
    kind: TokenKind
    text: str
    position: int

    @property
    def end(self) -> int:
        return self.position + max(1, len(self.text))


_RULES: tuple[tuple[TokenKind, re.Pattern[str]], ...] = (
    (TokenKind.NUMBER, re.compile(r"(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")),
    (TokenKind.NAME, re.compile(r"[A-Za-z_][A-Za-z0-9_]*")),
    (TokenKind.COMPARISON, re.compile(r"<=|>=|==|!=|<|>")),
    (TokenKind.OPERATOR, re.compile(r"[-+*/]")),
    (TokenKind.LPAREN, re.compile(r"\(")),
    (TokenKind.RPAREN, re.compile(r"\)")),
    (TokenKind.COMMA, re.compile(r",")),
    (TokenKind.EQUALS, re.compile(r"=")),
)
_SPACE = re.compile(r"\s+")
_FULL_WIDTH = {
    "（": "(",
    "）": ")",
    "，": ",",
    "＋": "+",
    "－": "-",
    "×": "*",
    "＊": "*",
    "÷": "/",
    "／": "/",
    "＝": "=",
    "％": "%",
}


def tokenize(text: str) -> list[Token]:
    """Split ``text`` into tokens, ending with an ``END`` token."""
    tokens: list[Token] = []
    pos = 0
    while pos < len(text):
        space = _SPACE.match(text, pos)
        if space:
            pos = space.end()
            continue
        for kind, pattern in _RULES:
            match = pattern.match(text, pos)
            if match:
                tokens.append(Token(kind, match.group(), pos))
                pos = match.end()
                break
        else:
            char = text[pos]
            if char in _FULL_WIDTH:
                hint = f"full-width {char!r}; type {_FULL_WIDTH[char]!r} instead"
            elif char == "%":
                hint = "'%' is not an operator; write percentages as 0.15"
            else:
                hint = f"unexpected character {char!r}"
            raise FormulaError(hint, text, pos, pos + 1)
    tokens.append(Token(TokenKind.END, "", len(text)))
    return tokens
