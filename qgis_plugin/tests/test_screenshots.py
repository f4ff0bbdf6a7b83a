"""The docs' screenshots of the plugin in use, taken from a real QGIS desktop under Xvfb.

``screenshot.py`` starts ``xvfb-run qgis`` with a fresh profile, the plugin loaded: *Load constraint
layers*, *Check proposals* on ``examples/proposals.gpkg``, a click-check of the Jiang'an park; run by
hand it writes ``docs/img/qgis-*.png`` and ``docs/img/qgis.png`` (as the web map's screenshots come
from Chromium), here into a temporary folder, so that a test run leaves the checkout unchanged.
Here the images must exist, have their sizes, stay small, not be blank, and show the verdict
colours of ``chuannan_gis.verdicts``.  Under CI a missing QGIS or Xvfb fails, never skips.
"""
from __future__ import annotations

import os
import shutil

import numpy as np
import pytest
import screenshot

pytestmark = pytest.mark.slow


def _pixels(path) -> np.ndarray:
    """RGB pixels of a PNG, read by Qt (height × width × 3)."""
    from qgis.PyQt.QtGui import QImage

    image = QImage(str(path)).convertToFormat(QImage.Format_RGB888)
    assert not image.isNull(), path
    bits = image.constBits()
    bits.setsize(image.sizeInBytes())
    rows = np.frombuffer(bits, np.uint8).reshape(image.height(), image.bytesPerLine())
    return rows[:, : image.width() * 3].reshape(image.height(), image.width(), 3).copy()


def _hex(colour: str) -> np.ndarray:
    return np.array([int(colour[i:i + 2], 16) for i in (1, 3, 5)])


def _share_near(pixels: np.ndarray, colour: str, tolerance: int = 12) -> float:
    """Share of pixels within ``tolerance`` (per channel) of ``colour``."""
    return float(np.all(np.abs(pixels.astype(int) - _hex(colour)) <= tolerance, axis=-1).mean())


def _on_white(colour: str, alpha: int) -> str:
    """``colour`` at ``alpha``/255 over white, as a conditional style's background is drawn."""
    mixed = (_hex(colour) * alpha + 255 * (255 - alpha)) / 255
    return "#" + "".join(f"{round(c):02x}" for c in mixed)


def _distinct(pixels: np.ndarray) -> int:
    return len(np.unique(pixels.reshape(-1, 3), axis=0))


@pytest.fixture(scope="module")
def shots(real_bundle, tmp_path_factory):
    missing = [tool for tool in ("xvfb-run", "qgis") if not shutil.which(tool)]
    if missing:
        message = f"{', '.join(missing)} not installed (apt-get install qgis xvfb): no screenshots"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    # into a folder of the test's own, not docs/img: a test run leaves the checkout as it was
    # (`python qgis_plugin/screenshot.py` refreshes the docs' images, the same way)
    out = tmp_path_factory.mktemp("screenshots")
    chinese = screenshot.launch(out, locale="zh")
    english = screenshot.launch(out / "en", locale="en", shots=["panel"])
    print(f"screenshots: {chinese['seconds']:.1f} s (zh, all), {english['seconds']:.1f} s (en, panel)")
    return {**chinese["shots"], "panel_en": english["shots"]["panel"], "places": chinese["places"]}


@pytest.fixture(scope="module")
def images(shots):
    return {shot: path for shot, path in shots.items() if shot != "places"}


def test_every_shot_is_written_at_its_size_and_small(images):
    shots = images
    sizes = {"region": screenshot.MAP_SIZE, "site": screenshot.MAP_SIZE, "window": screenshot.WINDOW_SIZE,
             "panel": screenshot.PANEL_SIZE, "panel_en": screenshot.PANEL_SIZE, "table": screenshot.TABLE_SIZE}
    assert set(shots) == set(sizes)
    for shot, path in shots.items():
        assert path.exists() and path.parent != screenshot.OUTPUT_DIR, shot
        height, width, _ = _pixels(path).shape
        assert (width, height) == sizes[shot], shot
        assert path.stat().st_size <= 320_000, (shot, path.stat().st_size)


def test_no_shot_is_blank(images):
    for shot, path in images.items():
        pixels = _pixels(path)
        assert _distinct(pixels) > 200, shot
        assert _share_near(pixels, "#ffffff", 3) < 0.9, shot


