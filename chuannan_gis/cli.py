"""The ``chuannan-gis`` command line: a thin click group over the library.

Each command parses its options and calls library functions; no command decides a verdict or
holds a threshold.  An error of the :class:`~chuannan_gis.errors.ChuannanError` hierarchy is
printed as one clean line on stderr (exit status 2); ``-v`` shows its traceback in the log.

Exit status: 0 done, 1 the ``--fail-on`` threshold was hit, 2 bad input.
"""
from __future__ import annotations

import contextlib
import logging
import sys
import unicodedata
from pathlib import Path

import click

from . import ENGINES, __version__
from .errors import ChuannanError, InputError, LayerError, RuleError
from .verdicts import CODES, VERDICTS, at_or_above

logger = logging.getLogger(__name__)

EXIT_FAILED_ON = 1
EXIT_BAD_INPUT = 2


class _CleanErrors(click.Group):
    """A click group that turns the package's errors (and OS errors) into one line and exit 2."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except (ChuannanError, OSError) as err:
            logger.debug("traceback", exc_info=True)
            click.echo(f"错误 Error: {err}", err=True)
            ctx.exit(EXIT_BAD_INPUT)


# --- options shared by several commands, defined once -----------------------------------------
rules_option = click.option(
    "--rules", "rules_path", type=click.Path(exists=True, dir_okay=False),
    help="规则目录 Rule catalog (YAML); default: the bundled catalog.")
layers_option = click.option(
    "--layers", "layers_path", type=click.Path(exists=True),
    help="约束图层 Constraint layers (GeoPackage or folder) replacing/adding to the bundled set.")


def _parse_field_map(ctx, param, values) -> dict:
    mapping = {}
    for value in values:
        schema_field, sep, input_field = value.partition("=")
        if not sep or not schema_field.strip() or not input_field.strip():
            raise click.BadParameter(f"expected SCHEMA_FIELD=INPUT_FIELD (e.g. kind=类型), got {value!r}")
        mapping[schema_field.strip()] = input_field.strip()
    return mapping


def input_options(command):
    """The options that say how to read a proposals file (see :func:`chuannan_gis.io.read_proposals`)."""
    options = [
        click.option("--field", "field_map", multiple=True, callback=_parse_field_map, metavar="FIELD=NAME",
                     help="字段映射 Map a schema field to an input field, e.g. --field kind=类型 (repeatable)."),
        click.option("--input-datum", type=click.Choice(["wgs84", "cgcs2000", "gcj02", "bd09"]),
                     help="坐标基准 Datum of copied web-map coordinates: gcj02 (高德/腾讯) or bd09 (百度)."),
        click.option("--crs", help="坐标系 CRS of the input, e.g. EPSG:4544 (a CSV is EPSG:4490 by default)."),
        click.option("--layer", "input_layer", help="图层 Layer of a multi-layer input."),
        click.option("--encoding", help="编码 Text encoding of the input (detected by default)."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def map_options(command):
    """The options of a web map (see :func:`chuannan_gis.webmap.write_map`)."""
    options = [
        click.option("--basemap", default="osm", show_default=True,
                     help="底图 Basemap: osm, gaode (高德), tencent (腾讯), tianditu (天地图) or none."),
        click.option("--tianditu-key", envvar="TIANDITU_KEY", help="天地图密钥 Tianditu key (or env TIANDITU_KEY)."),
        click.option("--embed-key", is_flag=True, help="写入密钥 Write the Tianditu key into the file."),
        click.option("--cdn", is_flag=True, help="在线资源 Link the map's scripts from CDNs instead of inlining them."),
        click.option("--tolerance-m", type=float, default=None,
                     help="简化容差 Display simplification of the constraint layers, metres."),
        click.option("--screen", "screen", type=click.Path(exists=True, dir_okay=False), metavar="OUT.tif",
                     help="筛查栅格 Overlay a screening surface written by `chuannan-gis screen`."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def _write_map(result, path, constraints, basemap, tianditu_key, embed_key, cdn, tolerance_m, screen) -> None:
    from .webmap import write_map  # folium: imported only when a map is asked for

    extra = {} if tolerance_m is None else {"tolerance_m": tolerance_m}
    write_map(result, path, constraints=constraints, basemap=basemap, tianditu_key=tianditu_key,
              embed_key=embed_key, cdn=cdn, screen=screen, **extra)


def _configure_logging(verbose: int, quiet: int) -> None:
    level = logging.WARNING - 10 * (verbose - quiet)
    logging.basicConfig(stream=sys.stderr, level=max(logging.DEBUG, min(level, logging.CRITICAL)),
                        format="%(levelname)s %(name)s: %(message)s")


@click.group(cls=_CleanErrors)
@click.option("-v", "--verbose", count=True, help="更多日志 More log output (repeatable).")
@click.option("-q", "--quiet", count=True, help="更少输出 Less output (repeatable).")
@click.version_option(__version__, prog_name="chuannan-gis")
@click.pass_context
def main(ctx, verbose, quiet):
    """川南经济区空间约束筛查 Spatial constraint screening for the South Sichuan Economic Zone.

    筛查结果，不作为审批依据 — screening only, not a permit.
    """
    _configure_logging(verbose, quiet)
    ctx.obj = {"quiet": quiet > 0}


# --- check --------------------------------------------------------------------------------------
@main.command()
@click.argument("input_path", metavar="INPUT", type=click.Path(exists=True))
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False),
              help="结果 Result GeoPackage to write.")
@click.option("--report", "report_path", type=click.Path(dir_okay=False), help="报告 HTML report to write.")
@click.option("--map", "map_path", type=click.Path(dir_okay=False), help="网页地图 Web map (HTML) to write.")
@rules_option
@layers_option
@click.option("--fail-on", type=click.Choice([c for c in CODES if c != "clear"]),
              help="失败阈值 Exit 1 when a proposal gets this verdict or a worse one.")
@click.option("--engine", type=click.Choice(list(ENGINES)), default="default", show_default=True,
              help="引擎 dask: the same check on dask-geopandas, in chunks, for millions of features.")
@click.option("--scheduler", help="调度器 With --engine dask: a dask.distributed address (tcp://host:8786), "
              "or threads | processes | synchronous (default: local threads).")
@input_options
@map_options
@click.pass_context
def check(ctx, input_path, output, report_path, map_path, rules_path, layers_path, fail_on, engine, scheduler,
          field_map, input_datum, crs, input_layer, encoding, **map_settings):
    """筛查拟建项目 Check the proposals in INPUT against the constraint layers and rules."""
    import chuannan_gis

    _refuse_overwriting(input_path, output, report_path, map_path)
    if map_settings["screen"]:
        if not map_path:
            raise click.UsageError("--screen 需要 --map / --screen needs --map")
        _refuse_overwriting(map_settings["screen"], output, report_path, map_path)
    if scheduler and engine != "dask":
        raise click.UsageError("--scheduler 仅用于 --engine dask / --scheduler needs --engine dask")
    read_options = {"layer": input_layer, "field_map": field_map, "input_datum": input_datum, "crs": crs,
                    "encoding": encoding}
    chuannan_gis.get_engine(engine)  # unknown, or its libraries missing: one clean line, before any work
    with contextlib.closing(_ProgressBar(enabled=not ctx.obj["quiet"])) as progress:
        # the library reads the input (through io.read_proposals), so the Result records its path and hash
        if engine == "dask":
            from .scale import check_to_file

            # loaded here once: the report and map of this run reuse them
            catalog, constraint_set = chuannan_gis.load_rules(rules_path), chuannan_gis.load_constraints(layers_path)
            # written chunk by chunk as it is computed: memory depends on the chunk, not the input
            result = check_to_file(input_path, output, constraints=constraint_set, rules=catalog,
                                   scheduler=scheduler, progress=progress, **read_options)
            if report_path or map_path:
                from .result import Result

                result = Result.read(output).hold(constraint_set, catalog)
        else:
            # the Result holds the constraint set and catalog it was made with, for the report and map
            result = chuannan_gis.check(input_path, constraints=layers_path, rules=rules_path, progress=progress,
                                        **read_options)
            result.write(output)
    if report_path:
        from .report import write_report

        write_report(result, report_path)
    if map_path:
        _write_map(result, map_path, None, **map_settings)
    if not ctx.obj["quiet"]:
        _echo_summary(result, {"结果 result": output, "报告 report": report_path, "地图 map": map_path})
    if fail_on:
        _exit_if_failed(ctx, result, fail_on)


def _refuse_overwriting(input_path, *outputs) -> None:
    source = Path(input_path).resolve()
    for output in outputs:
        if output and Path(output).resolve() == source:
            raise InputError("输出会覆盖输入 the output would overwrite the input; choose another path", file=output)


class _ProgressBar:
    """The engine's ``progress(done, total, *current)`` callback, drawn as a tqdm bar on stderr (only on a
    terminal); the engine calls it after each rule."""

    def __init__(self, enabled: bool):
        self.enabled = enabled
        self.bar = None

    def __call__(self, done: int, total: int, *current) -> None:
        if self.bar is None:
            from tqdm import tqdm

            self.bar = tqdm(total=total, file=sys.stderr, unit=" rules", leave=False,
                            disable=None if self.enabled else True)  # None: off when not a terminal
        self.bar.update(done - self.bar.n)
        if current:
            self.bar.set_postfix_str(str(current[0]), refresh=False)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def _echo_summary(result, written: dict) -> None:
    counts = result.verdict_counts()
    rows = [(f"{v.zh} {v.en}", str(int(counts.get(code, 0)))) for code, v in VERDICTS.items()]
    rows.append(("合计 total", str(sum(counts.values()))))
    _echo_table(("结论 verdict", "数量 count"), rows)
    if len(result.not_checked):
        click.echo(f"未检查 not checked: {', '.join(result.not_checked['rule_id'].astype(str))}")
    for label, path in written.items():
        if path:
            click.echo(f"{label}: {path}")


def _exit_if_failed(ctx, result, fail_on: str) -> None:
    counts = result.verdict_counts()
    hits = sum(counts[code] for code in at_or_above(fail_on))
    if hits:
        click.echo(f"未通过 failed: {hits} 项结论为 {VERDICTS[fail_on].zh} 或更严 / {hits} proposal(s) "
                   f"{fail_on} or worse (--fail-on {fail_on})", err=True)
        ctx.exit(EXIT_FAILED_ON)


# --- rendering a stored Result -------------------------------------------------------------------
result_argument = click.argument("result_path", metavar="RESULT", type=click.Path(exists=True, dir_okay=False))


@main.command("report")
@result_argument
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help="报告 HTML report to write.")
@click.option("--max-sections", type=click.IntRange(min=0), default=None,
              help="详细项数 Proposals with a full section (worst first); the rest go in a table.")
def report_command(result_path, output, max_sections):
    """生成报告 Write the HTML report of a stored RESULT GeoPackage."""
    from .report import MAX_SECTIONS, write_report
    from .result import Result

    _refuse_overwriting(result_path, output)
    write_report(Result.read(result_path), output, max_sections=MAX_SECTIONS if max_sections is None else max_sections)
    click.echo(f"报告 report: {output}")


@main.command("map")
@result_argument
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help="网页地图 Web map to write.")
@layers_option
@map_options
def map_command(result_path, output, layers_path, **map_settings):
    """网页地图 Write the offline web map of a stored RESULT GeoPackage."""
    from .result import Result

    _refuse_overwriting(result_path, output)
    if map_settings["screen"]:
        _refuse_overwriting(map_settings["screen"], output)
    _write_map(Result.read(result_path), output, layers_path, **map_settings)
    click.echo(f"地图 map: {output}")


# --- screen -------------------------------------------------------------------------------------
def _parse_bbox(ctx, param, value):
    if value is None:
        return None
    parts = value.replace(" ", "").split(",")
    try:
        numbers = tuple(float(part) for part in parts)
    except ValueError:
        numbers = ()
    if len(numbers) != 4:
        raise click.BadParameter(f"expected MINLON,MINLAT,MAXLON,MAXLAT (EPSG:4490), got {value!r}")
    return numbers


@main.command("screen")
@click.option("--kind", required=True, help="类型 Proposal kind, e.g. industrial_park (产业园区).")
@click.option("--industry", required=True, help="行业 Industry, e.g. heavy_chemical (重化工).")
@click.option("--status", default="new", show_default=True, help="状态 new | expansion | rebuild | existing.")
@click.option("--resolution", type=float, default=30.0, show_default=True, help="分辨率 Cell size, metres.")
@click.option("--county", help="县区 Screen one county (Chinese or English name, or adcode), e.g. 江安县.")
@click.option("--bbox", callback=_parse_bbox, metavar="MINLON,MINLAT,MAXLON,MAXLAT",
              help="范围 Screen a lon/lat box (EPSG:4490) instead of the whole region.")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False),
              help="输出 GeoTIFF to write (COG, EPSG:4544); the area table (.csv) and QGIS style (.qml) go beside it.")
@rules_option
@layers_option
@click.pass_context
def screen_command(ctx, kind, industry, status, resolution, county, bbox, output, rules_path, layers_path):
    """筛查栅格 Where could it go: write the screening surface of a kind and industry as a GeoTIFF."""
    import chuannan_gis

    if county and bbox:
        raise click.UsageError("--county 与 --bbox 只能选一 give --county or --bbox, not both")
    screening = chuannan_gis.screen(kind, industry, output, status=status, resolution=resolution,
                                    extent=county or bbox, constraints=layers_path, rules=rules_path)
    for listed in screening.unexpressed:
        click.echo(f"警告 warning: 规则 {listed['rule_id']} 未进入栅格 not in the surface: "
                   f"{listed['reason_zh']} / {listed['reason_en']}", err=True)
    if ctx.obj["quiet"]:
        return
    _echo_area_table(screening.areas)
    if screening.not_checked:
        click.echo(f"未检查 not checked: {', '.join(r['rule_id'] for r in screening.not_checked)}")
    for label, path in (("栅格 raster", screening.path), ("面积 areas", screening.areas_path),
                        ("样式 style", screening.style_path)):
        click.echo(f"{label}: {path}")


def _echo_area_table(areas) -> None:
    """The km² table: one row per county, 都市区 and the total, one column per verdict."""
    verdict_columns = [f"{code}_km2" for code in VERDICTS]
    headers = ("县区/都市区 area", *(f"{VERDICTS[c].zh} {c}" for c in VERDICTS), "合计 total")
    rows = [(str(row["name"]), *(f"{row[c]:,.1f}" for c in [*verdict_columns, "total_km2"]))
            for _, row in areas.iterrows()]
    click.echo("面积 km² area by verdict")
    _echo_table(headers, rows)


# --- rules --------------------------------------------------------------------------------------
@main.group()
def rules():
    """规则目录 The rule catalog."""


@rules.command("list")
@rules_option
def rules_list(rules_path):
    """列出规则 List the rules: id, verdict, title."""
    from .rules import load_rules

    catalog = load_rules(rules_path)
    _echo_table(("规则 id", "结论 verdict", "关系 relation", "标题 title"),
                [(r.id, _verdict_label(r.verdict), _relation(catalog, r), f"{r.title.zh} / {r.title.en}")
                 for r in catalog.rules])


def _relation(catalog, rule) -> str:
    """'← parent' for a derived rule, '→ companions' for a rule with unknown_where, else ''."""
    if rule.derived_from:
        return f"← {rule.derived_from}"
    return ", ".join(f"→ {d.id}" for d in catalog.derived(rule.id))


@rules.command("show")
@click.argument("rule_id", metavar="ID")
@rules_option
def rules_show(rule_id, rules_path):
    """显示规则 Show one rule in full, with its citation."""
    import yaml

    from .rules import load_rules

    catalog = load_rules(rules_path)
    try:
        rule = catalog.get(rule_id)
    except KeyError:
        known = ", ".join(r.id for r in catalog.rules)
        raise RuleError(f"没有该规则 no rule {rule_id!r}; rules: {known}", file=catalog.path, feature=rule_id) from None
    shown = rule.model_dump(mode="json", exclude_none=True)
    if not rule.unknown_where:
        shown.pop("unknown_where")
    click.echo(yaml.safe_dump(shown, allow_unicode=True, sort_keys=False), nl=False)
    if rule.derived_from:
        click.echo(f"派生自 derived from: {rule.derived_from} (unknown_where)")
    derived = catalog.derived(rule.id)
    if derived:
        click.echo(f"派生规则 derived rules: {', '.join(d.id for d in derived)}")
    click.echo(f"引文核实 citation: {rule.citation.verified_label()}")


def _verdict_label(code: str) -> str:
    return f"{VERDICTS[code].zh} {code}"


# --- layers -------------------------------------------------------------------------------------
@main.group()
def layers():
    """约束图层 The constraint layers."""


@layers.command("list")
@layers_option
def layers_list(layers_path):
    """列出图层 List the constraint layers with their provenance."""
    from .labels import accuracy_text
    from .layers import load_constraints

    constraints = load_constraints(layers_path)
    rows = []
    for name, gdf in constraints.layers.items():
        info = constraints.layer_info(name)
        rows.append((name, f"{info.get('title_zh', '')} {info.get('title_en', '')}".strip(), str(len(gdf)),
                     str(info.get("data_status", "")), accuracy_text(info.get("accuracy_m")),
                     str(info.get("source", constraints.paths.get(name, "")))))
    _echo_table(("图层 layer", "标题 title", "要素 features", "数据 data_status", "精度 accuracy", "来源 source"),
                rows)


@layers.command("info")
@click.argument("name")
@layers_option
def layers_info(name, layers_path):
    """图层详情 Show a layer's metadata, feature count and fields."""
    from .layers import load_constraints

    constraints = load_constraints(layers_path)
    if not constraints.has(name):
        raise LayerError(f"没有该图层 no layer {name!r}; layers: {', '.join(constraints.layers)}", layer=name)
    gdf = constraints.layers[name]
    info = {**constraints.layer_info(name), "file": constraints.paths.get(name), "features": len(gdf)}
    _echo_table(("项 key", "值 value"), [(str(k), _text(v)) for k, v in info.items()])
    click.echo()
    _echo_table(("字段 field", "类型 type"), [(str(c), str(t)) for c, t in gdf.dtypes.items()])


