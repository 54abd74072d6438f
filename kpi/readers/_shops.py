"""Order exports of own stores and marketplaces: Shopify, TikTok Shop, Shopee.

All three list one row per line item. Order-level columns are either blank on an
order's later rows (Shopify) or repeated on every row (TikTok Shop, Shopee); either
way they are counted once per order, on the order's day, with no SKU.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from kpi.readers._context import Columns, ReadContext, currency_suffix, facts_from_lines
from kpi.readers._markets import HOME_MARKET, MARKET_CURRENCY
from kpi.readers._model import ReasonCode
from kpi.readers._spec import ReaderOutput

__all__ = [
    "SHOPEE",
    "SHOPIFY",
    "TIKTOK",
    "read_shopee",
    "read_shopify",
    "read_tiktok",
]

_LINE_KEYS = ["start", "end", "platform", "marketplace", "sku", "currency"]
_ORDER_KEYS = ["start", "end", "platform", "marketplace", "currency"]


def _market_currency(
    ctx: ReadContext, file_currency: str, default_market: str
) -> tuple[str, str]:
    currency = ctx.options.currency or file_currency
    market = ctx.options.marketplace or HOME_MARKET.get(currency, "") or default_market
    if not currency:
        currency = MARKET_CURRENCY.get(market, "")
    return market, currency


# --------------------------------------------------------------------------- Shopify

SHOPIFY = Columns(
    aliases={
        "name": ("Name",),
        "email": ("Email",),
        "financial_status": ("Financial Status",),
        "fulfillment_status": ("Fulfillment Status",),
        "currency": ("Currency",),
        "subtotal": ("Subtotal",),
        "shipping": ("Shipping",),
        "taxes": ("Taxes",),
        "total": ("Total",),
        "discount_code": ("Discount Code",),
        "discount_amount": ("Discount Amount",),
        "created_at": ("Created at",),
        "quantity": ("Lineitem quantity",),
        "line_name": ("Lineitem name",),
        "price": ("Lineitem price",),
        "sku": ("Lineitem sku",),
        "line_discount": ("Lineitem discount",),
        "cancelled_at": ("Cancelled at",),
        "refunded": ("Refunded Amount",),
        "tags": ("Tags",),
        "vendor": ("Vendor",),
        "source": ("Source",),
        "id": ("Id",),
    },
    required=("name", "financial_status", "created_at", "quantity", "price"),
    known=(
        "Paid at",
        "Fulfilled at",
        "Accepts Marketing",
        "Shipping Method",
        "Lineitem compare at price",
        "Lineitem requires shipping",
        "Lineitem taxable",
        "Lineitem fulfillment status",
        "Billing Name",
        "Billing Street",
        "Billing Address1",
        "Billing Address2",
        "Billing Company",
        "Billing City",
        "Billing Zip",
        "Billing Province",
        "Billing Country",
        "Billing Phone",
        "Shipping Name",
        "Shipping Street",
        "Shipping Address1",
        "Shipping Address2",
        "Shipping Company",
        "Shipping City",
        "Shipping Zip",
        "Shipping Province",
        "Shipping Country",
        "Shipping Phone",
        "Notes",
        "Note Attributes",
        "Payment Method",
        "Payment Reference",
        "Risk Level",
        "Tax 1 Name",
        "Tax 1 Value",
        "Tax 2 Name",
        "Tax 2 Value",
        "Tax 3 Name",
        "Tax 3 Value",
        "Tax 4 Name",
        "Tax 4 Value",
        "Tax 5 Name",
        "Tax 5 Value",
        "Phone",
        "Receipt Number",
        "Duties",
        "Billing Province Name",
        "Shipping Province Name",
        "Payment Terms Name",
        "Next Payment Due At",
    ),
)

_SHOPIFY_LINE = ["ordered_product_sales", "units_ordered", "order_items", "discounts"]
_SHOPIFY_ORDER = [
    "orders",
    "shipping_revenue",
    "refunds",
    "cancelled_orders",
    "discounts",
]


def read_shopify(ctx: ReadContext) -> ReaderOutput:
    """Orders export: gross = price × quantity, voided orders out, refunds apart.

    Refunds are merchandise only: a ``refunded`` order returns its ``Subtotal``, any
    other order its ``Refunded Amount`` (Shopify refunds shipping only on full
    refunds). Refunds are dated on the order's day: the export has no refund date.
    """
    name = ctx.text("name", required=True)
    status = ctx.raw("financial_status").str.strip().str.lower()
    first = (status != "").to_numpy() & ~name.duplicated().to_numpy()
    order_status = status.where(first, None)
    carried = order_status.groupby(name).transform("first")
    orphan = carried.isna().to_numpy()
    ctx.reject(orphan, ctx.header_of("financial_status"), ReasonCode.MISSING_VALUE)
    carried = carried.fillna("")
    voided = (carried == "voided").to_numpy()
    created = ctx.raw("created_at").str.strip()
    day = ctx.dates(
        "created_at", ["%Y-%m-%d", "%m/%d/%Y", "%d/%m/%Y"], values=created.str[:10]
    )
    quantity = ctx.number("quantity", required=True)
    price = ctx.number("price", required=True)
    line_discount = ctx.number("line_discount") if ctx.has("line_discount") else None
    currency_raw = ctx.raw("currency").str.strip().str.upper().where(first, None)
    file_currency = currency_raw.dropna()
    market, default_currency = _market_currency(
        ctx, str(file_currency.iloc[0]) if len(file_currency) else "", "US"
    )
    currency = currency_raw.groupby(name).transform("first").fillna(default_currency)
    currency = currency.where(currency != "", default_currency)

    def order_number(key: str) -> pd.Series:
        if not ctx.has(key):
            return pd.Series(np.nan, index=name.index)
        values = ctx.number(key)
        return values.where(first, np.nan)

    subtotal = order_number("subtotal")
    shipping = order_number("shipping")
    refunded = order_number("refunded")
    discount_amount = order_number("discount_amount")
    refunds = subtotal.where(carried == "refunded", refunded)

    lines = pd.DataFrame(
        {
            "start": day,
            "end": day,
            "platform": "shopify",
            "marketplace": market,
            "sku": ctx.text("sku"),
            "currency": currency,
            "order": name,
            "first_row": first,
            "financial_status": carried,
            "ordered_product_sales": price * quantity,
            "units_ordered": quantity,
            "order_items": 1.0,
            "subtotal": subtotal,
            "shipping": shipping,
            "taxes": order_number("taxes"),
            "total": order_number("total"),
            "discount_amount": discount_amount,
            "refunded_amount": refunded,
            "refunds": refunds,
        }
    )
    if line_discount is not None:
        lines["discounts"] = line_discount.fillna(0.0)
    ctx.reject_orders_with_bad_rows(name, ctx.header_of("name"))
    good = ~ctx.bad
    kept = lines[good & ~voided]
    line_metrics = [m for m in _SHOPIFY_LINE if m in kept]
    order_rows = kept[kept["first_row"]]
    orders = order_rows[_ORDER_KEYS].assign(
        orders=1.0,
        shipping_revenue=order_rows["shipping"],
        refunds=order_rows["refunds"],
    )
    if line_discount is None:
        orders["discounts"] = order_rows["discount_amount"]
    voided_orders = lines[good & voided & first][_ORDER_KEYS].assign(
        cancelled_orders=1.0
    )
    facts = facts_from_lines(
        [kept[[*_LINE_KEYS, *line_metrics]], orders, voided_orders],
        [*_SHOPIFY_LINE, *_SHOPIFY_ORDER],
    )
    return ReaderOutput(facts=facts, lines=lines[good])


# --------------------------------------------------------------------------- TikTok Shop

TIKTOK = Columns(
    aliases={
        "order_id": ("Order ID", "订单号", "订单 ID"),
        "status": ("Order Status", "订单状态"),
        "substatus": ("Order Substatus", "订单子状态"),
        "cancel_type": (
            "Cancelation/Return Type",
            "Cancellation/Return Type",
            "取消/退货类型",
        ),
        "sku_id": ("SKU ID",),
        "sku": ("Seller SKU", "卖家SKU"),
        "product": ("Product Name", "商品名称"),
        "quantity": ("Quantity", "数量"),
        "returned": ("Sku Quantity of return", "SKU Quantity of return"),
        "unit_price": ("SKU Unit Original Price",),
        "subtotal_before": ("SKU Subtotal Before Discount",),
        "platform_discount": ("SKU Platform Discount",),
        "seller_discount": ("SKU Seller Discount",),
        "subtotal_after": ("SKU Subtotal After Discount",),
        "shipping_after": ("Shipping Fee After Discount",),
        "taxes": ("Taxes",),
        "order_amount": ("Order Amount",),
        "refund": ("Order Refund Amount",),
        "created": ("Created Time", "创建时间"),
        "package_id": ("Package ID",),
    },
    required=("order_id", "status", "sku", "quantity", "subtotal_before", "created"),
    known=(
        "Normal or Pre-order",
        "Variation",
        "Original Shipping Fee",
        "Shipping Fee Seller Discount",
        "Shipping Fee Platform Discount",
        "Payment platform discount",
        "Paid Time",
        "RTS Time",
        "Shipped Time",
        "Delivered Time",
        "Cancelled Time",
        "Cancel By",
        "Cancel Reason",
        "Fulfillment Type",
        "Warehouse Name",
        "Tracking ID",
        "Delivery Option",
        "Shipping Provider Name",
        "Buyer Message",
        "Buyer Username",
        "Recipient",
        "Phone #",
        "Zipcode",
        "Country",
        "State",
        "City",
        "Detail Address",
        "Additional address information",
        "Payment Method",
        "Weight(kg)",
        "Product Category",
        "Seller Note",
        "Checked Status",
        "Checked Marked by",
    ),
)

_TIKTOK_LINE = [
    "ordered_product_sales",
    "units_ordered",
    "order_items",
    "discounts",
    "refunded_units",
]
_ORDER_LEVEL = [
    "orders",
    "shipping_revenue",
    "refunds",
    "cancelled_orders",
    "discounts",
    "platform_fees",
]


def _order_level(
    lines: pd.DataFrame, kept: np.ndarray, cancelled: np.ndarray, good: np.ndarray
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One row per order (its first row) for kept and for cancelled orders."""
    first = ~lines["order"].duplicated().to_numpy()
    orders = lines[kept & first]
    dropped = lines[good & cancelled & first][_ORDER_KEYS].assign(cancelled_orders=1.0)
    return orders, dropped


