"""The offline gazetteer keeps geopy's contract and prefers curated places."""

from __future__ import annotations

import inspect

import pytest
from geopy.geocoders import Nominatim
from geopy.location import Location

from geo.data.gazetteer import Gazetteer, Place, fold


@pytest.mark.parametrize(
    "query, cc, expected",
    [
        ("Prato", "IT", "Prato"),
        ("Milano", "IT", "Milan"),  # alternate name
        ("Frankfurt", "DE", "Frankfurt am Main"),  # alternate name
        ("New York", "US", "New York City"),
        ("sao paulo", "BR", "São Paulo"),  # accent- and case-folded
        ("Richmond", "CA", "Richmond"),
        ("Windhoek", "NA", "Windhoek"),  # NA is Namibia
    ],
)
def test_geonames_names_and_alternate_names(gazetteer, query, cc, expected):
    location = gazetteer.geocode(query, country_codes=cc)
    assert isinstance(location, Location)
    assert location.raw["name"] == expected and location.raw["source"] == "geonames"


def test_country_constraint_picks_the_right_country(gazetteer):
    london_ca = gazetteer.geocode("London", country_codes="CA")
    london_gb = gazetteer.geocode("London, GB")
    assert london_ca.latitude == pytest.approx(42.98, abs=0.1)
    assert london_gb.latitude == pytest.approx(51.51, abs=0.1)


def test_most_populous_wins_without_a_country(gazetteer):
    assert gazetteer.geocode("London").raw["country_code"] == "GB"


def test_curated_places_override_and_fill_gaps(gazetteer):
    scarborough = gazetteer.geocode("Scarborough", country_codes="CA")
    assert scarborough.raw["source"] == "places.csv"
    assert (scarborough.latitude, scarborough.longitude) == (43.75583, -79.23083)
    override = Gazetteer([Place("Prato", "IT", 1.0, 2.0, "city", "places.csv", note="test")])
    assert override.geocode("prato", country_codes="IT").point[:2] == (1.0, 2.0)


def test_unknown_place_is_none_and_exactly_one_false_gives_a_list(gazetteer):
    assert gazetteer.geocode("Atlantis", country_codes="GR") is None
    many = gazetteer.geocode("Milan", exactly_one=False, country_codes=["IT", "US"])
    assert [loc.raw["country_code"] for loc in many] == ["IT", "US"]


def test_signature_matches_geopy():
    ours = inspect.signature(Gazetteer.geocode).parameters
    theirs = inspect.signature(Nominatim.geocode).parameters
    for name in ("query", "exactly_one", "timeout", "country_codes"):
        assert name in ours and name in theirs
        assert ours[name].kind == theirs[name].kind


def test_fold():
    assert fold("Saint-Étienne") == fold("saint etienne") == "saint etienne"
    assert fold("  Reggio  nell\u2019Emilia ") == "reggio nell'emilia"