@layers.command("validate")
@click.argument("path", type=click.Path())
@click.option("--complete", is_flag=True, help="完整 Also require every bundled layer.")
@click.pass_context
def layers_validate(ctx, path, complete):
    """校验图层 Validate a constraint set against the schema; exit 2 when it has problems.

    Lists every problem (the first features of each, then "… and N more"), the warnings (water
    that is no river, unzoned water, an inferred coverage) and which counties each layer covers."""
    from .layers import ValidationReport, validation_report

    report = validation_report(path, complete=complete)
    for note in report.notes:
        click.echo(f"覆盖范围 coverage: {note}")
    for warning in report.warnings:
        click.echo(f"警告 warning: {warning}", err=True)
    for problem in report.errors:
        click.echo(f"问题 problem: {problem}", err=True)
    if report.errors:
        click.echo(f"无效 invalid: {ValidationReport.count(report.errors)} 个问题 problem(s)", err=True)
        ctx.exit(EXIT_BAD_INPUT)
    warned = f" ({ValidationReport.count(report.warnings)} 个警告 warning(s))" if report.warnings else ""
    click.echo(f"有效 valid: {path}{warned}")


def _parse_pairs(ctx, param, values) -> dict:
    mapping = {}
    for value in values:
        key, sep, item = value.partition("=")
        if not sep or not key.strip():
            raise click.BadParameter(f"expected NAME=VALUE, got {value!r}")
        mapping[key.strip()] = item.strip()
    return mapping


