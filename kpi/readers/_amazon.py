"""Amazon Seller Central Business Reports and Amazon Ads Sponsored Products reports."""

from __future__ import annotations

import numpy as np
import pandas as pd

from kpi.readers._context import Columns, ReadContext, facts_from_lines
from kpi.readers._markets import (
    COUNTRY_CODES,
    HOME_MARKET,
    MARKET_CURRENCY,
    marketplace_from_filename,
)
from kpi.readers._model import ReasonCode
from kpi.readers._problems import problem
from kpi.readers._source import RawProblem, normalise_header
from kpi.readers._spec import ReaderOutput
from kpi.readers._values import currency_from_symbols, guess_decimal

__all__ = [
    "BUSINESS_BY_DATE",
    "BUSINESS_CHILD",
    "SP_ADVERTISED_PRODUCT",
    "SP_CAMPAIGN",
    "read_business_by_date",
    "read_business_child",
    "read_sp_ads",
]


def _b2b(*names: str) -> tuple[str, ...]:
    return tuple(f"{n} - B2B" for n in names)


_SALES = ("Ordered Product Sales", "已订购商品销售额")
_UNITS = ("Units Ordered", "已订购商品数量")
_ITEMS = ("Total Order Items", "订单商品总数")
_SESSIONS = (
    "Sessions - Total",
    "Sessions",
    "会话数 - 总计",
    "会话 - 总计",
    "会话次数 - 总计",
)
_PAGE_VIEWS = (
    "Page Views - Total",
    "Page Views",
    "页面浏览量 - 总计",
    "页面浏览次数 - 总计",
)

_TRAFFIC_SALES: dict[str, tuple[str, ...]] = {
    "sales": _SALES,
    "sales_b2b": _b2b(*_SALES),
    "units": _UNITS,
    "units_b2b": _b2b(*_UNITS),
    "items": _ITEMS,
    "items_b2b": _b2b(*_ITEMS),
    "sessions": _SESSIONS,
    "sessions_b2b": (
        "Sessions - Total - B2B",
        "Sessions - B2B",
        "会话 - 总计 - B2B",
        "会话数 - 总计 - B2B",
    ),
    "sessions_browser": ("Browser Sessions", "浏览器会话数"),
    "sessions_app": ("Mobile App Sessions", "移动应用会话数"),
    "sessions_browser_b2b": ("Browser Sessions - B2B", "浏览器会话数 - B2B"),
    "sessions_app_b2b": ("Mobile App Sessions - B2B", "移动应用会话数 - B2B"),
    "page_views": _PAGE_VIEWS,
    "page_views_b2b": (
        "Page Views - Total - B2B",
        "Page Views - B2B",
        "页面浏览量 - 总计 - B2B",
    ),
    "page_views_browser": ("Browser Page Views", "浏览器页面浏览量"),
    "page_views_app": ("Mobile App Page Views", "移动应用页面浏览量"),
    "page_views_browser_b2b": ("Browser Page Views - B2B",),
    "page_views_app_b2b": ("Mobile App Page Views - B2B",),
    "buy_box": (
        "Featured Offer (Buy Box) Percentage",
        "Buy Box Percentage",
        "推荐报价（推荐报价展示位）百分比",
        "购买按钮赢得率",
    ),
    "unit_session_pct": ("Unit Session Percentage", "商品会话百分比"),
}

_PERCENT_HEADERS = (
    "Session Percentage - Total",
    "Session Percentage - Total - B2B",
    "Session Percentage",
    "Session Percentage - B2B",
    "Page Views Percentage - Total",
    "Page Views Percentage - Total - B2B",
    "Page Views Percentage",
    "Page Views Percentage - B2B",
    "Featured Offer (Buy Box) Percentage - B2B",
    "Buy Box Percentage - B2B",
    "Unit Session Percentage - B2B",
    "Browser Session Percentage",
    "Mobile App Session Percentage",
    "转化率 - 总计",
    "会话百分比 - 总计",
    "会话百分比 - 总计 - B2B",
    "页面浏览量百分比 - 总计",
    "页面浏览量百分比 - 总计 - B2B",
    "推荐报价（推荐报价展示位）百分比 - B2B",
    "商品会话百分比 - B2B",
    "Average Sales per Order Item",
    "Average Sales per Order Item - B2B",
    "Average Units per Order Item",
    "Average Units per Order Item - B2B",
    "Average Selling Price",
    "Average Selling Price - B2B",
    "Order Item Session Percentage - B2B",
    "Average Offer Count",
    "Average Parent Items",
)


