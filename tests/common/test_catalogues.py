"""The interface languages: complete catalogues for English, Indonesian and Japanese, and Vietnamese
and Thai catalogues that reach every public page and the participants' matchmaking pages (issue 21).

The pages are rendered from the demo network in each language while every msgid that the templates
and code look up is recorded; each one of ours must have a translation in the language's catalogue.
"""

from __future__ import annotations

import io
import re
import threading
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils.translation import trans_real

from ascnhub.common import catalogues

COMPLETE = ["id", "ja"]  # with English (the source), these must stay at 100 %
PUBLIC_ONLY = ["vi", "th"]  # these must cover the public and matchmaking pages
HLM = "asean-japan-hlm-2021"
COMPANY = "takahashi.ryo@demo.ascnhub.example"  # a participant of the demo's matchmaking

PUBLIC_PAGES = [
    "/",
    "/cities/",
    "/member-states/",
    "/organisations/",
    "/projects/",
    "/needs/",
    "/offers/",
    "/partnerships/",
    "/outcomes/",
    "/outcomes/by-country/",
    "/knowledge/",
    "/knowledge/guidebook/",
    "/meetings/",
    f"/meetings/{HLM}/",
    f"/meetings/{HLM}/agenda/",
    f"/meetings/{HLM}/agenda/changes/",
    f"/meetings/{HLM}/participants/",
    "/search/?q=flood",
    "/search/?q=zzzzqqq",
    "/open-data/",
    "/open-data/publication-policy/",
    "/dashboard/",
    "/privacy/",
    "/accounts/login/",
    "/accounts/signup/",
    "/accounts/password/reset/",
    "/no-such-page/",
]
MATCHMAKING_PAGES = [
    "",
    "profile/",
    "requests/",
    "agenda/",
    "calendar/",
    "participants/",
    "participants/?q=flood",
]


@pytest.mark.parametrize("code", [catalogues.SOURCE_LANGUAGE, *COMPLETE])
def test_english_indonesian_and_japanese_are_complete(code):
    result = catalogues.coverage(code)
    shown = "\n".join(result.missing[:40])
    assert result.percent == 100.0, f"{result.line()}; run `make messages` and translate:\n{shown}"


def test_every_catalogue_holds_the_same_msgids():
    # English counts the catalogues' msgids as its own: they must all be extracted from the same source.
    keys = {code: catalogues.catalogue_keys(code) for code in catalogues.catalogue_languages()[1:]}
    first = keys["id"]
    assert {code: len(k ^ first) for code, k in keys.items()} == dict.fromkeys(keys, 0)


def test_the_coverage_command_prints_each_language_and_lists_what_is_missing(tmp_path, settings):
    out = io.StringIO()
    call_command("catalogues", stdout=out)
    lines = out.getvalue().splitlines()
    assert [line.split()[0] for line in lines] == ["en", "id", "ja", "th", "vi"]
    assert re.fullmatch(r"id 100\.0 % \((\d+)/\1\)", lines[1])

    # A catalogue with one untranslated and one fuzzy string: both are listed, and counted out.
    po = tmp_path / "xx" / "LC_MESSAGES" / "django.po"
    po.parent.mkdir(parents=True)
    po.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgid "Home"\nmsgstr "Maison"\n\n'
        'msgid "Cities"\nmsgstr ""\n\n'
        '#, fuzzy\nmsgid "Projects"\nmsgstr "Projet"\n\n'
        'msgid "%(n)s city"\nmsgid_plural "%(n)s cities"\nmsgstr[0] "%(n)s ville"\nmsgstr[1] ""\n',
        encoding="utf-8",
    )
    settings.LOCALE_PATHS = [tmp_path]
    out, err = io.StringIO(), io.StringIO()
    call_command("catalogues", "--missing", "xx", stdout=out, stderr=err)
    assert out.getvalue().splitlines() == ["'Cities'", "'Projects'", "'%(n)s city'"]
    assert "xx 25.0 % (1/4)" in err.getvalue()