@layers.command("import")
@click.argument("source", metavar="SOURCE|MAP.yaml", type=click.Path(exists=True))
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False),
              help="输出 GeoPackage to write (an existing one keeps its other layers).")
@click.option("--template", help="模板 dltb, redline, yjjbnt, czkfbj, shoreline, water-source, reserves, "
                                 "chemical-parks, water (`chuannan-gis layers templates`); omit for a MAP.yaml.")
@click.option("--layer", help="图层 Layer of the source (a .gdb or GeoPackage); default: the one the template expects.")
@click.option("--coverage", help="覆盖范围 Counties/cities it covers (江安县,宜宾市,511523 …), `region`, or a polygon "
                                 "file; required for sparse layers.")
@click.option("--field", "fields", multiple=True, callback=_parse_field_map, metavar="FIELD=SOURCE_FIELD",
              help="字段映射 e.g. --field zone=功能区 (repeatable).")
@click.option("--value", "values", multiple=True, metavar="FIELD:SOURCE_VALUE=CODE",
              help="值映射 e.g. --value zone:保护岸段=protection (repeatable).")
@click.option("--constant", "constants", multiple=True, callback=_parse_pairs, metavar="FIELD=VALUE",
              help="常量 e.g. --constant date=2023-12 --constant scale=1:10000 --constant accuracy_m=5 (repeatable).")
