"""Assemble the web map of a Result: basemap, constraint layers, shoreline bands, proposals, legend."""

from __future__ import annotations

import html
import logging
from dataclasses import dataclass
from pathlib import Path

import folium
import folium.plugins
import geopandas as gpd
from branca.element import CssLink, JavascriptLink

from .._version import __version__
from ..crs import REGION_BBOX_LONLAT, WGS84
from ..errors import ChuannanError, InputError
from ..labels import term_label
from ..layers import ConstraintSet, load_constraints
from ..layers.styles import indicative
from ..provenance import CHECKED_HERE, clear_summary, data_used, indicative_layers_checked
from ..verdicts import CERTAINTY_NOTE, VERDICTS
from . import assets, content, offline
from .basemaps import DEFAULT_BASEMAP, Basemap, get_basemap, tianditu_key
from .elements import DataLayer, ImageLayer, Inline, Legend, Runtime
from .surface import OPACITY, SurfaceImage, indicative_layers, read_surface

logger = logging.getLogger(__name__)

TITLE = ("川南经济区空间约束筛查", "South Sichuan Economic Zone constraint screening")
NOTICE = ("示意图，不作为审批依据", "Schematic for screening, not an official map")
INDICATIVE = indicative().tag  # the layer title's tag, as in QGIS (layers/styles.yaml)
LEGEND = ("图例（点击收起/展开）", "legend (click to fold)")
NOTES_TITLE = ("说明", "Notes")
# The legend opens unfolded only on a map at least this large (px); on a smaller one it is one line.
LEGEND_OPEN_SIZE = (1000, 640)
PROPOSALS_TITLE = ("拟建项目（按结论着色）", "Proposals, coloured by verdict")
POPUP_WORDS = {
    "measured": ("实测", "measured"),
    "threshold": ("阈值", "threshold"),
    "citation": ("依据", "citation"),
    "findings": ("发现的冲突", "findings"),
    "notice": NOTICE,
    "indicativeData": indicative().note,
    "indicativeResult": ("本结论依据示意数据", "this verdict rests on indicative data"),
    "near": ("在数据精度范围内接近阈值", "within the data's accuracy of the threshold"),
    "certainty": ("确定性", "certainty"),
}
WITHIN_ACCURACY = "within_accuracy"
PROPOSAL_FACTS = ("proposal_id", "kind", "industry", "status", "county", "city", "district", "rule_ids", "citations")
POINT_RADIUS = 6
PROPOSAL_RADIUS = 8  # proposals' markers: readable at the opening, region-wide zoom
MARKER_ZOOM = 13  # below this zoom a polygon proposal also gets a marker at its centre
OPENING_MAX_ZOOM = 14  # one small proposal opens at a site scale, not at street level


@dataclass(frozen=True)
class MapOptions:
    """How to draw the map; see :func:`chuannan_gis.webmap.write_map`."""

    basemap: str = DEFAULT_BASEMAP
    tianditu_key: str | None = None
    embed_key: bool = False
    cdn: bool = False
    tolerance_m: float = content.DEFAULT_TOLERANCE_M
    screen: str | Path | None = None  # a screening surface (GeoTIFF of `chuannan-gis screen`) to overlay


