"""Load the machine-written data/ the app reads: stations with their sources attached."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from geo.data.build import DATA, GEO_COLUMNS
from geo.data.gazetteer import fold_many
from geo.data.schema import SOURCE_COLUMNS, STATION_COLUMNS, DataError, Problem, header_problems, read_csv_text


@dataclass
class Dataset:
    stations: pd.DataFrame  # one row per station, `sources` = list of source dicts
    sources: pd.DataFrame
    data_date: str
    counts: dict


def search_blob(df: pd.DataFrame) -> pd.Series:
    """One folded string per station to match free-text search against."""
    cols = ["city", "region", "country", "bureau", "bureau_detail", "notes", "first_reported"]
    parts = [df[c].astype(str) for c in cols]  # column-wise: a row-wise agg took 20 s for 100k rows
    text = parts[0].str.cat(parts[1:], sep=" ")
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
    return Dataset(
        attach_sources(stations, sources), sources, stamp.get("data_date", "unknown"), stamp.get("counts", {})
    )
