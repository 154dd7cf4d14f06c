"""Is a point plausibly in the country a row names? Checked against the basemap's outlines.

Natural Earth 1:110m is coarse (coasts cut corners, small islands are missing, microstates
are absent), so "in the country" means inside its outline or within TOLERANCE_KM of it, and
the caller decides what to say about points the outlines cannot judge.
"""

from __future__ import annotations

import math
from functools import lru_cache
from typing import NamedTuple

import numpy as np

from geo.data import basemap

TOLERANCE_KM = 100.0
SEA_LIMIT_KM = 2000.0  # farther than this from the country's outline is an error, not an island
KM_PER_DEGREE = 111.2


class Shape(NamedTuple):
    bbox: tuple[float, float, float, float]  # min lon, min lat, max lon, max lat
    rings: list[np.ndarray]  # (n, 2) lon/lat, closed; outer ring, then holes (Lesotho in South Africa)


class Verdict(NamedTuple):
    known: bool  # the country has an outline on the 1:110m map
    distance_km: float  # 0 inside; else distance to the nearest edge
    inside_other: str  # ISO code of the other country whose outline holds the point, or ""

    @property
    def plausible(self) -> bool:
        return self.known and self.distance_km <= TOLERANCE_KM


@lru_cache(maxsize=1)
def shapes() -> dict[str, list[Shape]]:
    out: dict[str, list[Shape]] = {}
    for feature in basemap.read_countries()["features"]:
        geometry = feature["geometry"]
        polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
        for polygon in polygons:
            rings = [np.asarray(ring, dtype=float) for ring in polygon]
            (x0, y0), (x1, y1) = rings[0].min(axis=0), rings[0].max(axis=0)
            out.setdefault(feature["properties"]["iso_a2"], []).append(Shape((x0, y0, x1, y1), rings))
    return out


def _in_ring(lon: float, lat: float, ring: np.ndarray) -> bool:
    """Even-odd ray casting, all edges at once."""
    x0, y0, x1, y1 = ring[:-1, 0], ring[:-1, 1], ring[1:, 0], ring[1:, 1]
    crosses = (y0 > lat) != (y1 > lat)
    with np.errstate(divide="ignore", invalid="ignore"):
        at = x0 + (lat - y0) * (x1 - x0) / (y1 - y0)
    return bool(np.count_nonzero(crosses & (lon < at)) % 2)


def _in_shape(lon: float, lat: float, shape: Shape) -> bool:
    x0, y0, x1, y1 = shape.bbox
    if not (x0 <= lon <= x1 and y0 <= lat <= y1):
        return False
    return _in_ring(lon, lat, shape.rings[0]) and not any(_in_ring(lon, lat, h) for h in shape.rings[1:])


def _edge_km(lon: float, lat: float, ring: np.ndarray) -> float:
    """Distance to the ring on a flat projection centred on the point: close enough at the
    ~100 km we judge, rough (and only used as "far") beyond."""
    xs = ((ring[:, 0] - lon + 180) % 360 - 180) * math.cos(math.radians(lat))
    ys = ring[:, 1] - lat
    ax, ay, dx, dy = xs[:-1], ys[:-1], np.diff(xs), np.diff(ys)
    length = dx * dx + dy * dy
    t = np.clip(-(ax * dx + ay * dy) / np.where(length == 0, 1, length), 0, 1)
    return float(np.hypot(ax + t * dx, ay + t * dy).min()) * KM_PER_DEGREE


def country_at(lat: float, lon: float) -> str:
    """ISO code of the outline that holds the point ("" in the sea or an unnamed territory)."""
    for code, parts in shapes().items():
        if any(_in_shape(lon, lat, s) for s in parts):
            return code
    return ""


@lru_cache(maxsize=65536)
def judge(code: str, lat: float, lon: float) -> Verdict:
    parts = shapes().get(code)
    if not parts:
        return Verdict(False, math.inf, country_at(lat, lon))
    if any(_in_shape(lon, lat, s) for s in parts):
        return Verdict(True, 0.0, "")
    # Most points outside an outline are on a coast it cuts: measure the shapes nearby first.
    dlat = TOLERANCE_KM / KM_PER_DEGREE
    dlon = dlat / max(math.cos(math.radians(lat)), 0.01)
    near = [
        s for s in parts if s.bbox[0] - dlon <= lon <= s.bbox[2] + dlon and s.bbox[1] - dlat <= lat <= s.bbox[3] + dlat
    ]
    distance = min((_edge_km(lon, lat, ring) for s in near for ring in s.rings), default=math.inf)
    if distance <= TOLERANCE_KM:
        return Verdict(True, distance, "")
    distance = min(_edge_km(lon, lat, ring) for s in parts for ring in s.rings)
    return Verdict(True, distance, country_at(lat, lon))


def point_problem(
    code: str, where: str, lat: float, lon: float, name_of=lambda code: code
) -> tuple[bool, str, str] | None:
    """(blocking, rule, fix) when a point is not plausibly in the country `code` (called
    `where`), None when it is. Not blocking: what the coarse outlines cannot judge."""
    verdict = judge(code, lat, lon)
    if verdict.plausible:
        return None
    if not verdict.known:
        return (
            False,
            f"{where} has no outline on the 1:110m basemap, so the point was not checked",
            "check the point on the map",
        )
    if abs(lon) <= 90 and judge(code, lon, lat).plausible:
        return (
            True,
            (f"the point is not in {where}, but would be with latitude and longitude swapped"),
            "swap the lat and lon values (latitude is north-south, -90 to 90)",
        )
    if verdict.inside_other:
        return (
            True,
            f"the point is in {name_of(verdict.inside_other)}, not in {where}",
            "check the coordinates and the country",
        )
    if verdict.distance_km > SEA_LIMIT_KM:
        return (
            True,
            f"the point is {verdict.distance_km:,.0f} km from {where}",
            "check the coordinates and the country (a missing minus sign?)",
        )
    return (
        False,
        (
            f"the point is in the sea on the 1:110m basemap, {verdict.distance_km:,.0f} km from {where} "
            "(small islands are missing there)"
        ),
        "check the point on the map",
    )
