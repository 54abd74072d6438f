"""ERP stock exports, FX rate tables and the product catalogue."""

from __future__ import annotations

import re

import pandas as pd

from kpi.facts import empty_facts, validate_fx_rates
from kpi.readers._context import Columns, ReadContext, currency_suffix, facts_from_lines
from kpi.readers._model import ReasonCode
from kpi.readers._problems import problem
from kpi.readers._source import RawProblem, normalise_header
from kpi.readers._spec import ReaderOutput

__all__ = [
    "CATALOG",
    "ERP_STOCK",
    "FX_RATES",
    "read_catalog",
    "read_erp_stock",
    "read_fx",
]

ERP_STOCK = Columns(
    aliases={
        "sku": ("SKU", "商品编码", "SKU编码", "产品SKU"),
        "name": ("商品名称", "品名", "Product Name"),
        "category": ("品类", "类目", "分类", "Category"),
        "warehouse": ("仓库", "仓库名称", "Warehouse"),
        "available": ("可用库存", "可用数量", "Available", "Available Qty"),
        "locked": ("锁定库存", "占用库存", "Reserved"),
        "inbound": ("在途库存", "在途数量", "In Transit", "Inbound"),
        "unit_cost": ("成本价", "单位成本", "Unit Cost"),
        "value": ("库存金额", "库存成本", "Inventory Value", "Stock Value"),
        "sales_30d": ("近30天销量", "30天销量", "Units Sold 30d"),
        "days_of_cover": ("可售天数", "Days of Cover"),
        "updated": ("更新时间", "快照时间", "Updated At", "Snapshot"),
    },
    required=("sku", "warehouse", "available"),
)

_STOCK_METRICS = ["inventory_units", "inbound_units", "inventory_value"]


def read_erp_stock(ctx: ReadContext) -> ReaderOutput:
    """A stock snapshot per SKU × warehouse (the warehouse is the marketplace field).

    The snapshot day is the ``更新时间`` column's day, else the end of the given period.
    """
    if ctx.has("updated"):
        updated = ctx.raw("updated").str.strip().str[:10]
        day = ctx.dates("updated", ["%Y-%m-%d", "%Y/%m/%d", "%d/%m/%Y"], values=updated)
    elif ctx.period is not None:
        day = pd.Series(pd.Timestamp(ctx.period.end), index=ctx.grid.body.index).astype(
            "datetime64[s]"
        )
    else:
        raise RawProblem(problem(ReasonCode.PERIOD_REQUIRED))
    currency = ctx.options.currency or currency_suffix(ctx.grid.header) or "CNY"
    units = ctx.number("available", required=True)
    lines = pd.DataFrame(
        {
            "start": day,
            "end": day,
            "platform": "erp",
            "marketplace": ctx.text("warehouse", required=True),
            "category": ctx.text("category"),
            "sku": ctx.text("sku", required=True),
            "currency": currency,
            "inventory_units": units,
            "inbound_units": ctx.number("inbound"),
            "inventory_value": ctx.number("value"),
            "reserved_units": ctx.number("locked"),
            "units_sold_30d": ctx.number("sales_30d"),
            "unit_cost": ctx.number("unit_cost"),
        }
    )[~ctx.bad]
    return ReaderOutput(facts=facts_from_lines(lines, _STOCK_METRICS), lines=lines)


FX_RATES = Columns(
    aliases={
        "month": ("month", "月份", "Month"),
        "currency": ("currency", "币种", "Currency"),
        "rate": ("rate_to_CNY", "rate", "汇率", "Rate"),
    },
    required=("month", "currency", "rate"),
)


def read_fx(ctx: ReadContext) -> ReaderOutput:
    """Monthly rates: ``rate_to_XXX`` names the quote currency (CNY by default)."""
    quote = "CNY"
    for head in ctx.grid.header:
        if m := re.fullmatch(r"rate_to_([a-z]{3})", normalise_header(head)):
            quote = m[1].upper()
    month_raw = ctx.raw("month").str.strip()
    month = ctx.dates(
        "month", ["%Y-%m", "%Y/%m", "%Y-%m-%d", "%Y%m"], check_future=False
    )
    not_start = (month.dt.day != 1).fillna(False).to_numpy(dtype=bool)
    ctx.reject(
        not_start, ctx.header_of("month"), ReasonCode.BAD_DATE, month_raw, "YYYY-MM"
    )
    currency = ctx.text("currency", required=True).str.upper()
    bad_ccy = ~currency.str.fullmatch(r"[A-Z]{3}").to_numpy(dtype=bool)
    ctx.reject(bad_ccy, ctx.header_of("currency"), ReasonCode.BAD_CURRENCY, currency)
    rate = ctx.number("rate", required=True)
    not_positive = (rate <= 0).fillna(False).to_numpy(dtype=bool)
    ctx.reject(
        not_positive, ctx.header_of("rate"), ReasonCode.BAD_NUMBER, ctx.raw("rate")
    )
    frame = pd.DataFrame(
        {"month": month, "currency": currency, "quote": quote, "rate": rate}
    )
    frame = frame[~ctx.bad]
    duplicated = frame.duplicated(["month", "currency"]).to_numpy()
    if duplicated.any():
        full = pd.Series(False, index=ctx.grid.body.index)
        full.loc[frame.index[duplicated]] = True
        ctx.reject(
            full.to_numpy(),
            ctx.header_of("month"),
            ReasonCode.DUPLICATE_RATE,
            month_raw,
        )
        frame = frame[~duplicated]
    return ReaderOutput(facts=empty_facts(), fx_rates=validate_fx_rates(frame))


CATALOG = Columns(
    aliases={
        "sku": ("sku", "SKU"),
        "title_en": ("title_en", "Title"),
        "title_zh": ("title_zh", "标题", "商品名称"),
        "category": ("category", "品类"),
        "cost": ("cost_cny", "unit_cost", "成本价"),
        "asin": ("asin", "ASIN"),
    },
    required=("sku", "category", "cost"),
)


def read_catalog(ctx: ReadContext) -> ReaderOutput:
    """The product master: SKU, titles, category, landed unit cost, child ASIN."""
    cost_header = normalise_header(ctx.header_of("cost"))
    m = re.search(r"(?:cost_|\()([a-z]{3})\)?$", cost_header)
    currency = (m[1].upper() if m else "") or ctx.options.currency or "CNY"
    frame = pd.DataFrame(
        {
            "sku": ctx.text("sku", required=True),
            "title_en": ctx.text("title_en"),
            "title_zh": ctx.text("title_zh"),
            "category": ctx.text("category"),
            "unit_cost": ctx.number("cost", required=True),
            "cost_currency": currency,
            "asin": ctx.text("asin"),
        }
    )[~ctx.bad]
    return ReaderOutput(facts=empty_facts(), catalog=frame.reset_index(drop=True))
