"""Bring your own data, safely: every hostile or messy upload ends as stations or as rows that
need attention, each problem naming file, spreadsheet row, column, value, rule and fix."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geo.upload.read import MAX_BYTES, MAX_ROWS, guess_column_map, read_upload
from geo.view import mapping
from geo.view.export import to_csv
from geo.view.filters import Filters, apply_filters
from tests.conftest import FIXTURES, HOSTILE
from tests.test_mapping import payload_of, render

THIS_YEAR = dt.date.today().year
HEADER = [
    "station_id",
    "city",
    "region",
    "country_code",
    "country",
    "precision",
    "bureau",
    "bureau_detail",
    "year_opened",
    "first_reported",
    "status",
    "status_date",
    "notes",
    "lat",
    "lon",
    "source_publisher",
    "source_title",
    "source_date",
    "source_url",
]
GOOD = {
    "station_id": "it-prato",
    "city": "Prato",
    "region": "Tuscany",
    "country_code": "IT",
    "country": "Italy",
    "precision": "city",
    "bureau": "Qingtian",
    "bureau_detail": "",
    "year_opened": "2018",
    "first_reported": "Patrol and Persuade",
    "status": "none reported",
    "status_date": "",
    "notes": "",
    "lat": "43.8777",
    "lon": "11.0966",
    "source_publisher": "Safeguard Defenders",
    "source_title": "Patrol and Persuade",
    "source_date": "2022-12-05",
    "source_url": "https://example.org/patrol",
}
STATION_FIELDS = [
    "station_id",
    "city",
    "region",
    "country_code",
    "country",
    "precision",
    "bureau",
    "bureau_detail",
    "year_opened",
    "first_reported",
    "status",
    "status_date",
    "source_ids",
    "notes",
    "lat",
    "lon",
]


def csv_bytes(rows: list[dict], header: list[str] = HEADER) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, header, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def rows_like(*changes: dict) -> list[dict]:
    """One good row per change, each with its own id, then the change applied."""
    return [{**GOOD, "station_id": f"row-{i}", **change} for i, change in enumerate(changes)]


def upload(gazetteer, *changes: dict, **kwargs):
    return read_upload(csv_bytes(rows_like(*changes)), "test.csv", gazetteer, **kwargs)


def from_fixture(gazetteer, name: str, **kwargs):
    return read_upload((FIXTURES / name).read_bytes(), name, gazetteer, **kwargs)


def texts(problems) -> list[str]:
    return [str(p) for p in problems]


# --- the good path -----------------------------------------------------------------------


def test_a_good_row_is_shaped_for_the_map_filters_and_export(gazetteer, tiny):
    result = upload(gazetteer, {})
    assert result.problems == [] and result.attention.empty
    assert list(result.stations.columns) == list(tiny.stations.columns)
    station = result.stations.iloc[0]
    assert (station["lat"], station["lon"], station["geocode_source"]) == ("43.8777", "11.0966", "upload")
    assert station["sources"] == [
        {
            "source_id": "upload-1",
            "publisher": "Safeguard Defenders",
            "title": "Patrol and Persuade",
            "date": "2022-12-05",
            "url": "https://example.org/patrol",
            "kind": "",
            "language": "",
        }
    ]
    assert len(apply_filters(result.stations, Filters(text="safeguard prato"))) == 1
    assert len(payload_of(render(result.stations))["stations"]) == 1
    assert b"it-prato" not in to_csv(result.stations) and b"row-0" in to_csv(result.stations)


def test_our_csv_download_uploads_back_to_the_same_stations(gazetteer, tiny):
    result = read_upload(to_csv(tiny.stations), "alleged-police-stations.csv", gazetteer)
    assert result.problems == [] and result.attention.empty
    assert result.stations[STATION_FIELDS].values.tolist() == tiny.stations[STATION_FIELDS].values.tolist()

    def cited(frame):
        return [
            [(s["source_id"], s["publisher"], s["title"], s["date"], s["url"]) for s in refs]
            for refs in frame["sources"]
        ]

    assert cited(result.stations) == cited(tiny.stations)


def test_every_source_of_a_download_comes_back_apart(gazetteer, tiny):
    view = tiny.stations.iloc[:1].copy()
    refs = [
        {
            "source_id": f"s{i}",
            "publisher": f"P{i}",
            "title": "t | with a bar" if i == 7 else "t",
            "date": "",
            "url": f"https://e.org/{i}",
            "kind": "news",
            "language": "en",
        }
        for i in range(9)
    ]
    view["sources"], view["source_ids"] = [refs], ";".join(r["source_id"] for r in refs)
    station = read_upload(to_csv(view), "x.csv", gazetteer).stations.iloc[0]
    assert [s["url"] for s in station["sources"]] == [f"https://e.org/{i}" for i in range(9)]
    assert [s["publisher"] for s in station["sources"]] == [f"P{i}" for i in range(9)]
    assert station["sources"][7]["title"] == "t | with a bar"  # one value per cell: nothing to split


def test_places_without_coordinates_are_found_in_the_country_they_name(gazetteer):
    inferred = {"precision": "", "lat": "", "lon": ""}  # the finest place the row names
    result = upload(
        gazetteer,
        {"lat": "", "lon": ""},
        {**inferred, "city": "", "region": "", "country_code": "NL", "country": "Netherlands"},
        {**inferred, "city": "", "region": "Sicily"},
    )
    assert result.problems == []
    by_id = result.stations.set_index("station_id")
    assert by_id.loc["row-0", "geocode_source"] == "geonames" and by_id.loc["row-0", "geocode_name"] == "Prato"
    assert by_id.loc["row-1", ["precision", "geocode_source"]].tolist() == ["country", "natural-earth"]
    assert by_id.loc["row-2", ["precision", "geocode_source"]].tolist() == ["region", "places.csv"]


def test_a_place_the_gazetteer_does_not_know_needs_attention(gazetteer):
    result = upload(gazetteer, {"city": "Atlantis", "country_code": "GR", "country": "Greece", "lat": "", "lon": ""})
    assert texts(result.problems) == [
        "test.csv, row 2, column \"city\": 'Atlantis': no place called 'Atlantis' in GR in the offline "
        "gazetteer (GeoNames towns of 15,000+ people and the project's places list). Fix: add lat/lon "
        "columns or check the spelling"
    ]
    assert result.attention["city"].tolist() == ["Atlantis"]


def test_regions_and_ambiguous_names_are_flagged_not_pinned_to_a_guess(gazetteer):
    result = upload(
        gazetteer,
        {"city": "Sicily", "lat": "", "lon": ""},
        {"city": "Springfield", "country_code": "US", "country": "United States", "lat": "", "lon": ""},
        {"city": "", "region": "Prato", "precision": "region", "lat": "", "lon": ""},
    )
    assert result.stations.empty and result.attention["row"].tolist() == [2, 3, 4]
    rules = [p.rule for p in result.problems]
    assert rules[0] == "'Sicily' is a region in the places list, not a city"
    assert rules[1].startswith("5 towns in US are called 'Springfield' in GeoNames (people: 170,188, 154,341")
    assert rules[2] == "'Prato' is a town in GeoNames, not a region the places list knows"


# --- columns -----------------------------------------------------------------------------


def test_guess_column_map_is_case_and_accent_insensitive():
    assert guess_column_map(
        ["Ville", "PAYS", "Latitude (WGS84)", "Lng", "Catégorie", "Date", "Lien", "Titre", "Média", "Whatever"]
    ) == {
        "city": "Ville",
        "country": "PAYS",
        "lat": "Latitude (WGS84)",
        "lon": "Lng",
        "category": "Catégorie",  # a category: it colours the map, and feeds the bureau when its values are bureaus
        "year_opened": "Date",
        "source_url": "Lien",
        "source_title": "Titre",
        "source_publisher": "Média",
    }


def test_guess_prefers_the_specific_name_and_reads_numbered_sources():
    found = guess_column_map(
        ["x", "y", "Latitude", "Publication date", "Date", "Country Code", "Country", "source_2_url", "Source 1 URL"]
    )
    assert found["lat"] == "Latitude" and found["lon"] == "x" and "y" not in found.values()
    assert found["source_date"] == "Publication date" and found["year_opened"] == "Date"
    assert found["country_code"] == "Country Code" and found["country"] == "Country"
    assert found["source_1_url"] == "Source 1 URL" and found["source_2_url"] == "source_2_url"


def test_own_headers_are_read_and_said_so(gazetteer):
    result = from_fixture(gazetteer, "upload_own_headers.csv")
    assert result.problems == [] and len(result.stations) == 2
    assert result.mapping_used["city"] == "Town" and result.mapping_used["bureau"] == "Catégorie"
    prato, madrid = result.stations.to_dict("records")
    assert (prato["country_code"], prato["bureau"], prato["year_opened"]) == ("IT", "Qingtian", "2018")
    assert madrid["geocode_source"] == "geonames" and madrid["country_code"] == "ES"
    assert prato["sources"][0]["publisher"] == "The Outlet"
    notes = texts(result.notes)
    assert (
        'upload_own_headers.csv, column "Internal note": the map does not use the column "Internal note". '
        "Fix: none needed; to use it, choose by hand which field it holds"
    ) in notes
    assert any('"Town" as city' in n for n in notes)


def test_an_explicit_column_map_wins_over_the_guess(gazetteer):
    data = b"Place,Nation,Comment\nPrato,IT,first\n"
    result = read_upload(
        data, "mine.csv", gazetteer, column_map={"city": "Place", "country_code": "Nation", "notes": "Comment"}
    )
    assert result.problems == [] and result.stations["notes"].tolist() == ["first"]
    assert result.mapping_used == {"city": "Place", "country_code": "Nation", "notes": "Comment"}
    bad = read_upload(data, "mine.csv", gazetteer, column_map={"city": "Town"})
    assert bad.stations.empty and len(bad.attention) == 1
    assert bad.problems[0].rule == "column_map maps city to a column the file does not have"


def test_a_missing_column_is_one_file_level_message_and_no_row_is_lost(gazetteer):
    result = from_fixture(gazetteer, "upload_missing_country_column.csv")
    assert texts(result.problems) == [
        'upload_missing_country_column.csv, column "country_code": missing column country_code (or country). '
        "Fix: add a column with each station's country: ISO codes like IT or GB, or country names"
    ]
    assert result.stations.empty and result.attention["city"].tolist() == ["Prato", "Milan"]


def test_extra_and_renamed_columns_are_kept_in_attention(gazetteer):
    data = b"City,Country Code,Latitude,Longitude,Phone\nPrato,IT,43.8777,abc,=1+1\n"
    result = read_upload(data, "x.csv", gazetteer)
    assert result.mapping_used == {
        "city": "City",
        "country_code": "Country Code",
        "lat": "Latitude",
        "lon": "Longitude",
    }
    assert result.attention[["row", "City", "Longitude", "Phone"]].values.tolist() == [[2, "Prato", "abc", "=1+1"]]
    assert result.attention["problems"][0] == (
        "column \"Longitude\": 'abc': must be a decimal number with a point. Fix: write it like 43.8777"
    )


# --- cells -------------------------------------------------------------------------------


def test_wrong_types_are_each_named(gazetteer):
    result = upload(
        gazetteer,
        {"year_opened": "20x8", "precision": "exact", "status": "shut", "lat": "north"},
        {"bureau": "?!", "status_date": "yesterday", "source_date": "soon"},
    )
    assert [(p.row, p.column, p.value) for p in result.problems] == [
        (2, "lat", "north"),
        (2, "precision", "exact"),
        (2, "year_opened", "20x8"),
        (2, "status", "shut"),
        (3, "bureau", "?!"),
        (3, "status_date", "yesterday"),
        (3, "source_date", "soon"),
    ]
    assert result.stations.empty


def test_unknown_country_codes_get_the_loaders_hint(gazetteer):
    result = upload(
        gazetteer,
        {"country_code": "UK", "country": "United Kingdom"},
        {"country_code": "it"},
        {"country_code": "ITA"},
        {"country_code": "IT", "country": "France"},
    )
    assert texts(result.problems) == [
        "test.csv, row 2, column \"country_code\": 'UK': country_code must be an ISO 3166-1 alpha-2 code in "
        'capitals. Fix: use "GB"',
        "test.csv, row 4, column \"country_code\": 'ITA': country_code must be an ISO 3166-1 alpha-2 code in "
        'capitals. Fix: use "IT"',
        "test.csv, row 5, column \"country\": 'France': the country is 'France' but country_code IT is Italy. "
        "Fix: correct one of the two",
    ]
    assert result.stations["country_code"].tolist() == ["IT"]  # "it" is read as IT


def test_na_none_and_null_stay_text(gazetteer):
    result = from_fixture(gazetteer, "upload_na_none_null.csv")
    station = result.stations.iloc[0]
    assert (station["country_code"], station["country"], station["city"]) == ("NA", "Namibia", "Windhoek")
    assert (station["bureau_detail"], station["notes"]) == ("None", "null")
    by_name = read_upload(b"city,country\nWindhoek,NA\n", "x.csv", gazetteer).stations.iloc[0]
    assert by_name["country_code"] == "NA" and by_name["country"] == "Namibia"


def test_an_empty_city_where_the_precision_needs_one(gazetteer):
    result = upload(gazetteer, {"city": ""}, {"precision": "region", "region": ""})
    assert texts(result.problems) == [
        "test.csv, row 2, column \"city\": '': precision city needs a city. Fix: fill in the city, or lower "
        "the precision to region or country",
        "test.csv, row 3, column \"region\": '': precision region needs a region. Fix: fill in the region "
        "(for example Sicily)",
    ]


def test_duplicate_ids_keep_the_first_and_flag_the_rest(gazetteer):
    result = upload(gazetteer, {"station_id": "same"}, {"station_id": "other"}, {"station_id": "same"})
    assert result.stations["station_id"].tolist() == ["same", "other"]
    assert texts(result.problems) == [
        "test.csv, row 4, column \"station_id\": 'same': duplicate station_id (first used on row 2). "
        "Fix: give each row its own id"
    ]


def test_missing_ids_are_made_from_country_city_and_row(gazetteer):
    result = upload(
        gazetteer,
        {
            "station_id": "",
            "city": "São Paulo",
            "country_code": "BR",
            "country": "Brazil",
            "lat": "-23.55",
            "lon": "-46.63",
        },
    )
    assert result.stations["station_id"].tolist() == ["br-sao-paulo-2"]


@pytest.mark.parametrize(
    "written", ["2018", "2018-05-01", "01/05/2018", "5/1/2018", "2018-05-01 00:00:00", "43221", "2018.0", "May 2018"]
)
def test_excel_dates_become_years(gazetteer, written):
    result = upload(gazetteer, {"year_opened": written})
    assert result.problems == [] and result.stations["year_opened"].tolist() == ["2018"]


def test_ambiguous_and_excel_number_dates_are_said(gazetteer):
    result = upload(gazetteer, {"status_date": "01/05/2023", "source_date": "43221"}, {"status_date": "13/05/2023"})
    assert result.stations["status_date"].tolist() == ["2023", "2023-05-13"]
    assert result.stations["sources"][0][0]["date"] == "2018-05-01"
    assert [n.rule for n in result.notes if n.row] == [
        "01/05/2023 could be 1 May or 5 January; kept only the year 2023",
        "read 43221 as an Excel date number: 2018-05-01",
    ]


# --- coordinates -------------------------------------------------------------------------


def test_out_of_range_swapped_and_misplaced_points(gazetteer):
    result = from_fixture(gazetteer, "upload_swapped_coordinates.csv")
    assert result.stations["station_id"].tolist() == ["island", "fine"]
    assert texts(result.problems) == [
        "upload_swapped_coordinates.csv, row 2, column \"lat, lon\": '11.0966, 43.8777': the point is not in "
        "Italy, but would be with latitude and longitude swapped. Fix: swap the lat and lon values (latitude "
        "is north-south, -90 to 90)",
        "upload_swapped_coordinates.csv, row 3, column \"lat\": '151.2093': must be between -90 and 90. "
        "Fix: check that latitude and longitude are not swapped",
        "upload_swapped_coordinates.csv, row 4, column \"lat, lon\": '40.4168, -3.7038': the point is in "
        "Spain, not in Italy. Fix: check the coordinates and the country",
        "upload_swapped_coordinates.csv, row 5, column \"lat, lon\": '0, 0': 0, 0 is where empty coordinates "
        "end up (in the sea off West Africa). Fix: fill in both, or leave both blank to place the row "
        "by its city",
    ]
    # Madeira is missing from the 1:110m outlines: a note, not a refusal
    assert "885 km from Portugal" in texts(result.notes)[-1]


def test_a_country_too_small_for_the_outlines_is_accepted_with_a_note(gazetteer):
    result = upload(
        gazetteer, {"city": "Valletta", "country_code": "MT", "country": "Malta", "lat": "35.8989", "lon": "14.5146"}
    )
    assert result.problems == [] and len(result.stations) == 1
    assert "Malta has no outline on the 1:110m basemap" in texts(result.notes)[0]


def test_semicolons_and_decimal_commas(gazetteer):
    result = from_fixture(gazetteer, "upload_semicolon_decimal_comma.csv")
    assert result.problems == []
    assert result.stations[["city", "country_code", "country", "lat", "lon"]].values.tolist() == [
        ["Prato", "IT", "Italia", "43.8777", "11.0966"],
        ["Firenze", "IT", "Italy", "43.7696", "11.2558"],
    ]


def test_a_decimal_comma_is_refused_where_commas_separate_cells(gazetteer):
    result = upload(gazetteer, {"lat": "43,8777"})
    assert result.problems[0].rule == "must be a decimal number with a point"


# --- the file as a whole -----------------------------------------------------------------


def test_bom_utf8_and_a_real_messy_spreadsheet(gazetteer):
    result = from_fixture(gazetteer, "upload_messy_export.csv")
    assert result.mapping_used["station_id"] == "station_id"  # the BOM did not stick to the header
    assert result.stations["station_id"].tolist() == ["it-prato", "it-milan"]
    prato, milan = result.stations.to_dict("records")
    assert prato["notes"] == '=HYPERLINK("http://evil.example")'  # our download's ' is undone...
    assert b"'=HYPERLINK" in to_csv(result.stations)  # ...and put back on the way out
    assert (milan["precision"], milan["bureau"], milan["status"]) == ("city", "Fuzhou", "investigated")
    assert [s["source_id"] for s in prato["sources"]] == ["sd-1", "guardian-1"]
    assert milan["sources"] == prato["sources"][:1]
    assert [(p.row, p.column) for p in result.problems] == [
        (4, "country_code"),
        (5, "station_id"),
        (5, "source_1_url"),
        (6, "year_opened"),
        (6, "status"),
    ]
    assert result.attention["row"].tolist() == [4, 5, 6]
    assert "upload_messy_export.csv: skipped 2 empty rows. Fix: none needed" in texts(result.notes)


def test_cp1252_is_decoded_without_mojibake_and_said(gazetteer):
    result = from_fixture(gazetteer, "upload_cp1252.csv")
    assert result.stations["city"].tolist() == ["München"]
    assert result.stations["notes"].tolist() == ["Café \u201cRoma\u201d \u2013 \u20ac5"]
    assert texts(result.notes)[0] == (
        'upload_cp1252.csv: the file is not UTF-8, so it was read as Windows-1252 (what Excel\'s plain "CSV" '
        "writes on Windows). Fix: check that accented letters look right; next time choose CSV UTF-8"
    )


def test_utf16_with_a_bom_and_tabs(gazetteer):
    result = from_fixture(gazetteer, "upload_utf16.csv")
    assert result.problems == []
    assert result.stations[["city", "country_code", "notes"]].values.tolist() == [
        ["Zürich", "CH", "Grüße 你好"],
        ["Milan", "IT", ""],
    ]


def test_ragged_rows_need_attention_with_every_cell_kept(gazetteer):
    result = from_fixture(gazetteer, "upload_ragged.csv")
    assert result.stations["city"].tolist() == ["Prato", "Florence"]  # a trailing empty cell is fine
    assert texts(result.problems) == [
        "upload_ragged.csv, row 3: '4 cells': the row has 4 cells but the header has 3. Fix: check for a "
        "missing or extra delimiter: text that contains one must be in quotes",
        "upload_ragged.csv, row 4: '2 cells': the row has 2 cells but the header has 3. Fix: check for a "
        "missing or extra delimiter: text that contains one must be in quotes",
    ]
    assert result.attention[["city", "notes", "extra cells"]].values.tolist() == [
        ["Milan", "Via Paolo Sarpi", " Chinatown"],
        ["Rome", "", ""],
    ]  # as written


@pytest.mark.parametrize(
    "fixture, message",
    [
        (
            "upload_empty.csv",
            "upload_empty.csv: the file is empty. Fix: upload a CSV with a header row and one row per station",
        ),
        (
            "upload_header_only.csv",
            "upload_header_only.csv: the file has a header but no rows. Fix: add one row per station below the header",
        ),
        (
            "upload_excel_renamed.csv",
            "upload_excel_renamed.csv: this is an Excel workbook (.xlsx), not a CSV file. "
            "Fix: open it in Excel and choose File > Save As > CSV UTF-8 (Comma delimited), "
            "then upload the .csv file",
        ),
        (
            "upload_nul_byte.csv",
            "upload_nul_byte.csv: the file contains NUL bytes: it is binary, not CSV text. "
            "Fix: save it from your spreadsheet as CSV UTF-8 and upload that file",
        ),
    ],
)
def test_files_that_are_not_csv_are_refused_clearly(gazetteer, fixture, message):
    result = from_fixture(gazetteer, fixture)
    assert texts(result.problems) == [message] and result.refused
    assert result.stations.empty and result.attention.empty


@pytest.mark.parametrize(
    "data, rule",
    [
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100,
            "this is an Excel 97-2003 workbook (.xls), not a CSV file",
        ),
        (b"%PDF-1.7\n", "this is a PDF document, not a CSV file"),
        (b" \r\n\r\n", "the file is empty"),
        (b'city,country_code\n"Prato,IT\n', "the file is not a readable CSV (unexpected end of data, near line 2)"),
    ],
)
def test_other_unreadable_files(gazetteer, data, rule):
    assert [p.rule for p in read_upload(data, "x.csv", gazetteer).problems] == [rule]


def test_the_size_cap_is_checked_before_decoding(gazetteer):
    result = read_upload(b"\xff" * (MAX_BYTES + 1), "big.csv", gazetteer)
    assert texts(result.problems) == [
        "big.csv: the file is larger than the 5 MB limit (5,242,881 bytes). Fix: split it into smaller files "
        "(at most 50,000 rows each) or delete columns the map does not use"
    ]


def test_too_many_rows_are_refused(gazetteer):
    data = b"city,country_code\n" + b"Prato,IT\n" * (MAX_ROWS + 1)
    assert read_upload(data, "many.csv", gazetteer).problems[0].rule == "the file has more than 50,000 rows"


def test_the_file_name_is_only_its_last_part(gazetteer):
    result = read_upload(b"", "C:\\Users\\me\\..\\secret/\u202eupload.csv", gazetteer)
    assert result.problems[0].file == "upload.csv"


# --- hostile text ------------------------------------------------------------------------

TEXT_FIELDS = [
    "station_id",
    "city",
    "region",
    "country",
    "bureau_detail",
    "first_reported",
    "notes",
    "source_publisher",
    "source_title",
]


def test_html_and_script_in_every_text_field_survive_as_text(gazetteer):
    result = upload(gazetteer, *[{f: f"{payload} {f}" for f in TEXT_FIELDS} for payload in HOSTILE])
    assert result.problems == [] and len(result.stations) == len(HOSTILE)
    assert result.stations["city"].tolist() == [f"{p} city" for p in HOSTILE]
    html = render(result.stations)
    data_line = re.search(r"var data = (\{.*?\});\n", html).group(1)
    assert "alert" not in html.replace(data_line, "")
    assert not set(data_line) & set("<>`$'&\u2028")
    stations = payload_of(html)["stations"]
    assert [s["notes"] for s in stations] == [f"{p} notes" for p in HOSTILE]


@pytest.mark.parametrize("payload", ["${alert(1)}", "`", "\\", "\u2028", "\\u003c/script>", "</script>"])
def test_template_literal_payloads_reach_the_map_escaped(gazetteer, payload):
    result = upload(gazetteer, {"city": f"a{payload}b", "notes": payload, "source_title": payload})
    assert result.stations["notes"].tolist() == [payload]
    html = render(result.stations)
    data_line = re.search(r"var data = (\{.*?\});\n", html).group(1)
    assert not set(data_line) & set("<>`$'&\u2028")
    assert payload_of(html)["stations"][0]["city"] == f"a{payload}b"


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "data:text/html,<script>x</script>",
        "vbscript:msgbox(1)",
        "//evil.example/x",
        "https://user:pw@evil.example/",
    ],
)
def test_unsafe_links_are_refused(gazetteer, url):
    result = upload(gazetteer, {"source_url": url})
    assert texts(result.problems) == [
        f'test.csv, row 2, column "source_url": {url!r}: url must be an http(s) link with a host, no spaces '
        "and no user:password@. Fix: paste the address of the page you read, starting with https://"
    ]
    assert result.attention["source_url"].tolist() == [url]


def test_a_name_in_the_link_column_is_a_publisher_not_a_link(gazetteer):
    result = upload(gazetteer, {"source_url": "Reuters", "source_publisher": ""})
    assert result.stations["sources"][0][0]["publisher"] == "Reuters"
    assert result.stations["sources"][0][0]["url"] == ""


def test_formula_cells_are_prefixed_in_the_export(gazetteer):
    result = upload(
        gazetteer,
        {
            "notes": '=HYPERLINK("http://evil","x")',
            "city": "+Prato",
            "first_reported": "@SUM(A1)",
            "bureau_detail": "-2+3",
        },
    )
    rows = list(csv.DictReader(io.StringIO(to_csv(result.stations).decode("utf-8-sig"))))
    assert (rows[0]["notes"], rows[0]["city"]) == ('\'=HYPERLINK("http://evil","x")', "'+Prato")
    assert (rows[0]["first_reported"], rows[0]["bureau_detail"]) == ("'@SUM(A1)", "'-2+3")
    assert rows[0]["lat"] == "43.8777"


# --- properties --------------------------------------------------------------------------

ANY_TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_characters="\x00"), max_size=40)  # NUL: a binary file


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(column=st.sampled_from(HEADER), text=ANY_TEXT, n=st.integers(1, 3))
def test_any_text_in_any_field_never_raises_and_never_loses_a_row(gazetteer, column, text, n):
    result = read_upload(csv_bytes(rows_like(*[{column: text}] * n)), "any.csv", gazetteer)
    assert len(result.stations) + len(result.attention) == n
    assert all(p.row for p in result.problems)  # only the rows' own problems: the file is fine


@settings(max_examples=200, deadline=None)
@given(data=st.binary(max_size=200))
def test_any_bytes_are_read_or_refused_never_raised(gazetteer, data):
    result = read_upload(data, "bytes.csv", gazetteer)
    assert result.refused or len(result.stations) + len(result.attention) > 0


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=ANY_TEXT)
def test_any_text_reaches_the_map_escaped(gazetteer, text):
    result = upload(gazetteer, {f: f"x{text}" for f in TEXT_FIELDS})
    assert len(result.stations) == 1
    html = render(result.stations)
    data_line = re.search(r"var data = (\{.*?\});\n", html).group(1)
    assert not set(data_line) & set("<>`$'&")


# --- a journalist's own list ---------------------------------------------------------------


def test_an_ordinary_list_is_read_as_points_in_its_own_words(gazetteer):
    data = (FIXTURES / "upload_generic_list.csv").read_bytes()
    result = read_upload(data, "institutes.csv", gazetteer)
    assert result.reading == "points" and result.problems == [] and len(result.stations) == 30
    first = result.stations.iloc[0]
    assert first["label"] == "Example Institute 1" and first["bureau"] == "university partnership"
    assert first["status"] == "" and first["year_opened"] == "2005"
    # the same file read as stations: its categories are not bureaus, and each row says so
    forced = read_upload(data, "institutes.csv", gazetteer, reading="stations")
    assert forced.reading == "stations" and len(forced.stations) == 0 and len(forced.attention) == 30
    # a column the reader picks travels with each row
    extra = read_upload(data, "institutes.csv", gazetteer, {"notes": ""}, extra=["Notes"])
    assert extra.stations.iloc[0]["extra"] == [["Notes", "Opened with a ceremony; see the directory."]]


def test_a_category_of_bureaus_is_read_as_stations(gazetteer):
    data = b"City,Country,Category\nPrato,Italy,Fuzhou\nMadrid,Spain,Qingtian\n"
    result = read_upload(data, "bureaus.csv", gazetteer)
    assert result.reading == "stations" and list(result.stations["bureau"]) == ["Fuzhou", "Qingtian"]


def test_points_are_drawn_in_neutral_words_coloured_by_category(gazetteer):
    from geo.view import page
    from geo.view.payload import decode

    result = read_upload((FIXTURES / "upload_generic_list.csv").read_bytes(), "institutes.csv", gazetteer)
    view = result.stations
    overlay = page.overlay_text(
        view, "All stations", "your upload", mapping.OFFLINE, sources="institutes.csv", kind="points"
    )
    assert overlay["title"] == "Your map" and overlay["subtitle"] == "30 points in 13 countries"
    assert "compiled by" not in overlay["credit"] and "institutes.csv" in overlay["credit"]
    html = mapping.standalone_html(view, kind="points", **overlay)
    data = decode(html)
    legend = {b["label"]: b["count"] for b in data["overlay"]["bureaus"]}
    assert legend == {"school classroom": 12, "university partnership": 12, "cultural centre": 6}
    assert len(set(data["colours"][k] for k in legend)) == 3  # each category its own colour

    def texts(value) -> list[str]:  # every word the map can show (values, not keys)
        if isinstance(value, dict):
            return [t for v in value.values() for t in texts(v)]
        if isinstance(value, list):
            return [t for v in value for t in texts(v)]
        return [str(value).lower()]

    shown = " ".join(texts([data["words"], data["overlay"]]))
    assert not [w for w in ("police", "bureau", "alleged", "host response") if w in shown]
