"""How complete each interface language's catalogue is (`ascnhub catalogues`, run by `make messages`).

English is the source language: every msgid is its own English text, so English is complete when the
catalogues hold every string of the source (`make messages` extracts them; `tests/common/
test_catalogues.py` checks that the committed catalogues are not stale). Every other language counts
the msgids with a non-empty translation that is not marked fuzzy: a fuzzy entry is msgmerge's guess
from a similar string and is shown as English until someone checks it.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import polib
from django.conf import settings

SOURCE_LANGUAGE = "en"


@dataclasses.dataclass(frozen=True)
class Coverage:
    """One language's catalogue: how many msgids it translates out of how many."""

    language: str
    translated: int
    total: int
    missing: tuple[str, ...]  # untranslated or fuzzy msgids, in catalogue order

    @property
    def percent(self) -> float:
        return 100.0 * self.translated / self.total if self.total else 100.0

    def line(self) -> str:
        """`id 100.0 % (1991/1991)`: the line `make messages` prints."""
        return f"{self.language} {self.percent:.1f} % ({self.translated}/{self.total})"


def catalogue_path(language: str, locale_dir: Path | None = None) -> Path:
    """Where `language`'s catalogue of this project lives (`locale/<lang>/LC_MESSAGES/django.po`)."""
    return Path(locale_dir or settings.LOCALE_PATHS[0]) / language / "LC_MESSAGES" / "django.po"


def catalogue_languages(locale_dir: Path | None = None) -> list[str]:
    """The languages that have a catalogue in the repository, English (the source) first."""
    root = Path(locale_dir or settings.LOCALE_PATHS[0])
    found = sorted(p.parent.parent.name for p in root.glob("*/LC_MESSAGES/django.po"))
    return [SOURCE_LANGUAGE] + [code for code in found if code != SOURCE_LANGUAGE]


def entry_key(entry: polib.POEntry) -> str:
    """An entry's identity as gettext sees it: the msgid, prefixed by its context when it has one."""
    return f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid


def is_translated(entry: polib.POEntry) -> bool:
    """A translation a reader will see: not fuzzy, and every plural form filled in."""
    if "fuzzy" in entry.flags or entry.obsolete:
        return False
    if entry.msgid_plural:
        return bool(entry.msgstr_plural) and all(entry.msgstr_plural.values())
    return bool(entry.msgstr)


def _entries(path: Path) -> list[polib.POEntry]:
    return [e for e in polib.pofile(str(path)) if not e.obsolete]


def coverage(language: str, locale_dir: Path | None = None) -> Coverage:
    """The coverage of `language`; English counts the msgids of the other catalogues as its own."""
    if language == SOURCE_LANGUAGE:
        others = [code for code in catalogue_languages(locale_dir) if code != SOURCE_LANGUAGE]
        keys = {entry_key(e) for code in others for e in _entries(catalogue_path(code, locale_dir))}
        return Coverage(language, len(keys), len(keys), ())
    path = catalogue_path(language, locale_dir)
    if not path.exists():
        raise ValueError(f"no catalogue for {language!r} at {path}")
    entries = _entries(path)
    missing = tuple(entry_key(e) for e in entries if not is_translated(e))
    return Coverage(language, len(entries) - len(missing), len(entries), missing)


def translated_keys(language: str, locale_dir: Path | None = None) -> set[str]:
    """The msgids (with their context) that `language`'s catalogue translates."""
    return {entry_key(e) for e in _entries(catalogue_path(language, locale_dir)) if is_translated(e)}


def catalogue_keys(language: str, locale_dir: Path | None = None) -> set[str]:
    """Every msgid (with its context) in `language`'s catalogue, translated or not."""
    return {entry_key(e) for e in _entries(catalogue_path(language, locale_dir))}