BUSINESS_CHILD = Columns(
    aliases={
        "parent_asin": ("(Parent) ASIN", "（父）ASIN", "Parent ASIN"),
        "child_asin": ("(Child) ASIN", "（子）ASIN", "Child ASIN"),
        "title": ("Title", "标题"),
        "sku": ("SKU",),
        **_TRAFFIC_SALES,
    },
    required=("child_asin", "units", "sales"),
    known=_PERCENT_HEADERS,
)

BUSINESS_BY_DATE = Columns(
    aliases={
        "date": ("Date", "日期"),
        "child_asin": ("(Child) ASIN", "（子）ASIN", "Child ASIN"),
        **_TRAFFIC_SALES,
        "avg_offer_count": ("Average Offer Count", "平均在售商品数量"),
        "order_item_session_pct": (
            "Order Item Session Percentage",
            "订单商品会话百分比",
        ),
    },
    required=("date", "units", "sales"),
    forbidden=("child_asin",),
    known=_PERCENT_HEADERS,
)


# a symbol several currencies share: the site decides ($ on amazon.ca is CAD)
_SHARED_SYMBOL = {
    "USD": frozenset({"USD", "CAD", "AUD", "SGD", "MXN"}),
    "CNY": frozenset({"CNY", "JPY"}),
}


def _marketplace_currency(ctx: ReadContext, money: pd.Series) -> tuple[str, str]:
    symbol_currency = currency_from_symbols(money)
    currency = ctx.options.currency or symbol_currency
    market = (
        ctx.options.marketplace
        or marketplace_from_filename(ctx.filename)
        or HOME_MARKET.get(currency, "")
    )
    site_currency = MARKET_CURRENCY.get(market, "")
    if not ctx.options.currency and site_currency in _SHARED_SYMBOL.get(currency, ()):
        currency = site_currency
    if not currency:
        currency = site_currency
    if not currency:
        raise RawProblem(problem(ReasonCode.BAD_CURRENCY, value="?"))
    return market, currency


def _half_up(values: pd.Series) -> pd.Series:
    return pd.Series(
        np.floor(values.to_numpy(dtype="float64") + 0.5), index=values.index
    )


def _traffic_and_sales(ctx: ReadContext, decimal: str) -> pd.DataFrame:
    """Counts and money of a Business Report, device-split layouts summed up."""
    out = pd.DataFrame(index=ctx.grid.body.index)

    def total(name: str, parts: tuple[str, ...]) -> pd.Series | None:
        if ctx.has(name):
            return ctx.number(name, decimal=decimal)
        found = [p for p in parts if ctx.has(p)]
        if not found:
            return None
        series = [ctx.number(p, decimal=decimal) for p in found]
        return pd.concat(series, axis=1).sum(axis=1, min_count=1)

    out["ordered_product_sales"] = ctx.number("sales", decimal=decimal, required=True)
    out["units_ordered"] = ctx.number("units", decimal=decimal, required=True)
    if ctx.has("sales_b2b"):
        out["ordered_product_sales_b2b"] = ctx.number("sales_b2b", decimal=decimal)
    if ctx.has("units_b2b"):
        out["units_ordered_b2b"] = ctx.number("units_b2b", decimal=decimal)
    if ctx.has("items"):
        out["order_items"] = ctx.number("items", decimal=decimal)
    if ctx.has("items_b2b"):
        out["order_items_b2b"] = ctx.number("items_b2b", decimal=decimal)
    for metric, name, parts in (
        ("sessions", "sessions", ("sessions_browser", "sessions_app")),
        ("sessions_b2b", "sessions_b2b", ("sessions_browser_b2b", "sessions_app_b2b")),
        ("page_views", "page_views", ("page_views_browser", "page_views_app")),
        (
            "page_views_b2b",
            "page_views_b2b",
            ("page_views_browser_b2b", "page_views_app_b2b"),
        ),
    ):
        series = total(name, parts)
        if series is not None:
            out[metric] = series
    if ctx.has("buy_box") and "page_views" in out:
        share = ctx.number("buy_box", decimal=decimal, percent=True)
        out["buy_box_page_views"] = _half_up(out["page_views"] * share)
    return out


