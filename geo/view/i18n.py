"""One language for everything a reader sees: gettext catalogs (geo/view/locale/<lang>/LC_MESSAGES/
messages.po, compiled to .mo by `make` or on first use) for our words, and Babel (CLDR) for
numbers, months, plurals, country names and the city names CLDR tags by language.

Station data (notes, source titles, publishers) stays in the language it was written in.
"""

from __future__ import annotations

import csv
import gettext
import io
from dataclasses import dataclass
from datetime import date
from functools import cache, lru_cache
from pathlib import Path

from babel import Locale
from babel.core import get_global
from babel.dates import format_skeleton
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal
from babel.support import Translations

from geo.view.cache import memo

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "messages"
# The languages offered, each named in itself (the order of the sidebar's choice).
LANGS = {
    "en": "English",
    "it": "Italiano",
    "es": "Español",
    "fr": "Français",
    "de": "Deutsch",
    "nl": "Nederlands",
    "pt": "Português",
    "zh": "中文",
}
DEFAULT = "en"
# Punctuation the code adds between translated pieces (inside a message, translators set it).
PUNCT = {"zh": {"colon": "\uff1a", "stop": "\u3002", "comma": "\u3001", "space": ""}, "fr": {"colon": "\u00a0: "}}
# CLDR's locale for each choice: Chinese in simplified characters (as the bureaus write it), Portuguese
# as written in Portugal (the press that reported the stations there says "alegadas esquadras").
CLDR = {"zh": "zh_Hans_CN", "pt": "pt_PT"}


def N_(message: str) -> str:
    """Marks a message for the catalog where it is defined; it is translated where it is shown."""
    return message


def NP_(singular: str, plural: str) -> tuple[str, str]:
    """Marks a plural message (singular, plural) for the catalog."""
    return singular, plural


