"""Verification codes: ``LS-XXXX-XXXX-XXXC``.

Eleven random symbols from Crockford's base32 (55 bits from `secrets`) and one check
symbol (Luhn mod 32), so a mistyped or invented code is recognised as malformed without
touching the database; only well-formed codes are looked up (and those lookups are
rate-limited). Crockford's alphabet has no I, L, O or U; typing them is forgiven.
"""

from __future__ import annotations

import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
PREFIX = "LS"
RANDOM_LENGTH = 11
_INDEX = {symbol: i for i, symbol in enumerate(ALPHABET)}
_FORGIVEN = str.maketrans({"O": "0", "I": "1", "L": "1"})


def check_symbol(payload: str) -> str:
    """Luhn mod N over the alphabet: catches any single wrong symbol and most swaps."""
    factor = 2
    total = 0
    base = len(ALPHABET)
    for symbol in reversed(payload):
        addend = factor * _INDEX[symbol]
        factor = 1 if factor == 2 else 2
        total += addend // base + addend % base
    return ALPHABET[(base - total % base) % base]


def format_code(symbols: str) -> str:
    return f"{PREFIX}-{symbols[0:4]}-{symbols[4:8]}-{symbols[8:12]}"


def new_code() -> str:
    payload = "".join(secrets.choice(ALPHABET) for _ in range(RANDOM_LENGTH))
    return format_code(payload + check_symbol(payload))


def normalize_code(raw: str) -> str | None:
    """The canonical form of a typed or scanned code, or None when it is malformed."""
    text = "".join((raw or "").upper().split()).replace("-", "")
    if text.startswith(PREFIX):
        text = text[len(PREFIX) :]
    text = text.translate(_FORGIVEN)
    if len(text) != RANDOM_LENGTH + 1 or any(c not in _INDEX for c in text):
        return None
    if check_symbol(text[:-1]) != text[-1]:
        return None
    return format_code(text)