def read_tiktok(ctx: ReadContext) -> ReaderOutput:
    """TikTok Shop: GMV = SKU subtotal before discounts; cancelled orders out."""
    order_id = ctx.text("order_id", required=True)
    status = ctx.raw("status").str.strip().str.lower()
    cancel_type = ctx.raw("cancel_type").str.strip().str.lower()
    cancelled = (
        status.isin(["cancelled", "canceled"]) | (cancel_type == "cancel")
    ).to_numpy()
    created = ctx.raw("created").str.strip()
    day = ctx.dates(
        "created", ["%d/%m/%Y", "%Y-%m-%d", "%m/%d/%Y"], values=created.str[:10]
    )
    market, currency = _market_currency(ctx, currency_suffix(ctx.grid.header), "US")
    platform_discount = ctx.number("platform_discount").fillna(0.0)
    seller_discount = ctx.number("seller_discount").fillna(0.0)
    lines = pd.DataFrame(
        {
            "start": day,
            "end": day,
            "platform": "tiktok_shop",
            "marketplace": market,
            "sku": ctx.text("sku"),
            "currency": currency,
            "order": order_id,
            "status": status,
            "cancelled": cancelled,
            "ordered_product_sales": ctx.number("subtotal_before", required=True),
            "units_ordered": ctx.number("quantity", required=True),
            "order_items": 1.0,
            "discounts": platform_discount + seller_discount,
            "platform_discount": platform_discount,
            "seller_discount": seller_discount,
            "subtotal_after": ctx.number("subtotal_after"),
            "refunded_units": ctx.number("returned"),
            "shipping_revenue": ctx.number("shipping_after"),
            "taxes": ctx.number("taxes"),
            "order_amount": ctx.number("order_amount"),
            "refunds": ctx.number("refund"),
        }
    )
    ctx.reject_orders_with_bad_rows(order_id, ctx.header_of("order_id"))
    good = ~ctx.bad
    kept = good & ~cancelled
    orders, dropped = _order_level(lines, kept, cancelled, good)
    order_facts = orders[_ORDER_KEYS].assign(
        orders=1.0,
        shipping_revenue=orders["shipping_revenue"],
        refunds=orders["refunds"],
    )
    facts = facts_from_lines(
        [lines[kept][[*_LINE_KEYS, *_TIKTOK_LINE]], order_facts, dropped],
        [*_TIKTOK_LINE, *_ORDER_LEVEL],
    )
    return ReaderOutput(facts=facts, lines=lines[good])


