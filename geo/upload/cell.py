"""Reading one cell of an upload: text, dates as spreadsheets write them, numbers, countries.

Each reader returns a value or None; the caller turns None into a Problem with the loader's
wording, so an upload and the seeds speak the same language.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

import pycountry

from geo.data import basemap
from geo.data.gazetteer import fold
from geo.data.schema import FORMULA_START, NUMBER

# "Not known" as spreadsheets write it; read so only in year, date, bureau and status cells,
# never in names or countries (there, NA is Namibia and None is a word).
BLANK_WORDS = {"", "unknown", "not known", "n/a", "na", "none", "null", "?", "-", "\u2014"}
EXCEL_EPOCH = dt.date(1899, 12, 30)  # Excel's day 0 (it counts a 29 Feb 1900 that never was)
ISO = re.compile(r"^(\d{4})(?:[-/.](\d{1,2})(?:[-/.](\d{1,2}))?)?(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?Z?)?$")
DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})(?: \d{1,2}:\d{2}(?::\d{2})?(?: ?[AP]M)?)?$", re.I)
SERIAL = re.compile(r"^\d{5}(?:\.\d+)?$")
WORDY = [
    "%d %B %Y",
    "%d %b %Y",
    "%B %d, %Y",
    "%b %d, %Y",
    "%B %d %Y",
    "%b %d %Y",
    "%B %Y",
    "%b %Y",
    "%d-%b-%Y",
    "%d-%b-%y",
    "%b-%y",
]
COORDINATE = re.compile(r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$")
PAIR = re.compile(r"^\(?\s*([+-]?\d+(?:\.\d+)?)\s*[,; ]\s*([+-]?\d+(?:\.\d+)?)\s*\)?$")
COUNTRY_ALIASES = {
    "uk": "GB",
    "great britain": "GB",
    "britain": "GB",
    "england": "GB",
    "scotland": "GB",
    "wales": "GB",
    "northern ireland": "GB",
    "usa": "US",
    "u s a": "US",
    "us": "US",
    "america": "US",
    "united states": "US",
    "russia": "RU",
    "south korea": "KR",
    "holland": "NL",
    "turkey": "TR",
    "czech republic": "CZ",
    "ivory coast": "CI",
    "deutschland": "DE",
    "italia": "IT",
    "espana": "ES",
    "brasil": "BR",
    "nederland": "NL",
    "osterreich": "AT",
    "schweiz": "CH",
    "suisse": "CH",
    "sverige": "SE",
    "norge": "NO",
    "danmark": "DK",
    "polska": "PL",
    "magyarorszag": "HU",
    "cesko": "CZ",
    "hrvatska": "HR",
    "srbija": "RS",
    "ellada": "GR",
    "nippon": "JP",
    "nihon": "JP",
}


def clean(value: str) -> str:
    """Trim spreadsheet padding and undo the ' our CSV download puts before formula-like text."""
    text = value.strip(" \t\r\n")
    if text.startswith("'") and text[1:].startswith(FORMULA_START) and not NUMBER.match(text[1:]):
        return text[1:]
    return text


def is_blank(value: str) -> bool:
    return value.casefold() in BLANK_WORDS


def _day(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def read_date(value: str) -> tuple[str | None, str]:
    """(YYYY, YYYY-MM or YYYY-MM-DD, note) from the ways spreadsheets write dates; (None, "") when
    it is not a date. The note says what was assumed, e.g. which of day and month came first."""
    text = value.strip()
    if re.fullmatch(r"\d{4}\.0+", text):  # a year that went through a float column
        return text[:4], ""
    if m := ISO.match(text):
        year, month, day = (int(g) if g else None for g in m.groups())
        if month is None:
            return f"{year:04d}", ""
        if day is None:
            return (f"{year:04d}-{month:02d}", "") if 1 <= month <= 12 else (None, "")
        return (d.isoformat(), "") if (d := _day(year, month, day)) else (None, "")
    if m := DMY.match(text):
        a, b, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
        year += 2000 if year < 100 else 0  # nothing here is older than 2000
        if (
            a > 12
            and (d := _day(year, b, a))
            or b > 12
            and (d := _day(year, a, b))
            or a == b
            and (d := _day(year, a, a))
        ):
            return d.isoformat(), ""
        if _day(year, a, b) and _day(year, b, a):
            return f"{year:04d}", (f"{text} could be {a} {_month(b)} or {b} {_month(a)}; kept only the year {year}")
        return None, ""
    if SERIAL.match(text) and 36526 <= float(text) <= 73051:  # 2000-01-01 .. 2099-12-31
        day = EXCEL_EPOCH + dt.timedelta(days=int(float(text)))
        return day.isoformat(), f"read {text} as an Excel date number: {day.isoformat()}"
    for fmt in WORDY:
        try:
            parsed = dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
        return (parsed.strftime("%Y-%m") if "%d" not in fmt else parsed.isoformat()), ""
    return None, ""


def _month(n: int) -> str:
    return dt.date(2000, n, 1).strftime("%B")


def read_coordinate(value: str, decimal_comma: bool) -> str | None:
    """A decimal degree as plain text ("43.8777"); "43,88" too when the file's cells are not
    separated by commas. None when it is not a finite decimal number."""
    text = value.strip().replace("\u2212", "-")
    if decimal_comma and re.fullmatch(r"[+-]?\d+,\d+", text):
        text = text.replace(",", ".")
    return text.lstrip("+") if COORDINATE.match(text) else None


def read_pair(value: str, decimal_comma: bool) -> tuple[str, str] | None:
    """ "43.8777, 11.0966" as copied from a map; with decimal commas "43,8777; 11,0966"."""
    text = value.strip()
    if decimal_comma and ";" in text:
        parts = [read_coordinate(p, True) for p in text.strip("()").split(";")]
        return (parts[0], parts[1]) if len(parts) == 2 and parts[0] and parts[1] else None
    m = PAIR.match(text)
    return (m.group(1).lstrip("+"), m.group(2).lstrip("+")) if m else None


@lru_cache(maxsize=1)
def country_names() -> dict[str, str]:
    """Folded country name -> ISO alpha-2: ISO names, common names, the basemap's, aliases."""
    names: dict[str, str] = {}
    for country in pycountry.countries:
        for attr in ("name", "official_name", "common_name"):
            if hasattr(country, attr):
                names.setdefault(_country_key(getattr(country, attr)), country.alpha_2)
    for feature in basemap.read_countries()["features"]:  # "S. Korea", "Czechia", "Dem. Rep. Congo"
        if feature["properties"]["iso_a2"]:
            names.setdefault(_country_key(feature["properties"]["name"]), feature["properties"]["iso_a2"])
    names.update(COUNTRY_ALIASES)
    return names


def _country_key(name: str) -> str:
    key = " ".join(fold(name).replace(".", " ").split())
    return key[4:] if key.startswith("the ") else key


def code_for_name(name: str) -> str | None:
    """ISO alpha-2 for a country name, or for a code written in the name column."""
    text = name.strip()
    if len(text) == 2 and text.isalpha() and pycountry.countries.get(alpha_2=text.upper()):
        return text.upper()
    code = country_names().get(_country_key(text))
    if code is None and len(text) == 3 and text.isalpha():
        match = pycountry.countries.get(alpha_3=text.upper())
        code = match.alpha_2 if match else None
    return code


def name_for_code(code: str) -> str:
    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return code
    return getattr(country, "common_name", None) or country.name
