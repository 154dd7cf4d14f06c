"""Schema of the seed files and a loader that reports every problem at once.

A journalist (or a reviewer of a pull request) who breaks a seed file should see one message
listing every bad cell, each with file, spreadsheet row, column, value, rule and fix.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

import pandas as pd
import pycountry

STATION_COLUMNS = [
    "station_id",
    "city",
    "region",
    "country_code",
    "country",
    "precision",
    "bureau",
    "bureau_detail",
    "year_opened",
    "first_reported",
    "status",
    "status_date",
    "source_ids",
    "notes",
    "checked",
    "evidence",
]
# What people edit: no status, status date or first report (the build derives them from
# seeds/events.csv) and no evidence strength (derived from the sources); `checked` is the day the
# station's sources were last searched for news.
DERIVED = ["first_reported", "status", "status_date", "evidence"]
SEED_STATION_COLUMNS = [c for c in STATION_COLUMNS if c not in DERIVED]
SOURCE_COLUMNS = ["source_id", "publisher", "title", "date", "url", "kind", "language"]
PLACE_COLUMNS = ["name", "country_code", "lat", "lon", "kind", "note"]

PRECISIONS = ["address", "city", "region", "country"]
STATUSES = ["none reported", "investigated", "closed", "charged", "convicted", "acquitted"]
UNDATED = "undated"  # a source whose page shows no date says so, rather than staying blank
KNOWN_BUREAUS = ["Fuzhou", "Qingtian", "Wenzhou", "Nantong"]
# The bureaus in Chinese, as their own announcements and Chinese-language media write them.
BUREAU_ZH = {"Fuzhou": "福州", "Qingtian": "青田", "Wenzhou": "温州", "Nantong": "南通", "Lishui": "丽水"}
SOURCE_KINDS = ["ngo-report", "government", "court", "news"]
PLACE_KINDS = ["city", "district", "region", "country"]
FIRST_YEAR = 2000  # the earliest "overseas service centres" date from the mid-2010s
COUNTRY_HINTS = {"UK": "GB", "EL": "GR", "EN": "GB", "SP": "ES"}  # common non-ISO codes

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
PARTIAL_DATE = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")
ASCII_SPACE_OR_CONTROL = re.compile(r"[\x00-\x20\x7f]")
BUREAU_NAME = re.compile(r"^[A-Z][A-Za-z' -]{1,40}$")
# A CSV cell a spreadsheet would run as a formula starts with one of these (unless it is a number).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")


@dataclass(frozen=True)
class Problem:
    """One bad cell (or, with row None, one file-level problem)."""

    file: str
    row: int | None
    column: str
    value: str
    rule: str
    fix: str

    def __str__(self) -> str:
        where = self.file if self.row is None else f"{self.file}, row {self.row}"
        col = f', column "{self.column}"' if self.column else ""
        val = f": {self.value!r}" if self.row is not None or self.value else ""
        return f"{where}{col}{val}: {self.rule}. Fix: {self.fix}"


class DataError(Exception):
    """Raised with every problem found, so one run shows the whole list."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = list(problems)
        n = len(self.problems)
        head = f"{n} problem{'s' if n != 1 else ''} in the data:"
        super().__init__("\n".join([head, *(f"- {p}" for p in self.problems)]))


# --- value rules -------------------------------------------------------------------------


@lru_cache(maxsize=1 << 17)  # the same source URLs are judged on every rerun, by many callers
def safe_url(url: str) -> bool:
    """True for an http(s) URL with a host and nothing a browser could be tricked by."""
    if not url:
        return False
    if url.isascii():  # the usual case, 30x faster: ASCII whitespace and controls are exactly these
        if ASCII_SPACE_OR_CONTROL.search(url):
            return False
    elif any(ch.isspace() or unicodedata.category(ch) == "Cc" for ch in url):
        return False
    if "\\" in url:
        return False
    try:
        parts = urlsplit(url)
        _ = parts.port  # raises on a malformed port
    except ValueError:
        return False
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return False
    return parts.username is None and parts.password is None


