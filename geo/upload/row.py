"""One row of an upload, checked with the loader's rules (geo.stations) plus what a journalist's
spreadsheet brings: country names or codes, dates as Excel writes them, coordinates to check
against the country, and places to find in the offline gazetteer without guessing.
"""

from __future__ import annotations

import re
from typing import NamedTuple
from weakref import WeakKeyDictionary

from geo.data.build import locate, place_query
from geo.data.gazetteer import Gazetteer, Place, fold
from geo.data.schema import (
    KNOWN_BUREAUS,
    PLACE_RULES,
    PRECISIONS,
    SOURCE_RULES,
    STATION_RULES,
    STATUSES,
    Problem,
    country_problem,
)
from geo.upload import outline
from geo.upload.cell import clean, code_for_name, is_blank, name_for_code, read_coordinate, read_date, read_pair
from geo.upload.citation import check_source, split_joined
from geo.upload.decode import Table
from geo.upload.header import SOURCE_KEYS

NO_CATEGORY = "(no category)"
NAMESAKE_SHARE = 0.2  # a namesake with a fifth of the people makes a name ambiguous
DATE_FIX = "write dates as YYYY-MM-DD to be sure"
BOTH_OR_NEITHER = "fill in both, or leave both blank to place the row by its city"
_NAMESAKES: WeakKeyDictionary = WeakKeyDictionary()


class Outcome(NamedTuple):
    record: dict
    refs: list[tuple[str, dict]]  # (source id given in the file or "", source)
    problems: list[Problem]
    notes: list[Problem]


def namesakes(gazetteer: Gazetteer, place: Place) -> list[Place]:
    """Other GeoNames towns of the same country with the same name and a comparable size."""
    index = _NAMESAKES.get(gazetteer)
    if index is None:
        index = {}
        # lookup() answers with the most populous town per name (geopy's contract); every
        # place is read here, once per gazetteer, to find the others of the same name.
        for p in gazetteer.places():
            index.setdefault((fold(p.name), p.country_code), []).append(p)
        _NAMESAKES[gazetteer] = index
    same = index.get((fold(place.name), place.country_code), [])
    return [p for p in same if p != place and p.population >= NAMESAKE_SHARE * place.population]


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")


