"""Short badge codes: ten characters people can read out and type when a QR code won't scan.

Nine random symbols from Crockford's base-32 alphabet (45 bits; no I, L, O or U, so nothing is
mistaken for 1 or 0) and a check symbol: Luhn mod 32 over the nine, which catches every single
wrong symbol and every swap of two neighbours but one (0 with Z, Luhn's blind spot, as 09 and 90
are for the decimal Luhn). Printed as `XXXXX-XXXXX`. Reading is forgiving:
case, spaces and hyphens are ignored and I/L read as 1, O as 0, as Crockford prescribes.

The code is random, not derived from the registration, so it proves nothing by itself: the server
(or a device holding the synced roster) looks it up. It is unique per registration (database
constraint).
"""

from __future__ import annotations

import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_INDEX = {c: i for i, c in enumerate(ALPHABET)}
_READS_AS = str.maketrans({"I": "1", "L": "1", "O": "0"})
LENGTH = 10


def check_symbol(body: str) -> str:
    """Luhn mod 32 over `body` (symbols of ALPHABET): the symbol that makes the whole code valid."""
    total, factor = 0, 2
    for char in reversed(body):
        addend = factor * _INDEX[char]
        total += addend // 32 + addend % 32
        factor = 1 if factor == 2 else 2
    return ALPHABET[(32 - total % 32) % 32]


def new_code() -> str:
    body = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH - 1))
    return body + check_symbol(body)


def normalise(text: str) -> str | None:
    """The canonical code for what someone typed, or None when it is not a valid badge code."""
    code = "".join((text or "").split()).replace("-", "").upper().translate(_READS_AS)
    if len(code) != LENGTH or any(c not in _INDEX for c in code):
        return None
    if check_symbol(code[:-1]) != code[-1]:
        return None
    return code


def display(code: str) -> str:
    return f"{code[:5]}-{code[5:]}" if code else ""
