"""Languages: every message translated in every catalog, placeholders kept, and the words a
reader sees (titles, counts, months, countries, cities, the share link) in the chosen language."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from geo.view import export, filters, i18n, mapping, page
from geo.view.filters import Filters

ROOT = Path(__file__).resolve().parent.parent
OFFERED = [lang for lang in i18n.LANGS if lang != i18n.DEFAULT]
PLACEHOLDER = re.compile(r"\{[a-z_]*\}")


def catalog(lang: str):
    with i18n.po_path(lang).open("rb") as fh:
        return read_po(fh, locale=i18n.CLDR.get(lang, lang))


@pytest.fixture(scope="module")
def extracted(tmp_path_factory) -> set:
    """The messages the code marks today (the same extraction `make messages` runs)."""
    out = tmp_path_factory.mktemp("pot") / "messages.pot"
    cmd = [sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "geo/view/locale/babel.cfg"]
    for keyword in ("N_", "NP_:1,2", "t", "n:1,2", "_"):
        cmd += ["-k", keyword]
    subprocess.run([*cmd, "-o", str(out), "app.py", "geo/view"], cwd=ROOT, check=True, capture_output=True)
    with out.open("rb") as fh:
        return {m.id for m in read_po(fh) if m.id}


def test_the_offered_languages_are_the_ones_the_newsrooms_asked_for():
    assert list(i18n.LANGS) == ["en", "it", "es", "fr", "de", "nl", "pt", "zh"]


@pytest.mark.parametrize("lang", OFFERED)
def test_every_message_in_the_code_has_a_reviewed_translation(lang, extracted):
    cat = catalog(lang)
    have = {m.id: m for m in cat if m.id}
    missing = sorted(str(m) for m in extracted if m not in have)
    assert missing == [], f"{lang}: not in the catalog (run `make messages`, then translate): {missing[:5]}"
    empty = [m.id for m in have.values() if not (all(m.string) if isinstance(m.string, tuple) else m.string)]
    assert empty == [], f"{lang}: untranslated: {empty[:5]}"
    fuzzy = [m.id for m in have.values() if m.fuzzy]
    assert fuzzy == [], f"{lang}: fuzzy (unreviewed) entries fall back to English: {fuzzy[:5]}"


@pytest.mark.parametrize("lang", OFFERED)
def test_translations_keep_every_placeholder(lang):
    wrong = []
    for m in catalog(lang):
        if not m.id:
            continue
        ids = m.id if isinstance(m.id, tuple) else (m.id,)
        strings = m.string if isinstance(m.string, tuple) else (m.string,)
        want = sorted(set(PLACEHOLDER.findall(ids[-1])))
        for s in strings:
            got = sorted(set(PLACEHOLDER.findall(s)))
            # a singular may say "one" in words instead of {n}; every other placeholder stays
            if [p for p in want if p != "{n}"] != [p for p in got if p != "{n}"] or not set(got) <= set(want):
                wrong.append((m.id, s))
    assert wrong == []


def test_a_catalog_missing_an_entry_fails_the_completeness_check(tmp_path, monkeypatch, extracted):
    """The check above can fail: a catalog with one entry removed is reported."""
    text = i18n.po_path("it").read_text(encoding="utf-8")
    cut = re.sub(r'\nmsgid "Legend"\nmsgstr "[^"]*"\n', "\n", text)
    assert cut != text
    folder = tmp_path / "it" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    (folder / "messages.po").write_text(cut, encoding="utf-8")
    monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path)
    with pytest.raises(AssertionError, match="not in the catalog"):
        test_every_message_in_the_code_has_a_reviewed_translation("it", extracted)


def test_compiled_catalogs_leave_fuzzy_entries_out(tmp_path, monkeypatch):
    folder = tmp_path / "it" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    (folder / "messages.po").write_text(
        'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        '#, fuzzy\nmsgid "Legend"\nmsgstr "Leggenda"\n\nmsgid "Sources"\nmsgstr "Fonti"\n',
        encoding="utf-8",
    )
    monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path)
    i18n.catalog.cache_clear()
    try:
        cat = i18n.catalog("it")
        assert cat.gettext("Sources") == "Fonti"
        assert cat.gettext("Legend") == "Legend"  # an unreviewed guess never reaches a picture
    finally:
        i18n.catalog.cache_clear()


def test_an_unknown_language_falls_back_to_english():
    assert i18n.pick("xx") == "en" and i18n.pick("IT") == "it" and i18n.pick(None) == "en"
    assert i18n.words("xx").t("Legend") == "Legend"


def test_numbers_months_and_plurals_follow_the_language():
    it, de, zh = i18n.words("it"), i18n.words("de"), i18n.words("zh")
    assert it.month("2023-03") == "marzo 2023"
    assert zh.month("2023-03") == "2023年3月"
    assert de.number(12345) == "12.345"
    assert it.n("{n} alleged station", "{n} alleged stations", 1) != it.n(
        "{n} alleged station", "{n} alleged stations", 2
    ).replace("2", "1")
    assert "presunt" in it.n("{n} alleged station", "{n} alleged stations", 11)
    assert it.forms("{n} station", "{n} stations")["one"].startswith("{n}") or "1" not in it.t("{n} station")


def test_country_and_city_names_come_from_cldr_in_the_language():
    it, zh, fr = i18n.words("it"), i18n.words("zh"), i18n.words("fr")
    assert it.country("NL", "Netherlands") == "Paesi Bassi"
    assert zh.country("IT", "Italy") == "意大利"
    assert fr.city("Brussels", "BE") == "Bruxelles"
    assert it.city("Rome", "IT") == "Roma"
    assert it.city("Prato", "IT") == "Prato"  # no language-tagged name: the name as reported
    assert it.city("Rome", "US") == "Rome"  # Rome, Georgia is not Roma


def test_localized_stations_keep_codes_and_sources(tiny):
    view = tiny.stations
    shown = i18n.localize(view, "it")
    assert list(shown["country_code"]) == list(view["country_code"])
    assert list(shown["station_id"]) == list(view["station_id"])
    assert set(shown.loc[view["country_code"] == "IT", "country"]) == {"Italia"}
    assert i18n.localize(view, "en") is view


def test_an_italian_picture_speaks_italian(tiny):
    italy = i18n.localize(tiny.stations[tiny.stations["country_code"] == "IT"], "it")
    f = Filters(countries=("IT",), as_of="2023-03")
    line = filters.filter_line(f, i18n.localize(tiny.stations, "it"), lang="it")
    text = page.overlay_text(italy, line, "2026-12-01", mapping.OFFLINE, as_of="2023-03", lang="it")
    assert "Italia" in text["title"] and "Italy" not in text["title"]
    assert "presunt" in text["subtitle"] and "marzo 2023" in text["subtitle"]
    assert "Italia" in text["filters"] and "Country" not in text["filters"]
    assert "marzo 2023" in text["credit"] and "Natural Earth" in text["credit"]
    assert "alleged" not in " ".join(text.values()).lower()


def test_the_map_carries_its_words_in_the_language(tiny):
    layer = mapping.station_layer(
        tiny.stations, title="t", subtitle="s", filters="f", credit="c", lang="zh", reader=True
    )
    data = next(iter(layer._children.values())).payload
    assert '"lang":"zh-Hans-CN"' in data
    # translated legend heading and a plural as forms; Chinese country labels for the basemap
    zh = i18n.words("zh")
    assert mapping.js_json(zh.t("Founding bureau (as reported):"))[1:-1] in data
    assert '"country_names":{' in data and mapping.js_json("意大利")[1:-1] in data


def test_the_share_link_carries_the_language():
    f = Filters(countries=("IT",), extra={"lang": "it"})
    assert "lang=it" in filters.share_url("http://localhost:8501", f)
    back, notes = filters.from_query({"lang": ["it"], "country": ["IT"]}, _frame(), ("lang",))
    assert back.extra["lang"] == "it" and notes == []
    assert page.initial_state(back, None, [])["lang"] == "it"
    assert page.initial_state(Filters(extra={"lang": "klingon"}), None, [])["lang"] == "en"
    _, notes = filters.from_query({"lang": ["klingon"]}, _frame(), ("lang",))
    assert notes == ["The link's language 'klingon' is not one the map speaks; English is shown."]


def _frame():
    import pandas as pd

    return pd.DataFrame(
        {"country_code": ["IT"], "bureau": ["Fuzhou"], "status": ["closed"], "first_reported": ["x"], "evidence": [""]}
    )


def test_the_downloads_readme_is_in_the_language():
    text = export.readme("2026-12-01", "Paese: Italia", 11, "abc123", lang="it")
    assert "Paese: Italia" in text and "abc123" in text
    assert "Filters:" not in text and "alleged" not in text.lower()
    zh = export.readme("2026-12-01", "x", 3, "", lang="zh")
    assert "中国" in zh


def test_the_place_names_table_is_reviewable_and_names_places_on_the_map():
    import csv

    import pandas as pd

    from geo.data.schema import safe_url

    stations = pd.read_csv(ROOT / "data" / "stations.csv", dtype=str, keep_default_na=False)
    places = set(zip(stations["country_code"], stations["city"])) | set(
        zip(stations["country_code"], stations["region"])
    )
    with i18n.PLACES.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert rows
    seen = set()
    for row in rows:
        key = (row["country_code"], row["name"], row["lang"])
        assert key not in seen, key  # one name per place and language
        seen.add(key)
        assert row["lang"] in OFFERED and row["kind"] in ("city", "region")
        assert (row["country_code"], row["name"]) in places, row  # a place the map shows
        assert row["local_name"].strip() and row["local_name"] != row["name"]
        assert safe_url(row["source_url"]), row  # every name cites the page it was read on


def test_the_place_names_table_wins_over_cldr_and_agrees_with_it_where_both_name_a_city():
    it = i18n.words("it")
    assert it.city("Milan", "IT") == "Milano" and it.city("Florence", "IT") == "Firenze"
    disagree = []
    for (code, name, lang), local in i18n._places().items():
        zone = i18n._zones().get((code, name))
        cldr = i18n.words(lang).locale.time_zones.get(zone, {}).get("city") if zone else None
        if cldr and cldr != local:
            disagree.append((name, lang, local, cldr))
    assert disagree == []
