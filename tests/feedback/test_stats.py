"""The numbers on the summary pages, checked exactly on constructed sets."""

from __future__ import annotations

from fractions import Fraction

import pytest

from cohorts.feedback import stats
from cohorts.feedback.charts import bar_chart, nps_colours


def test_choice_counts_keep_the_editors_order_and_removed_keys() -> None:
    bars, respondents = stats.choice_counts(
        [["amazon", "shopify"], ["amazon"], "shopify", ["temu"], []],
        [("amazon", "Amazon"), ("shopify", "Shopify"), ("shopee", "Shopee")],
    )
    assert respondents == 4  # the empty list is not an answer
    assert [(b.key, b.count) for b in bars] == [
        ("amazon", 2),
        ("shopify", 2),
        ("shopee", 0),
        ("temu", 1),
    ]
    assert [b.percent for b in bars] == ["50%", "50%", "0%", "25%"]


def test_a_multiple_choice_answer_counts_each_choice_once() -> None:
    bars, respondents = stats.choice_counts([["a", "a", "b"]], [("a", "A"), ("b", "B")])
    assert respondents == 1
    assert [b.count for b in bars] == [1, 1]


def test_scale_histogram_mean_and_median() -> None:
    values = [1, 2, 2, 5, 5, 5]
    bars = stats.scale_histogram(values, 1, 5)
    assert [(b.label, b.count) for b in bars] == [
        ("1", 1),
        ("2", 2),
        ("3", 0),
        ("4", 0),
        ("5", 3),
    ]
    summary = stats.number_summary([float(v) for v in values])
    assert summary.mean == pytest.approx(20 / 6)
    assert summary.median == 3.5
    assert (summary.low, summary.high) == (1, 5)


def test_number_histogram_bins_when_many_distinct_values() -> None:
    bars = stats.number_histogram([1, 2, 3, 4, 5, 6, 7, 100], bins=3)
    assert [b.count for b in bars] == [7, 0, 1]
    assert bars[0].label == "1–34"
    assert sum(b.count for b in bars) == 8


def test_number_histogram_one_bar_per_value_when_few() -> None:
    bars = stats.number_histogram([6, 12, 12, 38])
    assert [(b.label, b.count) for b in bars] == [("6", 1), ("12", 2), ("38", 1)]


def test_nps_exact_on_a_constructed_set() -> None:
    # 4 promoters (9, 10), 3 passives (7, 8), 3 detractors (0–6) of 10.
    nps = stats.net_promoter([10, 9, 9, 10, 7, 8, 8, 6, 0, 3])
    assert (nps.promoters, nps.passives, nps.detractors) == (4, 3, 3)
    assert nps.score == Fraction(10)
    assert nps.display == "+10"


@pytest.mark.parametrize(
    ("scores", "exact", "shown"),
    [
        ([10, 9, 6], Fraction(100, 3), "+33.3"),
        ([0, 6, 7], Fraction(-200, 3), "-66.7"),
        ([7, 8], Fraction(0), "0"),
        ([9], Fraction(100), "+100"),
        ([6], Fraction(-100), "-100"),
    ],
)
def test_nps_boundaries(scores: list[int], exact: Fraction, shown: str) -> None:
    nps = stats.net_promoter(scores)
    assert nps.score == exact
    assert nps.display == shown


def test_nps_without_answers() -> None:
    nps = stats.net_promoter([])
    assert nps.score is None
    assert nps.display == "—"


def test_format_number() -> None:
    assert stats.format_number(1200) == "1,200"
    assert stats.format_number(3.25) == "3.25"
    assert stats.format_number(3.5) == "3.5"
    assert stats.format_number(None) == "—"


def test_bar_chart_is_accessible_svg_with_escaped_labels() -> None:
    bars = stats.scale_histogram([9, 10, 3], 0, 10)
    svg = bar_chart(bars, title="<NPS>", colours=nps_colours(bars))
    assert svg.startswith("<svg")
    assert "&lt;NPS&gt;" in svg
    assert svg.count("<rect") == 22  # a track and a bar per point
    assert "#b42318" in svg and "#1e7b4f" in svg
