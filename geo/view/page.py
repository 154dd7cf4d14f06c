"""Words and tables the app shows, kept out of app.py so they can be tested without Streamlit."""

from __future__ import annotations

import re

import pandas as pd

from geo.data.schema import safe_url
from geo.view import mapping, picture
from geo.view.filters import Filters, month_words, plural, year_bounds
from geo.view.mapping import PRECISION_WORDS

SOURCE_LINE = (
    "Safeguard Defenders (110 Overseas, Sep 2022; Patrol and Persuade, Dec 2022), government "
    "statements, court records and news reports cited per station"
)

METHOD = """
### What this map shows
Each point is one **alleged** overseas police "service station" that at least one published source
reports: {stations} rows in {countries} countries, data as of **{data_date}**. "Alleged" is
deliberate. The human-rights group Safeguard Defenders reported in September 2022 ("110 Overseas")
that Chinese local public security bureaus ran 54 such stations in 30 countries, and in December
2022 ("Patrol and Persuade") 48 more, at least 102 in 53 countries, set up by the Fuzhou, Qingtian,
Wenzhou and Nantong bureaus. The reports say the stations were used, besides paperwork, to
pressure people to return to China. China's Foreign Ministry has said that they are not police
stations but volunteer-run service centres for Chinese nationals, and that "there is no such thing
as an overseas police station" (spokesperson Wang Wenbin, April 2023). Several host governments
investigated; some ordered sites closed and the United States brought charges in 2023. The
*Host response* field records what each government is reported to have done, with its date.

### How places are located
Stations are geocoded when the data is built, never in your browser, with an offline gazetteer:
GeoNames towns of 15,000+ people (CC BY 4.0) plus a reviewed list of places that GeoNames cannot or
should not decide (districts such as Scarborough, regions such as Sicily). **Precision** says how
exactly the sources place a station: *street address* (solid dot, dark outline), *city* (solid
dot), *region only* (hollow dashed ring at the region's centre), *country only* (hollow dotted ring
at the country's centre). A ring is not a location; it only says "somewhere in this region or
country". Stations in one city share one point; the numbered dark circles open to show each one.

### Sources and their limits
Every row cites the sources that report it: open a point, the *Sources* tab, or the CSV export.
Many reports rely on Chinese official announcements found by Safeguard Defenders; few sites have
been confirmed by a host government, and some sources disagree on the town or the count (the
*Notes* field says so). Where no source gives the founding bureau or the opening year, the map says
*unknown*. The seeds and the editorial rules are in the repository's `seeds/README.md`.
"""

REPORTS = """
### Coverage against the reports
How many of the stations each report counts are rows here. A station the reports count but no
public source places is not guessed onto the map: `seeds/README.md` lists each one as
*unidentified*, by country and bureau where known, with the reason.
"""

# Headline figures as the reports state them (see seeds/README.md for the citations).
HEADLINES = [
    ("110 Overseas (Sep 2022)", 54, "54 stations in 30 countries"),
    ("Patrol and Persuade (Dec 2022)", 48, "48 more: at least 102 in 53 countries in all"),
]


def coverage(stations: pd.DataFrame) -> pd.DataFrame:
    """Rows per report against the report's own count; later reports in one line."""
    rows = []
    for report, claimed, words in HEADLINES:
        mine = stations[stations["first_reported"] == report]
        rows.append(
            {
                "First reported by": report,
                "The report says": words,
                "Stations it counts": claimed,
                "Rows here": len(mine),
                "Countries here": mine["country_code"].nunique(),
            }
        )
    later = stations[~stations["first_reported"].isin([h[0] for h in HEADLINES])]
    rows.append(
        {
            "First reported by": "Later reports (governments, courts, media)",
            "The report says": "",
            "Stations it counts": None,
            "Rows here": len(later),
            "Countries here": later["country_code"].nunique(),
        }
    )
    rows.append(
        {
            "First reported by": "All rows",
            "The report says": "",
            "Stations it counts": 102,
            "Rows here": len(stations),
            "Countries here": stations["country_code"].nunique(),
        }
    )
    return pd.DataFrame(rows)


def first_link(refs: list[dict]) -> str:
    for s in refs:
        if safe_url(s["url"]):
            return s["url"]
    return ""


def station_table(view: pd.DataFrame) -> pd.DataFrame:
    """The filtered stations as a reader-friendly table (the map's mirror, keyboard navigable)."""
    return pd.DataFrame(
        {
            "Place": [c or r or k for c, r, k in zip(view["city"], view["region"], view["country"])],
            "Country": view["country"],
            "Bureau": [b + (f" ({d})" if d else "") for b, d in zip(view["bureau"], view["bureau_detail"])],
            "Opened": view["year_opened"].replace("", "unknown"),
            "Host response": [s + (f", {d}" if d else "") for s, d in zip(view["status"], view["status_date"])],
            "Precision": view["precision"].map(PRECISION_WORDS),
            "First reported": view["first_reported"],
            "Sources": [len(s) for s in view["sources"]],
            "First source": [first_link(s) for s in view["sources"]],
            "Notes": view["notes"],
        }
    )


