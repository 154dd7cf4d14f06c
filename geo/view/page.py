"""Words and tables the app shows, kept out of app.py so they can be tested without Streamlit."""

from __future__ import annotations

import re
from html import escape

import pandas as pd

from geo.data.schema import safe_url
from geo.view import i18n, mapping, picture
from geo.view.cache import Bounded
from geo.view.filters import Filters, year_bounds
from geo.view.i18n import N_, words
from geo.view.mapping import EVIDENCE_WORDS, PRECISION_WORDS, STATUS_WORDS

SOURCE_LINE = N_(
    "Safeguard Defenders (110 Overseas, Sep 2022; Patrol and Persuade, Dec 2022), government "
    "statements, court records and news reports cited per station"
)

# The Methodology, a paragraph per message so each is translated whole (markdown kept).
METHOD = [
    N_("### What this map shows"),
    N_(
        'Each point is one **alleged** overseas police "service station" that at least one published source '
        'reports: {stations} rows in {countries} countries, data as of **{data_date}**. "Alleged" is '
        'deliberate. The human-rights group Safeguard Defenders reported in September 2022 ("110 Overseas") '
        "that Chinese local public security bureaus ran 54 such stations in 30 countries, and in December "
        '2022 ("Patrol and Persuade") 48 more, at least 102 in 53 countries, set up by the Fuzhou, Qingtian, '
        "Wenzhou and Nantong bureaus. The reports say the stations were used, besides paperwork, to "
        "pressure people to return to China. China's Foreign Ministry has said that they are not police "
        'stations but volunteer-run service centres for Chinese nationals, and that "there is no such thing '
        'as an overseas police station" (spokesperson Wang Wenbin, April 2023). Several host governments '
        "investigated; some ordered sites closed and the United States brought charges in 2023. The "
        "*Host response* field records what each government is reported to have done, with its date."
    ),
    N_("### How places are located"),
    N_(
        "Stations are geocoded when the data is built, never in your browser, with an offline gazetteer: "
        "GeoNames towns of 15,000+ people (CC BY 4.0) plus a reviewed list of places that GeoNames cannot or "
        "should not decide (districts such as Scarborough, regions such as Sicily). **Precision** says how "
        "exactly the sources place a station: *street address* (solid dot, dark outline), *city* (solid "
        "dot), *region only* (hollow dashed ring at the region's centre), *country only* (the country "
        "hatched, with a square mark at its centre). A ring or a hatched country is not a location; it only "
        'says "somewhere in this region or country". Stations in one city share one point; the rings open '
        "to show each one."
    ),
    N_("### Sources and their limits"),
    N_(
        "Every row cites the sources that report it: open a point, the *Sources* tab, or the CSV export. "
        "Many reports rely on Chinese official announcements found by Safeguard Defenders; few sites have "
        "been confirmed by a host government, and some sources disagree on the town or the count (the "
        "*Notes* field says so). Where no source gives the founding bureau or the opening year, the map says "
        "*unknown*. Station data (notes, source titles) stays in the language it was published in. The "
        "editorial rules and the list of unidentified stations are below."
    ),
]


def method_text(lang: str = "en", **figures) -> str:
    """The Methodology in a language, its figures filled in."""
    w = words(lang)
    return "\n\n".join(w.t(p).format(**figures) for p in METHOD)


REPORTS = [
    N_("### Coverage against the reports"),
    N_(
        "How many of the stations each report counts are rows here. A station the reports count but no "
        "public source places is not guessed onto the map: the list below gives each one as "
        "*unidentified*, by country and bureau where known, with the reason."
    ),
]


# Headline figures as the reports state them (see seeds/README.md for the citations).
HEADLINES = [
    ("110 Overseas (Sep 2022)", 54, N_("54 stations in 30 countries")),
    ("Patrol and Persuade (Dec 2022)", 48, N_("48 more: at least 102 in 53 countries in all")),
]
COVERAGE_COLUMNS = [
    N_("First reported by"),
    N_("The report says"),
    N_("Stations it counts"),
    N_("Rows here"),
    N_("Countries here"),
]


