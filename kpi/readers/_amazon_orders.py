"""Amazon All Orders flat file: UTC purchase times, order statuses, sites."""

from __future__ import annotations

import numpy as np
import pandas as pd

from kpi.readers._context import Columns, ReadContext, facts_from_lines, per_unique
from kpi.readers._markets import AMAZON_SITES, MARKET_CURRENCY, MARKET_TIMEZONE
from kpi.readers._model import ReasonCode
from kpi.readers._spec import ReaderOutput

__all__ = ["ALL_ORDERS", "read_all_orders"]


ALL_ORDERS = Columns(
    aliases={
        "order_id": ("amazon-order-id",),
        "purchase_date": ("purchase-date",),
        "status": ("order-status",),
        "channel": ("sales-channel",),
        "sku": ("sku",),
        "quantity": ("quantity",),
        "currency": ("currency",),
        "item_price": ("item-price",),
        "shipping_price": ("shipping-price",),
        "promotion_discount": ("item-promotion-discount",),
        "business": ("is-business-order",),
    },
    numeric=("quantity", "item_price", "shipping_price", "promotion_discount"),
    required=(
        "order_id",
        "purchase_date",
        "status",
        "channel",
        "sku",
        "quantity",
        "item_price",
    ),
    known=(
        "merchant-order-id",
        "fulfillment-channel",
        "asin",
        "item-status",
        "item-tax",
        "last-updated-date",
        "order-channel",
        "url",
        "ship-service-level",
        "product-name",
        "shipping-tax",
        "gift-wrap-price",
        "gift-wrap-tax",
        "ship-promotion-discount",
        "ship-city",
        "ship-state",
        "ship-postal-code",
        "ship-country",
        "promotion-ids",
        "purchase-order-number",
        "price-designation",
    ),
)

ORDER_METRICS = [
    "ordered_product_sales",
    "ordered_product_sales_b2b",
    "units_ordered",
    "units_ordered_b2b",
    "order_items",
    "order_items_b2b",
    "discounts",
    "shipping_revenue",
    "orders",
    "cancelled_orders",
]


_NON_AMAZON = "-"


def _site_codes(channels: pd.Series) -> pd.Series:
    """Sales channel -> site code; ``-`` for Non-Amazon (MCF), "" for unknown."""
    lowered = channels.str.strip().str.lower()
    return lowered.map(
        lambda c: _NON_AMAZON if c == "non-amazon" else AMAZON_SITES.get(c, "")
    )


def _lower(values: pd.Series) -> pd.Series:
    return values.str.strip().str.lower()


