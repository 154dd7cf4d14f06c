"""Station histories: seeds/events.csv read and checked like every seed file, and what the build
derives from it (first report, status and its date, evidence strength), as of any month.

A station's status is the host government's or a court's latest action, never typed by hand:
the events say what happened and when, and this module reads them.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from geo.data.schema import (
    PARTIAL_DATE,
    DataError,
    Problem,
    check_rows,
    header_problems,
    one_of,
    partial_date_ok,
    read_csv_text,
    required,
    source_ref_problems,
)

EVENT_COLUMNS = ["station_id", "date", "event", "actor", "summary", "source_ids"]
EVENTS = [
    "opened",
    "reported",
    "denied",
    "investigated",
    "raided",
    "closed",
    "charged",
    "pleaded guilty",
    "convicted",
    "sentenced",
    "acquitted",
    "lawsuit",
    "other",
]
# What a government or court action makes of a station's status; other events (a denial, a
# lawsuit, which may be the station's own against the police) leave it as it was.
STATUS_OF = {
    "investigated": "investigated",
    "raided": "investigated",
    "closed": "closed",
    "charged": "charged",
    "pleaded guilty": "convicted",
    "convicted": "convicted",
    "sentenced": "convicted",
    "acquitted": "acquitted",
}
NO_ACTION = "none reported"
# An event that cannot happen before another: (event, what must come first, on or before).
NEEDS = {
    "pleaded guilty": ("charged",),
    "convicted": ("charged",),
    "acquitted": ("charged",),
    "sentenced": ("convicted", "pleaded guilty"),
}
# The two Safeguard Defenders reports are known by their names (the coverage tables use them).
REPORT_NAMES = {
    ("Safeguard Defenders", "2022-09"): "110 Overseas (Sep 2022)",
    ("Safeguard Defenders", "2022-12"): "Patrol and Persuade (Dec 2022)",
}
EVIDENCE = ["official source", "several outlets", "single outlet"]
OFFICIAL_KINDS = ("government", "court")
MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()
MONTH_NAMES = "January February March April May June July August September October November December".split()


def sort_key(date: str) -> tuple[int, int, int]:
    """'2023-06-01' < '2023-06' < '2023': a date known only to its month or year ('in the fall of
    2022') sorts at the end of that period, so it never jumps ahead of what it followed."""
    parts = [int(p) for p in date.split("-")] if PARTIAL_DATE.match(date) else [0]
    return tuple(parts + [99] * (3 - len(parts)))  # type: ignore[return-value]


def month_of(date: str) -> str:
    """The month a date falls in; a year alone counts as its December (the end of its period,
    so a map as of May 2022 never shows what a source dates only to '2022')."""
    return date[:7] if len(date) >= 7 else f"{date[:4]}-12"


def _event_date(value: str, _row: dict) -> tuple[str, str] | None:
    if partial_date_ok(value):
        return None
    return (
        "date is YYYY, YYYY-MM or YYYY-MM-DD, as precise as the source, and not in the future",
        "write the date the source gives, e.g. 2023-06 or 2023-06-01",
    )


EVENT_RULES = {
    "station_id": required("station_id"),
    "date": _event_date,
    "event": one_of(EVENTS),
    "actor": required("actor (who acted or said it)"),
    "summary": required("summary (one sentence)"),
}


def read_events(folder: Path, stations: pd.DataFrame | None, sources: pd.DataFrame | None) -> pd.DataFrame:
    """seeds/events.csv, every problem reported at once (unknown station or source, bad date or
    event, missing source, a station without its first report, events out of order)."""
    name = "events.csv"
    path = folder / name
    if not path.exists():
        raise DataError(
            [
                Problem(
                    name,
                    None,
                    "",
                    "",
                    "the file is missing",
                    f"create {name} with the header {','.join(EVENT_COLUMNS)}",
                )
            ]
        )
    events = read_csv_text(path, name)
    problems = header_problems(events, EVENT_COLUMNS, name)
    if any(p.rule.startswith("missing") for p in problems):
        raise DataError(problems)
    events = events[EVENT_COLUMNS]
    problems += check_rows(events, EVENT_RULES, name)
    known_stations = set(stations["station_id"]) if stations is not None else None
    known_sources = set(sources["source_id"]) if sources is not None else None
    for i, row in enumerate(events.to_dict("records")):
        sid = row["station_id"]
        if known_stations is not None and sid and sid not in known_stations:
            problems.append(
                Problem(
                    name,
                    i + 2,
                    "station_id",
                    sid,
                    "no station with this id in stations.csv",
                    "correct the id, or add the station to stations.csv first",
                )
            )
    problems += source_ref_problems(
        events, known_sources, name, "event", "add the source_id of the report that gives this event"
    )
    if known_stations is not None:
        problems += first_report_problems(events, stations, name)
    problems += order_problems(events, name)
    if problems:
        raise DataError(problems)
    return events


def first_report_problems(events: pd.DataFrame, stations: pd.DataFrame, name: str) -> list[Problem]:
    reported = events[events["event"] == "reported"]
    counts = reported["station_id"].value_counts()
    problems = []
    for i, sid in enumerate(stations["station_id"].tolist()):
        n = int(counts.get(sid, 0))
        if n != 1:
            problems.append(
                Problem(
                    "stations.csv",
                    i + 2,
                    "station_id",
                    sid,
                    f"every station has exactly one 'reported' event in {name} (its first public report); "
                    f"this one has {n}",
                    f"add one row to {name}: {sid},<date>,reported,<who reported it>,<one sentence>,<source_ids>"
                    if n == 0
                    else "keep only the earliest report as 'reported'; make the others 'other'",
                )
            )
    return problems


def order_problems(events: pd.DataFrame, name: str) -> list[Problem]:
    """A conviction before any charge (and the like) contradicts the record: refuse it."""
    problems = []
    rows = list(enumerate(events.to_dict("records"), start=2))
    by_station: dict[str, list[tuple[int, dict]]] = {}
    for number, row in rows:
        by_station.setdefault(row["station_id"], []).append((number, row))
    for station, items in by_station.items():
        for number, row in items:
            needed = NEEDS.get(row["event"])
            if not needed or not partial_date_ok(row["date"]):
                continue
            before = [
                (n, r)
                for n, r in items
                if r["event"] in needed and partial_date_ok(r["date"]) and sort_key(r["date"]) <= sort_key(row["date"])
            ]
            if before:
                continue
            later = [(n, r) for n, r in items if r["event"] in needed]
            what = (
                f"it contradicts row {later[0][0]} ({later[0][1]['event']} on {later[0][1]['date']})"
                if later
                else f"there is no {' or '.join(needed)} event before it"
            )
            problems.append(
                Problem(
                    name,
                    number,
                    "event",
                    row["event"],
                    f"{row['event']} on {row['date']} for {station} must come after {' or '.join(needed)}: {what}",
                    "check both dates against their sources, or add the missing event",
                )
            )
    return problems


def report_label(actor: str, date: str) -> str:
    """'110 Overseas (Sep 2022)' or '<outlet> (<Mon YYYY>)', the form the coverage tables count."""
    month = month_of(date)
    if (actor, month) in REPORT_NAMES:
        return REPORT_NAMES[(actor, month)]
    when = f"{MONTHS[int(date[5:7]) - 1]} {date[:4]}" if len(date) >= 7 else date[:4]
    return f"{actor.split(' (')[0]} ({when})"


def status_as_of(events: pd.DataFrame, month: str | None = None) -> pd.DataFrame:
    """Per station: status and status_date from the latest action up to `month` (YYYY-MM), or ever."""
    acts = events[events["event"].isin(list(STATUS_OF))]
    if month is not None:
        acts = acts[acts["date"].map(month_of) <= month]
    if acts.empty:
        return pd.DataFrame(columns=["status", "status_date"])
    order = {e: i for i, e in enumerate(STATUS_OF)}  # same day: the later stage wins
    acts = acts.assign(_key=acts["date"].map(sort_key), _stage=acts["event"].map(order)).sort_values(
        ["station_id", "_key", "_stage"], kind="stable"
    )
    last = acts.groupby("station_id").tail(1).set_index("station_id")
    return pd.DataFrame({"status": last["event"].map(STATUS_OF), "status_date": last["date"]})


def reported_on(events: pd.DataFrame) -> pd.Series:
    """Date of each station's first report, by station_id."""
    rep = events[events["event"] == "reported"]
    return pd.Series(rep["date"].values, index=rep["station_id"].values)


def evidence(stations: pd.DataFrame, events: pd.DataFrame, sources: pd.DataFrame) -> pd.Series:
    """How strongly a station is sourced, from its sources and its events' sources (not typed):
    an official source (a host government or a court), several outlets, or a single outlet."""
    kind = dict(zip(sources["source_id"], sources["kind"]))
    publisher = dict(zip(sources["source_id"], sources["publisher"]))
    cited: dict[str, set[str]] = {
        sid: set(ids.split(";")) for sid, ids in zip(stations["station_id"], stations["source_ids"])
    }
    for sid, ids in zip(events["station_id"], events["source_ids"]):
        cited.setdefault(sid, set()).update(ids.split(";"))
    out = {}
    for sid, ids in cited.items():
        ids = {i.strip() for i in ids if i.strip()}
        if any(kind.get(i) in OFFICIAL_KINDS for i in ids):
            out[sid] = EVIDENCE[0]
        elif len({publisher.get(i, i).split(" (")[0] for i in ids}) > 1:
            out[sid] = EVIDENCE[1]
        else:
            out[sid] = EVIDENCE[2]
    return stations["station_id"].map(out)


def derive(stations: pd.DataFrame, events: pd.DataFrame, sources: pd.DataFrame) -> pd.DataFrame:
    """The seed stations with what their events say: first_reported, status, status_date, evidence."""
    out = stations.copy()
    rep = events[events["event"] == "reported"].set_index("station_id")
    out["first_reported"] = [report_label(rep.at[s, "actor"], rep.at[s, "date"]) for s in out["station_id"]]
    status = status_as_of(events)
    out["status"] = out["station_id"].map(status["status"]).fillna(NO_ACTION)
    out["status_date"] = out["station_id"].map(status["status_date"]).fillna("")
    out["evidence"] = evidence(out, events, sources)
    return out


def months_between(first: str, last: str) -> list[str]:
    """Every month from first to last (YYYY-MM), both included."""
    y, m = int(first[:4]), int(first[5:7])
    out = []
    while f"{y:04d}-{m:02d}" <= last:
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def timeline_months(dates: list[str], reported: list[str]) -> list[str]:
    """Months from the first report (or the first event) to the last event: the as-of range."""
    dates = [d for d in dates if partial_date_ok(d)]
    if not dates:
        return []
    first = min([d for d in reported if partial_date_ok(d)] or dates, key=sort_key)
    return months_between(month_of(first), month_of(max(dates, key=sort_key)))


def last_month(events: pd.DataFrame) -> str:
    """The latest month any event names (the data's 'now'), or this month when there are none."""
    dates = [d for d in events["date"] if partial_date_ok(d)]
    return month_of(max(dates, key=sort_key)) if dates else dt.date.today().strftime("%Y-%m")
