"""geo.build: seeds -> data/, staleness check, unresolvable places, the online cache."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from geopy.exc import GeocoderRateLimited, GeocoderServiceError, GeocoderTimedOut
from geopy.location import Location

from geo.data import build
from geo.data.online import CachedGeocoder, read_cache, write_json_atomically
from geo.data.schema import DataError


def write(files: dict[str, str], folder: Path) -> None:
    folder.mkdir(exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")


def add_first_report(seed_dir, station_id: str) -> None:
    with open(seed_dir / "events.csv", "a", encoding="utf-8") as handle:
        handle.write(f"{station_id},2022-09-12,reported,Safeguard Defenders,Listed.,sd-2022-09-12\n")


def test_build_writes_every_station_with_coordinates(seed_dir, tmp_path, gazetteer):
    files = build.render(seed_dir, tmp_path / "data", gazetteer=gazetteer)
    rows = files["stations.csv"].splitlines()
    assert rows[0].endswith("lat,lon,geocode_source,geocode_name")
    assert len(rows) == 7
    by_id = {r.split(",")[0]: r for r in rows[1:]}
    assert "places.csv" in by_id["it-sicily"] and "natural-earth" in by_id["nl-netherlands"]
    stamp = json.loads(files["build.json"])
    assert stamp["counts"]["stations"] == 6 and stamp["counts"]["by_precision"]["region"] == 1
    assert set(stamp["seeds"]) == {"stations.csv", "sources.csv", "places.csv", "events.csv"}
    package = json.loads(files["datapackage.json"])
    assert [r["path"] for r in package["resources"]] == ["stations.csv", "events.csv", "sources.csv"]


def test_check_detects_stale_data_and_keeps_the_data_date(seed_dir, tmp_path, gazetteer):
    data = tmp_path / "data"
    files = build.render(seed_dir, data, gazetteer=gazetteer)
    write(files, data)
    assert build.stale_files(build.render(seed_dir, data, gazetteer=gazetteer), data) == []
    stamp = json.loads((data / "build.json").read_text())
    stamp["data_date"] = "2001-01-01"  # an old build of the same seeds keeps its date
    (data / "build.json").write_text(json.dumps(stamp, indent=1, sort_keys=True) + "\n")
    again = build.render(seed_dir, data, gazetteer=gazetteer)
    assert json.loads(again["build.json"])["data_date"] == "2001-01-01"
    assert build.stale_files(again, data) == ["datapackage.json"]  # its version is the data date
    with open(seed_dir / "stations.csv", "a", encoding="utf-8") as handle:
        handle.write("it-prato,Prato,,IT,Italy,city,unknown,,,sd-2022-09-12,,\n")
    add_first_report(seed_dir, "it-prato")
    assert "stations.csv" in build.stale_files(build.render(seed_dir, data, gazetteer=gazetteer), data)


def test_an_unresolvable_place_stops_the_build_with_its_name(seed_dir, tmp_path, gazetteer):
    with open(seed_dir / "stations.csv", "a", encoding="utf-8") as handle:
        handle.write("xx-atlantis,Atlantis,,GR,Greece,city,unknown,,,sd-2022-09-12,,\n")
    add_first_report(seed_dir, "xx-atlantis")
    with pytest.raises(DataError) as caught:
        build.render(seed_dir, tmp_path / "data", gazetteer=gazetteer)
    message = str(caught.value)
    assert "stations.csv, row 8, column \"city\": 'Atlantis': no place called 'Atlantis' in GR" in message
    assert "add a row to seeds/places.csv" in message


def test_real_data_is_current():
    assert build.main(["--check"]) == 0


class FakeNominatim:
    """Stands in for geopy's Nominatim: scripted answers, and a record of calls."""

    def __init__(self, answers):
        self.answers = list(answers)
        self.calls = []

    def __call__(self, query, exactly_one=True, timeout=None, country_codes=None):
        self.calls.append((query, country_codes))
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer


def test_online_geocoder_caches_answers_and_resumes_after_errors(tmp_path):
    cache = tmp_path / "cache.json"
    hit = Location("Prato, Italy", (43.88, 11.1), {})
    fake = FakeNominatim(
        [GeocoderRateLimited("429"), GeocoderServiceError("503"), GeocoderTimedOut("timeout"), hit, None]
    )
    online = CachedGeocoder(fake, cache)
    statuses = [online.lookup("Prato", "IT")[0] for _ in range(4)]
    assert statuses[:3] == [
        "error: GeocoderRateLimited: 429",
        "error: GeocoderServiceError: 503",
        "error: GeocoderTimedOut: timeout",
    ]
    assert statuses[3] == "ok"
    assert online.lookup("Nowhere", "IT") == ("not found", None)
    # a new run reads the cache and asks nothing again
    again = CachedGeocoder(FakeNominatim([]), cache)
    assert again.lookup("prato ", "it") == ("ok", (43.88, 11.1))
    assert again.lookup("Nowhere", "IT") == ("not found", None)
    assert fake.calls[0] == ("Prato", "it")


def test_a_crash_while_writing_the_cache_leaves_the_old_cache(tmp_path, monkeypatch):
    cache = tmp_path / "cache.json"
    write_json_atomically(cache, {"IT|prato": {"lat": 1, "lon": 2}})

    def crash(*_args):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError):
        write_json_atomically(cache, {"half": "written"})
    assert read_cache(cache) == {"IT|prato": {"lat": 1, "lon": 2}}
    assert [p.name for p in tmp_path.iterdir()] == ["cache.json"]


def test_nominatim_is_rate_limited_and_identifies_itself():
    from geo.data.online import USER_AGENT, nominatim_geocode

    limited = nominatim_geocode()
    assert limited.min_delay_seconds >= 1
    assert limited.func.__self__.headers["User-Agent"] == USER_AGENT