def read_all_orders(ctx: ReadContext) -> ReaderOutput:
    """All Orders flat file: UTC purchase times to the marketplace's local day.

    Line facts (sales, units, items, promotions, shipping) per day × marketplace × SKU;
    ``orders`` and ``cancelled_orders`` per day × marketplace (no SKU: an order is
    counted once even when it holds several SKUs).
    """
    channel = ctx.raw("channel")
    codes, channels = pd.factorize(channel)
    sites = _site_codes(pd.Series(channels, dtype=object)).to_numpy(dtype=object)
    site_currency = np.array([MARKET_CURRENCY.get(c, "") for c in sites], dtype=object)
    market = pd.Series(sites[codes], index=channel.index)
    non_amazon = (market == _NON_AMAZON).to_numpy()
    market = market.where(~non_amazon, "")
    unknown = (market == "").to_numpy() & ~non_amazon
    ctx.reject(
        unknown, ctx.header_of("channel"), ReasonCode.UNKNOWN_MARKETPLACE, channel
    )
    stamp_raw = ctx.raw("purchase_date")
    stamps = pd.to_datetime(stamp_raw, format="ISO8601", utc=True, errors="coerce")
    blank = (stamp_raw.str.strip() == "").to_numpy()
    ctx.reject(
        stamps.isna().to_numpy() & ~blank,
        ctx.header_of("purchase_date"),
        ReasonCode.BAD_DATE,
        stamp_raw,
        detail="2026-05-01T07:04:21+00:00",
    )
    ctx.reject(blank, ctx.header_of("purchase_date"), ReasonCode.MISSING_VALUE)
    day = pd.Series(pd.NaT, index=stamps.index, dtype="datetime64[s]")
    for code in market[market != ""].unique():
        mask = (market == code).to_numpy()
        zone = MARKET_TIMEZONE.get(str(code), "UTC")
        local = stamps[mask].dt.tz_convert(zone).dt.tz_localize(None).dt.normalize()
        day.loc[mask] = local.astype("datetime64[s]")
    ctx.check_future(day, ctx.header_of("purchase_date"))
    status = per_unique(ctx.raw("status"), _lower)
    cancelled = status.isin(["cancelled", "canceled"]).to_numpy()
    quantity = ctx.number("quantity")
    price = ctx.number("item_price")
    promo = ctx.number("promotion_discount") if ctx.has("promotion_discount") else None
    shipping = ctx.number("shipping_price") if ctx.has("shipping_price") else None
    business = (
        per_unique(ctx.raw("business"), _lower).isin(["true", "yes", "1"]).to_numpy()
        if ctx.has("business")
        else np.zeros(len(status), dtype=bool)
    )
    currency = (
        per_unique(ctx.raw("currency"), lambda v: v.str.strip().str.upper())
        if ctx.has("currency")
        else None
    )
    default_ccy = pd.Series(site_currency[codes], index=channel.index)
    if currency is None:
        currency = default_ccy
    else:
        currency = currency.where(currency != "", default_ccy)
    sku = ctx.text("sku", required=True)
    order_id = ctx.raw("order_id")
    ctx.reject(
        (order_id == "").to_numpy(), ctx.header_of("order_id"), ReasonCode.MISSING_VALUE
    )

    good = ~ctx.bad & ~non_amazon
    kept = good & ~cancelled
    unpriced = kept & price.isna().to_numpy()
    if unpriced.any():
        ctx.warn(
            unpriced,
            ctx.header_of("item_price"),
            ReasonCode.PRICE_NOT_YET_KNOWN,
            status,
        )
    if non_amazon.any():
        ctx.notes.append(
            f"{int(non_amazon.sum())} Non-Amazon (Multi-Channel Fulfilment) lines left "
            "out: they are sales of the other channel"
        )
    lines = pd.DataFrame(
        {
            "start": day,
            "end": day,
            "platform": "amazon",
            "marketplace": market,
            "sku": sku,
            "currency": currency,
            "order_id": order_id,
            "status": status,
            "business": business,
            "cancelled": cancelled,
            "ordered_product_sales": price,
            "units_ordered": quantity,
            "order_items": 1.0,
        }
    )
    lines["ordered_product_sales_b2b"] = price.where(business, 0.0)
    lines["units_ordered_b2b"] = quantity.where(business, 0.0)
    lines["order_items_b2b"] = business.astype("float64")
    if promo is not None:
        lines["discounts"] = -promo
    if shipping is not None:
        lines["shipping_revenue"] = shipping
    item_lines = lines[kept]
    keys = ["start", "end", "platform", "marketplace", "currency"]
    orders = (
        item_lines[~item_lines["order_id"].duplicated().to_numpy()]
        .groupby(keys, sort=False)
        .size()
        .rename("orders")
        .reset_index()
    )
    cancelled_lines = lines[good & cancelled]
    cancelled_orders = (
        cancelled_lines[~cancelled_lines["order_id"].duplicated().to_numpy()]
        .groupby(keys, sort=False)
        .size()
        .rename("cancelled_orders")
        .reset_index()
    )
    line_metrics = [m for m in ORDER_METRICS[:8] if m in item_lines]
    facts = facts_from_lines(
        [
            item_lines[[*keys, "sku", *line_metrics]],
            orders.astype({"orders": "float64"}),
            cancelled_orders.astype({"cancelled_orders": "float64"}),
        ],
        ORDER_METRICS,
    )
    keep_lines = lines[good] if ctx.options.keep_lines else None
    return ReaderOutput(facts=facts, lines=keep_lines)
