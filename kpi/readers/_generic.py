"""Any CSV/XLSX through a saved column mapping, and the guess that pre-fills it."""

from __future__ import annotations

import re

import pandas as pd

from kpi.facts import SEGMENT_FIELDS
from kpi.readers._context import (
    MONEY_METRICS,
    Columns,
    ReadContext,
    currency_suffix,
    facts_from_lines,
)
from kpi.readers._model import ColumnMapping, MetricColumn, Preview, ReasonCode
from kpi.readers._problems import problem
from kpi.readers._source import RawProblem, normalise_header
from kpi.readers._spec import ReaderOutput
from kpi.readers._values import currency_from_symbols, guess_decimal

__all__ = ["columns_for", "guess_mapping", "read_generic"]

_METRIC_KEY = re.compile(r"^[a-z][a-z0-9_]*$")
_DATES = [
    "%Y-%m-%d",
    "%Y/%m/%d",
    "%Y-%m-%d %H:%M:%S",
    "%Y/%m/%d %H:%M:%S",
    "%m/%d/%Y",
    "%d/%m/%Y",
    "%d.%m.%Y",
    "%Y%m%d",
    "%Y年%m月%d日",
    "%Y-%m",
]


def _key(header: str) -> str:
    return "col:" + header


def columns_for(mapping: ColumnMapping) -> Columns:
    """The mapping's columns as a :class:`Columns` table (all of them required)."""
    used: list[str] = []
    for header in (
        mapping.date_column,
        mapping.end_date_column,
        *mapping.segments.values(),
        *(m.column for m in mapping.metrics),
        *(m.currency_column for m in mapping.metrics),
    ):
        if header and header not in used:
            used.append(header)
    aliases = {_key(h): (h,) for h in used}
    return Columns(aliases=aliases, required=tuple(aliases))


def _check(mapping: ColumnMapping) -> None:
    def bad(detail: str) -> RawProblem:
        return RawProblem(problem(ReasonCode.BAD_MAPPING, detail=detail))

    if not mapping.metrics:
        raise bad("no metric column / 没有指标列")
    for metric in mapping.metrics:
        if not _METRIC_KEY.match(metric.metric):
            raise bad(f"metric key '{metric.metric}'")
        if metric.currency and not re.fullmatch(r"[A-Z]{3}", metric.currency):
            raise bad(f"currency '{metric.currency}'")
    for segment in (*mapping.segments, *mapping.constants):
        if segment not in SEGMENT_FIELDS:
            raise bad(f"segment '{segment}'")
    if mapping.decimal not in (".", ","):
        raise bad(f"decimal '{mapping.decimal}'")


def read_generic(ctx: ReadContext, mapping: ColumnMapping) -> ReaderOutput:
    _check(mapping)
    if mapping.date_column:
        formats = [mapping.date_format] if mapping.date_format else _DATES
        raw_dates = ctx.raw(_key(mapping.date_column)).str.strip()
        if not mapping.date_format:
            raw_dates = raw_dates.str.replace(r"[ T]00:00:00$", "", regex=True)
        start = ctx.dates(_key(mapping.date_column), formats, values=raw_dates)
        end = start
        if mapping.end_date_column:
            end = ctx.dates(_key(mapping.end_date_column), formats)
            end = end.where(end.notna(), start)
    elif ctx.period is not None:
        start = pd.Series(pd.Timestamp(ctx.period.start), index=ctx.grid.body.index)
        end = pd.Series(pd.Timestamp(ctx.period.end), index=ctx.grid.body.index)
        start, end = start.astype("datetime64[s]"), end.astype("datetime64[s]")
    else:
        raise RawProblem(problem(ReasonCode.PERIOD_REQUIRED))
    lines = pd.DataFrame({"start": start, "end": end})
    for field in SEGMENT_FIELDS:
        if field in mapping.segments:
            lines[field] = ctx.text(_key(mapping.segments[field]))
        else:
            lines[field] = mapping.constants.get(field, "")
    parts: list[pd.DataFrame] = []
    money = set(MONEY_METRICS)
    for metric in mapping.metrics:
        raw = ctx.raw(_key(metric.column))
        decimal = mapping.decimal or guess_decimal(raw)
        values = ctx.number(_key(metric.column), decimal=decimal) * metric.scale
        if metric.currency_column:
            currency = ctx.text(_key(metric.currency_column)).str.upper()
        else:
            code = metric.currency or (
                currency_suffix([metric.column])
                or currency_from_symbols(raw)
                or ctx.options.currency
                if metric.metric in MONEY_METRICS
                else ""
            )
            if metric.metric in MONEY_METRICS and not code:
                raise RawProblem(
                    problem(
                        ReasonCode.BAD_MAPPING,
                        detail=f"currency of '{metric.column}' / 请指定币种",
                    )
                )
            currency = pd.Series(code, index=lines.index)
        if metric.currency or metric.currency_column:
            money.add(metric.metric)
        parts.append(lines.assign(currency=currency, **{metric.metric: values}))
    good = ~ctx.bad
    keys = sorted({m.metric for m in mapping.metrics})
    facts = facts_from_lines([p[good] for p in parts], keys, money=frozenset(money))
    return ReaderOutput(facts=facts, lines=None, period=ctx.period)


