"""Country names for ISO 3166-1 alpha-2 codes the network deals with.

ASEAN members come from the MemberState table; partners (Japan, Korea, ...) are named here so an
organisation from any partner country can be shown without a table of the whole world.
"""

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


def country_name(code: str) -> str:
    """The English short name of a country code, or the code itself when unknown."""
    return ASEAN_COUNTRIES.get(code) or PARTNER_COUNTRIES.get(code) or code
