"""The constraint-set schema of SCHEMA.md as data: layer names, geometry types, fields, vocabularies.

The loader, the validator, the build and the engine all read this one table; nothing else in
the package spells a layer's fields out again.
"""

from __future__ import annotations

from dataclasses import dataclass, field

DATA_STATUSES = ("official", "indicative")
# Fields every feature of every layer carries (SCHEMA.md "Constraint set").
COMMON_FIELDS = ("data_status", "accuracy_m", "source")
METADATA_TABLE = "layer_metadata"
METADATA_FIELDS = (
    "layer",
    "title_zh",
    "title_en",
    "source",
    "licence",
    "date",
    "method",
    "data_status",
    "accuracy_m",
    # For `water`: the river classes it maps completely (comma-separated); a class outside it is a
    # `data_gaps` feature, and a planner's water drops the gaps of the classes it maps.
    "complete_classes",
    # What the layer is known to lack, in both languages.
    "completeness_zh",
    "completeness_en",
)
# Where a planner's layer speaks: `region`, county adcodes (comma-separated) or `polygon` (the row
# of `layer_coverage` for the layer); layers/coverage.py.  The bundled set states none (region).
COVERAGE_FIELD = "coverage"
RIVER_CLASSES = ("mainstream", "major_tributary", "tributary")
# The zones of the 自然保护区条例 in force (SCHEMA.md): zoning_unknown = zoned, but not public.
RESERVE_ZONES = ("core_protection", "general_control", "unzoned", "zoning_unknown")
# The older three-zone names, as the law helper's transition reading maps them (docs/rules.md):
# 核心区 and 缓冲区 → 核心保护区, 实验区 → 一般控制区.
RESERVE_ZONE_ALIASES = {
    "core": "core_protection",
    "buffer": "core_protection",
    "experimental": "general_control",
    "核心区": "core_protection",
    "缓冲区": "core_protection",
    "实验区": "general_control",
    "核心保护区": "core_protection",
    "一般控制区": "general_control",
    "未分区": "unzoned",
    "分区未公开": "zoning_unknown",
}
# Chinese values accepted for the vocabularies (mapped on load, as for proposals).
RIVER_CLASS_ALIASES = {"干流": "mainstream", "主要支流": "major_tributary", "支流": "tributary"}
SHORELINE_ZONES = ("protection", "reserved", "controlled", "development")
SHORELINE_ZONE_ALIASES = {
    "岸线保护区": "protection",
    "保护区": "protection",
    "岸线保留区": "reserved",
    "保留区": "reserved",
    "岸线控制利用区": "controlled",
    "控制利用区": "controlled",
    "岸线开发利用区": "development",
    "开发利用区": "development",
}
BANKS = ("left", "right")
BANK_ALIASES = {"左岸": "left", "右岸": "right"}
WATER_SOURCE_LEVEL_ALIASES = {
    "一级": "first",
    "一级保护区": "first",
    "二级": "second",
    "二级保护区": "second",
    "准": "quasi",
    "准保护区": "quasi",
}
# The zones of a 城镇开发边界 delivery (SCHEMA.md `urban_boundary.zone`), its type field often `LX`.
URBAN_ZONES = ("concentrated", "flexible", "special")
URBAN_ZONE_ALIASES = {
    "城镇集中建设区": "concentrated",
    "集中建设区": "concentrated",
    "城镇弹性发展区": "flexible",
    "弹性发展区": "flexible",
    "特别用途区": "special",
}
# Vocabulary fields that may be empty: a gap about a layer without river classes has none; a
# boundary delivery may not say its zones (its features then match no zone rule).
NULLABLE_VOCAB = {("data_gaps", "river_class"), ("urban_boundary", "zone")}
# The layers a `data_gaps` feature may say lack something (its `missing_layer`).
GAP_LAYERS = ("counties", "zoning", "rivers", "water", "eco_redlines", "nature_reserves", "shoreline_zones", "ports")


@dataclass(frozen=True)
class LayerSpec:
    name: str
    title_zh: str
    title_en: str
    geometry: str  # the type every feature is promoted to: MultiPolygon or MultiLineString
    fields: tuple[str, ...]
    vocab: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # field → {alias: code}: other words accepted for a vocabulary value, mapped on load
    aliases: dict[str, dict[str, str]] = field(default_factory=dict)
    bundled: bool = True  # False: optional, only when a planner supplies it
    # False: bundled, but a planner's complete set need not have it (validate(complete=True)).
    required: bool = True
    # True: an absent feature means "none here" only where the bureau says its data cover, so the
    # features' own extent says nothing about the coverage: `layers import` refuses such a layer
    # without --coverage, and loading one without a stated coverage warns (layers/coverage.py).
    sparse: bool = False
    # The field naming a feature in messages when it has no name (river_id, block_id …).
    id_field: str | None = None
    # The layer's entry in layers/styles.yaml (QGIS styles, web map, report); default: its name.
    style: str = ""
    # False: what is bundled is a sample, not the layer (water_source_zones: 2 indicative zones):
    # the rules reading it are listed not checked until a planner supplies it, and a supplied one
    # short of the region is partial like a layer with nothing bundled beneath.
    complete: bool = True

    def __post_init__(self):
        if not self.style:
            object.__setattr__(self, "style", self.name)


