"""The formula language: grammar, error positions and carets."""

from __future__ import annotations

import pytest

from kpi import FormulaError, parse_definition, parse_formula
from kpi._parser import Binary, Call, Compare, Name, Number, Unary
from kpi._tokenizer import TokenKind, tokenize


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        ("a+b", ["name", "operator", "name", "end of formula"]),
        ("1.5e3", ["number", "end of formula"]),
        (".5", ["number", "end of formula"]),
        (
            "if(a>=b,1,0)",
            [
                "name",
                "(",
                "name",
                "comparison",
                "name",
                ",",
                "number",
                ",",
                "number",
                ")",
                "end of formula",
            ],
        ),
        ("acos = x", ["name", "=", "name", "end of formula"]),
    ],
)
def test_tokenizer(text: str, kinds: list[str]) -> None:
    assert [t.kind.value for t in tokenize(text)] == kinds


def test_tokens_know_their_position() -> None:
    tokens = tokenize("  ad_spend /ad_sales")
    assert [(t.text, t.position) for t in tokens[:3]] == [
        ("ad_spend", 2),
        ("/", 11),
        ("ad_sales", 12),
    ]
    assert tokens[-1].kind is TokenKind.END


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1", Number(1.0, 0, 1)),
        ("a", Name("a", 0, 1)),
        ("-a", Unary("-", Name("a", 1, 2), 0, 2)),
        ("a - b", Binary("-", Name("a", 0, 1), Name("b", 4, 5), 0, 5, 2)),
    ],
)
def test_simple_trees(text: str, expected: object) -> None:
    assert parse_formula(text) == expected


@pytest.mark.parametrize(
    ("text", "rendered"),
    [
        ("a + b * c", "(a + (b * c))"),
        ("a * b + c", "((a * b) + c)"),
        ("a - b - c", "((a - b) - c)"),
        ("a / b / c", "((a / b) / c)"),
        ("(a + b) * c", "((a + b) * c)"),
        ("-a * b", "((-a) * b)"),
        ("--a", "(-(-a))"),
        ("a * -b", "(a * (-b))"),
        ("safe_div(a, b + c)", "safe_div(a, (b + c))"),
        ("if(a > b, a, b)", "if((a > b), a, b)"),
        ("max(a, b, c)", "max(a, b, c)"),
        ("  a\t+\nb ", "(a + b)"),
    ],
)
def test_precedence_and_associativity(text: str, rendered: str) -> None:
    assert render(parse_formula(text)) == rendered


def render(node: object) -> str:
    if isinstance(node, Number):
        return f"{node.value:g}"
    if isinstance(node, Name):
        return node.key
    if isinstance(node, Unary):
        return f"({node.op}{render(node.operand)})"
    if isinstance(node, Binary | Compare):
        return f"({render(node.left)} {node.op} {render(node.right)})"
    assert isinstance(node, Call)
    return f"{node.function}({', '.join(render(a) for a in node.args)})"


@pytest.mark.parametrize(
    ("text", "message", "start", "caret"),
    [
        (
            "acos = ad_spend / / ad_sales",
            "unexpected '/': expected a number, a metric key or '('",
            18,
            "                  ^",
        ),
        ("", "the formula is empty", 0, "^"),
        ("a +", "the formula ends: expected a number, a metric key or '('", 3, "   ^"),
        ("(a + b", "the formula ends: expected ')' to close the '('", 0, "^"),
        ("a + b)", "unmatched ')'", 5, "     ^"),
        ("a b", "unexpected 'b': expected an operator or the formula's end", 2, "  ^"),
        ("a > b", "a comparison is only allowed as if()'s condition", 2, "  ^"),
        ("()", "empty parentheses: expected an expression", 1, " ^"),
        ("max(a b)", "unexpected 'b': expected ',' or ')' in max()", 6, "      ^"),
        ("a # b", "unexpected character '#'", 2, "  ^"),
        ("a % b", "'%' is not an operator; write percentages as 0.15", 2, "  ^"),
        ("a （b）", "full-width '（'; type '(' instead", 2, "  ^^"),
        (
            "a = b",
            "unexpected '=': expected an operator or the formula's end",
            2,
            "  ^",
        ),
    ],
)
def test_errors_point_at_the_problem(
    text: str, message: str, start: int, caret: str
) -> None:
    with pytest.raises(FormulaError) as err:
        if text.startswith("acos ="):
            parse_definition(text)
        else:
            parse_formula(text)
    assert err.value.message == message
    assert err.value.start == start
    assert err.value.caret_line() == caret
    assert str(err.value) == f"{message}\n    {text}\n    {caret}" or text == ""


def test_error_as_dict_for_live_validation() -> None:
    with pytest.raises(FormulaError) as err:
        parse_formula("ad_spend / / ad_sales")
    assert err.value.as_dict() == {
        "message": "unexpected '/': expected a number, a metric key or '('",
        "text": "ad_spend / / ad_sales",
        "start": 11,
        "end": 12,
        "caret": "           ^",
    }


def test_caret_accounts_for_wide_characters() -> None:
    err = FormulaError("bad", "销售 + #", 5, 6)
    assert err.caret_line() == "       ^"


def test_definition() -> None:
    definition = parse_definition("acos = ad_spend / ad_sales")
    assert definition.key == "acos"
    assert render(definition.expression) == "(ad_spend / ad_sales)"
    with pytest.raises(FormulaError, match="expected '=' after the metric key"):
        parse_definition("acos ad_spend")