def build_figure(result, constraints, options: MapOptions) -> folium.Figure:
    """The web map of ``result`` as a folium Figure (``.render()`` gives the HTML)."""
    if options.tolerance_m < 0:
        raise InputError(
            f"简化容差不能为负 the simplification tolerance must be ≥ 0 m, got {options.tolerance_m}",
            field="tolerance_m",
        )
    basemap = get_basemap(options.basemap)
    key = _embedded_key(basemap, options)
    constraint_set = _constraint_set(constraints, result)
    surface = None if options.screen is None else read_surface(options.screen, basemap.datum)
    figure = folium.Figure(title=f"{TITLE[0]} {TITLE[1]}")
    fmap = folium.Map(location=None, tiles=None, control_scale=True, prefer_canvas=True, zoom_start=8)
    figure.add_child(fmap)
    _add_assets(figure, fmap, options.cdn)
    vector = offline.basemap_spec(constraint_set, basemap.datum) if basemap.vector else None
    fmap.add_child(Runtime(_basemap_spec(basemap, key, vector)))
    bands = _recorded_bands(result)
    surface_rows, surface_notes = _add_surface(fmap, surface, constraint_set, basemap) if surface else ([], [])
    legend_layers = surface_rows + _add_constraints(
        fmap, constraint_set, bands or [], basemap.datum, options.tolerance_m
    )
    located = _clear_says_which(
        _located(result.proposals), indicative_layers_checked(result, constraint_set), constraint_set
    )
    drawn = _add_proposals(fmap, located, result.findings_with_notes(), basemap.datum)
    fmap.add_child(folium.LayerControl(collapsed=True))
    left_out = _add_controls(fmap, options.cdn)
    fmap.fit_bounds(_bounds(drawn), padding=(30, 30), max_zoom=OPENING_MAX_ZOOM)
    notes = (
        _same_constraints_note(constraint_set, result.run_info)
        + _no_bands_note(bands)
        + _unlocated_note(len(result.proposals) - len(located))
        + surface_notes
        + _map_notes(basemap, options, left_out)
    )
    fmap.add_child(
        Legend(
            _legend_spec(
                legend_layers, notes, _within_accuracy_verdicts(located), _data_used_rows(result, constraint_set)
            )
        )
    )
    return figure


DATA_USED = ("数据来源", "Data used")


def _data_used_rows(result, constraint_set: ConstraintSet) -> list[dict]:
    """The legend's "数据来源 Data used" rows: each layer the check used, its status, source, date, coverage."""
    return [
        {
            "layer": u.layer,
            "title": [u.title_zh, u.title_en],
            "status": u.status,
            "statusLabel": [u.status_zh, u.status_en],
            "source": u.source,
            "date": u.date,
            "coverage": u.coverage_zh if u.coverage_zh == u.coverage_en else f"{u.coverage_zh} / {u.coverage_en}",
        }
        for u in data_used(result, constraint_set)
    ]


def _clear_says_which(located: gpd.GeoDataFrame, checked: dict, constraint_set: ConstraintSet) -> gpd.GeoDataFrame:
    """A clear proposal resting on indicative layers: its popup names them (所依据的示意图层), in
    ``checked_here_zh/_en`` (display only: the Result's columns are unchanged)."""
    if not checked:
        return located
    words = {pid: clear_summary(layers, constraint_set, CHECKED_HERE) for pid, layers in checked.items() if layers}
    ids = located["proposal_id"].astype(int)
    return located.assign(
        checked_here_zh=ids.map(lambda pid: words.get(pid, ("", ""))[0]).to_numpy(),
        checked_here_en=ids.map(lambda pid: words.get(pid, ("", ""))[1]).to_numpy(),
    )


def _embedded_key(basemap: Basemap, options: MapOptions) -> str | None:
    """The 天地图 key to write into the file: only when asked to, and then it must exist."""
    if not options.embed_key:
        return None
    key = tianditu_key(options.tianditu_key)
    if not basemap.needs_key or not key:
        raise InputError(
            "--embed-key 需要天地图底图与密钥 needs --basemap tianditu and a key (--tianditu-key or TIANDITU_KEY)",
            field="tianditu_key",
        )
    return key


def _constraint_set(constraints, result) -> ConstraintSet:
    """The set given (or a planner's layers overlaid on the bundled ones); else the one the check
    used (held, or reopened from the Result's record); else, when that is gone, the bundled set."""
    if isinstance(constraints, ConstraintSet):
        return constraints
    if constraints is not None:
        return load_constraints(constraints)
    try:
        return result.constraint_set()
    except (ChuannanError, OSError) as err:
        # drawn all the same; the legend says the layers differ (by fingerprint)
        logger.warning("the constraint layers the check used cannot be read (%s): drawing the bundled set", err)
        return load_constraints(None)


