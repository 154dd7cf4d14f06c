"""Which of a journalist's columns is which of ours: guessed from the header, or chosen.

Our own files map to themselves (the seeds' columns, plus the source_N_* columns that the CSV
download writes), so a download can be uploaded again unchanged.
"""

from __future__ import annotations

import re

from geo.data.gazetteer import fold
from geo.data.schema import Problem

SOURCE_KEYS = ["publisher", "title", "date", "url", "kind", "language"]
# Each field's names in order of preference; our own name always comes first. Compared after
# folding case, accents and punctuation, so "Latitude (WGS84)" and "LATITUDE" are "latitude".
SYNONYMS: dict[str, list[str]] = {
    "station_id": ["station id", "id", "station code", "slug"],
    "city": [
        "city",
        "town",
        "city town",
        "municipality",
        "locality",
        "place",
        "city name",
        "ville",
        "citta",
        "ciudad",
        "cidade",
        "stadt",
        "gemeente",
    ],
    "region": ["region", "province", "state", "county", "region state", "state province", "provincia", "bundesland"],
    "country_code": [
        "country code",
        "countrycode",
        "cc",
        "iso",
        "iso2",
        "iso code",
        "iso 3166",
        "iso a2",
        "country iso",
        "alpha 2",
    ],
    "country": ["country", "country name", "nation", "pays", "paese", "pais", "land"],
    "precision": ["precision", "location precision", "geo precision", "accuracy"],
    "label": [
        "name",
        "label",
        "station name",
        "site",
        "site name",
        "institution",
        "organisation",
        "organization",
        "nom",
        "nome",
        "nombre",
    ],
    "category": ["category", "categorie", "categoria", "type", "group", "kategorie", "categorie type", "class"],
    "bureau": [
        "bureau",
        "founding bureau",
        "police bureau",
        "psb",
        "public security bureau",
        "run by",
        "operator",
    ],
    "bureau_detail": ["bureau detail", "county level unit", "sub bureau"],
    "year_opened": [
        "year opened",
        "year",
        "opened",
        "date",
        "opening date",
        "date opened",
        "opening year",
        "founded",
        "year founded",
        "established",
        "since",
    ],
    "first_reported": ["first reported", "first report", "first reported by", "reported in"],
    "status": ["status", "host response", "response", "government response", "host government response", "outcome"],
    "status_date": ["status date", "response date", "date of response"],
    "source_ids": ["source ids", "source id"],
    "notes": ["notes", "note", "comments", "comment", "remarks", "description", "details"],
    "lat": ["lat", "latitude", "lat dd", "latitud", "latitudine", "breite", "y"],
    "lon": ["lon", "lng", "long", "longitude", "lon dd", "longitud", "longitudine", "lange", "x"],
    "coordinates": ["coordinates", "coords", "lat lon", "lat long", "lat lng", "latlng", "latlon", "gps", "geo"],
    "source_url": [
        "source url",
        "url",
        "link",
        "source link",
        "source",
        "sources",
        "reference",
        "href",
        "lien",
        "enlace",
        "fonte",
    ],
    "source_title": ["source title", "title", "headline", "article", "article title", "titre", "titolo", "titulo"],
    "source_publisher": [
        "source publisher",
        "publisher",
        "outlet",
        "media",
        "newspaper",
        "reported by",
        "publication",
        "source name",
    ],
    "source_date": ["source date", "publication date", "published", "date published", "article date", "pub date"],
    "source_kind": ["source kind", "kind", "source type"],
    "source_language": ["source language", "language", "lang"],
}
FIELDS = list(SYNONYMS)
NUMBERED = re.compile(r"^source (\d{1,2}) (" + "|".join(SOURCE_KEYS) + r")$")
# Columns of our own download that the upload recomputes: read silently, never used.
OURS_IGNORED = {"geocode_source", "geocode_name"}


def header_key(header: str) -> str:
    return " ".join(re.sub(r"[\W_]+", " ", fold(header)).split())


def _keys(header: str) -> tuple[str, ...]:
    bare = re.sub(r"\(.*?\)|\[.*?\]", " ", header)
    return tuple(dict.fromkeys([header_key(header), header_key(bare)]))


def is_field(column: str) -> bool:
    return column in SYNONYMS or bool(NUMBERED.match(column.replace("_", " ")))