def read_business_child(ctx: ReadContext) -> ReaderOutput:
    """By child item: one fact per SKU and metric over the downloaded period."""
    if ctx.period is None:
        raise RawProblem(problem(ReasonCode.PERIOD_REQUIRED))
    sales_raw = ctx.raw("sales")
    decimal = guess_decimal(sales_raw)
    market, currency = _marketplace_currency(ctx, sales_raw)
    metrics = _traffic_and_sales(ctx, decimal)
    sku = ctx.text("sku")
    asin = ctx.text("child_asin", required=True)
    lines = metrics.assign(
        start=pd.Timestamp(ctx.period.start),
        end=pd.Timestamp(ctx.period.end),
        platform="amazon",
        marketplace=market,
        sku=sku.where(sku != "", asin),
        currency=currency,
    )[~ctx.bad]
    facts = facts_from_lines(lines, list(metrics.columns))
    return ReaderOutput(facts=facts, lines=lines, period=ctx.period)


def read_business_by_date(ctx: ReadContext) -> ReaderOutput:
    """By date: one fact per day and metric (ratios left out, recomputed later)."""
    sales_raw = ctx.raw("sales")
    decimal = guess_decimal(sales_raw)
    market, currency = _marketplace_currency(ctx, sales_raw)
    if market in ("US", "CA", ""):
        formats = ["%m/%d/%y", "%m/%d/%Y", "%Y-%m-%d", "%Y/%m/%d"]
    else:
        formats = [
            "%d/%m/%y",
            "%d/%m/%Y",
            "%d.%m.%y",
            "%d.%m.%Y",
            "%Y-%m-%d",
            "%Y/%m/%d",
        ]
    days = ctx.dates("date", formats)
    metrics = _traffic_and_sales(ctx, decimal)
    lines = metrics.assign(
        start=days, end=days, platform="amazon", marketplace=market, currency=currency
    )[~ctx.bad]
    facts = facts_from_lines(lines, list(metrics.columns))
    return ReaderOutput(facts=facts, lines=lines)


# --------------------------------------------------------------------------- ads

_ADS: dict[str, tuple[str, ...]] = {
    "start_date": ("Start Date", "Date", "开始日期", "日期"),
    "end_date": ("End Date", "结束日期"),
    "currency": ("Currency", "货币"),
    "campaign": ("Campaign Name", "广告活动名称", "广告活动"),
    "portfolio": ("Portfolio name", "广告组合名称"),
    "ad_group": ("Ad Group Name", "广告组名称"),
    "sku": ("Advertised SKU", "广告SKU", "推广的 SKU"),
    "asin": ("Advertised ASIN", "广告ASIN", "推广的 ASIN"),
    "country": ("Country", "国家/地区"),
    "impressions": ("Impressions", "展示量", "曝光量"),
    "clicks": ("Clicks", "点击量"),
    "spend": ("Spend", "花费", "Cost"),
    "sales": (
        "7 Day Total Sales",
        "14 Day Total Sales",
        "Total Sales",
        "7天总销售额",
        "14天总销售额",
    ),
    "orders": (
        "7 Day Total Orders (#)",
        "14 Day Total Orders (#)",
        "Total Orders",
        "7天总订单数(#)",
        "14天总订单数(#)",
    ),
    "units": ("7 Day Total Units (#)", "14 Day Total Units (#)", "7天总销量(#)"),
    "acos": (
        "Total Advertising Cost of Sales (ACOS)",
        "Total Advertising Cost of Sales (ACoS)",
        "ACOS",
        "广告投入产出比 (ACOS) 总计",
    ),
    "roas": ("Total Return on Advertising Spend (ROAS)", "ROAS"),
    "ctr": ("Click-Thru Rate (CTR)", "点击率 (CTR)"),
    "cpc": ("Cost Per Click (CPC)", "每次点击费用 (CPC)"),
    "advertised_sku_sales": (
        "7 Day Advertised SKU Sales",
        "14 Day Advertised SKU Sales",
    ),
    "other_sku_sales": ("7 Day Other SKU Sales", "14 Day Other SKU Sales"),
    "retailer": ("Retailer",),
}

