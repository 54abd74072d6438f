"""Strict readers: tax IDs (GB 32100-2015), money amounts, phone numbers."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from cohorts.admissions.validation import (
    clean_phone,
    clean_tax_id,
    parse_amount,
    uscc_check_character,
)

# Published codes of well-known companies (business licences are public in China).
REAL_TAX_IDS = [
    "91330100716105852F",  # Alibaba (China) Co., Ltd.
    "9144030071526726XG",  # Shenzhen Tencent Computer Systems
    "914403001922038216",  # Huawei Technologies
    "91110108551385082Q",  # Beijing Xiaomi Technology
    "91350100M000100Y43",  # the example in GB 32100-2015
]


@pytest.mark.parametrize("code", REAL_TAX_IDS)
def test_real_tax_ids_pass(code: str) -> None:
    assert clean_tax_id(code) == code


def test_tax_id_is_read_in_capitals_without_spaces() -> None:
    assert clean_tax_id(" 9133 0100 7161 0585 2f ") == "91330100716105852F"


@pytest.mark.parametrize(
    "code",
    [
        "9133010071610585",  # too short
        "91330100716105852FF",  # too long
        "91330100716I05852F",  # I is not used
        "9133010071610585OF",  # O is not used
        "91330100716105852Z",  # Z is not used
        "9133010071610585-F",
        "",
    ],
)
def test_tax_id_of_the_wrong_shape_is_refused(code: str) -> None:
    with pytest.raises(ValidationError) as error:
        clean_tax_id(code)
    assert error.value.code == "shape"
    assert "18 characters" in error.value.messages[0]


def test_tax_id_with_a_wrong_check_character_is_refused() -> None:
    with pytest.raises(ValidationError) as error:
        clean_tax_id("91330100716105852E")
    assert error.value.code == "check"
    assert "last character" in error.value.messages[0]


def test_check_character_follows_the_standard() -> None:
    # 31 - (Σ weights × values mod 31); a result of 31 is written 0.
    assert uscc_check_character("91350100M000100Y4") == "3"
    assert uscc_check_character("91330100716105852") == "F"


def test_tax_id_messages_are_in_chinese() -> None:
    with translation.override("zh-hans"):
        with pytest.raises(ValidationError) as shape:
            clean_tax_id("ABC")
        assert "18 位" in shape.value.messages[0]
        with pytest.raises(ValidationError) as check:
            clean_tax_id("91330100716105852E")
        assert "校验位" in check.value.messages[0]


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("12,800.00", Decimal("12800.00")),
        ("12800", Decimal("12800.00")),
        ("12800.5", Decimal("12800.50")),
        (" ¥3,000 ", Decimal("3000.00")),
        ("1,234,567.89", Decimal("1234567.89")),
        ("0.01", Decimal("0.01")),
    ],
)
def test_amounts_parse_exactly(raw: str, value: Decimal) -> None:
    parsed = parse_amount(raw)
    assert parsed == value
    assert isinstance(parsed, Decimal)


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("12.800,00", "format"),
        ("abc", "format"),
        ("-500", "negative"),
        ("12,80", "format"),
        ("1,2345", "format"),
        ("12800.123", "format"),
        ("1e5", "format"),
        ("", "format"),
        ("0", "zero"),
        ("99999999999", "too_large"),
    ],
)
def test_bad_amounts_get_a_clear_message(raw: str, code: str) -> None:
    with pytest.raises(ValidationError) as error:
        parse_amount(raw)
    assert error.value.code == code


def test_amount_messages_in_both_languages() -> None:
    with pytest.raises(ValidationError) as english:
        parse_amount("12.800,00")
    assert "e.g. 12800 or 12,800.00" in english.value.messages[0]
    with translation.override("zh-hans"):
        with pytest.raises(ValidationError) as chinese:
            parse_amount("12.800,00")
        assert "12,800.00" in chinese.value.messages[0]
        assert "金额" in chinese.value.messages[0]
        with pytest.raises(ValidationError) as negative:
            parse_amount("-1")
        assert "负" in negative.value.messages[0]


def test_zero_is_allowed_where_asked() -> None:
    assert parse_amount("0", allow_zero=True) == Decimal("0.00")


@pytest.mark.parametrize(
    "phone",
    [
        "13800138000",
        "138 0013 8000",
        "+86 138-0013-8000",
        "0571-8888 6666",
        "+1 415 555 0100",
    ],
)
def test_phone_shapes_accepted(phone: str) -> None:
    assert clean_phone(phone) == phone.strip()


@pytest.mark.parametrize(
    "phone", ["12345", "1380013800", "abc", "10086x", "23800138000"]
)
def test_phone_shapes_refused(phone: str) -> None:
    with pytest.raises(ValidationError) as error:
        clean_phone(phone)
    assert "mobile number" in error.value.messages[0]
