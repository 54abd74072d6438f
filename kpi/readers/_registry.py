"""The formats the readers know, and detection from the header row.

Detection reads the first rows of each sheet and, for every format, looks for a row
holding all the format's required columns (in any of their spellings) and none of
its forbidden ones. Confidence grows with the share of that row's headers the format
knows. The file name is never used for the format, only for hints (period, site).
"""

from __future__ import annotations

from dataclasses import dataclass

from kpi.readers import _ads, _amazon, _amazon_orders, _erp, _shops
from kpi.readers._context import Columns, strip_currency_suffix
from kpi.readers._model import FormatInfo, FormatKind
from kpi.readers._source import normalise_header
from kpi.readers._spec import FormatSpec

__all__ = ["FORMATS", "HeaderMatch", "find_spec", "format_info", "match_header"]


def _info(
    key: str,
    zh: str,
    en: str,
    platform: str,
    kind: FormatKind,
    needs_period: bool = False,
) -> FormatInfo:
    return FormatInfo(key, zh, en, platform, kind, needs_period)


FORMATS: tuple[FormatSpec, ...] = (
    FormatSpec(
        _info(
            "amazon_business_report_child",
            "亚马逊业务报告（按子商品）",
            "Amazon Business Report – by child item",
            "amazon",
            FormatKind.TRAFFIC,
            needs_period=True,
        ),
        _amazon.BUSINESS_CHILD,
        _amazon.read_business_child,
    ),
    FormatSpec(
        _info(
            "amazon_business_report_date",
            "亚马逊业务报告（按日期）",
            "Amazon Business Report – by date",
            "amazon",
            FormatKind.TRAFFIC,
        ),
        _amazon.BUSINESS_BY_DATE,
        _amazon.read_business_by_date,
    ),
    FormatSpec(
        _info(
            "amazon_sp_advertised_product",
            "亚马逊商品推广 – 推广的商品报告",
            "Amazon Sponsored Products – advertised product report",
            "amazon",
            FormatKind.ADS,
        ),
        _amazon.SP_ADVERTISED_PRODUCT,
        _amazon.read_sp_ads,
    ),
    FormatSpec(
        _info(
            "amazon_sp_campaign",
            "亚马逊商品推广 – 广告活动报告",
            "Amazon Sponsored Products – campaign report",
            "amazon",
            FormatKind.ADS,
        ),
        _amazon.SP_CAMPAIGN,
        _amazon.read_sp_ads,
    ),
    FormatSpec(
        _info(
            "amazon_all_orders",
            "亚马逊所有订单报告",
            "Amazon All Orders report (flat file)",
            "amazon",
            FormatKind.ORDERS,
        ),
        _amazon_orders.ALL_ORDERS,
        _amazon_orders.read_all_orders,
    ),
    FormatSpec(
        _info(
            "shopify_orders",
            "Shopify 订单导出",
            "Shopify orders export",
            "shopify",
            FormatKind.ORDERS,
        ),
        _shops.SHOPIFY,
        _shops.read_shopify,
    ),
    FormatSpec(
        _info(
            "tiktok_shop_orders",
            "TikTok Shop 订单导出",
            "TikTok Shop order export",
            "tiktok_shop",
            FormatKind.ORDERS,
        ),
        _shops.TIKTOK,
        _shops.read_tiktok,
        description_row="order_id",
    ),
    FormatSpec(
        _info(
            "shopee_orders",
            "Shopee 订单导出",
            "Shopee order export",
            "shopee",
            FormatKind.ORDERS,
        ),
        _shops.SHOPEE,
        _shops.read_shopee,
    ),
    FormatSpec(
        _info(
            "google_ads_campaign",
            "Google Ads 广告系列报告",
            "Google Ads campaign report",
            "google_ads",
            FormatKind.ADS,
        ),
        _ads.GOOGLE_ADS,
        _ads.read_google_ads,
    ),
    FormatSpec(
        _info(
            "meta_ads",
            "Meta 广告管理工具导出",
            "Meta Ads Manager export",
            "meta_ads",
            FormatKind.ADS,
        ),
        _ads.META_ADS,
        _ads.read_meta_ads,
    ),
    FormatSpec(
        _info(
            "erp_stock",
            "ERP 库存报表",
            "ERP stock export",
            "erp",
            FormatKind.INVENTORY,
        ),
        _erp.ERP_STOCK,
        _erp.read_erp_stock,
    ),
    FormatSpec(
        _info(
            "fx_rates_monthly",
            "月度汇率表",
            "Monthly FX rates",
            "",
            FormatKind.FX_RATES,
        ),
        _erp.FX_RATES,
        _erp.read_fx,
    ),
    FormatSpec(
        _info(
            "product_catalog",
            "商品主数据",
            "Product catalogue",
            "",
            FormatKind.CATALOG,
        ),
        _erp.CATALOG,
        _erp.read_catalog,
    ),
)

GENERIC_INFO = _info(
    "generic",
    "通用表格（按列映射）",
    "Any CSV/XLSX (column mapping)",
    "",
    FormatKind.GENERIC,
)

_BY_KEY = {spec.info.key: spec for spec in FORMATS}


def find_spec(key: str) -> FormatSpec | None:
    return _BY_KEY.get(key)


def format_info(key: str) -> FormatInfo:
    if key == GENERIC_INFO.key:
        return GENERIC_INFO
    return _BY_KEY[key].info


@dataclass(frozen=True, slots=True)
class HeaderMatch:
    """How well one row matches one format."""

    spec: FormatSpec
    row_index: int
    confidence: float
    known: int
    width: int
    missing: tuple[str, ...]


def _present(columns: Columns, name: str, cells: set[str]) -> bool:
    return any(alias in cells for alias in columns.normalised(name))


def match_header(spec: FormatSpec, row: list[str], row_index: int) -> HeaderMatch:
    raw = [normalise_header(c) for c in row if c.strip()]
    cells = set(raw) | {strip_currency_suffix(c) for c in raw}
    columns = spec.columns
    missing = tuple(n for n in columns.required if not _present(columns, n, cells))
    forbidden = any(_present(columns, n, cells) for n in columns.forbidden)
    aliases = {a for name in columns.aliases for a in columns.normalised(name)}
    aliases |= {normalise_header(k) for k in columns.known}
    known = sum(1 for c in raw if c in aliases or strip_currency_suffix(c) in aliases)
    width = max(len(raw), 1)
    if missing or forbidden:
        share = (len(columns.required) - len(missing)) / max(len(columns.required), 1)
        confidence = 0.0 if forbidden else round(0.5 * share, 2)
    else:
        confidence = round(0.7 + 0.3 * known / width, 2)
    return HeaderMatch(spec, row_index, confidence, known, width, missing)