_ADS_KNOWN = (
    "7 Day Conversion Rate",
    "7 Day Advertised SKU Units (#)",
    "7 Day Other SKU Units (#)",
    "14 Day Conversion Rate",
    "Status",
    "Budget",
    "Targeting Type",
    "Bidding strategy",
)

SP_ADVERTISED_PRODUCT = Columns(
    aliases=_ADS,
    required=("start_date", "campaign", "sku", "impressions", "clicks", "spend"),
    known=_ADS_KNOWN,
)
SP_CAMPAIGN = Columns(
    aliases=_ADS,
    required=("start_date", "campaign", "impressions", "clicks", "spend", "sales"),
    forbidden=("sku", "asin"),
    known=_ADS_KNOWN,
)

_AD_DATES = ["%b %d, %Y", "%Y-%m-%d", "%m/%d/%Y", "%d/%m/%Y", "%Y/%m/%d", "%d.%m.%Y"]


def read_sp_ads(ctx: ReadContext) -> ReaderOutput:
    """Sponsored Products reports: day × campaign (× advertised SKU)."""
    start = ctx.dates("start_date", _AD_DATES)
    end = ctx.dates("end_date", _AD_DATES) if ctx.has("end_date") else start
    end = end.where(end.notna(), start)
    spend_raw = ctx.raw("spend")
    decimal = guess_decimal(spend_raw)
    metrics = pd.DataFrame(index=ctx.grid.body.index)
    metrics["impressions"] = ctx.number("impressions", decimal=decimal)
    metrics["clicks"] = ctx.number("clicks", decimal=decimal)
    metrics["ad_spend"] = ctx.number("spend", decimal=decimal, required=True)
    for metric, name in (
        ("ad_sales", "sales"),
        ("ad_orders", "orders"),
        ("ad_units", "units"),
    ):
        if ctx.has(name):
            metrics[metric] = ctx.number(name, decimal=decimal)
    fallback_currency = ctx.options.currency or currency_from_symbols(spend_raw)
    currency = ctx.text("currency").str.upper() if ctx.has("currency") else None
    market_default = ctx.options.marketplace or marketplace_from_filename(ctx.filename)
    if currency is None:
        if not fallback_currency:
            fallback_currency = MARKET_CURRENCY.get(market_default, "")
        currency = pd.Series(fallback_currency, index=metrics.index)
    if ctx.has("country") and not ctx.options.marketplace:
        country = ctx.text("country").map(
            lambda c: COUNTRY_CODES.get(normalise_header(c), "")
        )
    else:
        country = pd.Series("", index=metrics.index)
    home = currency.map(lambda c: HOME_MARKET.get(c, ""))
    market = country.where(country != "", market_default or "")
    market = market.where(market != "", home)
    bad_ccy = (currency == "").to_numpy()
    ctx.reject(bad_ccy, ctx.header_of("currency"), ReasonCode.BAD_CURRENCY, currency)
    lines = metrics.assign(
        start=start,
        end=end,
        platform="amazon",
        marketplace=market,
        campaign=ctx.text("campaign", required=True),
        sku=ctx.text("sku") if ctx.has("sku") else "",
        currency=currency,
    )
    if ctx.has("advertised_sku_sales"):
        lines["advertised_sku_sales"] = ctx.number(
            "advertised_sku_sales", decimal=decimal
        )
    if ctx.has("other_sku_sales"):
        lines["other_sku_sales"] = ctx.number("other_sku_sales", decimal=decimal)
    lines = lines[~ctx.bad]
    facts = facts_from_lines(lines, list(metrics.columns))
    return ReaderOutput(facts=facts, lines=lines)