def _same_constraints_note(constraint_set: ConstraintSet, run_info: dict) -> list[tuple[str, str]]:
    """A warning when the layers drawn are not the ones the check used."""
    recorded = run_info.get("constraints_fingerprint")
    if not recorded or recorded == constraint_set.fingerprint:
        return []
    logger.warning("the constraint layers drawn differ from those the check used")
    return [
        ("注意：所绘约束图层与检查时所用的不同", "note: the constraint layers drawn differ from those the check used")
    ]


def _add_assets(figure: folium.Figure, fmap: folium.Map, cdn: bool) -> None:
    """Leaflet (linked or inlined), then the runtime (always inlined: it is this package's own)."""
    # Folium's defaults also pull jQuery, Bootstrap and Font Awesome from CDNs; this map needs none.
    fmap.default_js, fmap.default_css = [], []
    if cdn:
        figure.header.add_child(CssLink(assets.LEAFLET_CSS.cdn), name=assets.LEAFLET_CSS.name)
        figure.header.add_child(JavascriptLink(assets.LEAFLET_JS.cdn), name=assets.LEAFLET_JS.name)
    else:
        figure.header.add_child(Inline("css", assets.leaflet_css_inline(), "leaflet.css"), name=assets.LEAFLET_CSS.name)
        figure.header.add_child(Inline("js", assets.LEAFLET_JS.read(), "leaflet.js"), name=assets.LEAFLET_JS.name)
    figure.header.add_child(Inline("css", assets.package_text("webmap.css"), "webmap.css"), name="chuannan_css")
    figure.header.add_child(Inline("js", assets.package_text("webmap.js"), "webmap.js"), name="chuannan_js")


def _basemap_spec(basemap: Basemap, key: str | None, vector: dict | None = None) -> dict:
    return {
        "vector": vector,
        "tiles": [{"url": t.url, "subdomains": t.subdomains} for t in basemap.tiles],
        "attribution": basemap.attribution,
        "maxZoom": basemap.max_zoom,
        "needsKey": basemap.needs_key,
        "key": key,
        "keyMissing": (
            "天地图需要密钥：在地址末尾加上 #tk=您的密钥",
            "Tianditu needs a key: add #tk=YOUR_KEY to the end of the address",
        ),
    }


def _add_constraints(
    fmap, constraint_set: ConstraintSet, bands: list[content.Band], datum: str, tolerance_m: float
) -> list[dict]:
    """Add each constraint layer the set has (and the shoreline bands after the water); legend rows."""
    legend_rows = []
    indicative = set(constraint_set.indicative_layers())
    for view in content.views():
        if constraint_set.has(view.layer):
            legend_rows.append(_add_view(fmap, view, constraint_set, view.layer in indicative, tolerance_m, datum))
        if view.layer == "water":  # the bands sit on the water they are measured from
            legend_rows += _add_bands(fmap, bands, constraint_set, tolerance_m, datum)
    return legend_rows


def _add_view(
    fmap, view: content.View, constraint_set: ConstraintSet, indicative: bool, tolerance_m: float, datum: str
) -> dict:
    frame = constraint_set.layers[view.layer]
    title = content.layer_title(view.layer, constraint_set.metadata)
    spec = _layer_spec(
        view.layer,
        title,
        view.style,
        content.field_labels(view.fields + content.COMMON_POPUP_FIELDS),
        frame,
        content.constraint_properties(frame, view.fields),
        tolerance_m,
        datum,
    )
    if view.colour_by:
        spec.update(colourBy=view.colour_by, categories=view.categories_js())
    return _add_layer(fmap, spec, indicative)


def _recorded_bands(result) -> list[content.Band] | None:
    """The shoreline bands of the rule catalog the check used; None when the Result lacks it."""
    if not result.run_info.get("rules_text"):
        logger.warning("the result records no rule catalog text: shoreline bands are not drawn")
        return None
    return content.shoreline_bands(result.catalog())