def po_path(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def compile_catalog(lang: str) -> bytes:
    """The .po file as .mo bytes: fuzzy entries are left out, so they fall back to English."""
    with po_path(lang).open("rb") as fh:
        catalog = read_po(fh, locale=CLDR.get(lang, lang))
    out = io.BytesIO()
    write_mo(out, catalog, use_fuzzy=False)
    return out.getvalue()


def compile_all() -> list[Path]:
    """Write every .mo beside its .po (run at setup by `make`; the app also compiles on first use)."""
    written = []
    for lang in LANGS:
        if lang == DEFAULT:
            continue
        mo = po_path(lang).with_suffix(".mo")
        mo.write_bytes(compile_catalog(lang))
        written.append(mo)
    return written


@cache
def catalog(lang: str) -> gettext.NullTranslations:
    if lang == DEFAULT or lang not in LANGS:
        return gettext.NullTranslations()
    po = po_path(lang)
    mo = po.with_suffix(".mo")
    if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
        data = mo.read_bytes()
    else:  # not compiled yet (or the .po was edited since): compile in memory
        data = compile_catalog(lang)
    return Translations(io.BytesIO(data), domain=DOMAIN)


def pick(lang: str | None) -> str:
    """A language code from a link or a widget, or the default when it is not one we offer."""
    lang = (lang or "").strip().lower()[:5]
    return lang if lang in LANGS else DEFAULT


@dataclass(frozen=True)
class Words:
    """Everything language-dependent for one language: t('...') translates, n(...) counts."""

    lang: str

    @property
    def locale(self) -> Locale:
        return _locale(self.lang)

    def t(self, message: str) -> str:
        return catalog(self.lang).gettext(message) if message else message

    def n(self, singular: str, plural: str, count: int) -> str:
        """'{n} alleged stations' with the language's plural rule and number format filled in."""
        return catalog(self.lang).ngettext(singular, plural, count).replace("{n}", self.number(count))

    def forms(self, singular: str, plural: str) -> dict[str, str]:
        """The plural forms for the map's script (it picks one with Intl.PluralRules)."""
        cat = catalog(self.lang)
        return {"one": cat.ngettext(singular, plural, 1), "other": cat.ngettext(singular, plural, 2)}

    def number(self, value: int) -> str:
        return format_decimal(value, locale=self.locale)

    def month(self, month: str) -> str:
        """'2023-03' -> 'March 2023', 'marzo 2023', 'março de 2023', '2023年3月'."""
        year, mon = (int(x) for x in month.split("-")[:2])
        return format_skeleton("yMMMM", date(year, mon, 1), locale=self.locale)

    @property
    def tag(self) -> str:
        """The BCP 47 tag browsers read (html lang, Intl.PluralRules): 'pt-PT', 'zh-Hans-CN'."""
        return CLDR.get(self.lang, self.lang).replace("_", "-")

    @property
    def colon(self) -> str:
        """': ' between a label and its value, as the language sets it ('Pays\u00a0: ', '国家：')."""
        return self._punct("colon", ": ")

    @property
    def comma(self) -> str:
        """Between items of a list we join ('Fuzhou, Qingtian'; '福州、青田')."""
        return self._punct("comma", ", ")

    @property
    def space(self) -> str:
        """Between sentences we join (none in Chinese)."""
        return self._punct("space", " ")

    @property
    def stop(self) -> str:
        """The full stop that ends a sentence we join ('.', '。')."""
        return self._punct("stop", ".")

    def _punct(self, mark: str, default: str) -> str:
        return PUNCT.get(self.lang, {}).get(mark, default)

    def country(self, code: str, fallback: str = "") -> str:
        """The country's name in this language (CLDR), or the name as reported."""
        if self.lang == DEFAULT:
            return fallback or code
        return self.locale.territories.get((code or "").upper(), fallback or code)

    def city(self, name: str, code: str) -> str:
        """A city's (or region's) name in this language: our reviewed table of language-tagged
        names first (places.csv, each read on a page it cites), then the cities CLDR names (those
        that give a time zone its name: Roma, Bruxelles, 纽约); otherwise the name as reported."""
        if self.lang == DEFAULT or not name:
            return name
        code = (code or "").upper()
        known = _places().get((code, name, self.lang))
        if known:
            return known
        zone = _zones().get((code, name))
        if zone is None:
            return name
        return self.locale.time_zones.get(zone, {}).get("city", name)


@cache
def _locale(lang: str) -> Locale:
    return Locale.parse(CLDR.get(lang, lang))


PLACES = LOCALE_DIR / "places.csv"


@lru_cache(maxsize=1)
def _places() -> dict[tuple[str, str, str], str]:
    """(country code, name as reported, language) -> the language's own name for the place."""
    if not PLACES.exists():
        return {}
    with PLACES.open(encoding="utf-8", newline="") as fh:
        return {
            (row["country_code"], row["name"], row["lang"]): row["local_name"]
            for row in csv.DictReader(fh)
            if row["local_name"].strip()
        }


@lru_cache(maxsize=1)
def _zones() -> dict[tuple[str, str], str]:
    """(country code, English city name) -> the time zone CLDR names after that city."""
    zones = {}
    for zone, territory in get_global("zone_territories").items():
        city = zone.rsplit("/", 1)[-1].replace("_", " ")
        zones.setdefault((territory, city), zone)
    return zones


@cache
def words(lang: str = DEFAULT) -> Words:
    return Words(pick(lang))


def localize(frame, lang: str):
    """A copy of stations (or points) whose country and city read in the language; the same frame
    when the language is English. Codes, ids and everything from the sources stay as they are."""
    w = words(lang)
    if w.lang == DEFAULT or frame.empty:
        return frame
    return memo(f"localized-{w.lang}", frame, lambda f: _localized(f, w))


def _localized(frame, w: Words):
    out = frame.copy()
    # the names as reported stay searchable ("Milan" still finds Milano)
    out["as_reported"] = [
        " ".join(x for x in parts if x)
        for parts in zip(frame.get("city", [""] * len(frame)), frame.get("region", [""] * len(frame)), frame["country"])
    ]
    pairs = dict.fromkeys(zip(frame["country_code"], frame["country"]))
    countries = {pair: w.country(*pair) for pair in pairs}
    out["country"] = [countries[p] for p in zip(frame["country_code"], frame["country"])]
    for column in ("city", "region"):
        if column in frame:
            pairs = zip(frame["country_code"], frame[column])
            names = {pair: w.city(pair[1], pair[0]) for pair in dict.fromkeys(pairs)}
            out[column] = [names[p] for p in zip(frame["country_code"], frame[column])]
    return out
