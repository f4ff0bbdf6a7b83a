"""The 附图 of a 审查意见: the report's own small map (:func:`chuannan_gis.report.svg.finding_map`)
rasterised to PNG with Pillow, so Word, LibreOffice and the PDF show the same figure.

The map's shapes are path strings in the SVG canvas's pixels (``M x,y L x,y … Z``); each is drawn
at ``SCALE`` × the canvas, rings with an even-odd fill (a hole is cut out), with the scale bar,
the north mark and a legend line under the map in a CJK font.
"""

from __future__ import annotations

import functools
import io
import re
import subprocess

from PIL import Image, ImageChops, ImageDraw, ImageFont

SCALE = 3  # pixels per SVG unit: 360 × 240 → 1080 × 720, sharp at 9 cm wide
LEGEND_HEIGHT = 34  # SVG units below the map for the legend line
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


def figure_png(map_spec: dict | None, proposal_name: str = "") -> bytes | None:
    """The PNG of one proposal's map, or None where the proposal has no geometry to draw."""
    if not map_spec:
        return None
    width, height = map_spec["width"], map_spec["height"]
    image = Image.new("RGB", (width * SCALE, (height + LEGEND_HEIGHT) * SCALE), "white")
    draw = ImageDraw.Draw(image, "RGBA")
    draw.rectangle([0, 0, width * SCALE - 1, height * SCALE - 1], fill="#fafafa", outline="#cccccc", width=SCALE)
    for feature in map_spec["features"]:
        _shapes(image, feature["shapes"], _rgb(feature["colour"]), fill_alpha=64, line_width=1.2, radius=3)
    proposal = map_spec["proposal"]
    _shapes(
        image, proposal["shapes"], _rgb(proposal["colour"]), fill_alpha=153, line_width=1.5, radius=5, edge=(0, 0, 0)
    )
    draw = ImageDraw.Draw(image, "RGBA")
    scale = map_spec["scale"]
    y = scale["y"] * SCALE
    draw.rectangle(
        [(scale["x1"] - 4) * SCALE, y - 16 * SCALE, (scale["x2"] + 4) * SCALE, y + 4 * SCALE], fill=(255, 255, 255, 204)
    )
    draw.line([scale["x1"] * SCALE, y, scale["x2"] * SCALE, y], fill="black", width=2 * SCALE)
    font = _font(11 * SCALE)
    draw.text((scale["x1"] * SCALE, y - 15 * SCALE), scale["label"], fill="black", font=font)
    draw.text(((width - 6) * SCALE, 4 * SCALE), "上北 N↑", fill="black", font=font, anchor="ra")
    _legend(draw, map_spec, proposal, proposal_name, font, height)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def _legend(draw, map_spec, proposal, proposal_name, font, height) -> None:
    x, y = 4 * SCALE, (height + 8) * SCALE
    draw.text((x, y), "EPSG:4544", fill="#444444", font=font)
    x += int(draw.textlength("EPSG:4544", font=font)) + 8 * SCALE
    entries = [(item["colour"], item["title_zh"]) for item in map_spec["legend"]]
    entries.append((proposal["colour"], proposal_name or "项目 site"))
    for colour, label in entries:
        draw.rectangle([x, y + 2 * SCALE, x + 9 * SCALE, y + 11 * SCALE], fill=_rgb(colour))
        x += 12 * SCALE
        draw.text((x, y), label, fill="black", font=font)
        x += int(draw.textlength(label, font=font)) + 10 * SCALE


def _shapes(image, shapes: dict, colour, *, fill_alpha: int, line_width: float, radius: float, edge=None) -> None:
    """Polygons (even-odd: holes cut out) and lines of one feature, and its points as dots."""
    layer = Image.new("RGBA", image.size, (0, 0, 0, 0))
    mask = Image.new("1", image.size, 0)
    draw = ImageDraw.Draw(layer)
    outline = (*(edge or colour), 255)
    for path in shapes["paths"]:
        for ring, closed in _rings(path):
            if len(ring) < 2:
                continue
            if closed and len(ring) >= 3:
                # even-odd: a ring inside another flips the pixels it covers (a hole)
                ring_mask = Image.new("1", image.size, 0)
                ImageDraw.Draw(ring_mask).polygon(ring, fill=1)
                mask = ImageChops.logical_xor(mask, ring_mask)
            draw.line([*ring, ring[0]] if closed else ring, fill=outline, width=max(1, round(line_width * SCALE)))
    # the fill blended at its opacity where the even-odd mask is set, as the SVG's fill-opacity
    opacity = mask.convert("L").point(lambda v: fill_alpha if v else 0)
    image.paste(Image.new("RGB", image.size, colour), (0, 0), opacity)
    image.paste(layer, (0, 0), layer)
    dots = ImageDraw.Draw(image)
    for x, y in shapes["points"]:
        r = radius * SCALE
        dots.ellipse([x * SCALE - r, y * SCALE - r, x * SCALE + r, y * SCALE + r], fill=colour, outline=outline)


def _rings(path: str):
    """(points in image pixels, closed) for each ``M … [Z]`` run of a path string."""
    for part in path.split("M")[1:]:
        closed = part.rstrip().endswith("Z")
        numbers = [float(n) * SCALE for n in _NUMBER.findall(part)]
        yield list(zip(numbers[0::2], numbers[1::2])), closed


def _rgb(colour: str) -> tuple[int, int, int]:
    colour = colour.lstrip("#")
    return tuple(int(colour[i : i + 2], 16) for i in (0, 2, 4))


@functools.cache
def cjk_font_path() -> str | None:
    """A font file with Chinese glyphs (Debian's fonts-wqy-microhei or Noto CJK), found by fontconfig."""
    try:
        done = subprocess.run(
            ["fc-match", "-f", "%{file}", ":lang=zh-cn"], check=False, capture_output=True, text=True, timeout=10
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip() or None


def _font(size: int):
    path = cjk_font_path()
    try:
        return ImageFont.truetype(path, size) if path else ImageFont.load_default(size)
    except OSError:
        return ImageFont.load_default(size)


__all__ = ["cjk_font_path", "figure_png"]
