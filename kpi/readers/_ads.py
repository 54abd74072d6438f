"""Advertising exports of the own store: Google Ads and Meta Ads Manager."""

from __future__ import annotations

import pandas as pd

from kpi.readers._context import Columns, ReadContext, currency_suffix, facts_from_lines
from kpi.readers._markets import MARKET_CURRENCY
from kpi.readers._model import ReasonCode
from kpi.readers._problems import problem
from kpi.readers._source import RawProblem
from kpi.readers._spec import ReaderOutput
from kpi.readers._values import currency_from_symbols, guess_decimal

__all__ = ["GOOGLE_ADS", "META_ADS", "read_google_ads", "read_meta_ads"]

_AD_METRICS = ["ad_spend", "impressions", "clicks", "ad_orders", "ad_sales"]
_DATES = ["%Y-%m-%d", "%a, %b %d, %Y", "%b %d, %Y", "%m/%d/%Y", "%d/%m/%Y", "%Y/%m/%d"]

GOOGLE_ADS = Columns(
    aliases={
        "day": ("Day", "Date", "天", "日期"),
        "campaign": ("Campaign", "广告系列"),
        "campaign_type": ("Campaign type", "广告系列类型"),
        "currency": ("Currency code", "Currency", "货币代码"),
        "cost": ("Cost", "费用", "花费"),
        "impressions": ("Impr.", "Impressions", "展示次数"),
        "clicks": ("Clicks", "点击次数"),
        "conversions": ("Conversions", "转化次数"),
        "conv_value": (
            "Conv. value",
            "Conversion value",
            "All conv. value",
            "转化价值",
        ),
    },
    required=("day", "campaign", "cost", "impressions", "clicks"),
)


def _currency(ctx: ReadContext, money: pd.Series) -> str:
    currency = (
        ctx.options.currency
        or currency_suffix(ctx.grid.header)
        or currency_from_symbols(money)
        or MARKET_CURRENCY.get(ctx.options.marketplace, "")
    )
    if not currency:
        raise RawProblem(problem(ReasonCode.BAD_CURRENCY, value="?"))
    return currency


def read_google_ads(ctx: ReadContext) -> ReaderOutput:
    """Campaign × day; ``Total:`` summary rows are skipped, ``--`` is no value."""
    first_cell = ctx.grid.body[0].astype(str).str.strip()
    ctx.drop_rows(
        first_cell.str.match(r"(?i)^(total|总计|合计)\s*[:：]").to_numpy(dtype=bool)
    )
    cost_raw = ctx.raw("cost")
    decimal = guess_decimal(cost_raw)
    day = ctx.dates("day", _DATES)
    if ctx.has("currency"):
        currency = ctx.text("currency").str.upper()
        fallback = ctx.options.currency or currency_from_symbols(cost_raw)
        currency = currency.where(currency != "", fallback)
        ctx.reject(
            (currency == "").to_numpy(),
            ctx.header_of("currency"),
            ReasonCode.BAD_CURRENCY,
            currency,
        )
    else:
        currency = pd.Series(_currency(ctx, cost_raw), index=day.index)
    lines = pd.DataFrame(
        {
            "start": day,
            "end": day,
            "platform": "google_ads",
            "marketplace": ctx.options.marketplace,
            "campaign": ctx.text("campaign", required=True),
            "currency": currency,
            "ad_spend": ctx.number("cost", decimal=decimal, required=True),
            "impressions": ctx.number("impressions", decimal=decimal),
            "clicks": ctx.number("clicks", decimal=decimal),
            "ad_orders": ctx.number("conversions", decimal=decimal),
            "ad_sales": ctx.number("conv_value", decimal=decimal),
        }
    )[~ctx.bad]
    return ReaderOutput(facts=facts_from_lines(lines, _AD_METRICS), lines=lines)


META_ADS = Columns(
    aliases={
        "starts": ("Reporting starts", "报告开始日期"),
        "ends": ("Reporting ends", "报告结束日期"),
        "campaign": ("Campaign name", "广告系列名称"),
        "delivery": ("Campaign delivery", "广告系列投放状态"),
        "spend": ("Amount spent", "已花费金额"),
        "impressions": ("Impressions", "展示次数"),
        "reach": ("Reach", "覆盖人数"),
        "link_clicks": ("Link clicks", "链接点击量"),
        "clicks_all": ("Clicks (all)", "点击量（全部）"),
        "landing_page_views": ("Landing page views", "落地页浏览量"),
        "results": ("Results", "成效"),
        "result_indicator": ("Result indicator", "成效指标"),
        "purchases": ("Purchases", "购物次数"),
        "purchase_value": ("Purchases conversion value", "购物转化价值"),
    },
    required=("starts", "campaign", "spend", "impressions"),
)


def read_meta_ads(ctx: ReadContext) -> ReaderOutput:
    """Campaign × reporting range; clicks are link clicks, orders are purchases."""
    spend_raw = ctx.raw("spend")
    currency = _currency(ctx, spend_raw)
    start = ctx.dates("starts", _DATES)
    end = ctx.dates("ends", _DATES) if ctx.has("ends") else start
    if ctx.has("purchases"):
        orders = ctx.number("purchases")
    else:
        indicator = ctx.raw("result_indicator").str.contains("purchase", case=False)
        orders = ctx.number("results").where(indicator.to_numpy(dtype=bool))
    clicks = (
        ctx.number("link_clicks")
        if ctx.has("link_clicks")
        else ctx.number("clicks_all")
    )
    lines = pd.DataFrame(
        {
            "start": start,
            "end": end.where(end.notna(), start),
            "platform": "meta_ads",
            "marketplace": ctx.options.marketplace,
            "campaign": ctx.text("campaign", required=True),
            "currency": currency,
            "ad_spend": ctx.number("spend", required=True),
            "impressions": ctx.number("impressions"),
            "clicks": clicks,
            "ad_orders": orders,
            "ad_sales": ctx.number("purchase_value"),
            "landing_page_views": ctx.number("landing_page_views"),
            "reach": ctx.number("reach"),
        }
    )[~ctx.bad]
    return ReaderOutput(facts=facts_from_lines(lines, _AD_METRICS), lines=lines)
