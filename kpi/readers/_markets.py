"""Marketplace codes, their time zones and currencies.

A marketplace is written as an upper-case country code (``US``, ``UK``, ``DE``, ``SG``):
the site for marketplaces, the home market for an own store.
"""

from __future__ import annotations

import re

from kpi.readers._source import normalise_header

__all__ = [
    "AMAZON_SITES",
    "COUNTRY_CODES",
    "HOME_MARKET",
    "MARKET_CURRENCY",
    "MARKET_TIMEZONE",
    "marketplace_from_filename",
]

# sales-channel -> marketplace
AMAZON_SITES: dict[str, str] = {
    "amazon.com": "US",
    "amazon.ca": "CA",
    "amazon.com.mx": "MX",
    "amazon.com.br": "BR",
    "amazon.co.uk": "UK",
    "amazon.de": "DE",
    "amazon.fr": "FR",
    "amazon.it": "IT",
    "amazon.es": "ES",
    "amazon.nl": "NL",
    "amazon.se": "SE",
    "amazon.pl": "PL",
    "amazon.com.be": "BE",
    "amazon.com.tr": "TR",
    "amazon.ae": "AE",
    "amazon.sa": "SA",
    "amazon.in": "IN",
    "amazon.co.jp": "JP",
    "amazon.com.au": "AU",
    "amazon.sg": "SG",
}

MARKET_TIMEZONE: dict[str, str] = {
    "US": "America/Los_Angeles",
    "CA": "America/Los_Angeles",
    "MX": "America/Los_Angeles",
    "BR": "America/Sao_Paulo",
    "UK": "Europe/London",
    "DE": "Europe/Berlin",
    "FR": "Europe/Paris",
    "IT": "Europe/Rome",
    "ES": "Europe/Madrid",
    "NL": "Europe/Amsterdam",
    "SE": "Europe/Stockholm",
    "PL": "Europe/Warsaw",
    "BE": "Europe/Brussels",
    "TR": "Europe/Istanbul",
    "AE": "Asia/Dubai",
    "SA": "Asia/Riyadh",
    "IN": "Asia/Kolkata",
    "JP": "Asia/Tokyo",
    "AU": "Australia/Sydney",
    "SG": "Asia/Singapore",
    "MY": "Asia/Kuala_Lumpur",
    "PH": "Asia/Manila",
    "TH": "Asia/Bangkok",
    "VN": "Asia/Ho_Chi_Minh",
    "ID": "Asia/Jakarta",
    "TW": "Asia/Taipei",
}

MARKET_CURRENCY: dict[str, str] = {
    "US": "USD",
    "CA": "CAD",
    "MX": "MXN",
    "BR": "BRL",
    "UK": "GBP",
    "DE": "EUR",
    "FR": "EUR",
    "IT": "EUR",
    "ES": "EUR",
    "NL": "EUR",
    "BE": "EUR",
    "SE": "SEK",
    "PL": "PLN",
    "TR": "TRY",
    "AE": "AED",
    "SA": "SAR",
    "IN": "INR",
    "JP": "JPY",
    "AU": "AUD",
    "SG": "SGD",
    "MY": "MYR",
    "PH": "PHP",
    "TH": "THB",
    "VN": "VND",
    "ID": "IDR",
    "TW": "TWD",
}

# currency -> the market a file in that currency most likely comes from
HOME_MARKET: dict[str, str] = {
    "USD": "US",
    "GBP": "UK",
    "EUR": "DE",
    "SGD": "SG",
    "CAD": "CA",
    "JPY": "JP",
    "AUD": "AU",
    "MYR": "MY",
    "PHP": "PH",
    "THB": "TH",
    "VND": "VN",
    "IDR": "ID",
    "TWD": "TW",
    "MXN": "MX",
    "BRL": "BR",
}

COUNTRY_CODES: dict[str, str] = {
    normalise_header(name): code
    for name, code in {
        "United States": "US",
        "USA": "US",
        "US": "US",
        "美国": "US",
        "United Kingdom": "UK",
        "UK": "UK",
        "GB": "UK",
        "英国": "UK",
        "Germany": "DE",
        "Deutschland": "DE",
        "DE": "DE",
        "德国": "DE",
        "France": "FR",
        "法国": "FR",
        "Italy": "IT",
        "意大利": "IT",
        "Spain": "ES",
        "西班牙": "ES",
        "Canada": "CA",
        "加拿大": "CA",
        "Mexico": "MX",
        "Japan": "JP",
        "日本": "JP",
        "Australia": "AU",
        "Singapore": "SG",
        "新加坡": "SG",
        "Netherlands": "NL",
        "Sweden": "SE",
        "Poland": "PL",
        "India": "IN",
        "United Arab Emirates": "AE",
    }.items()
}

_FILE_TOKENS = {
    "us": "US",
    "usa": "US",
    "uk": "UK",
    "gb": "UK",
    "de": "DE",
    "fr": "FR",
    "it": "IT",
    "es": "ES",
    "ca": "CA",
    "mx": "MX",
    "jp": "JP",
    "au": "AU",
    "sg": "SG",
    "my": "MY",
    "nl": "NL",
    "se": "SE",
    "pl": "PL",
}


def marketplace_from_filename(name: str) -> str:
    """``amazon_us_business_report.csv`` -> ``US``; "" when the name says nothing."""
    stem = re.sub(r"\.[A-Za-z0-9]+$", "", name.lower())
    for token in re.split(r"[^a-z]+", stem):
        if token in _FILE_TOKENS:
            return _FILE_TOKENS[token]
    return ""