def test_the_region_map_shows_every_verdict_of_the_examples_as_a_marker(shots):
    from chuannan_gis.verdicts import VERDICTS

    pixels = _pixels(shots["region"])
    for code in ("prohibited", "review", "clear"):  # the verdicts examples/proposals.gpkg gets
        # a within-accuracy verdict's marker is lighter, outlined (dashed) in the verdict's text colour,
        # which the 256-colour palette may shift by a few levels
        verdict = VERDICTS[code]
        share = _share_near(pixels, verdict.colour) + _share_near(pixels, verdict.text_colour, 25)
        assert share * pixels.shape[0] * pixels.shape[1] >= 20, code


def test_the_site_map_draws_the_prohibited_park_large_in_its_colour(shots):
    from chuannan_gis.verdicts import VERDICTS

    pixels = _pixels(shots["site"])
    outline = VERDICTS["prohibited"].text_colour
    fill = _on_white(VERDICTS["prohibited"].colour, 150)  # the translucent fill, where it lies on white
    assert _share_near(pixels, outline, 20) + _share_near(pixels, fill, 20) > 0, "the park is not drawn"
    # The site fills a good part of the map: the translucent red over any background is reddish.
    reddish = (pixels[..., 0].astype(int) - pixels[..., 1] > 80) & (pixels[..., 0] > 150)
    assert reddish.mean() > 0.01


def test_the_panels_show_the_prohibited_verdict_in_its_text_colour(shots):
    from chuannan_gis.verdicts import VERDICTS

    for shot in ("panel", "panel_en"):
        pixels = _pixels(shots[shot])
        assert _share_near(pixels, VERDICTS["prohibited"].text_colour, 30) > 0.0005, shot


def test_the_attribute_table_colours_the_verdicts(shots):
    from chuannan_gis.verdicts import VERDICTS

    pixels = _pixels(shots["table"])
    for code in ("prohibited", "review", "clear"):
        background = _on_white(VERDICTS[code].colour, 70)  # verdict_conditional_styles' alpha
        assert _share_near(pixels, background, 6) > 0.002, code


def _verdict_pixels_near(pixels: np.ndarray, place: dict, radius: int) -> int:
    """Pixels in the verdict's colour (or, within accuracy, its text colour) within ``radius``
    pixels of a proposal's marker."""
    from chuannan_gis.verdicts import VERDICTS

    x, y = round(place["x"]), round(place["y"])
    window = pixels[max(0, y - radius): y + radius + 1, max(0, x - radius): x + radius + 1].astype(int)
    verdict = VERDICTS[place["verdict"]]
    near = lambda colour, tolerance: np.all(np.abs(window - _hex(colour)) <= tolerance, axis=-1)  # noqa: E731
    return int((near(verdict.colour, 14) | near(verdict.text_colour, 25)).sum())


def test_after_the_normal_workflow_every_verdict_shows_at_its_place_on_the_region_map(shots):
    """Proposals opened first, constraints loaded, checked, constraints loaded again: the results
    stay on top, so each proposal's marker shows its verdict colour where it lies (a 3.2 mm marker
    is ~12 px across at 96 dpi: at least a quarter of its disc is uncovered)."""
    pixels = _pixels(shots["region"])
    places = shots["places"]["region"]
    assert len(places) == 7, places  # examples/proposals.gpkg
    hidden = [(p["name"], p["verdict"]) for p in places if _verdict_pixels_near(pixels, p, 6) < 25]
    assert not hidden, hidden


def test_the_site_map_shows_the_parks_verdict_over_the_shoreline_zone(shots):
    pixels = _pixels(shots["site"])
    site = [p for p in shots["places"]["site"] if p["name"] == screenshot.SITE_NAME]
    assert site and site[0]["verdict"] == "prohibited"
    x, y = round(site[0]["x"]), round(site[0]["y"])
    window = pixels[y - 30: y + 31, x - 30: x + 31].astype(int)  # inside the park's footprint
    reddish = (window[..., 0] - window[..., 1] > 80) & (window[..., 0] - window[..., 2] > 40)
    assert reddish.mean() > 0.5, "the park's red is washed out under the constraint fills"
