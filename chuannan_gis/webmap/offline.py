"""The offline basemap: counties, rivers and county names drawn from the constraint set itself.

No tile, no request: the page carries the drawing as GeoJSON, in a Leaflet pane between the
tile pane (200) and the overlays (400), so that it is always under the constraint layers and
the proposals and never in the way of a click.  It is the constraint set's own geometry,
simplified more than the overlays (a basemap orients; it does not measure).
"""

from __future__ import annotations

from ..layers import ConstraintSet
from . import content

PANE = {"pane": "cnBasemap", "zIndex": 250}
TOLERANCE_M = 150  # coarser than the overlays' 20 m: the basemap only orients the reader
# Colours of a paper map: a warm land fill with brown county lines, blue water, grey names.
STYLES = {
    "counties": {"color": "#8c7b5e", "weight": 1.2, "fill": True, "fillColor": "#efe7d6", "fillOpacity": 1},
    "water": {"color": "#6fa8d6", "weight": 0.8, "fill": True, "fillColor": "#a9cdea", "fillOpacity": 1},
    "rivers": {"color": "#6fa8d6", "weight": 1.5, "fill": False},
}
LABEL_COLOUR = "#5a4e3a"


def basemap_spec(constraint_set: ConstraintSet, datum: str) -> dict:
    """What the runtime draws: each layer the set has (counties, water, rivers, bottom to top)
    and a name at a point inside each county."""
    layers = []
    for name, style in STYLES.items():
        if not constraint_set.has(name):
            continue
        frame = constraint_set.layers[name]
        geoms = content.display_geometry(frame.geometry, TOLERANCE_M, datum)
        layers.append({"id": name, "style": style, "data": content.feature_collection(geoms, [{}] * len(geoms))})
    names = []
    if constraint_set.has("counties"):
        counties = constraint_set.layers["counties"]
        inside = content.display_geometry(counties.geometry.representative_point(), 0, datum)
        names = [
            {"lat": float(point.y), "lon": float(point.x), "zh": str(zh), "en": str(en)}
            for point, zh, en in zip(inside, counties["name_zh"], counties["name_en"])
        ]
    return {**PANE, "layers": layers, "names": names, "labelColour": LABEL_COLOUR}