def country_problem(code: str) -> tuple[str, str] | None:
    """(rule, fix) when `code` is not an ISO 3166-1 alpha-2 code, else None."""
    if len(code) == 2 and code.isupper() and pycountry.countries.get(alpha_2=code):
        return None
    rule = "country_code must be an ISO 3166-1 alpha-2 code in capitals"
    upper = code.strip().upper()
    if upper in COUNTRY_HINTS:
        return rule, f'use "{COUNTRY_HINTS[upper]}"'
    if len(upper) == 2 and pycountry.countries.get(alpha_2=upper):
        return rule, f'write it in capitals: "{upper}"'
    if len(upper) == 3 and pycountry.countries.get(alpha_3=upper):
        return rule, f'use "{pycountry.countries.get(alpha_3=upper).alpha_2}"'
    try:
        match = pycountry.countries.lookup(code.strip())
        return rule, f'use "{match.alpha_2}" ({match.name})'
    except LookupError:
        return rule, "look the country up in ISO 3166-1 (for example FR for France, GB for the United Kingdom)"


def partial_date_ok(value: str) -> bool:
    if not PARTIAL_DATE.match(value):
        return False
    parts = [int(p) for p in value.split("-")] + [1, 1]
    try:
        day = dt.date(parts[0], parts[1], parts[2])
    except ValueError:
        return False
    return FIRST_YEAR <= day.year and day <= dt.date.today()


# --- reading -----------------------------------------------------------------------------