def coverage(stations: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """Rows per report against the report's own count; later reports in one line."""
    w = words(lang)
    rows = []
    for report, claimed, said in HEADLINES:
        mine = stations[stations["first_reported"] == report]
        rows.append([report, w.t(said), claimed, len(mine), mine["country_code"].nunique()])
    later = stations[~stations["first_reported"].isin([h[0] for h in HEADLINES])]
    rows.append(
        [w.t(N_("Later reports (governments, courts, media)")), "", None, len(later), later["country_code"].nunique()]
    )
    rows.append([w.t(N_("All rows")), "", 102, len(stations), stations["country_code"].nunique()])
    return pd.DataFrame(rows, columns=[w.t(c) for c in COVERAGE_COLUMNS])


def first_link(refs: list[dict]) -> str:
    for s in refs:
        if safe_url(s["url"]):
            return s["url"]
    return ""


def station_table(view: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """The filtered stations as a reader-friendly table (the map's mirror, keyboard navigable)."""
    w = words(lang)
    unknown = w.t(N_("unknown"))
    return pd.DataFrame(
        {
            w.t(N_("Place")): [c or r or k for c, r, k in zip(view["city"], view["region"], view["country"])],
            w.t(N_("Country")): view["country"],
            w.t(N_("Bureau")): [b + (f" ({d})" if d else "") for b, d in zip(view["bureau"], view["bureau_detail"])],
            w.t(N_("Opened")): view["year_opened"].replace("", unknown),
            w.t(N_("Host response")): [
                w.t(STATUS_WORDS.get(s, s)) + (f", {d}" if d else "")
                for s, d in zip(view["status"], view["status_date"])
            ],
            w.t(N_("Evidence")): [w.t(EVIDENCE_WORDS.get(e, e)) for e in view.get("evidence", [""] * len(view))],
            w.t(N_("Precision")): [w.t(PRECISION_WORDS.get(p, p)) for p in view["precision"]],
            w.t(N_("First reported")): view["first_reported"],
            w.t(N_("Sources")): [len(s) for s in view["sources"]],
            w.t(FIRST_SOURCE): [first_link(s) for s in view["sources"]],
            w.t(N_("Notes")): view["notes"],
        }
    )


FIRST_SOURCE = N_("First source")
TABLES = Bounded(64)  # the station table of a view of the curated data, made once per process
SOURCE_COLUMNS = [N_("Publisher"), N_("Title"), N_("Date"), N_("Kind"), N_("Language"), N_("Link"), N_("Stations")]


def source_table(view: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """Every source cited by the filtered stations, once, with how many stations cite it."""
    w = words(lang)
    kinds = mapping.WORDS["kinds"]
    undated = w.t(N_("undated"))
    rows: dict[str, list] = {}
    for refs in view["sources"]:
        for s in refs:
            row = rows.setdefault(
                s["source_id"],
                [
                    s["publisher"],
                    s["title"],
                    undated if s["date"] in ("", "undated") else s["date"],
                    w.t(kinds.get(s["kind"], s["kind"])),
                    s["language"],
                    s["url"] if safe_url(s["url"]) else "",
                    0,
                ],
            )
            row[-1] += 1
    columns = [w.t(c) for c in SOURCE_COLUMNS]
    table = pd.DataFrame(list(rows.values()), columns=columns)
    return table.sort_values([columns[-1], columns[2]], ascending=[False, False])


# Clean mode: only the map, framed at a picture preset's aspect and fitted to the window, for a
# hand-made screenshot. Constant CSS built from our presets, never from data.
def clean_css(preset: str) -> str:
    size = picture.PRESETS.get(preset, picture.PRESETS["web"])
    ratio = size.width / size.height
    width = f"min(calc(100vw - 2rem), calc((100vh - 3.5rem) * {ratio:.4f}))"
    return f"""<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], header, footer,
[data-testid="stToolbar"], [data-testid="stDecoration"] {{ display: none !important; }}
.block-container {{ padding: 0.5rem 1rem 0 1rem !important; max-width: 100% !important; }}
iframe[data-testid="stIFrame"], [data-testid="stCustomComponentV1"] {{
  width: {width} !important; height: calc({width} / {ratio:.4f}) !important; display: block; margin: 0 auto; }}
</style>"""


# The page title: shorter on a phone, so the map starts in the first screen. Constant HTML.
LONG_TITLE = N_("Alleged Chinese overseas police \u201cservice stations\u201d")
SHORT_TITLE = N_("Alleged Chinese police stations abroad")


def page_title(lang: str = "en") -> str:
    """Constant HTML: our own translated words, escaped like any text."""
    w = words(lang)
    return (
        "<style>.aps-h1 { font-size: 2.4rem !important; line-height: 1.15; margin: 0 0 .3rem; padding: 0 !important; }"
        ".aps-h1 .aps-short { display: none; } @media (max-width: 640px) { .aps-h1 { font-size: 1.35rem !important; }"
        " .aps-h1 .aps-long { display: none; } .aps-h1 .aps-short { display: inline; } }</style>"
        f'<h1 class="aps-h1"><span class="aps-long">{escape(w.t(LONG_TITLE))}</span>'
        f'<span class="aps-short">{escape(w.t(SHORT_TITLE))}</span></h1>'
    )


PAGE_TITLE = page_title()


def initial_state(start: Filters, bounds: tuple[int, int] | None, notes: list[str]) -> dict:
    """Widget values for a new session, from the filters a link asked for."""
    extra = start.extra
    preset = extra.get("preset") if extra.get("preset") in picture.PRESETS else "web"
    scale = int(extra["scale"]) if extra.get("scale", "").isdigit() and int(extra["scale"]) in picture.SCALES else 2
    return {
        "countries": list(start.countries),
        "bureaus": list(start.bureaus),
        "statuses": list(start.statuses),
        "reports": list(start.reports),
        "evidence": list(start.evidence),
        "as_of": start.as_of,
        "years": start.years or bounds,
        "unknown_year": start.unknown_year,
        "text": start.text,
        "basemap": extra.get("basemap") if extra.get("basemap") in mapping.BASEMAPS else mapping.OFFLINE,
        "title": extra.get("title", ""),
        "byline": extra.get("byline", "")[:80],
        "inset": extra.get("inset") if extra.get("inset") in INSETS else mapping.AUTO,
        "preset": preset,
        "scale": scale,
        "clean": extra.get("clean") == "1",
        "lang": i18n.pick(extra.get("lang")),
        "url_read": True,
        "url_notes": notes,
    }


def default_title(view: pd.DataFrame, lang: str = "en") -> str:
    """'Alleged Chinese police stations in Italy' (view's country names are in the language)."""
    w = words(lang)
    countries = view["country"].unique()
    if len(countries) == 1:
        return w.t(N_("Alleged Chinese police stations in {country}")).format(country=countries[0])
    return w.t(SHORT_TITLE)


def overlay_text(
    view: pd.DataFrame,
    line: str,
    data_date: str,
    basemap: str,
    title: str = "",
    sources: str = SOURCE_LINE,
    byline: str = "",
    as_of: str | None = None,
    kind: str = "stations",
    lang: str = "en",
) -> dict:
    """Title, subtitle, filters line and credit that the map (and so every export) carries; a
    map as of a past month says so in its subtitle and its credit."""
    w = words(lang)
    n_countries = view["country_code"].nunique()
    if sources == SOURCE_LINE:  # our own line is translated; a reader's file name never is
        sources = w.t(sources)
    credit = mapping.credit_line(data_date, basemap, sources, byline, own=kind == "points", lang=lang)
    if kind == "points":
        what = w.n("{n} point", "{n} points", len(view))
    else:
        what = w.n("{n} alleged station", "{n} alleged stations", len(view))
    subtitle = w.t(N_("{what} in {countries}")).format(
        what=what, countries=w.n("{n} country", "{n} countries", n_countries)
    )
    if as_of:
        subtitle = w.t(N_("{subtitle}, as of {month}")).format(subtitle=subtitle, month=w.month(as_of))
        credit += " " + w.t(N_("Map as of {month}.")).format(month=w.month(as_of))
    return {
        "title": title or (w.t(N_("Your map")) if kind == "points" else default_title(view, lang)),
        "subtitle": subtitle,
        "filters": line,
        "credit": credit,
    }


TRANSLATION_NOTE = N_(
    "Translations of the map's words are the project's own, reviewed by people; a newsroom may correct "
    "one in geo/view/locale/ (see the README, \u201cTranslations\u201d)."
)


# The inset a picture may carry: chosen automatically, none, or a named region.
INSETS = [mapping.AUTO, mapping.NO_INSET, *mapping.REGIONS]
INSET_WORDS = {mapping.AUTO: N_("Automatic (where stations pile up)"), mapping.NO_INSET: N_("No inset")}


def file_name(title: str, ext: str) -> str:
    """'Alleged Chinese police stations in Italy' -> 'alleged-chinese-police-stations-in-italy.png'"""
    slug = re.sub(r"[^a-z0-9]+", "-", title.casefold()).strip("-")[:80] or "alleged-police-stations"
    return f"{slug}.{ext}"


# Fields a journalist may point at one of their columns, in plain words (geo.upload.header knows
# the rest by name).
FIELD_WORDS = {
    "label": N_("Name (heads each popup)"),
    "category": N_("Category (colours the map)"),
    "city": N_("City or town"),
    "region": N_("Region or state"),
    "country": N_("Country name"),
    "country_code": N_("Country code (ISO, e.g. FR)"),
    "lat": N_("Latitude"),
    "lon": N_("Longitude"),
    "coordinates": N_("Coordinates (latitude, longitude in one column)"),
    "bureau": N_("Founding bureau"),
    "year_opened": N_("Opening year (or a date)"),
    "status": N_("Host-government response"),
    "notes": N_("Notes"),
    "source_url": N_("Link to the source"),
    "source_title": N_("Title of the source"),
    "source_publisher": N_("Publisher of the source"),
    "source_date": N_("Date of the source"),
}
MAPPABLE = [
    "label",
    "category",
    "city",
    "region",
    "country",
    "country_code",
    "lat",
    "lon",
    "coordinates",
    "bureau",
    "year_opened",
    "status",
    "notes",
    "source_url",
    "source_title",
    "source_publisher",
    "source_date",
]


PROBLEM_COLUMNS = [N_("Row"), N_("Column"), N_("Value"), N_("Rule"), N_("Fix"), N_("File")]


def problem_table(problems: list, lang: str = "en") -> pd.DataFrame:
    """Problems as a table: shown with st.dataframe, so a value from a file is never markup. The
    column heads are translated; each rule and fix is English (the checks' own words)."""
    w = words(lang)
    return pd.DataFrame(
        [[p.row if p.row is not None else "file", p.column, p.value, p.rule, p.fix, p.file] for p in problems],
        columns=[w.t(c) for c in PROBLEM_COLUMNS],
    ).astype(str)


def keep_known_choices(state, df: pd.DataFrame, data_key: str = "") -> None:
    """Filters whose choices come from the data on screen: when the data changes (an upload, or
    back to the curated data) the year range becomes the new data's whole range and only choices
    the new data has are kept, so a new file never opens with rows hidden by the old one's range."""
    changed = state.get("data_key", data_key) != data_key
    state["data_key"] = data_key
    known = {
        "countries": set(df["country_code"]),
        "bureaus": set(df["bureau"]),
        "statuses": set(df["status"]),
        "reports": set(df["first_reported"]),
        "evidence": set(df["evidence"]) if "evidence" in df else set(),
    }
    for key, values in known.items():
        if key in state:
            state[key] = [v for v in state[key] if v in values]
    bounds = year_bounds(df)
    years = state.get("years")
    if changed or not (bounds and years):
        if "years" in state or changed:
            state["years"] = bounds
        return
    lo, hi = max(years[0], bounds[0]), min(years[1], bounds[1])
    state["years"] = (lo, hi) if lo <= hi else bounds