class RowReader:
    """Reads the rows of one file in order (duplicate ids need the rows before)."""

    def __init__(
        self,
        name: str,
        table: Table,
        mapping: dict[str, str],
        slots: list[dict[str, str]],
        gazetteer: Gazetteer,
        points: dict[str, tuple[float, float]],
    ):
        self.name, self.mapping, self.slots = name, mapping, slots
        self.index = {h: i for i, h in enumerate(table.header)}
        self.width = len(table.header)
        self.decimal_comma = table.delimiter != ","
        self.gazetteer, self.points = gazetteer, points
        self.seen_ids: dict[str, int] = {}
        self.reading = "stations"  # or "points": a journalist's own list, read in neutral words
        self.extra: list[str] = []  # their columns to show in popups and keep in downloads

    # --- helpers -------------------------------------------------------------------------
    def cell(self, header: str | None) -> str:
        i = self.index.get(header) if header else None
        return clean(self.cells[i]) if i is not None and i < len(self.cells) else ""

    def get(self, column: str) -> str:
        return self.cell(self.mapping.get(column))

    def col(self, column: str) -> str:
        return self.mapping.get(column, column)

    def flag(self, column: str, value: str, rule: str, fix: str) -> None:
        self.problems.append(Problem(self.name, self.number, column, value, rule, fix))

    def note(self, column: str, value: str, rule: str, fix: str) -> None:
        self.notes.append(Problem(self.name, self.number, column, value, rule, fix))

    # --- the row -------------------------------------------------------------------------
    def read(self, number: int, cells: list[str]) -> Outcome:
        self.number, self.cells, self.problems, self.notes = number, cells, [], []
        if len(cells) < self.width or any(c.strip() for c in cells[self.width :]):
            self.flag(
                "",
                f"{len(cells)} cells",
                f"the row has {len(cells)} cells but the header has {self.width}",
                "check for a missing or extra delimiter: text that contains one must be in quotes",
            )
        code, country = self.country()
        city, region = self.get("city"), self.get("region")
        given, point = self.coordinates()
        precision = self.precision(city, region, given)
        place_ok = bool(precision)
        if precision:
            where = "region" if precision == "region" else "city"
            verdict = STATION_RULES["city"]("", {"precision": precision, "city": city, "region": region})
            if verdict:
                self.flag(self.col(where), city if where == "city" else region, *verdict)
                place_ok = False
        record = {
            "city": city,
            "region": region,
            "country_code": code,
            "country": country,
            "precision": precision,
            "bureau": self.category(),
            "bureau_detail": self.get("bureau_detail"),
            "year_opened": self.date("year_opened", 4),
            "first_reported": self.get("first_reported"),
            "status": "" if self.reading == "points" else self.choice("status", STATUSES, "none reported"),
            "status_date": self.date("status_date", 10),
            "label": self.get("label"),
            "extra": [[h, self.cell(h)] for h in self.extra if self.cell(h)],
            "source_ids": self.get("source_ids"),
            "notes": self.get("notes"),
            "checked": "",
            "evidence": "",
            "_row": number,
        }
        record["station_id"] = self.station_id(code, city or region or country)
        if point and self.check_point(*point, code):
            record.update(lat=point[0], lon=point[1], geocode_source="upload", geocode_name=city or region or country)
        elif not given and code and place_ok:
            self.geocode(record)
        if "lat" not in record and not self.problems:  # every path above says why; this is a net
            self.flag("", "", "the row could not be placed", "add lat/lon columns")
        return Outcome(record, self.sources(), self.problems, self.notes)

    def country(self) -> tuple[str, str]:
        code_raw, name_raw = self.get("country_code"), self.get("country")
        code = ""
        if code_raw:
            upper = code_raw.upper()
            verdict = country_problem(upper if len(upper) == 2 else code_raw)
            if verdict:
                self.flag(self.col("country_code"), code_raw, *verdict)
            else:
                code = upper
                other = code_for_name(name_raw) if name_raw else None
                if other and other != code:
                    self.flag(
                        self.col("country"),
                        name_raw,
                        f"the country is {name_raw!r} but country_code {code} is {name_for_code(code)}",
                        "correct one of the two",
                    )
        elif name_raw:
            code = code_for_name(name_raw) or ""
            if not code:
                self.flag(
                    self.col("country"),
                    name_raw,
                    "not a country name or ISO 3166-1 code the map knows",
                    "write the country's English name or its two-letter code (for example FR for "
                    "France, GB for the United Kingdom)",
                )
        else:
            self.flag(
                self.col("country_code" if "country_code" in self.mapping else "country"),
                "",
                "every row needs a country",
                "fill in the country",
            )
        if name_raw and name_raw.upper() != code:
            return code, name_raw
        return code, name_for_code(code) if code else ""  # "IT" in a country column reads "Italy"

    def precision(self, city: str, region: str, has_point: bool) -> str:
        raw = self.get("precision")
        if not raw:  # the finest level the row names; a bare point still needs a place name
            return "city" if city or (has_point and not region) else "region" if region else "country"
        if raw.casefold() in PRECISIONS:
            return raw.casefold()
        self.flag(self.col("precision"), raw, *STATION_RULES["precision"](raw, {}))
        return ""

    def category(self) -> str:
        """Stations: the founding bureau, checked. Points: the reader's own category, as given."""
        if self.reading == "points":
            return self.get("category") or self.get("bureau") or NO_CATEGORY
        if "bureau" not in self.mapping and "category" in self.mapping:
            self.mapping["bureau"] = self.mapping["category"]
        return self.choice("bureau", KNOWN_BUREAUS + ["unknown"], "unknown")

    def choice(self, column: str, allowed: list[str], default: str) -> str:
        raw = self.get(column)
        if is_blank(raw):
            return default
        value = {a.casefold(): a for a in allowed}.get(raw.casefold(), raw)
        if verdict := STATION_RULES[column](value, {}):
            self.flag(self.col(column), raw, *verdict)
        return value

    def date(self, column: str, width: int, value: str | None = None, header: str | None = None) -> str:
        """A year (width 4) or a partial ISO date (width 10) from any spreadsheet date."""
        raw = self.get(column) if value is None else value
        if is_blank(raw):
            return ""
        iso, note = read_date(raw)
        text = iso[:width] if iso else raw
        rules = {
            "year_opened": STATION_RULES["year_opened"],
            "status_date": STATION_RULES["status_date"],
            "date": SOURCE_RULES["date"],
        }
        if verdict := rules[column](text, {}):
            self.flag(header or self.col(column), raw, *verdict)
        elif note:
            self.note(header or self.col(column), raw, note, DATE_FIX)
        return text

    def station_id(self, code: str, place: str) -> str:
        sid = self.get("station_id") or slug(f"{code}-{place}-{self.number}")
        if sid in self.seen_ids:
            self.flag(
                self.col("station_id"),
                sid,
                f"duplicate station_id (first used on row {self.seen_ids[sid]})",
                "give each row its own id",
            )
        self.seen_ids.setdefault(sid, self.number)
        return sid

    # --- where ---------------------------------------------------------------------------
    def coordinates(self) -> tuple[bool, tuple[str, str] | None]:
        """(were coordinates given, the pair when both are numbers)."""
        lat_raw, lon_raw = self.get("lat"), self.get("lon")
        if lat_raw or lon_raw:
            parsed = {}
            for column, raw, other in (("lat", lat_raw, "lon"), ("lon", lon_raw, "lat")):
                parsed[column] = read_coordinate(raw, self.decimal_comma)
                if not raw:
                    self.flag(self.col(column), "", f"{column} is blank but {other} is not", BOTH_OR_NEITHER)
                elif parsed[column] is None:
                    self.flag(self.col(column), raw, *PLACE_RULES[column]("not a number", {}))
            return True, (parsed["lat"], parsed["lon"]) if None not in parsed.values() else None
        if raw := self.get("coordinates"):
            pair = read_pair(raw, self.decimal_comma)
            if pair is None:
                self.flag(
                    self.col("coordinates"),
                    raw,
                    "coordinates are two decimal numbers, latitude first",
                    'write them like "43.8777, 11.0966"',
                )
            return True, pair
        return False, None

    def check_point(self, lat_text: str, lon_text: str, code: str) -> bool:
        both = self.col("coordinates") if "coordinates" in self.mapping else f"{self.col('lat')}, {self.col('lon')}"
        shown = f"{lat_text}, {lon_text}"
        bad = [(c, t, v) for c, t in (("lat", lat_text), ("lon", lon_text)) if (v := PLACE_RULES[c](t, {}))]
        for column, text, verdict in bad:
            self.flag(self.col(column) if "coordinates" not in self.mapping else both, text, *verdict)
        lat, lon = float(lat_text), float(lon_text)
        if bad or not code:
            return False
        if lat == 0 and lon == 0:
            self.flag(
                both, shown, "0, 0 is where empty coordinates end up (in the sea off West Africa)", BOTH_OR_NEITHER
            )
            return False
        found = outline.point_problem(code, name_for_code(code), lat, lon, name_for_code)
        if found:
            blocking, rule, fix = found
            (self.flag if blocking else self.note)(both, shown, rule, fix)
            return not blocking
        return True

    def geocode(self, record: dict) -> None:
        """The offline gazetteer, constrained to the country; never a guess between namesakes."""
        found = locate(record, self.gazetteer, self.points)
        column, query = place_query(record)
        code = record["country_code"]
        if found is None:
            self.flag(
                self.col(column),
                query,
                f"no place called {query!r} in {code} in the offline gazetteer "
                "(GeoNames towns of 15,000+ people and the project's places list)",
                "add lat/lon columns or check the spelling",
            )
        elif column == "city" and found.place and found.place.kind in ("region", "country"):
            self.flag(
                self.col(column),
                query,
                f"{query!r} is a {found.place.kind} in the places list, not a city",
                f"set precision to {found.place.kind}, or add lat/lon columns",
            )
        elif column == "region" and found.how == "geonames":
            self.flag(
                self.col(column),
                query,
                f"{query!r} is a town in GeoNames, not a region the places list knows",
                "add lat/lon columns with the region's centre, or set precision to city",
            )
        elif (
            column == "city"
            and found.place
            and found.how == "geonames"
            and (others := namesakes(self.gazetteer, found.place))
        ):
            sizes = ", ".join(
                f"{p.population:,}" for p in sorted([found.place, *others], key=lambda p: -p.population)[:4]
            )
            self.flag(
                self.col(column),
                query,
                f"{len(others) + 1} towns in {code} are called {query!r} in GeoNames (people: {sizes})",
                "add lat/lon columns so the map does not guess",
            )
        else:
            record.update(
                lat=f"{found.lat:.5f}", lon=f"{found.lon:.5f}", geocode_source=found.how, geocode_name=found.label
            )

    def sources(self) -> list[tuple[str, dict]]:
        """(id given in source_ids or "", source) for every source the row names."""
        given = [s.strip() for s in self.get("source_ids").split(";") if s.strip()]
        refs = []
        for slot in self.slots:
            values = {k: self.cell(slot.get(k)) for k in SOURCE_KEYS}
            for one in split_joined(values):
                if any(one.values()):
                    source = check_source(one, slot, self.flag)
                    source["date"] = self.date("date", 10, one["date"], slot.get("date"))
                    refs.append((given[len(refs)] if len(refs) < len(given) else "", source))
        return refs
