"""What a reader sees of the stations' histories: the timeline, what changed since a date, and
the as-of words on pictures. Pure functions of the filtered frame and the events."""

from __future__ import annotations

import pandas as pd

from geo.data.history import EVENTS, month_of, months_between, sort_key
from geo.data.schema import safe_url
from geo.view.export import safe_cell
from geo.view.filters import month_words
from geo.view.i18n import N_, words
from geo.view.mapping import EVENT_WORDS

CHANGE_COLUMNS = ["Date", "Station", "Place", "Event", "Actor", "Summary", "Sources", "Links"]
CHANGE_WORDS = [
    N_("Date"),
    N_("Station"),
    N_("Place"),
    N_("Event"),
    N_("Actor"),
    N_("Summary"),
    N_("Sources"),
    N_("Links"),
]


def events_of(view: pd.DataFrame) -> list[dict]:
    """The events of the stations in view (as far as the view's as-of date), oldest first."""
    out = []
    for sid, city, region, country, history in zip(
        view["station_id"], view["city"], view["region"], view["country"], view.get("history", [[]] * len(view))
    ):
        place = ", ".join(p for p in (city or region, country) if p)
        out += [{**e, "station_id": sid, "place": place} for e in history]
    return sorted(out, key=lambda e: sort_key(e["date"]))


def timeline(view: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Per month: stations first reported, and events by type (every month in between, zero-filled)."""
    events = events_of(view)
    if not events:
        return pd.DataFrame(), pd.DataFrame()
    months = months_between(month_of(events[0]["date"]), month_of(events[-1]["date"]))
    frame = pd.DataFrame({"month": [month_of(e["date"]) for e in events], "event": [e["event"] for e in events]})
    reported = frame[frame["event"] == "reported"].groupby("month").size().reindex(months, fill_value=0)
    by_type = (
        frame[frame["event"] != "reported"]
        .pivot_table(index="month", columns="event", aggfunc="size", fill_value=0)
        .reindex(months, fill_value=0)
    )
    by_type = by_type[[e for e in EVENTS if e in by_type.columns]]
    return reported.rename("stations first reported").to_frame(), by_type


def default_since(view: pd.DataFrame) -> str:
    """The first month of the last twelve months of data."""
    events = events_of(view)
    if not events:
        return ""
    last = month_of(events[-1]["date"])
    y, m = int(last[:4]), int(last[5:7]) - 11
    if m <= 0:
        y, m = y - 1, m + 12
    return f"{y:04d}-{m:02d}"


def changes(view: pd.DataFrame, since: str, lang: str = "en") -> pd.DataFrame:
    """Every event since a month (YYYY-MM), newest first, with its station, actor and sources.
    Column heads and event names in the language; actors and summaries as written (English)."""
    w = words(lang)
    rows = []
    for e in reversed(events_of(view)):
        if since and month_of(e["date"]) < since:
            continue
        links = [s["url"] for s in e["sources"] if safe_url(s["url"])]
        rows.append(
            {
                "Date": e["date"],
                "Station": e["station_id"],
                "Place": e["place"],
                "Event": w.t(EVENT_WORDS.get(e["event"], e["event"])),
                "Actor": e["actor"],
                "Summary": e["summary"],
                "Sources": "; ".join(f"{s['publisher']}, {s['title']} ({s['date']})" for s in e["sources"]),
                "Links": " ".join(links),
            }
        )
    table = pd.DataFrame(rows, columns=CHANGE_COLUMNS)
    return table if w.lang == "en" else table.rename(columns=dict(zip(CHANGE_COLUMNS, map(w.t, CHANGE_WORDS))))


def changes_csv(table: pd.DataFrame) -> bytes:
    return table.map(safe_cell).to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")


def as_of_words(month: str | None, lang: str = "en") -> str:
    return words(lang).t(N_("as of {month}")).format(month=month_words(month, lang)) if month else ""