def _no_bands_note(bands) -> list[tuple[str, str]]:
    if bands is not None:
        return []
    return [
        (
            "结果未记录所用规则目录，未绘制岸线范围",
            "the result does not record its rule catalog: shoreline bands are not drawn",
        )
    ]


def _add_bands(
    fmap, bands: list[content.Band], constraint_set: ConstraintSet, tolerance_m: float, datum: str
) -> list[dict]:
    rows = []
    for band in bands:
        frame = content.band_frame(band, constraint_set.layers[band.layer]) if constraint_set.has(band.layer) else None
        if frame is None:
            continue
        fields = ("rule_ids", "distance_m")
        spec = _layer_spec(
            band.id,
            band.title,
            content.BAND_STYLE,
            content.field_labels(fields + content.COMMON_POPUP_FIELDS),
            frame,
            content.constraint_properties(frame, fields),
            tolerance_m,
            datum,
        )
        rows.append(_add_layer(fmap, spec, bool((frame["data_status"] == "indicative").any())))
    return rows


def _layer_spec(layer_id, title, style, fields, frame, properties, tolerance_m, datum) -> dict:
    geoms = content.display_geometry(frame.geometry, tolerance_m, datum)
    return {
        "id": layer_id,
        "kind": "constraint",
        "title": title,
        "style": style.as_js(),
        "fields": fields,
        "pointRadius": POINT_RADIUS,
        "data": content.feature_collection(geoms, properties),
    }


def _add_layer(fmap, spec: dict, indicative: bool) -> dict:
    """Add the overlay; its legend row.  Layer-control names are HTML (Leaflet sets innerHTML): escaped."""
    label = f"{spec['title'][0]} / {spec['title'][1]}" + (f" [{INDICATIVE[0]} {INDICATIVE[1]}]" if indicative else "")
    fmap.add_child(DataLayer(spec, name=html.escape(label)))
    return {
        "title": spec["title"],
        "style": spec["style"],
        "indicative": indicative,
        "categories": list(spec.get("categories", {}).values()),
    }


SURFACE_PANE = {"pane": "cnScreening", "zIndex": 350}  # above the tiles (200), under the vector overlays (400)


