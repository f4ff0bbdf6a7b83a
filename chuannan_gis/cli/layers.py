"""``chuannan-gis layers``: list, inspect, validate, import and build constraint layers."""

from __future__ import annotations

import click

from ..errors import LayerError
from .helpers import EXIT_BAD_INPUT, cell_text, echo_table
from .options import datum_shift_option, layers_option, parse_field_map, parse_pairs


@click.group()
def layers():
    """约束图层 The constraint layers."""


@layers.command("list")
@layers_option
def layers_list(layers_path):
    """列出图层 List the constraint layers with their provenance."""
    from ..labels import accuracy_text
    from ..layers import load_constraints

    constraints = load_constraints(layers_path)
    rows = []
    for name, gdf in constraints.layers.items():
        info = constraints.layer_info(name)
        rows.append(
            (
                name,
                f"{info.get('title_zh', '')} {info.get('title_en', '')}".strip(),
                str(len(gdf)),
                str(info.get("data_status", "")),
                accuracy_text(info.get("accuracy_m")),
                str(info.get("source", constraints.paths.get(name, ""))),
            )
        )
    echo_table(("图层 layer", "标题 title", "要素 features", "数据 data_status", "精度 accuracy", "来源 source"), rows)


@layers.command("info")
@click.argument("name")
@layers_option
def layers_info(name, layers_path):
    """图层详情 Show a layer's metadata, feature count and fields."""
    from ..layers import load_constraints

    constraints = load_constraints(layers_path)
    if not constraints.has(name):
        raise LayerError(f"没有该图层 no layer {name!r}; layers: {', '.join(constraints.layers)}", layer=name)
    gdf = constraints.layers[name]
    info = {**constraints.layer_info(name), "file": constraints.paths.get(name), "features": len(gdf)}
    echo_table(("项 key", "值 value"), [(str(k), cell_text(v)) for k, v in info.items()])
    click.echo()
    echo_table(("字段 field", "类型 type"), [(str(c), str(t)) for c, t in gdf.dtypes.items()])


@layers.command("validate")
@click.argument("path", type=click.Path())
@click.option("--complete", is_flag=True, help="完整 Also require every bundled layer.")
@click.pass_context
def layers_validate(ctx, path, complete):
    """校验图层 Validate a constraint set against the schema; exit 2 when it has problems.

    Lists every problem (the first features of each, then "… and N more"), the warnings (water
    that is no river, unzoned water, an inferred coverage) and which counties each layer covers."""
    from ..layers import ValidationReport, validation_report

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


@layers.command("import")
@click.argument("source", metavar="SOURCE|MAP.yaml", type=click.Path(exists=True))
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False),
    help="输出 GeoPackage to write (an existing one keeps its other layers).",
)
@click.option(
    "--template",
    help="模板 dltb, redline, yjjbnt, czkfbj, shoreline, water-source, reserves, "
    "chemical-parks, water (`chuannan-gis layers templates`); omit for a MAP.yaml.",
)
@click.option("--layer", help="图层 Layer of the source (a .gdb or GeoPackage); default: the one the template expects.")
@click.option(
    "--coverage",
    help="覆盖范围 Counties/cities it covers (江安县,宜宾市,511523 …), `region`, or a polygon "
    "file; required for sparse layers.",
)
@click.option(
    "--field",
    "fields",
    multiple=True,
    callback=parse_field_map,
    metavar="FIELD=SOURCE_FIELD",
    help="字段映射 e.g. --field zone=功能区 (repeatable).",
)
@click.option(
    "--value",
    "values",
    multiple=True,
    metavar="FIELD:SOURCE_VALUE=CODE",
    help="值映射 e.g. --value zone:保护岸段=protection (repeatable).",
)
@click.option(
    "--constant",
    "constants",
    multiple=True,
    callback=parse_pairs,
    metavar="FIELD=VALUE",
    help="常量 e.g. --constant date=2023-12 --constant scale=1:10000 --constant accuracy_m=5 (repeatable).",
)
@click.option("--where", help="筛选 OGR SQL filter on the source, e.g. \"ZLDWDM LIKE '511523%'\".")
@click.option("--crs", help="坐标系 CRS of the source when it declares none or a wrong one, e.g. EPSG:4523.")
@click.option("--encoding", help="编码 Text encoding (detected for shapefiles without .cpg).")
@click.option("--rivers", type=click.Path(exists=True), help="河流 River lines naming the water (default: bundled).")
@click.option(
    "--water",
    type=click.Path(exists=True),
    help="水面 Water the shoreline zones are split over (default: the water imported before, or OUT's).",
)
@click.option(
    "--code",
    "codes",
    multiple=True,
    callback=parse_pairs,
    metavar="DLBM=RULE",
    help="地类规则 dltb: always | river | adjoining | never per code, e.g. --code 1106=never.",
)
@datum_shift_option
@click.option(
    "--assume-accuracy-m",
    type=click.FloatRange(min=0, min_open=True),
    help="假定精度 Take PROJ's zero shift from an older datum (Xian 1980, Beijing 1954) at this accuracy, metres.",
)
def layers_import(
    source,
    output,
    template,
    layer,
    coverage,
    fields,
    values,
    constants,
    where,
    crs,
    encoding,
    rivers,
    water,
    codes,
    datum_shift,
    assume_accuracy_m,
):
    """导入官方图层 Import a bureau's layer (or a MAP.yaml of several) into a validated constraint set."""
    from ..layers.imports import import_entries, import_source, read_map

    if template is None:
        if not str(source).lower().endswith((".yaml", ".yml")):
            raise LayerError(
                "give --template NAME, or a MAP.yaml (`chuannan-gis layers templates` lists templates)", file=source
            )
        results, warnings = import_entries(read_map(source), output)
    else:
        results, warnings = import_source(
            template,
            source,
            output,
            layer=layer,
            coverage=coverage,
            fields=fields,
            values=list(values),
            constants=constants,
            where=where,
            crs=crs,
            encoding=encoding,
            rivers=rivers,
            water=water,
            codes=codes,
            datum_shift=datum_shift,
            assume_accuracy_m=assume_accuracy_m,
        )
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
    from ..layers.imports import describe_templates

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
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False),
    help="输出 GeoPackage to write; default: the bundled constraint set.",
)
def layers_build(output):
    """构建图层 Build the constraint set from its public sources."""
    from ..layers import bundled_path
    from ..layers.build import build  # heavy, optional dependencies: imported only here

    target = output or bundled_path()
    build(target)
    click.echo(f"已构建 built: {target}")