def source_table(view: pd.DataFrame) -> pd.DataFrame:
    """Every source cited by the filtered stations, once, with how many stations cite it."""
    rows: dict[str, dict] = {}
    for refs in view["sources"]:
        for s in refs:
            row = rows.setdefault(
                s["source_id"],
                {
                    "Publisher": s["publisher"],
                    "Title": s["title"],
                    "Date": s["date"] or "undated",
                    "Kind": s["kind"],
                    "Language": s["language"],
                    "Link": s["url"] if safe_url(s["url"]) else "",
                    "Stations": 0,
                },
            )
            row["Stations"] += 1
    table = pd.DataFrame(
        list(rows.values()), columns=["Publisher", "Title", "Date", "Kind", "Language", "Link", "Stations"]
    )
    return table.sort_values(["Stations", "Date"], ascending=[False, False])


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
PAGE_TITLE = (
    "<style>.aps-h1 { font-size: 2.4rem !important; line-height: 1.15; margin: 0 0 .3rem; padding: 0 !important; }"
    ".aps-h1 .aps-short { display: none; } @media (max-width: 640px) { .aps-h1 { font-size: 1.35rem !important; }"
    " .aps-h1 .aps-long { display: none; } .aps-h1 .aps-short { display: inline; } }</style>"
    '<h1 class="aps-h1"><span class="aps-long">Alleged Chinese overseas police \u201cservice stations\u201d</span>'
    '<span class="aps-short">Alleged Chinese police stations abroad</span></h1>'
)


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
        "url_read": True,
        "url_notes": notes,
    }


def default_title(view: pd.DataFrame) -> str:
    countries = view["country"].unique()
    return "Alleged Chinese police stations" + (f" in {countries[0]}" if len(countries) == 1 else " abroad")


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
) -> dict:
    """Title, subtitle, filters line and credit that the map (and so every export) carries; a
    map as of a past month says so in its subtitle and its credit."""
    n_countries = view["country_code"].nunique()
    when = f", as of {month_words(as_of)}" if as_of else ""
    credit = mapping.credit_line(data_date, basemap, sources, byline, own=kind == "points")
    what = "point" if kind == "points" else "alleged station"
    return {
        "title": title or ("Your map" if kind == "points" else default_title(view)),
        "subtitle": f"{plural(len(view), what)} in {plural(n_countries, 'country', 'countries')}{when}",
        "filters": line,
        "credit": credit + (f" Map as of {month_words(as_of)}." if as_of else ""),
    }


# The inset a picture may carry: chosen automatically, none, or a named region.
INSETS = [mapping.AUTO, mapping.NO_INSET, *mapping.REGIONS]
INSET_WORDS = {mapping.AUTO: "Automatic (where stations pile up)", mapping.NO_INSET: "No inset"}


def file_name(title: str, ext: str) -> str:
    """'Alleged Chinese police stations in Italy' -> 'alleged-chinese-police-stations-in-italy.png'"""
    slug = re.sub(r"[^a-z0-9]+", "-", title.casefold()).strip("-")[:80] or "alleged-police-stations"
    return f"{slug}.{ext}"


# Fields a journalist may point at one of their columns, in plain words (geo.upload.header knows
# the rest by name).
FIELD_WORDS = {
    "label": "Name (heads each popup)",
    "category": "Category (colours the map)",
    "city": "City or town",
    "region": "Region or state",
    "country": "Country name",
    "country_code": "Country code (ISO, e.g. FR)",
    "lat": "Latitude",
    "lon": "Longitude",
    "coordinates": "Coordinates (latitude, longitude in one column)",
    "bureau": "Founding bureau",
    "year_opened": "Opening year (or a date)",
    "status": "Host-government response",
    "notes": "Notes",
    "source_url": "Link to the source",
    "source_title": "Title of the source",
    "source_publisher": "Publisher of the source",
    "source_date": "Date of the source",
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


def problem_table(problems: list) -> pd.DataFrame:
    """Problems as a table: shown with st.dataframe, so a value from a file is never markup."""
    return pd.DataFrame(
        [
            {
                "Row": p.row if p.row is not None else "file",
                "Column": p.column,
                "Value": p.value,
                "Rule": p.rule,
                "Fix": p.fix,
                "File": p.file,
            }
            for p in problems
        ],
        columns=["Row", "Column", "Value", "Rule", "Fix", "File"],
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