@click.option("--where", help="筛选 OGR SQL filter on the source, e.g. \"ZLDWDM LIKE '511523%'\".")
@click.option("--crs", help="坐标系 CRS of the source when it declares none or a wrong one, e.g. EPSG:4523.")
@click.option("--encoding", help="编码 Text encoding (detected for shapefiles without .cpg).")
@click.option("--rivers", type=click.Path(exists=True), help="河流 River lines naming the water (default: bundled).")
@click.option("--water", type=click.Path(exists=True),
              help="水面 Water the shoreline zones are split over (default: the water imported before, or OUT's).")
@click.option("--code", "codes", multiple=True, callback=_parse_pairs, metavar="DLBM=RULE",
              help="地类规则 dltb: always | river | adjoining | never per code, e.g. --code 1106=never.")
def layers_import(source, output, template, layer, coverage, fields, values, constants, where, crs, encoding, rivers,
                  water, codes):
    """导入官方图层 Import a bureau's layer (or a MAP.yaml of several) into a validated constraint set."""
    from .layers.imports import import_entries, read_map

    if template is None:
        if not str(source).lower().endswith((".yaml", ".yml")):
            raise LayerError("give --template NAME, or a MAP.yaml (`chuannan-gis layers templates` lists templates)",
                             file=source)
        entries = read_map(source)
    else:
        entries = [{"template": template, "source": source, "layer": layer, "coverage": coverage, "fields": fields,
                    "values": list(values), "constants": constants, "where": where, "crs": crs, "encoding": encoding,
                    "rivers": rivers, "water": water, "codes": codes}]
    results, warnings = import_entries(entries, output)
    for result in results:
        click.echo(f"== {result.layer}")
        for line in result.report:
            click.echo(f"  {line}")
    for text in warnings:
        click.echo(f"警告 warning: {text}", err=True)
    click.echo(f"已导入 imported: {', '.join(r.layer for r in results)} → {output} (valid)")


