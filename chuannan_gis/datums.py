"""Older Chinese datums (Xian 1980, Beijing 1954 …) said, not hidden.

PROJ knows no published transformation from these datums to CGCS2000: its only route is a
"ballpark" operation, a zero shift whose error is tens of metres here.  An input in such a CRS is
refused, naming the datum and the ways out: the bureau's parameters (``--datum-shift``), or, for a
constraint layer, an accuracy the planner vouches for (``--assume-accuracy-m``).  WGS 84 (GPS,
KML, GeoJSON) is accepted as CGCS2000: the two differ by well under a metre here; said once.

``--datum-shift`` takes either

- ``position_vector:dx,dy,dz,rx,ry,rz,ds`` or ``coordinate_frame:dx,dy,dz,rx,ry,rz,ds`` — a
  7-parameter (Bursa-Wolf) set to CGCS2000: metres, arc-seconds, ppm.  The two conventions differ in
  the sign of the rotations (EPSG methods 9606 and 9607); bureaus use both, so the name is required;
- ``planar:dx,dy,rotation,scale`` — the 4-parameter set in the input's projected plane that
  bureaus often give: metres (east, north), arc-seconds (anticlockwise), ppm.  E' = dx + (1 + scale)
  (E cos θ − N sin θ), N' = dy + (1 + scale)(E sin θ + N cos θ); the result is the same projection
  on CGCS2000.
"""

from __future__ import annotations

import functools
import logging
import math
from dataclasses import dataclass

import numpy as np
import pyproj
import shapely

from .crs import STORAGE_CRS
from .errors import CRSError

logger = logging.getLogger(__name__)

SEVEN_PARAMETER = ("position_vector", "coordinate_frame")
PLANAR = "planar"
ARC_SECOND = math.pi / (180 * 3600)
WGS84_DATUMS = ("World Geodetic System 1984", "WGS 84", "WGS84")
CGCS2000_DATUMS = ("China 2000", "China Geodetic Coordinate System 2000", "CGCS2000")


@dataclass(frozen=True)
class DatumShift:
    """A bureau's parameters: ``kind`` one of :data:`SEVEN_PARAMETER` or ``planar``."""

    kind: str
    values: tuple[float, ...]

    def describe(self) -> str:
        return f"{self.kind}:{','.join(f'{v:g}' for v in self.values)}"


def parse_datum_shift(text) -> DatumShift | None:
    """``--datum-shift`` text as a :class:`DatumShift` (None for None); CRSError saying the forms.

    >>> parse_datum_shift("position_vector:-12.5,80,45.1,0.5,-1.2,3.0,2.5").values[:3]
    (-12.5, 80.0, 45.1)
    >>> parse_datum_shift("planar:10,-20,1.5,3").kind
    'planar'
    """
    if text is None or isinstance(text, DatumShift):
        return text
    kind, sep, numbers = str(text).partition(":")
    kind = kind.strip().lower().replace("-", "_").replace(" ", "_")
    forms = (
        "position_vector:dx,dy,dz,rx,ry,rz,ds or coordinate_frame:dx,dy,dz,rx,ry,rz,ds (metres, arc-seconds, "
        "ppm; the rotation convention named), or planar:dx,dy,rotation,scale (metres, arc-seconds, ppm)"
    )
    if not sep or kind not in (*SEVEN_PARAMETER, PLANAR):
        raise CRSError(f"--datum-shift {text!r}: expected {forms}", field="datum_shift")
    try:
        values = tuple(float(v) for v in numbers.replace("，", ",").split(","))
    except ValueError:
        raise CRSError(
            f"--datum-shift {text!r}: the parameters must be numbers; expected {forms}", field="datum_shift"
        ) from None
    wanted = 4 if kind == PLANAR else 7
    if len(values) != wanted or not all(map(math.isfinite, values)):
        raise CRSError(f"--datum-shift {text!r}: {kind} takes {wanted} numbers; expected {forms}", field="datum_shift")
    return DatumShift(kind, values)


def datum_name(crs) -> str:
    crs = pyproj.CRS.from_user_input(crs)
    datum = crs.datum or (crs.geodetic_crs.datum if crs.geodetic_crs else None)
    return datum.name if datum is not None else crs.name


@functools.lru_cache(maxsize=64)
def _only_ballpark(wkt: str) -> bool:
    """Whether PROJ's every operation from this CRS to CGCS2000 is a ballpark one."""
    group = pyproj.transformer.TransformerGroup(pyproj.CRS.from_wkt(wkt), STORAGE_CRS, always_xy=True)
    operations = [t.description for t in group.transformers]
    return bool(operations) and all("ballpark" in d.lower() for d in operations)


