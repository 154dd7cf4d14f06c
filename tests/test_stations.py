"""The loader: every problem at once, each naming file, row, column, value, rule and fix."""

from __future__ import annotations

import shutil

import pytest

from geo.data.schema import DataError, Problem, read_seeds, safe_url
from tests.conftest import FIXTURES


def problems_for(seed_dir, name, fixture):
    shutil.copy(FIXTURES / fixture, seed_dir / name)
    with pytest.raises(DataError) as caught:
        read_seeds(seed_dir)
    return caught.value.problems


def test_valid_seeds_load_with_every_cell_as_text(seed_dir):
    stations, sources, places = read_seeds(seed_dir)
    assert len(stations) == 6 and len(sources) == 3 and len(places) == 2
    namibia = stations.set_index("station_id").loc["na-windhoek"]
    assert namibia["country_code"] == "NA"  # not NaN: Namibia survives pandas
    assert stations["year_opened"].tolist()[0] == "2016"


def test_bom_is_stripped_from_the_header(seed_dir):
    shutil.copy(FIXTURES / "stations_bom_utf8.csv", seed_dir / "stations.csv")
    stations, _, _ = read_seeds(seed_dir)
    assert stations.columns[0] == "station_id"


def test_every_broken_rule_is_reported_together_with_pinned_wording(seed_dir):
    found = problems_for(seed_dir, "stations.csv", "stations_every_rule_broken.csv")
    text = [str(p) for p in found]
    assert (
        "stations.csv, row 2, column \"country_code\": 'UK': country_code must be an ISO 3166-1 "
        'alpha-2 code in capitals. Fix: use "GB"'
    ) in text
    assert (
        "stations.csv, row 2, column \"precision\": 'City': must be one of address, city, region, "
        'country. Fix: write "city"'
    ) in text
    assert (
        "stations.csv, row 2, column \"year_opened\": '1999': year_opened is a year from 2000 to "
        f"{__import__('datetime').date.today().year}, or blank. Fix: leave it blank unless a source "
        "gives the year"
    ) in text
    assert (
        "stations.csv, row 3, column \"source_ids\": 'missing-source': this source_id is not in "
        "sources.csv. Fix: add the source to sources.csv or correct the id"
    ) in text
    assert (
        "stations.csv, row 4, column \"station_id\": 'ok-row': duplicate station_id (first used on "
        "row 3). Fix: give each row its own id"
    ) in text
    columns = {(p.row, p.column) for p in found}
    assert {
        (2, "station_id"),
        (2, "bureau"),
        (2, "checked"),
        (2, "source_ids"),
        (4, "country"),
        (4, "year_opened"),
    } <= columns
    assert len(found) == 11


def test_a_missing_column_is_one_file_level_message(seed_dir):
    found = problems_for(seed_dir, "stations.csv", "stations_missing_column.csv")
    assert [str(p) for p in found] == [
        'stations.csv, column "country_code": missing column country_code. Fix: the header must be: '
        "station_id,city,region,country_code,country,precision,bureau,bureau_detail,year_opened,"
        "source_ids,notes,checked"
    ]


def test_unsafe_urls_are_refused_with_the_fix(seed_dir):
    found = problems_for(seed_dir, "sources.csv", "sources_javascript_url.csv")
    urls = [p for p in found if p.column == "url"]
    assert [p.value for p in urls] == ["javascript:alert(1)", "https://user:pw@example.org/"]
    assert urls[0].fix == "paste the address of the page you read, starting with https://"


def test_missing_file_and_unreadable_encoding_are_named(seed_dir):
    (seed_dir / "places.csv").unlink()
    (seed_dir / "sources.csv").write_bytes("source_id,publisher\n\xe9t\xe9".encode("utf-16"))
    with pytest.raises(DataError) as caught:
        read_seeds(seed_dir)
    text = str(caught.value)
    assert "places.csv: the file is missing" in text
    assert "sources.csv: the file is not UTF-8 text" in text


@pytest.mark.parametrize(
    "url, ok",
    [
        ("https://www.theguardian.com/world/2022/dec/05/x", True),
        ("http://example.org", True),
        ("javascript:alert(1)", False),
        ("JaVaScRiPt:alert(1)", False),
        ("data:text/html,x", False),
        ("vbscript:msgbox", False),
        ("//evil.example/x", False),
        ("https://user:pw@example.org", False),
        ("https://exa mple.org", False),
        ("https://example.org/\nx", False),
        ("https:///path", False),
        ("https://example.org:99999/", False),
        ("https:\\\\evil.example", False),
        ("", False),
    ],
)
def test_safe_url(url, ok):
    assert safe_url(url) is ok


def test_problem_without_row_reads_as_file_level():
    assert (
        str(Problem("x.csv", None, "", "", "the file is missing", "create it"))
        == "x.csv: the file is missing. Fix: create it"
    )
