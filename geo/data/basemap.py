"""The offline basemap: Natural Earth 1:110m countries (public domain), 2-decimal GeoJSON.

`geo/assets/countries.geojson` is committed. It was made by `python -m geo.data.basemap` from the
copy of Natural Earth that the pyogrio wheel ships as a test fixture (pyogrio is needed only
to remake it, not to run the app). Each feature carries its ISO alpha-2 code and a label point.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

ASSET = Path(__file__).resolve().parent.parent / "assets" / "countries.geojson"
CREDIT = "Basemap: Natural Earth (public domain)"
# Natural Earth marks a few countries "-99" in iso_a3; these are their alpha-2 codes.
NE_NAME_FIXES = {"France": "FR", "Norway": "NO", "Kosovo": "XK", "N. Cyprus": "", "Somaliland": ""}


@lru_cache(maxsize=1)
def read_countries() -> dict:
    return json.loads(ASSET.read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def country_points() -> dict[str, tuple[float, float]]:
    """ISO alpha-2 -> (lat, lon) label point of the country's largest polygon."""
    return {
        f["properties"]["iso_a2"]: (f["properties"]["label_lat"], f["properties"]["label_lon"])
        for f in read_countries()["features"]
        if f["properties"]["iso_a2"]
    }


def _ring_centroid(ring: list[list[float]]) -> tuple[float, float, float]:
    area = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(ring, ring[1:]):
        cross = x0 * y1 - x1 * y0
        area += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    if area == 0:
        return 0.0, ring[0][0], ring[0][1]
    return abs(area / 2), cx / (3 * area), cy / (3 * area)


def as_polygons(geometry: dict) -> dict:
    """Rounding to 2 decimals turns a few shapes into GeometryCollections; keep their polygons."""
    if geometry["type"] != "GeometryCollection":
        return geometry
    polygons = []
    for part in geometry["geometries"]:
        if part["type"] == "Polygon":
            polygons.append(part["coordinates"])
        elif part["type"] == "MultiPolygon":
            polygons.extend(part["coordinates"])
    return {"type": "MultiPolygon", "coordinates": polygons}


def label_point(geometry: dict) -> tuple[float, float]:
    polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    area, lon, lat = max(_ring_centroid(poly[0]) for poly in polygons)
    return round(lat, 2), round(lon, 2)


def main() -> None:  # pragma: no cover - a one-off maintenance tool, needs pyogrio
    import tempfile

    import pycountry
    import pyogrio
    import pyogrio.raw

    fixture = Path(pyogrio.__file__).parent / "tests/fixtures/naturalearth_lowres/naturalearth_lowres.shp"
    meta, _fids, geometry, fields = pyogrio.raw.read(fixture)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "ne.geojson"
        pyogrio.raw.write(
            out,
            geometry,
            fields,
            fields=meta["fields"],
            geometry_type=meta["geometry_type"],
            crs=meta["crs"],
            driver="GeoJSON",
            layer_options={"COORDINATE_PRECISION": "2", "RFC7946": "YES"},
        )
        data = json.loads(out.read_text(encoding="utf-8"))
    features = []
    for feature in data["features"]:
        props = feature["properties"]
        country = pycountry.countries.get(alpha_3=props["iso_a3"])
        iso2 = NE_NAME_FIXES.get(props["name"], country.alpha_2 if country else "")
        geom = as_polygons(feature["geometry"])
        lat, lon = label_point(geom)
        features.append(
            {
                "type": "Feature",
                "geometry": geom,
                "properties": {"name": props["name"], "iso_a2": iso2, "label_lat": lat, "label_lon": lon},
            }
        )
    ASSET.parent.mkdir(exist_ok=True)
    ASSET.write_text(
        json.dumps({"type": "FeatureCollection", "features": features}, separators=(",", ":")), encoding="utf-8"
    )
    print(f"wrote {ASSET.name}: {len(features)} countries, {ASSET.stat().st_size} bytes")


if __name__ == "__main__":
    main()
