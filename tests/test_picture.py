"""PNG export: the preset's pixel size at the chosen scale, and a picture that is not blank."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from geo.view import mapping, picture
from tests.browser import chromium_path

OVERLAY = {
    "title": "Alleged Chinese police stations in Italy",
    "subtitle": "3 alleged stations in 1 country",
    "filters": "Country: Italy \u00b7 Bureau: all",
    "credit": "Data: test. Basemap: Natural Earth.",
}


@pytest.fixture(scope="module")
def italy_html(tiny):
    chromium_path()  # fail loudly, never skip, when the browser is missing
    view = tiny.stations[tiny.stations["country_code"] == "IT"]
    return mapping.standalone_html(view, still=True, **OVERLAY)


@pytest.mark.parametrize("preset, scale", [("web", 2), ("square", 2), ("portrait", 2), ("a4", 3)])
def test_png_has_the_preset_size_and_real_content(italy_html, preset, scale):
    png = picture.render_png(italy_html, preset, scale)
    image = Image.open(io.BytesIO(png))
    size = picture.PRESETS[preset]
    assert image.format == "PNG" and image.size == (size.width * scale, size.height * scale)
    colours = image.convert("RGB").resize((200, 200)).getcolors(maxcolors=100_000)
    assert len(colours) > 50  # land, sea, borders, markers, text: not a blank page
    # the title box is drawn (white) at the top left, and the sea colour fills the rest
    rgb = image.convert("RGB")
    assert (
        rgb.getpixel((int(90 * scale), int(20 * scale))) == (255, 255, 255)
        or sum(rgb.getpixel((int(90 * scale), int(20 * scale)))) > 700
    )


def test_without_a_browser_the_message_says_how_to_get_one(monkeypatch, italy_html):
    monkeypatch.setattr(picture, "chromium_path", lambda: None)
    with pytest.raises(picture.PictureError) as caught:
        picture.render_png(italy_html)
    assert "apt-get install chromium" in str(caught.value)


def test_unknown_preset_is_refused(italy_html):
    with pytest.raises(picture.PictureError):
        picture.render_png(italy_html, "poster", 2)
