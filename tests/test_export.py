"""Downloads are safe to open in a spreadsheet and keep every source."""

from __future__ import annotations

import csv
import io
import json
import zipfile

import pytest

from geo.view.export import flat_table, safe_cell, to_csv, to_geojson, to_zip


@pytest.mark.parametrize(
    "cell, expected",
    [
        ('=HYPERLINK("http://evil","x")', '\'=HYPERLINK("http://evil","x")'),
        ("+1+cmd", "'+1+cmd"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("-3.7", "-3.7"),
        ("+44", "+44"),
        ("-1e5", "-1e5"),
        ("Prato", "Prato"),
        ("", ""),
        (12.5, 12.5),
    ],
)
def test_safe_cell(cell, expected):
    assert safe_cell(cell) == expected


def test_csv_flattens_sources_and_is_formula_safe(tiny):
    view = tiny.stations.copy()
    view.loc[view.index[0], "notes"] = "=1+1"
    rows = list(csv.DictReader(io.StringIO(to_csv(view).decode("utf-8-sig"))))
    assert len(rows) == 6
    first = rows[0]
    assert first["notes"] == "'=1+1" and first["lat"] == tiny.stations["lat"].iloc[0]
    milan = next(r for r in rows if r["station_id"] == "it-milan-qingtian")
    assert milan["source_1_publisher"] == "The Guardian"
    assert milan["source_2_url"] == "https://example.org/patrol"
    assert next(r for r in rows if r["station_id"] == "na-windhoek")["country_code"] == "NA"


def test_many_sources_are_never_lost(tiny):
    view = tiny.stations.iloc[:1].copy()
    refs = [{"publisher": f"P{i}", "title": "t", "date": "", "url": f"https://e.org/{i}"} for i in range(9)]
    view["sources"] = [refs]
    table = flat_table(view)
    # as many columns as the station citing the most needs; one value per cell
    assert [table[f"source_{i + 1}_publisher"].iloc[0] for i in range(9)] == [f"P{i}" for i in range(9)]
    assert not any(" | " in str(v) for v in table.iloc[0].tolist())


def test_geojson_and_zip(tiny):
    geo = json.loads(to_geojson(tiny.stations))
    assert len(geo["features"]) == 6
    assert geo["features"][0]["geometry"]["coordinates"][0] == float(tiny.stations["lon"].iloc[0])
    with zipfile.ZipFile(io.BytesIO(to_zip(tiny.stations, "2026-01-02", "Country: all"))) as z:
        assert sorted(z.namelist()) == ["README.txt", "events.csv", "sources.csv", "stations.csv", "stations.geojson"]
        long = list(csv.DictReader(io.StringIO(z.read("sources.csv").decode("utf-8-sig"))))
        assert len(long) == sum(len(s) for s in tiny.stations["sources"])
        assert long[0]["station_id"] == tiny.stations["station_id"].iloc[0] and long[0]["n"] == "1"
        events = list(csv.DictReader(io.StringIO(z.read("events.csv").decode("utf-8-sig"))))
        assert len(events) == len(tiny.events)
        readme = z.read("README.txt").decode()
        assert "Data as of: 2026-01-02" in readme and "Filters: Country: all" in readme