# --------------------------------------------------------------------------- Shopee

SHOPEE = Columns(
    aliases={
        "order_id": ("Order ID", "订单编号"),
        "status": ("Order Status", "订单状态"),
        "cancel_reason": ("Cancel reason",),
        "return_status": ("Return / Refund Status",),
        "created": ("Order Creation Date", "订单创建日期"),
        "parent_sku": ("Parent SKU Reference No.",),
        "sku": ("SKU Reference No.", "Parent SKU Reference No."),
        "product": ("Product Name",),
        "original_price": ("Original Price",),
        "deal_price": ("Deal Price",),
        "quantity": ("Quantity",),
        "returned": ("Returned quantity",),
        "subtotal": ("Product Subtotal",),
        "total_discount": ("Total Discount",),
        "paid_by_buyer": ("Products' Price Paid by Buyer",),
        "shipping_fee": ("Buyer Paid Shipping Fee",),
        "service_fee": ("Service Fee",),
        "grand_total": ("Grand Total",),
    },
    required=("order_id", "status", "created", "sku", "quantity", "subtotal"),
)

_SHOPEE_LINE = [
    "ordered_product_sales",
    "units_ordered",
    "order_items",
    "refunded_units",
    "refunds",
]


def read_shopee(ctx: ReadContext) -> ReaderOutput:
    """Shopee: GMV = Product Subtotal (deal price × quantity); cancelled orders out.

    Refunds are returned quantity × deal price, on the order's day. Order discounts
    (vouchers, coins, rebates) are Σ Product Subtotal − Products' Price Paid by Buyer.
    """
    order_id = ctx.text("order_id", required=True)
    status = ctx.raw("status").str.strip().str.lower()
    cancelled = status.isin(["cancelled", "canceled"]).to_numpy()
    created = ctx.raw("created").str.strip()
    day = ctx.dates(
        "created", ["%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"], values=created.str[:10]
    )
    market, currency = _market_currency(ctx, currency_suffix(ctx.grid.header), "SG")
    quantity = ctx.number("quantity", required=True)
    returned = ctx.number("returned").fillna(0.0)
    deal = ctx.number("deal_price")
    lines = pd.DataFrame(
        {
            "start": day,
            "end": day,
            "platform": "shopee",
            "marketplace": market,
            "sku": ctx.text("sku"),
            "currency": currency,
            "order": order_id,
            "status": status,
            "cancelled": cancelled,
            "ordered_product_sales": ctx.number("subtotal", required=True),
            "units_ordered": quantity,
            "order_items": 1.0,
            "refunded_units": returned,
            "refunds": returned * deal.fillna(0.0),
            "paid_by_buyer": ctx.number("paid_by_buyer"),
            "shipping_revenue": ctx.number("shipping_fee"),
            "platform_fees": ctx.number("service_fee"),
            "grand_total": ctx.number("grand_total"),
        }
    )
    ctx.reject_orders_with_bad_rows(order_id, ctx.header_of("order_id"))
    good = ~ctx.bad
    kept = good & ~cancelled
    orders, dropped = _order_level(lines, kept, cancelled, good)
    subtotal_by_order = lines[kept].groupby("order")["ordered_product_sales"].sum()
    order_facts = orders[_ORDER_KEYS].assign(
        orders=1.0,
        shipping_revenue=orders["shipping_revenue"],
        platform_fees=orders["platform_fees"],
        discounts=orders["order"].map(subtotal_by_order) - orders["paid_by_buyer"],
    )
    facts = facts_from_lines(
        [lines[kept][[*_LINE_KEYS, *_SHOPEE_LINE]], order_facts, dropped],
        [*_SHOPEE_LINE, *_ORDER_LEVEL],
    )
    return ReaderOutput(facts=facts, lines=lines[good])
