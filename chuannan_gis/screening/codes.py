"""The integer codes of the screening raster, and their tables as GeoTIFF metadata tags.

Band 1 holds a verdict per cell as its rank of SCHEMA.md (1 clear … 5 prohibited), or
``OUTSIDE_REGION`` where the cell lies outside every county and its verdict is ``unknown`` (what
the vector check says of a point there).  Band 2 holds the rule that decided the cell: its
1-based position in the catalog, 0 when no rule fired.  Band 3 holds the certainty of the cell's
verdict as :data:`chuannan_gis.decision.CERTAINTY_CODES` (0 where clear or without a measure,
1 certain, 2 within the data's accuracy, 3 accuracy not stated).  The three tables are written
into the file as JSON tags, so a reader needs nothing else to decode it.
"""

from __future__ import annotations

import json

import numpy as np

from ..decision import CERTAINTY_CODES
from ..verdicts import CERTAINTY, RANK, VERDICTS

OUTSIDE_REGION = 0
NO_RULE = 0
VERDICT_TAG = "CHUANNAN_VERDICT_CODES"
RULE_TAG = "CHUANNAN_RULE_CODES"
CERTAINTY_TAG = "CHUANNAN_CERTAINTY_CODES"
# The constraint layers holding indicative data that the surface's rules measured (a JSON list).
INDICATIVE_TAG = "CHUANNAN_INDICATIVE_LAYERS"
assert OUTSIDE_REGION not in RANK.values()  # the outside code must never read as a verdict's rank


def raster_dtype(rule_count: int) -> np.dtype:
    """The smallest unsigned type that holds every rule code and a distinct nodata value."""
    return np.dtype(np.uint8 if rule_count < np.iinfo(np.uint8).max else np.uint16)


def nodata_value(dtype: np.dtype) -> int:
    """Nodata is the largest value of the band type: never a rank nor a rule position."""
    return int(np.iinfo(dtype).max)


def verdict_codes() -> dict[int, dict]:
    """Band 1's table: code → verdict, Chinese and English label, colour.

    >>> verdict_codes()[5]["verdict"], verdict_codes()[0]["verdict"]
    ('prohibited', 'unknown')
    """
    table = {
        OUTSIDE_REGION: {
            "verdict": "unknown",
            "zh": "川南经济区范围外（无法判定）",
            "en": "outside the region (unknown)",
            "colour": VERDICTS["unknown"].colour,
            "outside_region": True,
        }
    }
    for code, verdict in sorted(VERDICTS.items(), key=lambda item: item[1].rank):
        table[RANK[code]] = {"verdict": code, "zh": verdict.zh, "en": verdict.en, "colour": verdict.colour}
    return table


def rule_codes(catalog) -> dict[int, dict]:
    """Band 2's table: code → rule id, title and verdict; ``NO_RULE`` for cells no rule fired on."""
    table = {NO_RULE: {"rule_id": "", "zh": "未触发规则", "en": "no rule fired", "verdict": "clear"}}
    for position, rule in enumerate(catalog, start=1):
        table[position] = {"rule_id": rule.id, "zh": rule.title.zh, "en": rule.title.en, "verdict": rule.verdict}
    return table


def certainty_codes() -> dict[int, dict]:
    """Band 3's table: code → certainty code and its words (``verdicts.CERTAINTY``).

    >>> certainty_codes()[2]["certainty"], certainty_codes()[2]["en"]
    ('within_accuracy', 'within accuracy')
    """
    table = {}
    for label, code in CERTAINTY_CODES.items():
        entry = CERTAINTY[label]
        table[code] = {
            "certainty": label,
            "zh": entry.name_zh or "无（未发现冲突，或无测量）",
            "en": entry.name_en or "none (clear, or no measure)",
        }
    return table


def read_certainty_table(tags: dict) -> dict[int, dict] | None:
    """Band 3's table from a screening raster's tags; None for a surface written before band 3."""
    if CERTAINTY_TAG not in tags:
        return None
    return {int(code): entry for code, entry in json.loads(tags[CERTAINTY_TAG]).items()}


def code_tags(catalog, nodata: int) -> dict[str, str]:
    """The metadata tags that make the file self-describing."""
    return {
        VERDICT_TAG: json.dumps(verdict_codes(), ensure_ascii=False),
        RULE_TAG: json.dumps(rule_codes(catalog), ensure_ascii=False),
        CERTAINTY_TAG: json.dumps(certainty_codes(), ensure_ascii=False),
        "CHUANNAN_NODATA": str(nodata),
    }


def read_code_tables(tags: dict) -> tuple[dict[int, dict], dict[int, dict]]:
    """Band 1's and band 2's tables from a screening raster's tags (as rasterio's ``tags()`` gives)."""
    return tuple({int(code): entry for code, entry in json.loads(tags[tag]).items()} for tag in (VERDICT_TAG, RULE_TAG))


def code_verdicts() -> np.ndarray:
    """Lookup array: band 1 code → verdict code string (index = code)."""
    table = verdict_codes()
    lookup = np.empty(max(table) + 1, dtype=object)
    for code, entry in table.items():
        lookup[code] = entry["verdict"]
    return lookup