@pytest.fixture
def recorded_msgids(monkeypatch):
    """Every msgid looked up in the active language while the block runs (this thread only)."""
    seen: set[str] = set()
    thread = threading.get_ident()
    gettext, ngettext = trans_real.DjangoTranslation.gettext, trans_real.DjangoTranslation.ngettext

    def recording_gettext(self, message):
        if threading.get_ident() == thread:
            seen.add(message)
        return gettext(self, message)

    def recording_ngettext(self, singular, plural, number):
        if threading.get_ident() == thread:
            seen.add(singular)
        return ngettext(self, singular, plural, number)

    monkeypatch.setattr(trans_real.DjangoTranslation, "gettext", recording_gettext)
    monkeypatch.setattr(trans_real.DjangoTranslation, "ngettext", recording_ngettext)
    return seen


def _detail_pages(client) -> list[str]:
    """One detail page of each kind, found by following the links of the list pages."""
    pages = []
    for listing, pattern in [
        ("/cities/", r'href="(/cities/[a-z0-9-]+/)"'),
        ("/member-states/", r'href="(/member-states/[a-z]{2}/)"'),
        ("/organisations/", r'href="(/organisations/[a-z0-9-]+/)"'),
        ("/projects/", r'href="(/projects/(?!new/|import/)[a-z0-9-]+/)"'),
        ("/needs/", r'href="(/needs/[0-9a-f-]{36}/)"'),
        ("/offers/", r'href="(/offers/(?!new/|import/)[a-z0-9-]+/)"'),
        ("/offers/", r'href="(/companies/[a-z0-9-]+/)"'),
        ("/outcomes/", r'href="(/outcomes/meetings/[a-z0-9-]+/)"'),
        ("/outcomes/", r'href="(/outcomes/commitments/[0-9a-f-]{36}/)"'),
        ("/knowledge/", r'href="(/knowledge/cases/(?!new/)[a-z0-9-]+/)"'),
        ("/knowledge/guidebook/", r'href="(/knowledge/guidebook/(?!export)[a-z0-9-]+/)"'),
        (f"/meetings/{HLM}/", rf'href="(/meetings/{HLM}/register/[a-z0-9-]+/)"'),
    ]:
        found = re.search(pattern, client.get(listing).content.decode())
        assert found, f"no link matching {pattern} on {listing}"
        pages.append(found.group(1))
    pages.append("/programmes/")
    programmes = client.get("/programmes/").content.decode()
    pages += re.findall(r'href="(/programmes/(?!new/)[a-z0-9-]+/)"', programmes)[:1]
    outcome = client.get(pages[7]).content.decode()
    pages += re.findall(r'href="(/outcomes/recommendations/[0-9a-f-]{36}/)"', outcome)[:1]
    project = client.get(pages[3]).content.decode()
    pages += re.findall(r'href="(/reports/[0-9a-f-]{36}/)"', project)[:1]
    return pages


def _untranslated_on_pages(client, code: str, urls: list[str], recorded: set[str]) -> dict[str, list[str]]:
    ours = catalogues.catalogue_keys(code)
    translated = catalogues.translated_keys(code)
    missing: dict[str, list[str]] = {}
    for url in urls:
        recorded.clear()
        response = client.get(url, headers={"accept-language": code})
        assert response.status_code in (200, 404), (url, response.status_code)
        assert f'lang="{code}"' in response.content.decode(), url
        gaps = sorted(m for m in recorded if m in ours and m not in translated)
        if gaps:
            missing[url] = gaps
    return missing


