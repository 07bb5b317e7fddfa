"""Code lists used by projects, needs and offers: focus areas, outcomes, statuses, currencies.

Codes are stable (they appear in open data and in the matching engine's input format); labels
are translated for display.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class FocusArea(models.TextChoices):
    """The six focus areas of the ASEAN Smart Cities Framework (codes as in `ascnhub-match/1`)."""

    CIVIC_SOCIAL = "civic_social", _("Civic & social")
    HEALTH_WELLBEING = "health_wellbeing", _("Health & well-being")
    SAFETY_SECURITY = "safety_security", _("Safety & security")
    QUALITY_ENVIRONMENT = "quality_environment", _("Quality environment")
    BUILT_INFRASTRUCTURE = "built_infrastructure", _("Built infrastructure")
    INDUSTRY_INNOVATION = "industry_innovation", _("Industry & innovation")


class Outcome(models.TextChoices):
    """The three strategic outcomes of the ASEAN Smart Cities Framework."""

    COMPETITIVE_ECONOMY = "competitive_economy", _("Competitive economy")
    SUSTAINABLE_ENVIRONMENT = "sustainable_environment", _("Sustainable environment")
    QUALITY_OF_LIFE = "quality_of_life", _("High quality of life")


# Current ISO 4217 currency codes (the active list; historic codes are refused).
ISO_4217 = frozenset(
    [
        "AED",
        "AFN",
        "ALL",
        "AMD",
        "AOA",
        "ARS",
        "AUD",
        "AWG",
        "AZN",
        "BAM",
        "BBD",
        "BDT",
        "BHD",
        "BIF",
        "BMD",
        "BND",
        "BOB",
        "BRL",
        "BSD",
        "BTN",
        "BWP",
        "BYN",
        "BZD",
        "CAD",
        "CDF",
        "CHF",
        "CLP",
        "CNY",
        "COP",
        "CRC",
        "CUP",
        "CVE",
        "CZK",
        "DJF",
        "DKK",
        "DOP",
        "DZD",
        "EGP",
        "ERN",
        "ETB",
        "EUR",
        "FJD",
        "FKP",
        "GBP",
        "GEL",
        "GHS",
        "GIP",
        "GMD",
        "GNF",
        "GTQ",
        "GYD",
        "HKD",
        "HNL",
        "HTG",
        "HUF",
        "IDR",
        "ILS",
        "INR",
        "IQD",
        "IRR",
        "ISK",
        "JMD",
        "JOD",
        "JPY",
        "KES",
        "KGS",
        "KHR",
        "KMF",
        "KPW",
        "KRW",
        "KWD",
        "KYD",
        "KZT",
        "LAK",
        "LBP",
        "LKR",
        "LRD",
        "LSL",
        "LYD",
        "MAD",
        "MDL",
        "MGA",
        "MKD",
        "MMK",
        "MNT",
        "MOP",
        "MRU",
        "MUR",
        "MVR",
        "MWK",
        "MXN",
        "MYR",
        "MZN",
        "NAD",
        "NGN",
        "NIO",
        "NOK",
        "NPR",
        "NZD",
        "OMR",
        "PAB",
        "PEN",
        "PGK",
        "PHP",
        "PKR",
        "PLN",
        "PYG",
        "QAR",
        "RON",
        "RSD",
        "RUB",
        "RWF",
        "SAR",
        "SBD",
        "SCR",
        "SDG",
        "SEK",
        "SGD",
        "SHP",
        "SLE",
        "SOS",
        "SRD",
        "SSP",
        "STN",
        "SVC",
        "SYP",
        "SZL",
        "THB",
        "TJS",
        "TMT",
        "TND",
        "TOP",
        "TRY",
        "TTD",
        "TWD",
        "TZS",
        "UAH",
        "UGX",
        "USD",
        "UYU",
        "UZS",
        "VES",
        "VND",
        "VUV",
        "WST",
        "XAF",
        "XCD",
        "XOF",
        "XPF",
        "YER",
        "ZAR",
        "ZMW",
        "ZWG",
    ]
)

# The currencies people in the network use most, offered first in forms.
COMMON_CURRENCIES = [
    "USD",
    "JPY",
    "EUR",
    "BND",
    "KHR",
    "IDR",
    "LAK",
    "MYR",
    "MMK",
    "PHP",
    "SGD",
    "THB",
    "VND",
    "KRW",
    "AUD",
    "CNY",
]
CURRENCY_CHOICES = [(c, c) for c in COMMON_CURRENCIES] + [
    (c, c) for c in sorted(ISO_4217 - set(COMMON_CURRENCIES))
]


def validate_currency(value: str) -> None:
    if value not in ISO_4217:
        raise ValidationError(
            _("“%(value)s” is not a current ISO 4217 currency code (e.g. USD, JPY, IDR)."),
            params={"value": value},
            code="currency",
        )


# Languages content may be written in (BCP 47 primary subtags); wider than the UI languages.
CONTENT_LANGUAGES = [
    ("en", "English"),
    ("id", "Bahasa Indonesia"),
    ("ja", "日本語"),
    ("ms", "Bahasa Melayu"),
    ("th", "ไทย"),
    ("vi", "Tiếng Việt"),
    ("km", "ខ្មែរ"),
    ("lo", "ລາວ"),
    ("my", "မြန်မာ"),
    ("tl", "Filipino"),
    ("ko", "한국어"),
    ("zh", "中文"),
    ("tet", "Tetun"),
    ("pt", "Português"),
]
CONTENT_LANGUAGE_CODES = {c for c, _ in CONTENT_LANGUAGES}


def validate_country_list(value: str) -> None:
    """A comma-separated list of ISO 3166 alpha-2 codes, e.g. "JP,VN"."""
    from ascnhub.registry.countries import COUNTRY_CHOICES

    known = {c for c, _ in COUNTRY_CHOICES}
    bad = [c for c in split_codes(value) if c not in known]
    if bad:
        raise ValidationError(
            _("Unknown country codes: %(codes)s (use ISO 3166 codes such as VN, JP)."),
            params={"codes": ", ".join(bad)},
            code="country",
        )


def split_codes(value: str) -> list[str]:
    return [
        c.strip().upper() for c in (value or "").replace(";", ",").replace(" ", ",").split(",") if c.strip()
    ]