def guess_column_map(headers: list[str]) -> dict[str, str]:
    """Our column -> their header, for every header we recognise (each used at most once)."""
    keys = {h: _keys(h) for h in headers}
    found: dict[str, str] = {}
    used: set[str] = set()
    for h in headers:
        for key in keys[h]:
            match = NUMBERED.match(key)
            if match and h not in used:
                column = f"source_{int(match.group(1))}_{match.group(2)}"
                if column not in found:
                    found[column] = h
                    used.add(h)
    depth = max(len(names) for names in SYNONYMS.values())
    for rank in range(depth):  # every field's best name first, so "date" never beats "source date"
        for column, names in SYNONYMS.items():
            if column in found or rank >= len(names):
                continue
            for h in headers:
                if h not in used and names[rank] in keys[h]:
                    found[column] = h
                    used.add(h)
                    break
    if "lat" in found and "lon" in found:
        found.pop("coordinates", None)
    return found


def resolve_map(
    headers: list[str], column_map: dict[str, str] | None, name: str
) -> tuple[dict[str, str], list[Problem], list[Problem]]:
    """(mapping, file problems, notes): the guess, overridden by an explicit column_map."""
    mapping = guess_column_map(headers)
    problems: list[Problem] = []
    for ours, theirs in (column_map or {}).items():
        if not is_field(ours):
            problems.append(
                Problem(
                    name,
                    None,
                    ours,
                    "",
                    f"column_map names {ours!r}, which is not a field of the map",
                    "use one of: " + ", ".join(FIELDS),
                )
            )
        elif not theirs:
            mapping.pop(ours, None)
        elif theirs not in headers:
            problems.append(
                Problem(
                    name,
                    None,
                    theirs,
                    "",
                    f"column_map maps {ours} to a column the file does not have",
                    "pick one of the file's columns: " + ", ".join(headers),
                )
            )
        else:
            mapping = {k: v for k, v in mapping.items() if v != theirs}
            mapping[ours] = theirs
    if "lat" in mapping and "lon" in mapping:
        mapping.pop("coordinates", None)
    notes = []
    renamed = [f'"{theirs}" as {ours}' for ours, theirs in mapping.items() if theirs != ours]
    if renamed:
        notes.append(
            Problem(
                name,
                None,
                "",
                "",
                "read the column " + ", ".join(renamed),
                "if a column was read wrongly, choose it by hand",
            )
        )
    if "country" in mapping and "country_code" not in mapping:
        notes.append(
            Problem(
                name,
                None,
                mapping["country"],
                "",
                f'country codes were looked up from the names in "{mapping["country"]}"',
                "check the country filter; a country_code column with ISO codes (IT, GB) leaves nothing to look up",
            )
        )
    ignored = [h for h in headers if h not in mapping.values() and h not in OURS_IGNORED]
    if ignored:
        notes.append(
            Problem(
                name,
                None,
                ", ".join(ignored),
                "",
                "the map does not use the column"
                + ("s " if len(ignored) > 1 else " ")
                + ", ".join(f'"{h}"' for h in ignored),
                "none needed; to use it, choose by hand which field it holds",
            )
        )
    return mapping, problems + missing_columns(mapping, name), notes


def missing_columns(mapping: dict[str, str], name: str) -> list[Problem]:
    """One file-level message per missing column the map cannot do without."""
    problems = []
    if "country_code" not in mapping and "country" not in mapping:
        problems.append(
            Problem(
                name,
                None,
                "country_code",
                "",
                "missing column country_code (or country)",
                "add a column with each station's country: ISO codes like IT or GB, or country names",
            )
        )
    for have, need in (("lat", "lon"), ("lon", "lat")):
        if have in mapping and need not in mapping:
            problems.append(
                Problem(
                    name,
                    None,
                    need,
                    "",
                    f"missing column {need} (there is a {have} column)",
                    f"add the {need} column, or remove {have} to place stations by city",
                )
            )
    return problems


def source_slots(mapping: dict[str, str]) -> list[dict[str, str]]:
    """The mapped source columns grouped per source: [{"url": header, ...}, ...] in order."""
    slots: dict[int, dict[str, str]] = {}
    for column, header in mapping.items():
        match = NUMBERED.match(column.replace("_", " "))
        if match:
            slots.setdefault(int(match.group(1)), {})[match.group(2)] = header
        elif column.startswith("source_") and column[7:] in SOURCE_KEYS:
            slots.setdefault(0, {})[column[7:]] = header
    return [slots[k] for k in sorted(slots)]
