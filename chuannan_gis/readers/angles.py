"""Angles as planners type them: decimal degrees or 度分秒, in any of the notations of Chinese lists."""

from __future__ import annotations

import re
import unicodedata

# After NFKC (full-width digits and marks become ASCII), the marks of degrees, minutes, seconds.
_DEGREE = "°º˚度"
_MINUTE = "'′’‘分"
_SECOND = '"″”“秒'
_HEMISPHERE = {"E": 1, "N": 1, "W": -1, "S": -1, "东经": 1, "北纬": 1, "西经": -1, "南纬": -1}
_NUMBER = r"(\d+(?:\.\d*)?|\.\d+)"
_ANGLE = re.compile(
    rf"^{_NUMBER}\s*[{_DEGREE}]?\s*(?:{_NUMBER}\s*[{_MINUTE}]?\s*(?:{_NUMBER}\s*[{_SECOND}]?)?)?$",
    re.IGNORECASE,
)


def parse_angle(text) -> float:
    """Degrees from ``104.86``, ``104°51'34.5"``, ``104°51′34.5″``, ``104 51 34.5``, ``104度51分34.5秒``,
    ``E104°51'34.5"``, ``北纬28°52′``, full-width forms; ValueError saying what is wrong.

    >>> parse_angle("104°51'34.5\\""), parse_angle("１０４°５１′３４.５″"), parse_angle("104 51 34.5")
    (104.85958333333333, 104.85958333333333, 104.85958333333333)
    >>> parse_angle("北纬28度52分"), parse_angle("104.5")
    (28.866666666666667, 104.5)
    >>> parse_angle("104°61'00\\"")
    Traceback (most recent call last):
    ValueError: minutes 61 must be below 60
    """
    normal = unicodedata.normalize("NFKC", str(text)).strip()
    normal = normal.replace("′′", "″")  # NFKC writes the double prime as two primes
    sign = 1
    for mark, value in _HEMISPHERE.items():
        if normal.upper().startswith(mark) or normal.upper().endswith(mark):
            sign = value
            normal = normal[len(mark) :] if normal.upper().startswith(mark) else normal[: -len(mark)]
            normal = normal.strip()
            break
    if normal.startswith("-"):
        sign, normal = -sign, normal[1:].strip()
    match = _ANGLE.match(normal)
    if not match:
        raise ValueError(f"{text!r} is neither decimal degrees nor 度分秒 (e.g. 104°51'34.5\")")
    degrees, minutes, seconds = (float(part) if part else 0.0 for part in match.groups())
    for what, value in (("minutes", minutes), ("seconds", seconds)):
        if value >= 60:
            raise ValueError(f"{what} {value:g} must be below 60")
    if (minutes or seconds) and degrees != int(degrees):
        raise ValueError(f"{text!r}: degrees with a fraction and minutes too")
    return sign * (degrees + minutes / 60 + seconds / 3600)