def read_csv_text(source: Path | str | bytes, name: str) -> pd.DataFrame:
    """Read a CSV keeping every cell as text: "NA" is Namibia, "None" is a word."""
    if isinstance(source, bytes):
        handle: io.StringIO | Path = io.StringIO(source.decode("utf-8-sig"))
    else:
        handle = Path(source)
    try:
        return pd.read_csv(handle, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DataError(
            [
                Problem(
                    name,
                    None,
                    "",
                    "",
                    f"the file is not UTF-8 text ({exc.reason})",
                    "save it as CSV UTF-8 from your spreadsheet",
                )
            ]
        ) from None
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise DataError(
            [
                Problem(
                    name,
                    None,
                    "",
                    "",
                    f"the file is not a readable CSV ({exc})",
                    "check the quoting and that every row has the same number of columns",
                )
            ]
        ) from None


def header_problems(df: pd.DataFrame, expected: list[str], name: str) -> list[Problem]:
    found = [str(c) for c in df.columns]
    missing = [c for c in expected if c not in found]
    extra = [c for c in found if c not in expected]
    problems = []
    if missing:
        problems.append(
            Problem(
                name,
                None,
                ", ".join(missing),
                "",
                f"missing column{'s' if len(missing) > 1 else ''} {', '.join(missing)}",
                f"the header must be: {','.join(expected)}",
            )
        )
    if extra:
        problems.append(
            Problem(
                name,
                None,
                ", ".join(extra),
                "",
                f"unexpected column{'s' if len(extra) > 1 else ''} {', '.join(extra)}",
                "remove it or rename it to one of: " + ", ".join(expected),
            )
        )
    return problems


Rule = Callable[[str, dict], tuple[str, str] | None]


def check_rows(df: pd.DataFrame, rules: dict[str, Rule], name: str) -> list[Problem]:
    """Apply per-column rules; each returns (rule, fix) for a bad value, or None."""
    problems = []
    for i, row in enumerate(df.to_dict("records")):
        for column, rule in rules.items():
            if column not in row:
                continue
            verdict = rule(row[column], row)
            if verdict:
                problems.append(Problem(name, i + 2, column, row[column], *verdict))
    return problems


def one_of(allowed: list[str]) -> Rule:
    def rule(value: str, _row: dict) -> tuple[str, str] | None:
        if value in allowed:
            return None
        close = [a for a in allowed if a.casefold() == value.strip().casefold()]
        fix = f'write "{close[0]}"' if close else "use one of: " + " | ".join(allowed)
        return f"must be one of {', '.join(allowed)}", fix

    return rule


def required(what: str) -> Rule:
    def rule(value: str, _row: dict) -> tuple[str, str] | None:
        return None if value.strip() else (f"{what} is required", f"fill in the {what}")

    return rule


def duplicate_problems(df: pd.DataFrame, column: str, name: str) -> list[Problem]:
    seen: dict[str, int] = {}
    problems = []
    for i, value in enumerate(df[column].tolist()):
        if value in seen and value:
            problems.append(
                Problem(
                    name,
                    i + 2,
                    column,
                    value,
                    f"duplicate {column} (first used on row {seen[value]})",
                    "give each row its own id",
                )
            )
        seen.setdefault(value, i + 2)
    return problems


def _slug(value: str, _row: dict) -> tuple[str, str] | None:
    if SLUG.match(value):
        return None
    return "ids are lowercase words joined by hyphens", 'for example "it-prato" or "gb-london-croydon"'


def _country(value: str, _row: dict) -> tuple[str, str] | None:
    return country_problem(value)


def _year(value: str, _row: dict) -> tuple[str, str] | None:
    if value == "":
        return None
    this_year = dt.date.today().year
    if value.isdigit() and FIRST_YEAR <= int(value) <= this_year:
        return None
    return (
        f"year_opened is a year from {FIRST_YEAR} to {this_year}, or blank",
        "leave it blank unless a source gives the year",
    )


def _bureau(value: str, _row: dict) -> tuple[str, str] | None:
    if value == "unknown" or value in KNOWN_BUREAUS or BUREAU_NAME.match(value):
        return None
    return (
        "bureau is a named public security bureau (Fuzhou, Qingtian, Wenzhou, Nantong, ...) or unknown",
        'write "unknown" unless a source ties the station to a bureau',
    )


def _place_needed(value: str, row: dict) -> tuple[str, str] | None:
    precision = row.get("precision", "")
    if precision in ("address", "city") and not row.get("city", "").strip():
        return f"precision {precision} needs a city", "fill in the city, or lower the precision to region or country"
    if precision == "region" and not row.get("region", "").strip():
        return "precision region needs a region", "fill in the region (for example Sicily)"
    return None


def _status_date(value: str, _row: dict) -> tuple[str, str] | None:
    if value == "" or partial_date_ok(value):
        return None
    return (
        "status_date is YYYY, YYYY-MM or YYYY-MM-DD, not in the future",
        "write the date as reported, e.g. 2023-04-17",
    )


def _date(value: str, _row: dict) -> tuple[str, str] | None:
    if value == UNDATED or partial_date_ok(value):
        return None
    if value == "":
        return "date is required: the page's date, or undated", 'write the date shown on the page, or "undated"'
    return (
        "date is the publication date as YYYY-MM-DD (YYYY-MM or YYYY when the page gives no day; "
        '"undated" when it shows no date)',
        "copy the date shown on the page, never a guess",
    )


def _checked(value: str, _row: dict) -> tuple[str, str] | None:
    if value == "" or (len(value) == 10 and partial_date_ok(value)):
        return None
    return "checked is the day the sources were last searched, YYYY-MM-DD", "write the day, e.g. 2026-12-01"


def _url(value: str, _row: dict) -> tuple[str, str] | None:
    if safe_url(value):
        return None
    return (
        "url must be an http(s) link with a host, no spaces and no user:password@",
        "paste the address of the page you read, starting with https://",
    )


def _language(value: str, _row: dict) -> tuple[str, str] | None:
    if len(value) == 2 and value.islower() and pycountry.languages.get(alpha_2=value):
        return None
    return "language is an ISO 639-1 code", 'for example "en", "it", "zh"'


def _coordinate(limit: float) -> Rule:
    def rule(value: str, _row: dict) -> tuple[str, str] | None:
        try:
            number = float(value)
        except ValueError:
            return "must be a decimal number with a point", "write it like 43.8777"
        if -limit <= number <= limit:
            return None
        return f"must be between -{limit:g} and {limit:g}", "check that latitude and longitude are not swapped"

    return rule


def source_ref_problems(
    rows: pd.DataFrame,
    known: set[str] | None,
    name: str,
    what: str = "station",
    fix: str = "add the source_id of a report you read (see sources.csv)",
) -> list[Problem]:
    """Every row (a station, or an event) cites at least one source, each in sources.csv
    (not checked when sources.csv itself could not be read: known is None)."""
    problems = []
    for i, value in enumerate(rows["source_ids"].tolist()):
        ids = [s.strip() for s in value.split(";") if s.strip()]
        if not ids:
            problems.append(
                Problem(
                    name,
                    i + 2,
                    "source_ids",
                    value,
                    f"every {what} needs at least one source",
                    fix,
                )
            )
        for sid in ids:
            if known is not None and sid not in known:
                problems.append(
                    Problem(
                        name,
                        i + 2,
                        "source_ids",
                        sid,
                        "this source_id is not in sources.csv",
                        "add the source to sources.csv or correct the id",
                    )
                )
    return problems


STATION_RULES: dict[str, Rule] = {
    "station_id": _slug,
    "country_code": _country,
    "country": required("country name"),
    "precision": one_of(PRECISIONS),
    "bureau": _bureau,
    "year_opened": _year,
    "status": one_of(STATUSES),
    "status_date": _status_date,
    "city": _place_needed,
    "checked": _checked,
}
SOURCE_RULES: dict[str, Rule] = {
    "source_id": _slug,
    "publisher": required("publisher"),
    "title": required("title"),
    "date": _date,
    "url": _url,
    "kind": one_of(SOURCE_KINDS),
    "language": _language,
}
PLACE_RULES: dict[str, Rule] = {
    "name": required("place name"),
    "country_code": _country,
    "lat": _coordinate(90),
    "lon": _coordinate(180),
    "kind": one_of(PLACE_KINDS),
    "note": required("note"),
}


def read_seeds(folder: Path) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Read and validate stations, sources and places; raise DataError listing every problem."""
    problems: list[Problem] = []
    frames = {}
    for name, columns, rules in (
        ("sources.csv", SOURCE_COLUMNS, SOURCE_RULES),
        ("stations.csv", SEED_STATION_COLUMNS, STATION_RULES),
        ("places.csv", PLACE_COLUMNS, PLACE_RULES),
    ):
        path = folder / name
        if not path.exists():
            problems.append(
                Problem(name, None, "", "", "the file is missing", f"create {name} with the header {','.join(columns)}")
            )
            continue
        try:
            df = read_csv_text(path, name)
        except DataError as exc:
            problems.extend(exc.problems)
            continue
        bad_header = header_problems(df, columns, name)
        problems.extend(bad_header)
        if any(p.rule.startswith("missing") for p in bad_header):
            continue
        problems.extend(check_rows(df, rules, name))
        frames[name] = df[columns]
    if "sources.csv" in frames:
        problems.extend(duplicate_problems(frames["sources.csv"], "source_id", "sources.csv"))
    if "stations.csv" in frames:
        problems.extend(duplicate_problems(frames["stations.csv"], "station_id", "stations.csv"))
        if "sources.csv" in frames:
            known = set(frames["sources.csv"]["source_id"])
            problems.extend(source_ref_problems(frames["stations.csv"], known, "stations.csv"))
    if problems:
        raise DataError(problems)
    return frames["stations.csv"], frames["sources.csv"], frames["places.csv"]