LAYERS: dict[str, LayerSpec] = {
    spec.name: spec
    for spec in (
        LayerSpec(
            "counties",
            "县级行政区",
            "Counties",
            "MultiPolygon",
            ("adcode", "name_zh", "name_en", "city_adcode", "city_zh", "district_zh"),
            id_field="adcode",
        ),
        LayerSpec(
            "zoning",
            "一圈三区",
            "One circle, three districts",
            "MultiPolygon",
            ("zone_id", "level", "name_zh", "name_en"),
            {"level": ("circle", "district")},
            id_field="zone_id",
        ),
        LayerSpec(
            "rivers",
            "河流中心线",
            "River centrelines",
            "MultiLineString",
            ("river_id", "name_zh", "name_en", "river_class", "basin_km2", "half_width_m"),
            {"river_class": RIVER_CLASSES},
            aliases={"river_class": RIVER_CLASS_ALIASES},
            id_field="river_id",
        ),
        LayerSpec(
            "water",
            "水面",
            "Water surface",
            "MultiPolygon",
            ("river_id", "river_class"),
            {"river_class": RIVER_CLASSES},
            aliases={"river_class": RIVER_CLASS_ALIASES},
            id_field="river_id",
        ),
        LayerSpec(
            "eco_redlines",
            "生态保护红线",
            "Ecological protection red lines",
            "MultiPolygon",
            ("block_id", "name_zh", "redline_type"),
            id_field="block_id",
            sparse=True,
        ),
        LayerSpec(
            "nature_reserves",
            "自然保护区",
            "Nature reserves",
            "MultiPolygon",
            ("reserve_id", "name_zh", "zone"),
            {"zone": RESERVE_ZONES},
            aliases={"zone": RESERVE_ZONE_ALIASES},
            id_field="reserve_id",
            sparse=True,
        ),
        LayerSpec(
            "shoreline_zones",
            "岸线功能区",
            "Shoreline function zones",
            "MultiPolygon",
            ("zone", "river_id", "bank"),
            {"zone": SHORELINE_ZONES, "bank": BANKS},
            aliases={"zone": SHORELINE_ZONE_ALIASES, "bank": BANK_ALIASES},
            id_field="river_id",
            sparse=True,
        ),
        LayerSpec(
            "ports",
            "港口作业区",
            "Port operating areas",
            "MultiPolygon",
            ("port_id", "name_zh", "area_zh"),
            id_field="port_id",
        ),
        # Where a bundled layer is known to lack something (the 横江 in `water`): rules that
        # cannot see it there give `unknown` instead of `clear`.  The loader drops a gap whose
        # `missing_layer` the planner supplies (layers/README.md "data_gaps").
        LayerSpec(
            "data_gaps",
            "数据缺口",
            "Known data gaps",
            "MultiPolygon",
            ("gap_id", "name_zh", "name_en", "missing_layer", "river_class"),
            {"missing_layer": GAP_LAYERS, "river_class": RIVER_CLASSES},
            required=False,
            id_field="gap_id",
        ),
        LayerSpec(
            "farmland", "永久基本农田", "Permanent basic farmland", "MultiPolygon", (), bundled=False, sparse=True
        ),
        LayerSpec(
            "urban_boundary",
            "城镇开发边界",
            "Urban development boundary",
            "MultiPolygon",
            (),
            # `zone` is a vocabulary, not a required field: a delivery without the type field still loads
            {"zone": URBAN_ZONES},
            aliases={"zone": URBAN_ZONE_ALIASES},
            bundled=False,
            sparse=True,
        ),
        LayerSpec(
            "chemical_parks",
            "认定化工园区",
            "Recognised chemical parks",
            "MultiPolygon",
            (),
            bundled=False,
            sparse=True,
        ),
        LayerSpec(
            "water_source_zones",
            "饮用水水源保护区",
            "Drinking-water source protection zones",
            "MultiPolygon",
            ("level",),
            {"level": ("first", "second", "quasi")},
            aliases={"level": WATER_SOURCE_LEVEL_ALIASES},
            sparse=True,
            # bundled: indicative first-level zones at the intakes public approvals place (layers/
            # README.md); its metadata's complete_classes names no level, so every rule on it is
            # listed not checked (engine) until a planner supplies the zones; not in a planner's set
            required=False,
            complete=False,
        ),
    )
}

# Layers whose features are sparse (LayerSpec.sparse).
SPARSE_LAYERS = tuple(name for name, spec in LAYERS.items() if spec.sparse)
BUNDLED_LAYERS = tuple(name for name, spec in LAYERS.items() if spec.bundled)
# The bundled layers a planner's complete set must have (data_gaps is the bundled set's own).
REQUIRED_LAYERS = tuple(name for name, spec in LAYERS.items() if spec.bundled and spec.required)
assert set(GAP_LAYERS) <= set(LAYERS)
assert all(set(codes.values()) <= set(spec.vocab[f]) for spec in LAYERS.values() for f, codes in spec.aliases.items())