def _untranslated_in_registration_emails(code: str, recorded: set[str]) -> dict[str, list[str]]:
    """The e-mails of the registration page, for a registrant who chose `code` for e-mails."""
    from ascnhub.events.models import Registration
    from ascnhub.events.tasks import build_registration_email

    ours, translated = catalogues.catalogue_keys(code), catalogues.translated_keys(code)
    recorded.clear()
    for status in (Registration.Status.APPROVED, Registration.Status.PENDING):
        registration = Registration.objects.filter(status=status).first()
        assert registration is not None, status
        registration.language = code
        for event in ("received", "approved", "declined", "promoted"):
            email = build_registration_email(registration, event, reason="—")
            assert email.extra_headers["Content-Language"] == code
    gaps = sorted(m for m in recorded if m in ours and m not in translated)
    return {"registration e-mails": gaps} if gaps else {}


@pytest.fixture
def demo(db, monkeypatch):
    monkeypatch.setenv("ASCNHUB_DEMO_PASSWORD", "catalogue-pass-123")
    call_command("demo", "load", stdout=io.StringIO())


@pytest.mark.slow
@pytest.mark.parametrize("code", PUBLIC_ONLY)
def test_vietnamese_and_thai_reach_the_public_and_matchmaking_pages(
    client, demo, recorded_msgids, django_user_model, code
):
    client.post("/i18n/setlang/", {"language": code, "next": "/"})
    urls = PUBLIC_PAGES + _detail_pages(client)
    missing = _untranslated_on_pages(client, code, urls, recorded_msgids)

    client.force_login(django_user_model.objects.get(email=COMPANY))
    client.post("/i18n/setlang/", {"language": code, "next": "/"})
    base = f"/meetings/{HLM}/matchmaking/"
    home = client.get(base).content.decode()
    profiles = re.findall(rf'href="({base}p/[0-9a-f-]{{36}}/)"', home)[:1]
    urls = [base + p for p in MATCHMAKING_PAGES] + profiles + ["/privacy/my-data/", "/notices/"]
    missing |= _untranslated_on_pages(client, code, urls, recorded_msgids)
    missing |= _untranslated_in_registration_emails(code, recorded_msgids)
    listing = "\n".join(f"{url}: {msgids}" for url, msgids in missing.items())
    assert missing == {}, f"translate these msgids in locale/{code}/LC_MESSAGES/django.po:\n{listing}"


def test_the_switcher_offers_vietnamese_and_thai_and_they_switch(client, network):
    offered = [code for code, _name in settings.LANGUAGES]
    assert offered == ["en", "id", "ja", "vi", "th"]
    headings = {"vi": "Các thành phố thí điểm ASCN", "th": "เมืองนำร่อง ASCN"}
    for code, heading in headings.items():
        html = client.get("/").content.decode()
        assert f'<option value="{code}"' in html
        response = client.post("/i18n/setlang/", {"language": code, "next": "/cities/"})
        assert response.status_code == 302
        html = client.get("/cities/").content.decode()
        assert f'<html lang="{code}"' in html and heading in html


def test_the_catalogues_hold_every_string_of_the_source(tmp_path, settings, monkeypatch):
    # English is 100 % when every translatable string of the source is a msgid of the catalogues:
    # extract the source afresh (as `make messages` does, into a scratch catalogue) and compare.
    # A tree of links to the package without its locale folder, or makemessages would write there.
    committed = catalogues.catalogue_keys("id")
    package = Path(settings.LOCALE_PATHS[0]).parent
    (tmp_path / "ascnhub").mkdir()
    for child in package.iterdir():
        if child.name != "locale":
            (tmp_path / "ascnhub" / child.name).symlink_to(child, target_is_directory=child.is_dir())
    (tmp_path / "locale").mkdir()
    settings.LOCALE_PATHS = [tmp_path / "locale"]
    monkeypatch.chdir(tmp_path)
    call_command(
        "makemessages", locale=["en"], symlinks=True, ignore_patterns=["ascnhub/engine/*"], verbosity=0
    )
    source = catalogues.catalogue_keys("en", tmp_path / "locale")
    assert sorted(source - committed) == [], "new strings: run `make messages` and translate them"
    assert sorted(committed - source) == [], "strings gone from the source: run `make messages`"
