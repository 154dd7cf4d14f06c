"""Load the machine-written data/ the app reads: stations with their sources attached."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from geo.data.build import DATA, GEO_COLUMNS
from geo.data.gazetteer import fold_many
from geo.data.history import EVENT_COLUMNS
from geo.data.schema import (
    BUREAU_ZH,
    SOURCE_COLUMNS,
    STATION_COLUMNS,
    DataError,
    Problem,
    header_problems,
    read_csv_text,
)


@dataclass
class Dataset:
    stations: pd.DataFrame  # one row per station, `sources` = list of source dicts
    sources: pd.DataFrame
    data_date: str
    counts: dict
    events: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=EVENT_COLUMNS))
    version: str = ""  # the seeds' hash, short: which revision of the data this is


def search_blob(df: pd.DataFrame) -> pd.Series:
    """One folded string per station to match free-text search against."""
    cols = ["city", "region", "country", "bureau", "bureau_detail", "notes", "first_reported"]
    parts = [df[c].astype(str) for c in cols]  # column-wise: a row-wise agg took 20 s for 100k rows
    text = parts[0].str.cat(parts[1:], sep=" ")
    text = text + " " + df["bureau"].map(BUREAU_ZH).fillna("")  # 福州 finds Fuzhou's stations
    if "source_text" in df:
        text = text + " " + df["source_text"]
    return pd.Series(fold_many(text.tolist()), index=df.index, dtype=text.dtype)


def attach_sources(stations: pd.DataFrame, sources: pd.DataFrame) -> pd.DataFrame:
    by_id = {s["source_id"]: s for s in sources.to_dict("records")}
    out = stations.copy()
    out["sources"] = [[by_id[i.strip()] for i in ids.split(";") if i.strip() in by_id] for ids in out["source_ids"]]
    out["source_text"] = [" ".join(f"{s['publisher']} {s['title']}" for s in refs) for refs in out["sources"]]
    out["search_blob"] = search_blob(out)
    return out


def attach_history(stations: pd.DataFrame, events: pd.DataFrame, sources: pd.DataFrame) -> pd.DataFrame:
    """Each station's dated events, oldest first, each with its sources resolved."""
    by_id = {s["source_id"]: s for s in sources.to_dict("records")}
    per: dict[str, list[dict]] = {}
    for e in events.to_dict("records"):
        refs = [by_id[i.strip()] for i in e["source_ids"].split(";") if i.strip() in by_id]
        per.setdefault(e["station_id"], []).append({**e, "sources": refs})
    out = stations.copy()
    out["history"] = [per.get(s, []) for s in out["station_id"]]
    return out


def read_dataset(folder: Path = DATA) -> Dataset:
    """Raise DataError (never a traceback) when data/ is missing or not what geo.build writes."""
    fix = "run `python -m geo.build` (or `make data`) to rebuild data/ from seeds/"
    problems = []
    for name in ("stations.csv", "sources.csv", "build.json"):
        if not (folder / name).exists():
            problems.append(Problem(f"data/{name}", None, "", "", "the file is missing", fix))
    if problems:
        raise DataError(problems)
    stations = read_csv_text(folder / "stations.csv", "data/stations.csv")
    sources = read_csv_text(folder / "sources.csv", "data/sources.csv")
    problems = header_problems(stations, STATION_COLUMNS + GEO_COLUMNS, "data/stations.csv") + header_problems(
        sources, SOURCE_COLUMNS, "data/sources.csv"
    )
    try:
        stamp = json.loads((folder / "build.json").read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        problems.append(Problem("data/build.json", None, "", "", f"not valid JSON ({exc.msg})", fix))
        stamp = {}
    if problems:
        raise DataError(problems)
    events = pd.DataFrame(columns=EVENT_COLUMNS)
    if (folder / "events.csv").exists():
        events = read_csv_text(folder / "events.csv", "data/events.csv")
        problems = header_problems(events, EVENT_COLUMNS, "data/events.csv")
        if problems:
            raise DataError(problems)
    seeds = stamp.get("seeds", {})
    version = hashlib.sha256("".join(seeds[k] for k in sorted(seeds)).encode()).hexdigest()[:10] if seeds else ""
    # Shaped like an upload's frame: no name column, no extra columns (those are a reader's own).
    stations = stations.assign(label="", extra=[[] for _ in range(len(stations))])
    stations = attach_history(attach_sources(stations, sources), events, sources)
    return Dataset(stations, sources, stamp.get("data_date", "unknown"), stamp.get("counts", {}), events, version)