def _add_surface(fmap, surface: SurfaceImage, constraint_set: ConstraintSet, basemap: Basemap) -> tuple[list, list]:
    """Add the screening surface as an image overlay; its legend row and notes."""
    tags = surface.tags
    kind, industry, status = (
        (term_label(field_name, code, "zh"), term_label(field_name, code, "en"))
        for field_name, code in (
            ("kind", tags.get("CHUANNAN_KIND", "?")),
            ("industry", tags.get("CHUANNAN_INDUSTRY", "?")),
            ("status", tags.get("CHUANNAN_STATUS", "new")),
        )
    )
    cell, shown = f"{surface.resolution_m:g}", f"{surface.display_m:,.0f}"
    title = (
        f"筛查栅格：{kind[0]}·{industry[0]}（{status[0]}），像元 {cell} 米，显示约 {shown} 米",
        f"screening surface: {kind[1]}, {industry[1]} ({status[1]}), {cell} m cells, shown at ≈ {shown} m",
    )
    layers, from_tags = indicative_layers(tags, constraint_set)
    verdicts = sorted(
        {entry["verdict"] for code, entry in surface.codes.items() if not entry.get("outside_region")},
        key=lambda v: -VERDICTS[v].rank,
    )
    spec = {
        "id": "screening",
        "title": title,
        "url": surface.data_uri,
        "bounds": surface.bounds,
        "opacity": OPACITY,
        **SURFACE_PANE,
    }
    indicative = bool(layers)
    # the full title is in the legend
    short = f"筛查栅格：{kind[0]}·{industry[0]} / screening surface: {kind[1]}, {industry[1]}"
    label = short + (f" [{INDICATIVE[0]} {INDICATIVE[1]}]" if indicative else "")
    fmap.add_child(ImageLayer(spec, name=html.escape(label)))
    row = {
        "title": title,
        "indicative": indicative,
        "style": {
            "color": "#555555",
            "weight": 1,
            "fill": True,
            "fillColor": VERDICTS["prohibited"].colour,
            "fillOpacity": OPACITY,
        },
        "categories": [
            {
                "style": {"color": VERDICTS[v].colour, "fill": True, "fillColor": VERDICTS[v].colour},
                "title": [VERDICTS[v].zh, VERDICTS[v].en],
            }
            for v in verdicts
        ],
    }
    notes = [
        (
            (
                f"筛查栅格 {surface.path.name}：每个像元为其中心处点状拟建项目的结论；范围外与无数据处透明；"
                f"为控制文件大小，按最近邻重采样显示（{surface.size[0]}×{surface.size[1]} 像素）"
            ),
            (
                f"screening surface {surface.path.name}: each cell is the verdict of a point proposal at its "
                f"centre; outside the region and nodata are transparent; shown resampled by nearest neighbour "
                f"({surface.size[0]} × {surface.size[1]} px) to keep the file small"
            ),
        )
    ]
    if indicative:
        which = ", ".join(layers)
        notes.append(
            (
                f"筛查栅格依据示意数据（{which}）" + ("" if from_tags else "，按所绘图层判断"),
                f"the screening surface rests on indicative data ({which})"
                + ("" if from_tags else ", judged from the layers drawn"),
            )
        )
    recorded = tags.get("CHUANNAN_CONSTRAINTS_FINGERPRINT")
    if recorded and recorded != constraint_set.fingerprint:
        notes.append(
            (
                "注意：筛查栅格计算所用约束图层与所绘图层不同",
                "note: the screening surface was computed from other constraint layers than those drawn",
            )
        )
    if basemap.datum != WGS84:
        notes.append(
            (
                "筛查栅格按其两角的 GCJ-02 偏移拉伸对齐，内部偏差不超过约 60 米",
                (
                    "the screening surface is aligned to GCJ-02 by shifting its two corners; inside it "
                    "the shift is interpolated, within about 60 m of the exact one"
                ),
            )
        )
    return [row], notes


