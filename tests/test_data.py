"""The real seeds: valid, sourced, placed, built, and described truthfully in seeds/README.md."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from geo.data.history import EVENTS, read_events
from geo.data.schema import read_seeds
from tests.conftest import ROOT

SEEDS = ROOT / "seeds"
BUILT = pd.read_csv(ROOT / "data" / "stations.csv", dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def seeds():
    return read_seeds(SEEDS)  # raises DataError listing every problem


def test_every_station_has_sources_that_resolve(seeds):
    stations, sources, _ = seeds
    known = set(sources["source_id"])
    for row in stations.to_dict("records"):
        ids = [s for s in row["source_ids"].split(";") if s]
        assert ids and set(ids) <= known, row["station_id"]
    assert stations["station_id"].is_unique


def test_every_source_is_used_and_every_station_is_on_the_map(seeds):
    stations, sources, _ = seeds
    events = read_events(SEEDS, stations, sources)
    cited = {s for ids in list(stations["source_ids"]) + list(events["source_ids"]) for s in ids.split(";")}
    readme = (SEEDS / "README.md").read_text(encoding="utf-8")
    # a source no station cites must back a headline figure or a denial in the README
    assert [s for s in sources["source_id"] if s not in cited and s not in readme] == []
    built = pd.read_csv(ROOT / "data" / "stations.csv", dtype=str, keep_default_na=False)
    assert list(built["station_id"]) == list(stations["station_id"])
    assert (built["lat"] != "").all() and (built["lon"] != "").all()


def readme_table(heading: str) -> dict[str, int]:
    text = (SEEDS / "README.md").read_text(encoding="utf-8")
    block = text.split(f"### {heading}\n", 1)[1]
    rows = {}
    for line in block.splitlines()[2:]:
        if not line.startswith("|"):
            break
        cells = [c.strip() for c in line.strip("|").split("|")]
        rows[cells[0]] = int(cells[-1])
    return rows


@pytest.mark.parametrize(
    "heading, column",
    [
        ("Rows by bureau", "bureau"),
        ("Rows by first report", "first_reported"),
        ("Rows by country", "country_code"),
        ("Rows by precision", "precision"),
        ("Rows by status", "status"),
        ("Rows by evidence strength", "evidence"),
    ],
)
def test_readme_coverage_tables_match_the_file(heading, column):
    stations = BUILT  # derived columns (first report, status, evidence) live in data/
    table = readme_table(heading)
    total = table.pop("total", None)
    assert table == stations[column].value_counts().to_dict()
    if total is not None:
        assert total == len(stations)


def test_alleged_is_the_word():
    readme = (SEEDS / "README.md").read_text(encoding="utf-8").lower()
    assert "alleged" in readme and re.search(r"last modified: \d{4}-\d{2}-\d{2}", readme)


def test_every_station_has_a_dated_sourced_history(seeds):
    stations, sources, _ = seeds
    events = read_events(SEEDS, stations, sources)  # raises on any bad event, order or reference
    assert set(events["station_id"]) == set(stations["station_id"])
    assert (events.groupby("station_id")["event"].apply(lambda e: (e == "reported").sum()) == 1).all()
    assert set(events["event"]) <= set(EVENTS)
    table = readme_table("Events by type")
    table.pop("total", None)
    assert table == events["event"].value_counts().to_dict()


def test_every_station_was_checked_and_sources_say_when_undated(seeds):
    stations, sources, _ = seeds
    assert (stations["checked"] != "").all()
    assert (sources["date"] != "").all()  # a page without a date says "undated", never blank
