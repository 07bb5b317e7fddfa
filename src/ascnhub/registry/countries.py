"""Country names for ISO 3166-1 alpha-2 codes the network deals with.

ASEAN members come from the MemberState table; partners (Japan, Korea, ...) are named here so an
organisation from any partner country can be shown without a table of the whole world. In other
languages the names come from the ISO 3166 catalogues that pycountry ships (Debian's iso-codes).
"""

from __future__ import annotations

import functools
import gettext

import pycountry
from django.utils import translation

PARTNER_COUNTRIES: dict[str, str] = {
    "JP": "Japan",
    "KR": "Republic of Korea",
    "CN": "China",
    "AU": "Australia",
    "NZ": "New Zealand",
    "IN": "India",
    "US": "United States",
    "GB": "United Kingdom",
    "FR": "France",
    "DE": "Germany",
    "NL": "Netherlands",
    "CH": "Switzerland",
    "CA": "Canada",
    "EU": "European Union",
}

ASEAN_COUNTRIES: dict[str, str] = {
    "BN": "Brunei Darussalam",
    "KH": "Cambodia",
    "ID": "Indonesia",
    "LA": "Lao PDR",
    "MY": "Malaysia",
    "MM": "Myanmar",
    "PH": "Philippines",
    "SG": "Singapore",
    "TH": "Thailand",
    "VN": "Viet Nam",
    "TL": "Timor-Leste",
}

COUNTRY_CHOICES = sorted({**ASEAN_COUNTRIES, **PARTNER_COUNTRIES}.items(), key=lambda kv: kv[1])


@functools.cache
def _iso_catalogue(language: str) -> gettext.NullTranslations:
    return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[language], fallback=True)


def country_name(code: str, language: str | None = None) -> str:
    """The short name of a country code in `language` (default: the active one), or the code itself
    when unknown. English names are ours; other languages use the locale's ISO 3166 names."""
    english = ASEAN_COUNTRIES.get(code) or PARTNER_COUNTRIES.get(code) or code
    language = (language or translation.get_language() or "en").split("-")[0]
    if language == "en":
        return english
    country = pycountry.countries.get(alpha_2=code) if len(code) == 2 else None
    if country is None:  # not an ISO country (the EU): our own catalogue, if it has the name
        with translation.override(language):
            return translation.gettext(english)
    catalogue = _iso_catalogue(language)
    # The common name ("South Korea") reads better than the formal one where the locale has it.
    for iso_name in (getattr(country, "common_name", None), country.name):
        if iso_name and (localised := catalogue.gettext(iso_name)) != iso_name:
            return localised
    return english  # the same in this language ("Indonesia" in Indonesian)


def country_choices() -> list[tuple[str, str]]:
    """(code, name) of every country the network deals with, in the active language's names and order."""
    return sorted(((code, country_name(code)) for code, _name in COUNTRY_CHOICES), key=lambda kv: kv[1])


def country_choices_with_blank() -> list[tuple[str, str]]:
    """The same, after an empty first choice, for a form's select."""
    return [("", "—"), *country_choices()]