def _located(proposals: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    return proposals[proposals.geometry.notna() & ~proposals.geometry.is_empty]


def _unlocated_note(missing: int) -> list[tuple[str, str]]:
    return (
        [(f"{missing} 个项目无几何，未绘制", f"{missing} proposal(s) without geometry are not drawn")]
        if missing
        else []
    )


def _add_proposals(fmap, located: gpd.GeoDataFrame, findings, datum: str) -> gpd.GeoSeries:
    """Add the proposals layer; the drawn geometries (for the initial view)."""
    geoms = content.display_geometry(located.geometry, 0, datum)  # proposals are shown as checked
    rows, table = content.proposal_rows(located, findings)
    spec = {
        "id": "proposals",
        "kind": "proposals",
        "title": PROPOSALS_TITLE,
        "pointRadius": PROPOSAL_RADIUS,
        "markerRadius": PROPOSAL_RADIUS - 1,
        "markerZoom": MARKER_ZOOM,
        "style": {"color": "#333333", "weight": 1, "fillOpacity": 0.85},
        "verdicts": content.verdict_table(),
        "facts": content.field_labels(PROPOSAL_FACTS),
        "withinStyle": content.within_accuracy_style(),
        "certainties": content.certainty_table(),
        "labels": POPUP_WORDS,
        "table": table,
        "data": content.feature_collection(geoms, [{"row": row} for row in rows]),
    }
    fmap.add_child(DataLayer(spec, name=html.escape(f"{PROPOSALS_TITLE[0]} / {PROPOSALS_TITLE[1]}")))
    return gpd.GeoSeries(geoms, crs=located.crs)


def _add_controls(fmap, cdn: bool) -> tuple:
    """Fullscreen and measure where their code can be had; the controls left out."""
    drawn, left_out = assets.controls(cdn)
    names = {c.name for c in drawn}
    if "fullscreen" in names:
        fmap.add_child(folium.plugins.Fullscreen(title="全屏 Full screen", title_cancel="退出全屏 Exit full screen"))
    if "measure" in names:
        fmap.add_child(
            folium.plugins.MeasureControl(
                primary_length_unit="meters",
                secondary_length_unit="kilometers",
                primary_area_unit="sqmeters",
                secondary_area_unit="hectares",
            )
        )
    return left_out


def _bounds(geoms: gpd.GeoSeries) -> list[list[float]]:
    minx, miny, maxx, maxy = geoms.total_bounds if len(geoms) else REGION_BBOX_LONLAT
    return [[miny, minx], [maxy, maxx]]


def _map_notes(basemap: Basemap, options: MapOptions, left_out) -> list[tuple[str, str]]:
    notes = [
        (
            f"几何已简化显示，容差 {options.tolerance_m:g} 米（保持拓扑）；项目几何未简化",
            (
                f"constraint geometry simplified for display, tolerance {options.tolerance_m:g} m "
                "(topology preserved); proposals are not simplified"
            ),
        )
    ]
    if basemap.datum != WGS84:
        notes.append(
            (
                f"叠加图层已由 CGCS2000 转换为 GCJ-02，以对齐{basemap.zh}底图",
                f"overlays shifted from CGCS2000 to GCJ-02 to line up with the {basemap.en} tiles",
            )
        )
    if basemap.vector:
        notes.append(
            (
                "底图：离线绘制（约束图层的县界、河流、县名，示意），无需网络",
                "basemap: drawn offline from the constraint layers' counties, rivers and county names "
                "(indicative); needs no network",
            )
        )
    if basemap.tiles:
        notes.append(
            (
                f"底图：{basemap.zh}；无网络时底图空白，图层照常可用",
                f"basemap: {basemap.en}; without internet it stays blank and the layers still work",
            )
        )
    if left_out:
        notes.append(
            (
                (
                    f"离线文件未含{'、'.join(c.zh for c in left_out)}控件（仅有 npm 来源，无可安装的离线包）；"
                    "用 --cdn 生成可联网加载的版本"
                ),
                (
                    f"the offline file leaves out the {', '.join(c.en for c in left_out)} control(s) "
                    "(published on npm only, no installable offline package); --cdn adds them"
                ),
            )
        )
    notes.append(
        (
            f"数据来源见各要素弹窗；chuannan-gis {__version__}",
            f"sources are in each feature's popup; chuannan-gis {__version__}",
        )
    )
    return notes


def _within_accuracy_verdicts(proposals) -> list[str]:
    """The verdicts some proposal has only within the data's accuracy, worst first (legend rows)."""
    if "certainty" not in proposals.columns:  # a Result written before certainty
        return []
    present = set(proposals.loc[proposals["certainty"] == WITHIN_ACCURACY, "verdict"])
    return sorted(present & set(VERDICTS), key=lambda code: -VERDICTS[code].rank)


def _legend_spec(layers: list[dict], notes: list, within: list[str] = (), used: list[dict] = ()) -> dict:
    """The legend: verdicts, then each verdict some proposal has only within the data's accuracy,
    drawn as on the map (e.g. 禁止（数据精度内） / prohibited (within accuracy)), with what that means."""
    table = content.verdict_table()
    verdicts = sorted(table.values(), key=lambda v: -v["rank"])
    within_rows = [{**table[code], "label": table[code]["short"][WITHIN_ACCURACY], "code": code} for code in within]
    notes = ([CERTAINTY_NOTE] if within_rows else []) + list(notes)
    return {
        "title": TITLE,
        "notice": NOTICE,
        "legendTitle": LEGEND,
        "notesTitle": NOTES_TITLE,
        "openWidth": LEGEND_OPEN_SIZE[0],
        "openHeight": LEGEND_OPEN_SIZE[1],
        "indicativeTag": INDICATIVE,
        "verdicts": verdicts,
        "withinAccuracy": within_rows,
        "withinStyle": content.within_accuracy_style(),
        "layers": layers,
        "notes": notes,
        "dataUsedTitle": DATA_USED,
        "dataUsed": list(used),
    }
