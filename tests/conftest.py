"""Shared fixtures. Every test runs offline; the gazetteer index is built once per session."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from geo.data.build import curated_places
from geo.data.gazetteer import Gazetteer
from geo.data.schema import read_seeds

FIXTURES = Path(__file__).parent / "fixtures"
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture()
def seed_dir(tmp_path: Path) -> Path:
    """A writable copy of the tiny valid seed set; tests swap one file to make a case."""
    folder = tmp_path / "seeds"
    shutil.copytree(FIXTURES / "seeds_ok", folder)
    return folder


@pytest.fixture(scope="session")
def gazetteer() -> Gazetteer:
    _, _, places = read_seeds(FIXTURES / "seeds_ok")
    return Gazetteer(curated_places(places))


@pytest.fixture(scope="session")
def app_url():
    """The real app served on 127.0.0.1 for the browser tests (one server for the session)."""
    from tests.browser import serve_app

    with serve_app() as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    from tests.browser import launch

    with sync_playwright() as p:
        b = launch(p)
        yield b
        b.close()


@pytest.fixture(scope="session")
def tiny(tmp_path_factory, gazetteer):
    """The fixture seeds built into a data/ folder and loaded as the app loads it."""
    from geo.data.build import render
    from geo.data.dataset import read_dataset

    data = tmp_path_factory.mktemp("data")
    for name, text in render(FIXTURES / "seeds_ok", data, gazetteer=gazetteer).items():
        (data / name).write_text(text, encoding="utf-8")
    return read_dataset(data)


HOSTILE = [
    "<script>alert(1)</script>",
    "</script><script>alert(2)</script>",
    "<img src=x onerror=alert(3)>",
    "${alert(4)}",
    "`",
    "\\",
    "\u2028",
    "'; alert(5); '",
    '"><svg onload=alert(6)>',
]


def hostile_frame(tiny):
    """The tiny dataset with script payloads in every text field and bad links in every source."""
    df = tiny.stations.copy()
    for i, column in enumerate(
        [
            "city",
            "region",
            "country",
            "bureau",
            "bureau_detail",
            "notes",
            "first_reported",
            "status_date",
            "year_opened",
        ]
    ):
        df[column] = [HOSTILE[(i + j) % len(HOSTILE)] + " x" for j in range(len(df))]
    bad = [
        "javascript:alert(7)",
        "data:text/html,<script>alert(8)</script>",
        "vbscript:msgbox(9)",
        "//evil.example/x",
        "https://user:pw@evil.example/",
    ]
    df["sources"] = [
        [
            {
                "source_id": f"s{j}",
                "publisher": HOSTILE[j % len(HOSTILE)],
                "title": "${alert(10)}",
                "date": "<b>",
                "url": bad[j % len(bad)],
                "kind": "news",
                "language": "en",
            },
            {
                "source_id": "ok",
                "publisher": "Ok",
                "title": "Fine",
                "date": "2022-12-05",
                "url": "https://example.org/ok",
                "kind": "news",
                "language": "en",
            },
        ]
        for j in range(len(df))
    ]
    # histories carry the same hostile text and links as the stations' own fields and sources
    df["history"] = [
        [
            {
                "station_id": sid,
                "date": "2023-01",
                "event": HOSTILE[j % len(HOSTILE)],
                "actor": HOSTILE[(j + 1) % len(HOSTILE)],
                "summary": HOSTILE[(j + 2) % len(HOSTILE)] + " ${alert(11)}",
                "source_ids": "",
                "sources": refs,
            }
        ]
        for j, (sid, refs) in enumerate(zip(df["station_id"], df["sources"]))
    ]
    return df