# --------------------------------------------------------------------------- guessing

_SEGMENT_WORDS: dict[str, tuple[str, ...]] = {
    "sku": ("sku", "seller sku", "msku", "商品编码", "sku编码", "货号", "产品编码"),
    "platform": ("platform", "channel", "平台", "渠道"),
    "marketplace": ("marketplace", "site", "country", "store", "站点", "国家", "店铺"),
    "category": ("category", "品类", "类目", "分类"),
    "campaign": ("campaign", "campaign name", "广告活动", "广告系列"),
    "team": ("team", "团队", "小组", "部门"),
    "owner": ("owner", "负责人", "运营", "person"),
}
_METRIC_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("ad_spend", ("spend", "cost", "ad spend", "广告花费", "花费", "广告费")),
    ("ad_sales", ("ad sales", "conv. value", "广告销售额")),
    ("refunds", ("refund", "refunds", "退款", "退款金额")),
    ("discounts", ("discount", "discounts", "折扣", "优惠")),
    ("cogs", ("cogs", "cost of goods", "采购成本", "商品成本")),
    ("platform_fees", ("fees", "platform fees", "佣金", "平台费")),
    (
        "ordered_product_sales",
        (
            "sales",
            "revenue",
            "gmv",
            "ordered product sales",
            "销售额",
            "营业额",
            "成交额",
        ),
    ),
    (
        "units_ordered",
        ("units", "quantity", "qty", "units ordered", "销量", "数量", "件数"),
    ),
    ("orders", ("orders", "order count", "订单数", "订单量")),
    ("sessions", ("sessions", "visitors", "访客数", "会话数", "流量")),
    ("page_views", ("page views", "pv", "浏览量")),
    ("impressions", ("impressions", "impr.", "曝光", "展示量", "展示次数")),
    ("clicks", ("clicks", "点击", "点击量", "点击次数")),
    ("inventory_units", ("stock", "inventory", "available", "库存", "可用库存")),
)
_DATE_WORDS = ("date", "day", "日期", "时间", "month", "月份", "period")


def _words(header: str) -> str:
    return re.sub(r"[(（][^)）]*[)）]", "", normalise_header(header)).strip()


def guess_mapping(preview: Preview) -> ColumnMapping:
    """A first mapping for the mapping page: headers matched against known words."""
    header = list(preview.header)
    date_column = ""
    segments: dict[str, str] = {}
    metrics: list[MetricColumn] = []
    taken: set[str] = set()
    sample = {
        h: pd.Series([r[i] if i < len(r) else "" for r in preview.rows])
        for i, h in enumerate(header)
    }
    for head in header:
        words = _words(head)
        if not date_column and any(
            w == words or words.endswith(w) for w in _DATE_WORDS
        ):
            date_column = head
            continue
        for field, names in _SEGMENT_WORDS.items():
            if field not in segments and words in names:
                segments[field] = head
                taken.add(head)
                break
        if head in taken:
            continue
        for metric, names in _METRIC_WORDS:
            if words in names or any(n in words for n in names if len(n) > 3):
                if any(m.metric == metric for m in metrics):
                    break
                currency = ""
                if metric in MONEY_METRICS:
                    currency = currency_suffix([head]) or currency_from_symbols(
                        sample[head]
                    )
                metrics.append(
                    MetricColumn(column=head, metric=metric, currency=currency)
                )
                break
    values = pd.concat(list(sample.values())) if sample else pd.Series([], dtype=object)
    return ColumnMapping(
        metrics=tuple(metrics),
        date_column=date_column,
        segments=segments,
        header_row=preview.detection.header_row or 1,
        sheet=preview.detection.sheet or "",
        decimal=guess_decimal(values),
    )