def is_wgs84(crs) -> bool:
    return any(name in datum_name(crs) for name in WGS84_DATUMS)


def is_cgcs2000(crs) -> bool:
    return any(name in datum_name(crs) for name in CGCS2000_DATUMS)


def to_cgcs2000(frame, shift=None, label=None, *, layer=None, assumed_accuracy_m=None):
    """``frame`` in a CRS of the CGCS2000 datum (its own, or the same projection on CGCS2000 after
    ``shift``); CRSError for a datum PROJ reaches only by a ballpark operation, unless a shift is
    given or, for a layer, ``assumed_accuracy_m`` (then warned, the zero shift taken)."""
    shift = parse_datum_shift(shift)
    crs = frame.crs
    if crs is None or is_cgcs2000(crs):
        if shift is not None:
            logger.warning("%s: already CGCS2000 (%s): --datum-shift not applied", label, crs)
        return frame
    if shift is not None:
        return _shifted(frame, shift, label, layer)
    if is_wgs84(crs):
        logger.warning(
            "%s: WGS 84 (%s) 按 CGCS2000 使用 taken as CGCS2000: the two differ by well under a metre here",
            label,
            crs.name,
        )
        return frame
    if not _only_ballpark(crs.to_wkt()):
        return frame  # a published transformation exists: to_crs uses it
    if assumed_accuracy_m is not None:
        logger.warning(
            "%s: %s 到 CGCS2000 仅有零改正 only a ballpark (zero) shift from %s to CGCS2000: taken, with "
            "the stated accuracy of %g m (--assume-accuracy-m)",
            label,
            datum_name(crs),
            datum_name(crs),
            assumed_accuracy_m,
        )
        return frame
    raise CRSError(
        f"基准无法转换 the CRS {crs.name} is on the {datum_name(crs)} datum, which PROJ reaches CGCS2000 from "
        "only by a 'ballpark' zero shift (tens of metres off here, accuracy unknown). Give the bureau's "
        "parameters: --datum-shift position_vector:dx,dy,dz,rx,ry,rz,ds or coordinate_frame:… "
        "(7 parameters: metres, arc-seconds, ppm; name the rotation convention), or --datum-shift "
        "planar:dx,dy,rotation,scale (4 parameters in the projected plane: metres, arc-seconds, ppm)"
        + ("; or, for a layer, --assume-accuracy-m N to take the zero shift at N metres" if layer is not None else ""),
        file=label,
        layer=layer,
    )


def _shifted(frame, shift: DatumShift, label, layer):
    crs = frame.crs
    if shift.kind == PLANAR:
        if not crs.is_projected:
            raise CRSError(
                f"--datum-shift planar is a shift in the projected plane, but {crs.name} is lon/lat; "
                "use a 7-parameter set",
                file=label,
                layer=layer,
            )
        dx, dy, rotation, scale = shift.values
        theta, factor = rotation * ARC_SECOND, 1 + scale * 1e-6
        cos, sin = factor * math.cos(theta), factor * math.sin(theta)

        def move(xy):
            east, north = xy[:, 0], xy[:, 1]
            return np.column_stack([dx + cos * east - sin * north, dy + sin * east + cos * north])

        geometry = shapely.transform(np.asarray(frame.geometry.values), move)
        return frame.set_geometry(geometry).set_crs(_on_cgcs2000(crs), allow_override=True)
    dx, dy, dz, rx, ry, rz, ds = shift.values
    if shift.kind == "coordinate_frame":  # PROJ's towgs84 is the position-vector convention
        rx, ry, rz = -rx, -ry, -rz
    # the target of towgs84 is taken as CGCS2000 (≈ WGS 84 to centimetres): the parameters are the bureau's to CGCS2000
    source = pyproj.CRS.from_proj4(f"{_proj4(crs)} +towgs84={dx},{dy},{dz},{rx},{ry},{rz},{ds}")
    moved = frame.set_crs(source, allow_override=True).to_crs("EPSG:4326")
    return moved.set_crs(STORAGE_CRS, allow_override=True)


def _proj4(crs) -> str:
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # "you will likely lose …": a GK or lon/lat CRS loses nothing
        text = crs.to_proj4()
    return " ".join(part for part in text.split() if not part.startswith(("+towgs84", "+type", "+no_defs")))


def _on_cgcs2000(crs):
    """The projection of ``crs`` on the CGCS2000 ellipsoid (GRS 80)."""
    parts = [p for p in _proj4(crs).split() if not p.startswith(("+ellps", "+datum", "+a=", "+b=", "+rf=", "+f="))]
    return pyproj.CRS.from_proj4(" ".join([*parts, "+ellps=GRS80"]))