@layers.command("templates")
@click.argument("name", required=False)
def layers_templates(name):
    """导入模板 List the import templates: fields, codes and the standard each follows."""
    from .layers.imports import describe_templates

    for row in describe_templates():
        if name and row["name"] != name:
            continue
        click.echo(f"{row['name']} → {row['target']}: {row['title']} ({row['coverage']})")
        click.echo(f"  standard: {row['standard']}")
        for field_name, spec in row["fields"].items():
            need = "required" if spec["required"] else "optional"
            click.echo(f"  field {field_name} ({need}): {spec['help']}; from {', '.join(map(str, spec['aliases']))}")
        for field_name, mapping in row["values"].items():
            click.echo(f"  values {field_name}: " + ", ".join(f"{k}→{v}" for k, v in mapping.items()))
        for code, spec in row["codes"].items():
            why = f" — {spec['why']}" if spec.get("why") else ""
            click.echo(f"  code {code} {spec['name']}: {spec['rule']}{why}")
        if row["options"]:
            click.echo("  options: " + ", ".join(f"{k}={v}" for k, v in row["options"].items()))
        click.echo()


@layers.command("build")
@click.option("-o", "--output", type=click.Path(dir_okay=False),
              help="输出 GeoPackage to write; default: the bundled constraint set.")
def layers_build(output):
    """构建图层 Build the constraint set from its public sources."""
    from .layers import bundled_path
    from .layers.build import build  # heavy, optional dependencies: imported only here

    target = output or bundled_path()
    build(target)
    click.echo(f"已构建 built: {target}")


# --- plain-text tables --------------------------------------------------------------------------
def _display_width(text: str) -> int:
    # Chinese characters take two terminal columns
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _echo_table(headers, rows) -> None:
    """Print rows under headers, columns padded to the widest cell (CJK-aware)."""
    table = [tuple(headers), *rows]
    widths = [max(_display_width(row[i]) for row in table) for i in range(len(headers))]
    for row in table:
        cells = [cell + " " * (width - _display_width(cell)) for cell, width in zip(row, widths)]
        click.echo("  ".join(cells).rstrip())


def _text(value) -> str:
    return "" if value is None else str(value)


if __name__ == "__main__":  # python -m chuannan_gis.cli, without the installed entry point
    main()
