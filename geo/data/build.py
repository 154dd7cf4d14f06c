"""`python -m geo.build [--check] [--online]`: validate seeds/, geocode, write data/.

data/ is machine-written and committed; `--check` rebuilds in memory and fails when data/ is
not what the seeds produce, so a stale map never ships.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import sys
from pathlib import Path
from typing import NamedTuple

import pandas as pd

from geo.data import basemap
from geo.data.gazetteer import Gazetteer, Place
from geo.data.history import EVENT_COLUMNS, EVENTS, EVIDENCE, derive, read_events, sort_key
from geo.data.schema import PRECISIONS, SOURCE_COLUMNS, STATION_COLUMNS, STATUSES, DataError, Problem, read_seeds

ROOT = Path(__file__).resolve().parent.parent.parent
SEEDS = ROOT / "seeds"
DATA = ROOT / "data"
CACHE = DATA / "geocode_cache.json"
GEO_COLUMNS = ["lat", "lon", "geocode_source", "geocode_name"]
SEED_FILES = ["stations.csv", "sources.csv", "places.csv", "events.csv"]


def curated_places(places: pd.DataFrame) -> list[Place]:
    return [
        Place(r["name"], r["country_code"], float(r["lat"]), float(r["lon"]), r["kind"], "places.csv", note=r["note"])
        for r in places.to_dict("records")
    ]


def place_query(row: dict) -> tuple[str, str]:
    """(column, name) to geocode: the city unless the station is known only at a coarser level."""
    if row["precision"] in ("address", "city"):
        return "city", row["city"]
    if row["precision"] == "region":
        return "region", row["region"]
    return "country", row["country"]


class Located(NamedTuple):
    lat: float
    lon: float
    how: str  # geocode_source: places.csv | geonames | natural-earth | nominatim
    label: str  # geocode_name
    place: Place | None  # the gazetteer entry, when one matched (its kind says city or region)


def locate(row: dict, gazetteer: Gazetteer, points: dict[str, tuple[float, float]], online=None) -> Located | None:
    """Where a station goes: the gazetteer, then (country precision only) the basemap's
    country point, then Nominatim when asked. Shared by the build and by uploads."""
    column, name = place_query(row)
    cc = row["country_code"]
    place = gazetteer.lookup(name, cc)
    if place:
        return Located(place.lat, place.lon, place.source, place.name, place)
    if column == "country" and cc in points:
        return Located(*points[cc], "natural-earth", row["country"], None)
    if online is not None and (hit := online.lookup(name, cc))[1]:
        return Located(*hit[1], "nominatim", name, None)
    return None


def geocode_stations(stations: pd.DataFrame, gazetteer: Gazetteer, online=None) -> pd.DataFrame:
    """Add lat/lon to every station or raise DataError naming each place that failed."""
    rows, problems = [], []
    points = basemap.country_points()
    for i, row in enumerate(stations.to_dict("records")):
        found = locate(row, gazetteer, points, online)
        if found is None:
            column, name = place_query(row)
            problems.append(
                Problem(
                    "stations.csv",
                    i + 2,
                    column,
                    name,
                    f"no place called {name!r} in {row['country_code']} in the offline gazetteer (GeoNames "
                    "towns of 15,000+ people and seeds/places.csv)",
                    "check the spelling, or add a row to seeds/places.csv with its lat, lon and a note "
                    "saying where the coordinates come from",
                )
            )
            continue
        rows.append(
            {
                **row,
                "lat": f"{found.lat:.5f}",
                "lon": f"{found.lon:.5f}",
                "geocode_source": found.how,
                "geocode_name": found.label,
            }
        )
    if problems:
        raise DataError(problems)
    return pd.DataFrame(rows, columns=STATION_COLUMNS + GEO_COLUMNS)


def seed_hashes(folder: Path) -> dict[str, str]:
    return {name: hashlib.sha256((folder / name).read_bytes()).hexdigest() for name in SEED_FILES}


def counts(stations: pd.DataFrame) -> dict:
    return {
        "stations": len(stations),
        "countries": int(stations["country_code"].nunique()),
        "by_bureau": stations["bureau"].value_counts().sort_index().to_dict(),
        "by_precision": {p: int((stations["precision"] == p).sum()) for p in PRECISIONS},
        "by_status": {s: int((stations["status"] == s).sum()) for s in STATUSES},
        "by_evidence": {e: int((stations["evidence"] == e).sum()) for e in EVIDENCE},
    }


def datapackage(data_date: str) -> dict:
    def fields(columns: list[str], enums: dict[str, list[str]]) -> list[dict]:
        out = []
        for c in columns:
            field: dict = {"name": c, "type": "number" if c in ("lat", "lon") else "string"}
            if c in enums:
                field["constraints"] = {"enum": enums[c]}
            out.append(field)
        return out

    return {
        "name": "alleged-chinese-overseas-police-stations",
        "title": "Alleged Chinese overseas police 'service stations'",
        "description": "One row per publicly reported, alleged station, each with the sources that report it.",
        "version": data_date,
        "licenses": [
            {
                "name": "CC-BY-4.0",
                "path": "https://creativecommons.org/licenses/by/4.0/",
                "title": "Creative Commons Attribution 4.0",
            }
        ],
        "sources": [
            {"title": "GeoNames", "path": "https://www.geonames.org/"},
            {"title": "Natural Earth", "path": "https://www.naturalearthdata.com/"},
        ],
        "resources": [
            {
                "name": "stations",
                "path": "stations.csv",
                "format": "csv",
                "encoding": "utf-8",
                "schema": {
                    "fields": fields(
                        STATION_COLUMNS + GEO_COLUMNS,
                        {"precision": PRECISIONS, "status": STATUSES, "evidence": EVIDENCE},
                    ),
                    "primaryKey": "station_id",
                },
            },
            {
                "name": "events",
                "path": "events.csv",
                "format": "csv",
                "encoding": "utf-8",
                "schema": {
                    "fields": fields(EVENT_COLUMNS, {"event": EVENTS}),
                    "foreignKeys": [
                        {"fields": "station_id", "reference": {"resource": "stations", "fields": "station_id"}}
                    ],
                },
            },
            {
                "name": "sources",
                "path": "sources.csv",
                "format": "csv",
                "encoding": "utf-8",
                "schema": {"fields": fields(SOURCE_COLUMNS, {}), "primaryKey": "source_id"},
            },
        ],
    }


def render(seeds: Path = SEEDS, data: Path = DATA, online=None, gazetteer: Gazetteer | None = None) -> dict[str, str]:
    """The text of every data/ file the seeds produce, keyed by file name."""
    stations, sources, places, events = read_all(seeds)
    gazetteer = gazetteer or Gazetteer(curated_places(places))
    located = geocode_stations(derive(stations, events, sources), gazetteer, online)
    hashes = seed_hashes(seeds)
    stamp_path = data / "build.json"
    old = json.loads(stamp_path.read_text(encoding="utf-8")) if stamp_path.exists() else {}
    data_date = old.get("data_date") if old.get("seeds") == hashes else dt.date.today().isoformat()
    stamp = {"data_date": data_date, "seeds": hashes, "counts": counts(located)}
    return {
        "stations.csv": located.to_csv(index=False, lineterminator="\n"),
        "sources.csv": sources.to_csv(index=False, lineterminator="\n"),
        "events.csv": events.to_csv(index=False, lineterminator="\n"),
        "build.json": json.dumps(stamp, indent=1, sort_keys=True) + "\n",
        "datapackage.json": json.dumps(datapackage(data_date), indent=1) + "\n",
    }


def read_all(seeds: Path) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Every seed file, with the problems of all of them reported together."""
    problems: list[Problem] = []
    stations = sources = places = None
    try:
        stations, sources, places = read_seeds(seeds)
    except DataError as exc:
        problems += exc.problems
    try:
        events = read_events(seeds, stations, sources)
    except DataError as exc:
        problems += exc.problems
    if problems:
        raise DataError(problems)
    events = events.assign(_key=events["date"].map(sort_key), _order=range(len(events)))
    events = events.sort_values(["station_id", "_key", "_order"], kind="stable").drop(columns=["_key", "_order"])
    return stations, sources, places, events


