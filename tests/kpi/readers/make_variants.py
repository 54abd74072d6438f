"""Writes the synthetic variant and bad files in kpi/samples/variants/.

Run by hand (``python tests/kpi/readers/make_variants.py``); the output is committed
so tests never depend on this script. Each variant keeps its source's README totals
unless its name starts with ``bad_``.
"""

from __future__ import annotations

import csv
import io
import random
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3] / "kpi" / "samples"
OUT = ROOT / "variants"


def _rows(name: str) -> list[list[str]]:
    text = (ROOT / name).read_text(encoding="utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def _csv(rows: list[list[str]], quote_all: bool = True, delimiter: str = ",") -> str:
    buf = io.StringIO()
    quoting = csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL
    writer = csv.writer(
        buf, delimiter=delimiter, quoting=quoting, lineterminator="\r\n"
    )
    writer.writerows(rows)
    return buf.getvalue()


def google_utf16() -> None:
    lines = (ROOT / "google_ads_campaign_daily_2026-05.csv").read_text("utf-8")
    rows = list(csv.reader(io.StringIO(lines)))
    text = "\r\n".join("\t".join(r) for r in rows) + "\r\n"
    (OUT / "google_ads_campaign_daily_2026-05_utf16.csv").write_bytes(
        b"\xff\xfe" + text.encode("utf-16-le")
    )


def erp_gbk() -> None:
    text = (ROOT / "erp_inventory_2026-06-30.csv").read_text("utf-8")
    (OUT / "erp_inventory_2026-06-30_gbk.csv").write_bytes(
        text.replace("\n", "\r\n").encode("gbk")
    )


def child_device_split() -> None:
    rows = _rows("amazon_us_business_report_child_2026-05.csv")
    header, body = rows[0], rows[1:]
    idx = {h: i for i, h in enumerate(header)}
    out_header = [
        "(Parent) ASIN",
        "(Child) ASIN",
        "Title",
        "SKU",
        "Mobile App Sessions",
        "Mobile App Sessions - B2B",
        "Browser Sessions",
        "Browser Sessions - B2B",
        "Mobile App Page Views",
        "Mobile App Page Views - B2B",
        "Browser Page Views",
        "Browser Page Views - B2B",
        "Buy Box Percentage",
        "Units Ordered",
        "Units Ordered - B2B",
        "Unit Session Percentage",
        "Ordered Product Sales",
        "Ordered Product Sales - B2B",
        "Total Order Items",
        "Total Order Items - B2B",
    ]

    def split(value: str) -> tuple[str, str]:
        n = int(value.replace(",", ""))
        app = round(n * 0.62)
        return f"{app:,}", f"{n - app:,}"

    out = [out_header]
    for r in body:
        s_app, s_web = split(r[idx["Sessions - Total"]])
        sb_app, sb_web = split(r[idx["Sessions - Total - B2B"]])
        p_app, p_web = split(r[idx["Page Views - Total"]])
        pb_app, pb_web = split(r[idx["Page Views - Total - B2B"]])
        out.append(
            [
                r[0],
                r[1],
                r[2],
                r[3],
                s_app,
                sb_app,
                s_web,
                sb_web,
                p_app,
                pb_app,
                p_web,
                pb_web,
                r[idx["Featured Offer (Buy Box) Percentage"]],
                r[idx["Units Ordered"]],
                r[idx["Units Ordered - B2B"]],
                r[idx["Unit Session Percentage"]],
                r[idx["Ordered Product Sales"]],
                r[idx["Ordered Product Sales - B2B"]],
                r[idx["Total Order Items"]],
                r[idx["Total Order Items - B2B"]],
            ]
        )
    (OUT / "amazon_us_business_report_child_2026-05_device_split.csv").write_text(
        _csv(out), "utf-8"
    )


def child_endash() -> None:
    rows = _rows("amazon_us_business_report_child_2026-05.csv")
    rows[0] = [h.replace(" - ", " \u2013 ") for h in rows[0]]
    (OUT / "amazon_us_business_report_child_2026-05_endash.csv").write_text(
        _csv(rows), "utf-8"
    )


def sp_campaign() -> None:
    rows = _rows("amazon_us_sp_advertised_product_2026-05.csv")
    header, body = rows[0], rows[1:]
    idx = {h.strip(): i for i, h in enumerate(header)}
    sums: dict[tuple[str, str, str], list[float]] = {}
    for r in body:
        key = (r[idx["Start Date"]], r[idx["Portfolio name"]], r[idx["Campaign Name"]])
        acc = sums.setdefault(key, [0.0] * 5)
        for i, col in enumerate(
            [
                "Impressions",
                "Clicks",
                "Spend",
                "7 Day Total Sales",
                "7 Day Total Orders (#)",
            ]
        ):
            acc[i] += float(r[idx[col]] or 0)
    out = [
        [
            "Start Date",
            "End Date",
            "Portfolio name",
            "Currency",
            "Campaign Name",
            "Retailer",
            "Country",
            "Status",
            "Budget",
            "Impressions",
            "Clicks",
            "Click-Thru Rate (CTR)",
            "Spend",
            "Cost Per Click (CPC)",
            "7 Day Total Orders (#)",
            "Total Advertising Cost of Sales (ACoS)",
            "Total Return on Advertising Spend (ROAS)",
            "7 Day Total Sales ",
        ]
    ]
    for (day, portfolio, campaign), (imp, clicks, spend, sales, orders) in sums.items():
        out.append(
            [
                day,
                day,
                portfolio,
                "USD",
                campaign,
                "Amazon",
                "United States",
                "ENABLED",
                "50.00",
                str(int(imp)),
                str(int(clicks)),
                f"{clicks / imp * 100:.2f}%" if imp else "",
                f"{spend:.2f}",
                f"{spend / clicks:.2f}" if clicks else "",
                str(int(orders)),
                f"{spend / sales * 100:.2f}%" if sales else "",
                f"{sales / spend:.2f}" if spend else "",
                f"{sales:.2f}",
            ]
        )
    (OUT / "amazon_us_sp_campaign_2026-05.csv").write_text(
        _csv(out, quote_all=False), "utf-8"
    )


def de_by_date() -> None:
    out = [
        [
            "Datum",
            "Date",
            "Ordered Product Sales",
            "Units Ordered",
            "Total Order Items",
        ],
    ]
    out = [
        [
            "Date",
            "Ordered Product Sales",
            "Units Ordered",
            "Total Order Items",
            "Sessions - Total",
        ]
    ]
    out += [
        ["01.05.26", "1.234,56 €", "40", "35", "1.020"],
        ["02.05.26", "987,10 €", "31", "30", "875"],
        ["13.05.26", "2.003,00 €", "66", "60", "1.512"],
    ]
    (OUT / "amazon_de_business_report_bydate_2026-05.csv").write_text(
        _csv(out, delimiter=";"), "utf-8"
    )


def bad_files() -> None:
    (OUT / "bad_empty.csv").write_bytes(b"")
    google = (ROOT / "google_ads_campaign_daily_2026-05.csv").read_text("utf-8")
    lines = google.splitlines()
    (OUT / "bad_header_only.csv").write_text("\n".join(lines[:3]) + "\n", "utf-8")
    erp = (ROOT / "erp_inventory_2026-06-30.csv").read_text("utf-8").splitlines()
    (OUT / "bad_wrong_delimiter.csv").write_text(
        "\n".join(line.replace(",", " ") for line in erp[:10]) + "\n", "utf-8"
    )
    # rows 4..13 of the Google file (lines 1-3 are titles and header)
    body = list(csv.reader(io.StringIO("\n".join(lines[3:13]))))
    body[2][3] = "abc" + body[2][3]  # row 6: text in Cost
    body[4][1] = '=HYPERLINK("http://example.com","x")'  # row 8: kept as text
    body[5][1] = "@SUM(A1:A9)"  # row 9: kept as text
    body[6][5] = "=1+2"  # row 10: a formula in Clicks is not a number
    body[8][0] = "2099-01-01"  # row 12: future date
    (OUT / "bad_cells_google_ads.csv").write_text(
        "\n".join(lines[:3]) + "\n" + _csv(body, quote_all=False), "utf-8"
    )
    header = lines[2].replace("Conversions", "Clicks").replace("Currency code", "Cost")
    (OUT / "bad_duplicate_headers.csv").write_text(
        "\n".join([header, *lines[3:8]]) + "\n", "utf-8"
    )
    orders = (ROOT / "amazon_all_orders_2026-05.txt").read_text("utf-8").splitlines()
    part = orders[:21]
    part[4] = "\t".join(part[4].split("\t")[:12])  # row 5: truncated
    part[8] = part[8] + "\tEXTRA"  # row 9: one field too many
    (OUT / "bad_truncated_all_orders.txt").write_text("\n".join(part) + "\n", "utf-8")
    shopee = (ROOT / "shopee_sg_orders_2026-05.xlsx").read_bytes()
    (OUT / "bad_corrupt.xlsx").write_bytes(shopee[: len(shopee) // 3])
    rng = random.Random(4)
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(
        rng.randrange(256) for _ in range(4096)
    )
    (OUT / "bad_password_protected.xlsx").write_bytes(ole)
    (OUT / "bad_not_a_zip.xlsx").write_text("this is not a workbook\n", "utf-8")


def main() -> None:
    OUT.mkdir(exist_ok=True)
    google_utf16()
    erp_gbk()
    child_device_split()
    child_endash()
    sp_campaign()
    de_by_date()
    bad_files()


if __name__ == "__main__":
    main()
