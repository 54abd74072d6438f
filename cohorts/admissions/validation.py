"""Strict readers for what people type: money amounts, tax IDs and phone numbers.

Each returns the clean value or raises `ValidationError` with a message in the
reader's language; nothing is guessed (a "12.800,00" is refused, not read as 12.8).
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Amounts: "12800", "12800.5", "12,800.00", "¥12,800"; never a comma as the decimal mark.
_AMOUNT = re.compile(r"^(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d{1,2})?$")
MAX_AMOUNT = Decimal("9999999999.99")


def parse_amount(raw: str, *, allow_zero: bool = False) -> Decimal:
    """A non-negative money amount with at most two decimals, exact."""
    text = (raw or "").strip().replace(" ", "")
    text = text.removeprefix("¥").removeprefix("￥").removeprefix("CNY")
    if text.startswith("-"):
        raise ValidationError(_("An amount cannot be negative."), code="negative")
    if not _AMOUNT.match(text):
        raise ValidationError(
            _(
                "Write the amount as digits with an optional decimal point, "
                "e.g. 12800 or 12,800.00."
            ),
            code="format",
        )
    try:
        value = Decimal(text.replace(",", "")).quantize(Decimal("0.01"))
    except InvalidOperation:  # pragma: no cover - the pattern already refused it
        raise ValidationError(
            _("This amount could not be read."), code="format"
        ) from None
    if value > MAX_AMOUNT:
        raise ValidationError(_("This amount is too large."), code="too_large")
    if value == 0 and not allow_zero:
        raise ValidationError(_("The amount must be more than zero."), code="zero")
    return value


# GB 32100-2015 统一社会信用代码: 18 characters from 31 (no I, O, Z, S, V); the last
# is a check character over the first 17 with these weights, modulo 31.
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_USCC_SHAPE = re.compile(rf"^[{USCC_ALPHABET}]{{18}}$")


def uscc_check_character(first17: str) -> str:
    total = sum(
        USCC_ALPHABET.index(char) * weight
        for char, weight in zip(first17, USCC_WEIGHTS, strict=True)
    )
    return USCC_ALPHABET[(31 - total % 31) % 31]


def clean_tax_id(raw: str) -> str:
    """An 18-character unified social credit code whose check character is right."""
    code = "".join((raw or "").split()).upper()
    if len(code) != 18 or not _USCC_SHAPE.match(code):
        raise ValidationError(
            _(
                "A tax ID (unified social credit code) has 18 characters: digits and "
                "capital letters except I, O, Z, S and V."
            ),
            code="shape",
        )
    if uscc_check_character(code[:17]) != code[17]:
        raise ValidationError(
            _(
                "This tax ID's last character does not match the others; check it "
                "against the business licence."
            ),
            code="check",
        )
    return code


_PHONE_CHARS = re.compile(r"[\s\-()（）]")
_MOBILE_CN = re.compile(r"^(?:\+?86)?1[3-9]\d{9}$")
_LANDLINE_CN = re.compile(r"^0\d{2,3}\d{7,8}$")
_INTERNATIONAL = re.compile(r"^\+[1-9]\d{6,14}$")


def clean_phone(raw: str) -> str:
    """A Chinese mobile or landline (with area code), or an international +number."""
    text = (raw or "").strip()
    compact = _PHONE_CHARS.sub("", text)
    if _MOBILE_CN.match(compact) or _LANDLINE_CN.match(compact):
        return text
    if _INTERNATIONAL.match(compact):
        return text
    raise ValidationError(
        _(
            "Enter a phone number we can call: a mobile number like 138 0013 8000, a "
            "landline with its area code like 0571-8888 6666, or +country code."
        ),
        code="phone",
    )