def stale_files(files: dict[str, str], data: Path) -> list[str]:
    return [
        name
        for name, text in files.items()
        if not (data / name).exists() or (data / name).read_text(encoding="utf-8") != text
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m geo.build", description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if data/ is not what seeds/ produce")
    parser.add_argument(
        "--online",
        action="store_true",
        help="ask Nominatim (1 request/s, cached in data/geocode_cache.json) for places "
        "the offline gazetteer cannot resolve",
    )
    args = parser.parse_args(argv)
    online = None
    if args.online:
        from geo.data.online import CachedGeocoder, nominatim_geocode

        online = CachedGeocoder(nominatim_geocode(), CACHE)
    try:
        files = render(online=online)
    except DataError as exc:
        print(exc, file=sys.stderr)
        return 2
    stale = stale_files(files, DATA)
    if args.check:
        if stale:
            print(f"data/ is stale ({', '.join(stale)}): run `python -m geo.build` and commit data/", file=sys.stderr)
            return 1
        print("data/ is current")
        return 0
    DATA.mkdir(exist_ok=True)
    for name in stale:
        (DATA / name).write_text(files[name], encoding="utf-8")
    stamp = json.loads(files["build.json"])
    print(
        f"data/ written: {stamp['counts']['stations']} stations in {stamp['counts']['countries']} "
        f"countries (data date {stamp['data_date']}); changed: {', '.join(stale) or 'nothing'}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
