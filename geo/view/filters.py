"""Pure filter functions, the filter <-> URL round trip, and the words that describe a view.

Everything the app shows (summary, map, charts, table, exports) is computed from the one frame
`apply_filters` returns, so the numbers always agree.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

import pandas as pd

from geo.data.dataset import search_blob
from geo.data.gazetteer import fold
from geo.data.history import NO_ACTION, month_of, reported_on, status_as_of
from geo.view.cache import memo
from geo.view.i18n import LANGS, N_, words

ALL = "all"
MONTH_RE = re.compile(r"^20\d\d-(0[1-9]|1[0-2])$")


@dataclass(frozen=True)
class Filters:
    countries: tuple[str, ...] = ()  # ISO codes; empty = all
    bureaus: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    reports: tuple[str, ...] = ()  # first_reported values
    years: tuple[int, int] | None = None  # inclusive; None = no year limit
    unknown_year: bool = True  # keep stations whose opening year no source gives
    text: str = ""
    evidence: tuple[str, ...] = ()  # official source | several outlets | single outlet
    as_of: str | None = None  # YYYY-MM: the stations known, and their status, at the end of that month
    extra: dict = field(default_factory=dict, compare=False)  # basemap, preset, title...

    @property
    def is_default(self) -> bool:
        return self == Filters()


def year_bounds(df: pd.DataFrame) -> tuple[int, int] | None:
    def bounds(frame: pd.DataFrame) -> tuple[int, int] | None:
        years = pd.to_numeric(frame["year_opened"], errors="coerce").dropna()
        return (int(years.min()), int(years.max())) if len(years) else None

    return memo("bounds", df, bounds)


def filter_mask(df: pd.DataFrame, f: Filters) -> pd.Series:
    """True for each row the filters keep (as_of aside: see view_of)."""
    mask = pd.Series(True, index=df.index)
    if f.countries:
        mask &= df["country_code"].isin(f.countries)
    if f.bureaus:
        mask &= df["bureau"].isin(f.bureaus)
    if f.statuses:
        mask &= df["status"].isin(f.statuses)
    if f.reports:
        mask &= df["first_reported"].isin(f.reports)
    if f.evidence and "evidence" in df:
        mask &= df["evidence"].isin(f.evidence)
    if f.years is not None or not f.unknown_year:
        year = memo("years", df, lambda d: pd.to_numeric(d["year_opened"], errors="coerce"))
        if f.years is not None:
            in_range = year.between(f.years[0], f.years[1])
            mask &= in_range | (year.isna() & f.unknown_year)
        else:
            mask &= year.notna()
    if f.text.strip():
        blob = df["search_blob"] if "search_blob" in df else search_blob(df)
        for word in fold(f.text).split():
            mask &= blob.str.contains(word, regex=False)
    return mask


def apply_filters(df: pd.DataFrame, f: Filters) -> pd.DataFrame:
    mask = filter_mask(df, f)
    return df if mask.all() else df[mask]


def at_month(df: pd.DataFrame, events: pd.DataFrame, month: str) -> pd.DataFrame:
    """The map as of the end of a month: only stations reported by then, each with the status its
    events had reached, and its history cut there. Stations without events (an upload) stay."""
    if events.empty:
        return df
    first = df["station_id"].map(reported_on(events)).map(month_of, na_action="ignore")
    out = df[first.isna() | (first <= month)].copy()
    status = status_as_of(events, month)
    known = out["station_id"].isin(events["station_id"])
    out.loc[known, "status"] = out.loc[known, "station_id"].map(status["status"]).fillna(NO_ACTION)
    out.loc[known, "status_date"] = out.loc[known, "station_id"].map(status["status_date"]).fillna("")
    if "history" in out:
        out["history"] = [[e for e in h if month_of(e["date"]) <= month] for h in out["history"]]
    return out


FILTER_NAMES = {
    "countries": N_("Country"),
    "bureaus": N_("Founding bureau"),
    "statuses": N_("Host response"),
    "reports": N_("First reported by"),
    "evidence": N_("Evidence"),
    "years": N_("Year opened"),
    "unknown_year": N_("Opening year known"),
    "text": N_("Search"),
    "as_of": N_("Map as of"),
}


def hidden_by(df: pd.DataFrame, events: pd.DataFrame, f: Filters) -> list[tuple[str, int]]:
    """Each active filter with the rows it hides on its own, largest first: nothing hides a row
    without the page being able to say so."""
    out = []
    for attr, name in FILTER_NAMES.items():
        alone = {attr: getattr(f, attr)}
        if attr == "years":  # a year range and whether unknown years stay are one control here
            if f.years is None:
                continue
            alone["unknown_year"] = f.unknown_year
        if attr == "unknown_year" and f.years is not None:
            continue
        if Filters(**alone) == Filters():
            continue
        one = Filters(**alone)
        # a count is all it needs: a mask, not a filtered copy (as_of rewinds, so it filters)
        n = len(df) - (len(view_of(df, events, one)) if attr == "as_of" else int(filter_mask(df, one).sum()))
        if n:
            out.append((name, n))
    return sorted(out, key=lambda x: -x[1])


def hidden_words(hidden: list[tuple[str, int]], total_hidden: int, lang: str = "en") -> str:
    """'3 rows hidden by Year opened' / '12 rows hidden by Country (8), Year opened (4)'."""
    if not total_hidden:
        return ""
    w = words(lang)
    if len(hidden) == 1:
        which = w.t(hidden[0][0])
    else:
        which = ", ".join(f"{w.t(name)} ({w.number(n)})" for name, n in hidden)
    return w.n("{n} row hidden by {filters}", "{n} rows hidden by {filters}", total_hidden).format(filters=which)


def view_of(df: pd.DataFrame, events: pd.DataFrame, f: Filters) -> pd.DataFrame:
    """The one frame every summary, chart, table, map and export is computed from."""
    return apply_filters(at_month(df, events, f.as_of) if f.as_of else df, f)


def month_words(month: str, lang: str = "en") -> str:
    """'2023-03' -> 'March 2023' ('marzo 2023', '2023年3月')."""
    return words(lang).month(month)


# --- the URL ------------------------------------------------------------------------------
# Short, readable keys, so a shared link says what it shows: ?country=IT&bureau=Qingtian
KEYS = {
    "countries": "country",
    "bureaus": "bureau",
    "statuses": "status",
    "reports": "report",
    "evidence": "evidence",
}


def cut(text: str, limit: int = 60) -> str:
    """A value echoed from a link, cut to a readable length."""
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


def to_query(f: Filters) -> dict[str, str | list[str]]:
    """Every filter goes in the URL, defaults included, so a link always reopens the same view."""
    query: dict[str, str | list[str]] = {}
    for attr, key in KEYS.items():
        values = list(getattr(f, attr))
        query[key] = values if values else ALL
    query["years"] = f"{f.years[0]}-{f.years[1]}" if f.years else ALL
    query["unknown_year"] = "1" if f.unknown_year else "0"
    if f.text:
        query["q"] = f.text
    if f.as_of:
        query["asof"] = f.as_of
    for key, value in sorted(f.extra.items()):
        query[key] = str(value)
    return query


def from_query(
    params: Mapping[str, str | list[str]], df: pd.DataFrame, extra_keys: tuple[str, ...] = ()
) -> tuple[Filters, list[str]]:
    """Filters from a URL, keeping only values the data knows; also the notes on what was ignored."""

    def values(key: str) -> list[str]:
        raw = params.get(key, [])
        items = [raw] if isinstance(raw, str) else list(raw)
        return [v for v in items if v and v != ALL]

    notes: list[str] = []
    asked = params.get("lang", "")
    w = words(asked if isinstance(asked, str) else (asked[0] if asked else ""))  # the link's own language
    known = {
        "countries": set(df["country_code"]),
        "bureaus": set(df["bureau"]),
        "statuses": set(df["status"]),
        "reports": set(df["first_reported"]),
        "evidence": set(df["evidence"]) if "evidence" in df else set(),
    }
    chosen: dict = {}
    for attr, key in KEYS.items():
        wanted = values(key)
        good = tuple(v for v in wanted if v in known[attr])
        for bad in [v for v in wanted if v not in known[attr]]:
            note = w.t(N_("The link asks for {key} {value}, which is not in the data; it was left out."))
            notes.append(note.format(key=key, value=repr(cut(bad))))
        chosen[attr] = good
    years = values("years")
    if years:
        try:
            lo, hi = (int(x) for x in years[0].split("-"))
            chosen["years"] = (min(lo, hi), max(lo, hi))
        except ValueError:
            note = w.t(N_("The link's years {value} are not like 2016-2022; all years are shown."))
            notes.append(note.format(value=repr(years[0])))
    chosen["unknown_year"] = values("unknown_year") != ["0"]
    as_of = values("asof")
    if as_of:
        if MONTH_RE.match(as_of[0]):
            chosen["as_of"] = as_of[0]
        else:
            note = w.t(N_("The link's as-of date {value} is not like 2023-03; the latest data is shown."))
            notes.append(note.format(value=repr(cut(as_of[0]))))
    asked_lang = values("lang")
    if asked_lang and asked_lang[0].strip().lower() not in LANGS:
        note = w.t(N_("The link's language {value} is not one the map speaks; English is shown."))
        notes.append(note.format(value=repr(cut(asked_lang[0]))))
    text = params.get("q", "")
    chosen["text"] = (text if isinstance(text, str) else (text[0] if text else ""))[:200]
    extra = {}
    for key in extra_keys:
        got = values(key)
        if got:
            extra[key] = got[0][:200]
    return Filters(**chosen, extra=extra), notes


# --- words --------------------------------------------------------------------------------


def _names(codes: tuple[str, ...], df: pd.DataFrame) -> str:
    pairs = df[["country_code", "country"]].drop_duplicates("country_code", keep="last")  # as dict(zip()) would
    names = dict(zip(pairs["country_code"], pairs["country"]))
    return ", ".join(names.get(c, c) for c in codes)


def filter_line(f: Filters, df: pd.DataFrame, kind: str = "stations", lang: str = "en") -> str:
    """Only what is filtered, in words: 'Country: Italy · Bureau: Fuzhou'; 'All stations' when nothing
    is. df names the countries (in the reader's language when it was localized)."""
    from geo.view.mapping import EVIDENCE_WORDS, STATUS_WORDS

    w = words(lang)
    parts = []
    if f.countries:
        parts.append(w.t(N_("Country: {names}")).format(names=_names(f.countries, df)))
    if f.bureaus:
        parts.append(w.t(N_("Bureau: {names}")).format(names=", ".join(f.bureaus)))
    if f.years:
        span = f"{f.years[0]}\u2013{f.years[1]}"
        parts.append(
            (w.t(N_("Opened: {years} (and unknown)")) if f.unknown_year else w.t(N_("Opened: {years}"))).format(
                years=span
            )
        )
    elif not f.unknown_year:
        parts.append(w.t(N_("Opening year known")))
    if f.statuses:
        names = ", ".join(w.t(STATUS_WORDS.get(s, s)) for s in f.statuses)
        parts.append(w.t(N_("Status: {names}")).format(names=names))
    if f.reports:
        parts.append(w.t(N_("First report: {names}")).format(names=", ".join(f.reports)))
    if f.evidence:
        names = ", ".join(w.t(EVIDENCE_WORDS.get(e, e)) for e in f.evidence)
        parts.append(w.t(N_("Evidence: {names}")).format(names=names))
    if f.text:
        parts.append(w.t(N_("Search: \u201c{text}\u201d")).format(text=f.text))
    return " \u00b7 ".join(parts) or (w.t(N_("All points")) if kind == "points" else w.t(N_("All stations")))


def plural(n: int, word: str, many: str = "") -> str:
    return f"{n:,} {word if n == 1 else (many or word + 's')}"


def describe(view: pd.DataFrame, kind: str = "stations", lang: str = "en") -> str:
    """'Map of 11 alleged stations in Italy: 7 Qingtian, 3 Fuzhou, 1 Wenzhou.' (a reader's own
    points: 'Map of 30 points in 12 countries: 12 school classroom, ...'). The alt text."""
    w = words(lang)
    points = kind == "points"
    if view.empty:
        return w.t(
            N_("Map with no points: no point matches the filters.")
            if points
            else N_("Map with no alleged stations: no station matches the filters.")
        )
    countries = view["country"].value_counts()
    if points:
        what = w.n("{n} point", "{n} points", len(view))
    else:
        what = w.n("{n} alleged station", "{n} alleged stations", len(view))
    if len(countries) == 1:
        where = w.t(N_("Map of {what} in {country}")).format(what=what, country=countries.index[0])
    else:
        where = w.t(N_("Map of {what} in {countries}")).format(
            what=what, countries=w.n("{n} country", "{n} countries", len(countries))
        )
    unknown = w.t(N_("no category") if points else N_("unknown bureau"))
    counts = view["bureau"].value_counts()
    bureaus = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0] == "unknown", kv[0]))
    by_bureau = w.comma.join(f"{w.number(n)} {b if b != 'unknown' else unknown}" for b, n in bureaus)
    text = f"{where}{w.colon}{by_bureau}{w.stop}"
    if len(countries) > 1:
        top = w.comma.join(f"{c} {w.number(n)}" for c, n in countries.head(5).items())
        text += w.space + w.t(N_("Most in: {top}.")).format(top=top)
    return text


def with_extra(f: Filters, **extra: str) -> Filters:
    return replace(f, extra={**f.extra, **extra})


def share_url(base: str, f: Filters) -> str:
    """The full link that reopens this exact view."""
    from urllib.parse import urlencode

    return base.split("?", 1)[0].rstrip("/") + "/?" + urlencode(to_query(f), doseq=True)
