"""Recursive-descent parser for the formula language.

The grammar (each rule is one function below)::

    definition  = NAME "=" expression END          # "acos = ad_spend / ad_sales"
    formula     = expression END
    expression  = term (("+" | "-") term)*
    term        = unary (("*" | "/") unary)*
    unary       = ("-" | "+") unary | atom
    atom        = NUMBER
                | NAME "(" arguments? ")"          # a function call
                | NAME                             # a metric key
                | "(" expression ")"
    arguments   = argument ("," argument)*
    argument    = expression (COMPARISON expression)?

A comparison is only allowed as an argument (``if(a > b, a, b)``); the checker
then insists it is the first argument of ``if``. There is no exponent, no
variable assignment inside a formula and nothing is ever passed to ``eval``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from kpi._errors import FormulaError
from kpi._tokenizer import Token, TokenKind, tokenize


@dataclass(frozen=True, slots=True)
class Number:
    value: float
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Name:
    key: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Unary:
    op: str
    operand: Expression
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Binary:
    op: str
    left: Expression
    right: Expression
    start: int
    end: int
    op_start: int


@dataclass(frozen=True, slots=True)
class Compare:
    op: str
    left: Expression
    right: Expression
    start: int
    end: int
    op_start: int


@dataclass(frozen=True, slots=True)
class Call:
    function: str
    args: tuple[Expression, ...]
    start: int
    end: int
    name_end: int


Expression = Number | Name | Unary | Binary | Compare | Call


@dataclass(frozen=True, slots=True)
class Definition:
    """``key = expression`` as typed in the UI's formula box."""

    key: str
    expression: Expression
    text: str


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = tokenize(text)
        self.index = 0

    def peek(self) -> Token:
        return self.tokens[self.index]

    def advance(self) -> Token:
        token = self.tokens[self.index]
        if token.kind is not TokenKind.END:
            self.index += 1
        return token

    def fail(self, message: str, token: Token | None = None) -> FormulaError:
        token = token or self.peek()
        return FormulaError(message, self.text, token.position, token.end)

    def describe(self, token: Token) -> str:
        if token.kind is TokenKind.END:
            return "the formula ends"
        return f"unexpected {token.text!r}"

    def expect(self, kind: TokenKind, what: str) -> Token:
        if self.peek().kind is not kind:
            raise self.fail(f"{self.describe(self.peek())}: expected {what}")
        return self.advance()

    # definition = NAME "=" expression END
    def definition(self) -> Definition:
        name = self.expect(TokenKind.NAME, "a metric key before '='")
        self.expect(TokenKind.EQUALS, "'=' after the metric key")
        expression = self.formula()
        return Definition(name.text, expression, self.text)

    # formula = expression END
    def formula(self) -> Expression:
        if self.peek().kind is TokenKind.END:
            raise self.fail("the formula is empty")
        expression = self.expression()
        if self.peek().kind is not TokenKind.END:
            token = self.peek()
            if token.kind is TokenKind.RPAREN:
                raise self.fail("unmatched ')'")
            if token.kind is TokenKind.COMPARISON:
                raise self.fail("a comparison is only allowed as if()'s condition")
            raise self.fail(
                f"{self.describe(token)}: expected an operator or the formula's end"
            )
        return expression

    # expression = term (("+" | "-") term)*
    def expression(self) -> Expression:
        left = self.term()
        while self.peek().kind is TokenKind.OPERATOR and self.peek().text in "+-":
            op = self.advance()
            right = self.term()
            left = Binary(op.text, left, right, left.start, right.end, op.position)
        return left

    # term = unary (("*" | "/") unary)*
    def term(self) -> Expression:
        left = self.unary()
        while self.peek().kind is TokenKind.OPERATOR and self.peek().text in "*/":
            op = self.advance()
            right = self.unary()
            left = Binary(op.text, left, right, left.start, right.end, op.position)
        return left

    # unary = ("-" | "+") unary | atom
    def unary(self) -> Expression:
        if self.peek().kind is TokenKind.OPERATOR and self.peek().text in "+-":
            op = self.advance()
            operand = self.unary()
            return Unary(op.text, operand, op.position, operand.end)
        return self.atom()

    # atom = NUMBER | NAME "(" arguments? ")" | NAME | "(" expression ")"
    def atom(self) -> Expression:
        token = self.peek()
        if token.kind is TokenKind.NUMBER:
            self.advance()
            return Number(float(token.text), token.position, token.end)
        if token.kind is TokenKind.NAME:
            self.advance()
            if self.peek().kind is TokenKind.LPAREN:
                return self.call(token)
            return Name(token.text, token.position, token.end)
        if token.kind is TokenKind.LPAREN:
            self.advance()
            if self.peek().kind is TokenKind.RPAREN:
                raise self.fail("empty parentheses: expected an expression")
            inner = self.expression()
            if self.peek().kind is not TokenKind.RPAREN:
                raise FormulaError(
                    f"{self.describe(self.peek())}: expected ')' to close the '('",
                    self.text,
                    token.position,
                    token.end,
                )
            self.advance()
            return inner
        raise self.fail(
            f"{self.describe(token)}: expected a number, a metric key or '('"
        )

    # arguments = argument ("," argument)*
    def call(self, name: Token) -> Call:
        self.expect(TokenKind.LPAREN, "'('")
        args: list[Expression] = []
        if self.peek().kind is not TokenKind.RPAREN:
            args.append(self.argument())
            while self.peek().kind is TokenKind.COMMA:
                self.advance()
                args.append(self.argument())
        if self.peek().kind is not TokenKind.RPAREN:
            raise self.fail(
                f"{self.describe(self.peek())}: expected ',' or ')' in {name.text}()"
            )
        close = self.advance()
        return Call(name.text, tuple(args), name.position, close.end, name.end)

    # argument = expression (COMPARISON expression)?
    def argument(self) -> Expression:
        left = self.expression()
        if self.peek().kind is TokenKind.COMPARISON:
            op = self.advance()
            right = self.expression()
            return Compare(op.text, left, right, left.start, right.end, op.position)
        return left


def parse_formula(text: str) -> Expression:
    """Parse an expression such as ``ad_spend / ad_sales``."""
    return _Parser(text).formula()


def parse_definition(text: str) -> Definition:
    """Parse ``key = expression``."""
    return _Parser(text).definition()


def walk(expression: Expression) -> Iterator[Expression]:
    """Every node of the expression, parents before children."""
    yield expression
    if isinstance(expression, Unary):
        yield from walk(expression.operand)
    elif isinstance(expression, Binary | Compare):
        yield from walk(expression.left)
        yield from walk(expression.right)
    elif isinstance(expression, Call):
        for arg in expression.args:
            yield from walk(arg)
