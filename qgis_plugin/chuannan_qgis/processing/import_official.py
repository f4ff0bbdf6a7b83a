"""Import official layers: a bureau's layer loaded in QGIS → a validated constraint GeoPackage.

The QGIS face of ``chuannan-gis layers import --template``.  The input layer, of any provider
(shapefile, GeoPackage, File Geodatabase, PostGIS, a memory layer …), is first written as it is
(its CRS, its fields; the selected features only when asked) to a temporary GeoPackage with
``QgsVectorFileWriter``; the library then imports that file exactly as the command line imports a
delivered one (``core.import_official``).  Messages name the input layer, never the temporary copy.
"""
from __future__ import annotations

import tempfile
from html import escape as html_escape
from pathlib import Path

from qgis.core import (
    QgsFeatureRequest,
    QgsProcessing,
    QgsProcessingException,
    QgsProcessingFeatureSourceDefinition,
    QgsProcessingMultiStepFeedback,
    QgsProcessingOutputString,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterNumber,
    QgsProcessingParameterString,
    QgsProcessingUtils,
    QgsProviderRegistry,
    QgsVectorFileWriter,
    QgsVectorLayer,
)

from .. import core
from ..i18n import language, tr
from .base import ChuannanAlgorithm

# The data_status values of chuannan_gis.layers.schema.DATA_STATUSES (kept equal by a test; the
# library refuses any other), with their labels.
DATA_STATUSES = ("official", "indicative")
IMPORT_TAGS = ("导入", "官方", "官方数据", "三区三线", "三调", "地类图斑", "永久基本农田", "城镇开发边界",
               "饮用水水源保护区", "化工园区", "模板", "import", "official", "official data", "template",
               "redline", "dltb", "GeoPackage")
# Where the command line's options, which the library's messages name, are in this algorithm.
CRS_HINT = ("在 QGIS 中：图层属性 › 源 › 设置坐标参照系，然后重新运行 In QGIS: set the layer's CRS "
            "(Layer Properties › Source › Assigned coordinate reference system), then run again")
ENCODING_HINT = ("在 QGIS 中：图层属性 › 源 › 数据源编码（如 GBK），然后重新运行 In QGIS: set Layer Properties › "
                 "Source › Data source encoding (e.g. GBK), then run again")


def escape(text: str) -> str:
    """Text for the help's HTML (quotes kept: qgis_process help prints the HTML as it is)."""
    return html_escape(text, quote=False)


class ImportOfficialAlgorithm(ChuannanAlgorithm):
    INPUT = "INPUT"
    TEMPLATE = "TEMPLATE"
    COVERAGE = "COVERAGE"
    FIELDS = "FIELDS"
    VALUES = "VALUES"
    DATA_STATUS = "DATA_STATUS"
    DATE = "DATE"
    ACCURACY = "ACCURACY_M"
    SCALE = "SCALE"
    OUTPUT = "OUTPUT"
    USE_AS_CONSTRAINT_SET = "USE_AS_CONSTRAINT_SET"
    LAYER = "LAYER"
    DEFAULT_TEMPLATE = "redline"
    CLI_OPTIONS = {**ChuannanAlgorithm.CLI_OPTIONS, "--coverage": COVERAGE, "--field": FIELDS, "--value": VALUES,
                   "--constant data_status": DATA_STATUS, "--constant date": DATE,
                   "--constant accuracy_m": ACCURACY, "--constant scale": SCALE, "--template": TEMPLATE}

    def name(self) -> str:
        return "importofficial"

    def displayName(self) -> str:  # noqa: N802 (QGIS API)
        return tr("Import official layers")

    def tags(self):
        return [*IMPORT_TAGS, *super().tags()]

    def shortHelpString(self) -> str:  # noqa: N802 (QGIS API)
        intro = tr("Imports a bureau's layer loaded in QGIS (a 三调 DLTB, a 三区三线 red line, farmland "
                   "or urban boundary, a shoreline plan …; any provider: shapefile, GeoPackage, File "
                   "Geodatabase, PostGIS, a memory layer) with a template into a constraint GeoPackage, "
                   "as “chuannan-gis layers import --template” does: fields and Chinese values mapped, "
                   "invalid polygons repaired, reprojected to EPSG:4490, validated. Importing into an "
                   "existing GeoPackage replaces the layer of the same name and keeps the others. Give "
                   "the coverage (the counties or cities the bureau's data cover): outside it the bundled "
                   "layer stays; every template but dltb needs it. By default the GeoPackage becomes the "
                   "plugin's constraint set, so Check proposals, Screen region and click-to-check use it.")
        heading = tr("Templates and the fields they look for")
        listing = "".join(f"<li>{template_help(t)}</li>" for t in core.templates())
        return f"<p>{escape(intro)}</p><p><b>{escape(heading)}</b></p><ul>{listing}</ul>"

    def initAlgorithm(self, config=None):  # noqa: N802 (QGIS API)
        self.templates = core.templates()
        names = [t["name"] for t in self.templates]
        self.add(QgsProcessingParameterFeatureSource(
            self.INPUT, tr("Official layer"), [QgsProcessing.TypeVectorPolygon]),
            tr("The bureau's layer as loaded in QGIS, of any provider, in its own CRS (declared: set it in "
               "the layer's properties if it has none). Tick “Selected features only” to import a selection."))
        # Without chuannan_gis there are no choices: the run then stops with the install instructions.
        self.add(QgsProcessingParameterEnum(
            self.TEMPLATE, tr("Template"), [template_label(t) for t in self.templates],
            defaultValue=names.index(self.DEFAULT_TEMPLATE) if self.DEFAULT_TEMPLATE in names else None,
            optional=not names),
            tr("Which delivered format the layer is, and so which constraint layer it becomes (as --template "
               "on the command line). The algorithm's help lists each template's fields."))
        self.add(QgsProcessingParameterString(self.COVERAGE, tr("Coverage (counties or cities)"), optional=True),
                 tr("What the bureau's layer covers: county or city names or adcodes, separated by commas "
                    "(江安县, 江安县,翠屏区, 宜宾市, 511523), region for all 28 counties, or a polygon file. "
                    "Required for every template but dltb (red lines and the other sparse layers: an absent "
                    "feature means “none here” only where the data cover)."))
        self.add(QgsProcessingParameterString(self.FIELDS, tr("Field mappings"), multiLine=True, optional=True),
                 tr("Source fields the template's aliases miss, as schema_field=SOURCE_FIELD, several separated "
                    "by ; or one per line, e.g. name_zh=红线名 (as --field on the command line)."))
        self.add(QgsProcessingParameterString(self.VALUES, tr("Value mappings"), multiLine=True, optional=True),
                 tr("Source values the template does not know, as FIELD:SOURCE_VALUE=CODE, several separated by ; "
                    "or one per line, e.g. zone:保护岸段=protection (as --value on the command line)."))
        self.add(QgsProcessingParameterEnum(
            self.DATA_STATUS, tr("Data status"), [data_status_label(code) for code in DATA_STATUSES],
            defaultValue=0), tr("official for the bureau's own data (the default); indicative for a "
                                "digitised or approximate copy."))
        self.add(QgsProcessingParameterString(self.DATE, tr("Date of the data"), optional=True),
                 tr("The date the data state, e.g. 2023-10 (stored with every feature and in the layer's metadata)."))
        self.add(QgsProcessingParameterNumber(
            self.ACCURACY, tr("Accuracy (m)"), QgsProcessingParameterNumber.Double, optional=True, minValue=0.0),
            tr("The positional accuracy the bureau states, in metres. Empty: from the scale, else “not stated” "
               "(the import warns)."))
        self.add(QgsProcessingParameterString(self.SCALE, tr("Scale"), optional=True),
                 tr("The source's scale, e.g. 1:10000, when no accuracy is stated: 0.5 mm on the map, so "
                    "1:10000 gives 5 m."))
        self.add(QgsProcessingParameterFileDestination(
            self.OUTPUT, tr("Constraint GeoPackage"), tr("GeoPackage (*.gpkg)")),
            tr("The GeoPackage to write (EPSG:4490). An existing one keeps its other layers; the layer of the "
               "same name is replaced. It is written to a temporary file and validated before it replaces "
               "anything."))
        self.add(QgsProcessingParameterBoolean(
            self.USE_AS_CONSTRAINT_SET, tr("Use as the constraint set"), defaultValue=True),
            tr("Make the GeoPackage the plugin's constraint set (menu Chuannan compliance › Constraint set…), "
               "which Check proposals, Screen region, Load constraint layers and click-to-check use."))
        self.addOutput(QgsProcessingOutputString(self.LAYER, tr("Constraint layer written")))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802 (QGIS API)
        self.require()
        self.queue(feedback)
        if feedback.isCanceled():
            return {}
        steps = QgsProcessingMultiStepFeedback(2, feedback)
        template = self._template(parameters, context)
        source = self.parameterAsSource(parameters, self.INPUT, context)
        if source is None:
            raise QgsProcessingException(self.invalidSourceError(parameters, self.INPUT))
        output = self.parameterAsFileOutput(parameters, self.OUTPUT, context)
        if Path(output).suffix.lower() != ".gpkg":
            raise QgsProcessingException(f"输出须为 GeoPackage the output must be a GeoPackage (.gpkg): {output}")
        layer = self._input_layer(parameters, context)
        label, layer_name = describe_source(layer, source)
        if not source.sourceCrs().isValid():
            raise QgsProcessingException(f"file {label}; layer {layer_name}: 图层没有坐标参照系 the layer has no CRS. "
                                         f"{CRS_HINT}")
        coverage = self.parameterAsString(parameters, self.COVERAGE, context).strip()
        if not coverage and core.needs_coverage(template["name"]):
            raise QgsProcessingException(self.coverage_needed(template))
        constants = self._constants(parameters, context, label)
        with tempfile.TemporaryDirectory(prefix="chuannan-import-") as folder:
            copy = Path(folder) / "input.gpkg"
            try:
                fields, values = core.import_mappings(self.parameterAsString(parameters, self.FIELDS, context),
                                                      self.parameterAsString(parameters, self.VALUES, context))
                count = write_copy(source, copy, layer_name, context, steps)
                if count is None:
                    return {}
                if count == 0:  # an empty selection, most likely: it would erase the bundled layer in the coverage
                    raise QgsProcessingException(
                        f"file {label}; layer {layer_name}: 没有要素可导入（是否未选中要素？）the layer has no features "
                        "to import (nothing selected?). Imported, it would say there is none in the coverage and "
                        "replace the bundled layer there: nothing written. To state that deliberately, import the "
                        "empty file with chuannan-gis layers import.")
                # dltb infers its coverage from the 行政区 (XZQ) layer delivered beside it: copy that too
                companions = [] if coverage else coverage_layers(layer, template)
                for companion in companions:
                    write_copy(companion, copy, companion.name(), context, None)
                steps.setCurrentStep(1)
                feedback.pushInfo(f"导入 importing: {count} 个要素 features of {label} "
                                  f"({source.sourceCrs().authid() or source.sourceCrs().description()}) "
                                  f"→ {template['name']}"
                                  + "".join(f"; 及行政区图层 with the 行政区 layer {c.name()} ({c.featureCount()})"
                                            for c in companions))
                results, warnings = core.import_official(
                    template["name"], str(copy), output, layer=layer_name, coverage=coverage, fields=fields,
                    values=values, constants=constants)
            except QgsProcessingException:
                raise
            except Exception as err:  # chuannan_gis errors name file, feature and field: show them as they are
                raise QgsProcessingException(self.dialog_message(planner_message(str(err), copy, label))) from err
            for line in report_lines(results):
                feedback.pushInfo(line.replace(str(copy), label))
        for text in warnings:
            feedback.pushWarning(f"警告 warning: {self.dialog_message(planner_message(text, copy, label))}")
        if self.parameterAsBoolean(parameters, self.USE_AS_CONSTRAINT_SET, context):
            core.set_constraint_set_path(output)
            if is_temporary(output):
                feedback.pushWarning(f"警告 warning: {output} 是临时文件，QGIS 退出时删除 is a temporary file, "
                                     "deleted when QGIS exits: save the GeoPackage to a folder of yours to keep it "
                                     "as the constraint set")
            feedback.pushInfo(f"约束图层集 constraint set: {output} — 审查拟建项目、筛查栅格与即点即查均使用它; "
                              "Check proposals, Screen region and click-to-check use it")
        steps.setCurrentStep(2)
        return {self.OUTPUT: output, self.LAYER: results[0].layer}

    def coverage_needed(self, template: dict) -> str:
        """The refusal of a sparse template without its coverage, in the interface language, naming
        the dialog's parameter (the library says it in English, naming --coverage)."""
        return tr("Template {template} needs “{coverage}”: in a sparse layer a place with no feature means "
                  "“none here” only where the bureau's data cover; without that area the import would remove "
                  "the bundled features everywhere else. Give the counties or cities it covers (e.g. 江安县,翠屏区 "
                  "or 宜宾市), region, or a polygon file. Nothing was written.").format(
            template=template["name"], coverage=self.parameterDefinition(self.COVERAGE).description())

    def _input_layer(self, parameters, context):
        """The vector layer behind the input (also when it comes with "selected features only"), or None."""
        value = parameters.get(self.INPUT)
        if isinstance(value, QgsProcessingFeatureSourceDefinition):
            value = value.source.staticValue()
        return self.parameterAsVectorLayer({self.INPUT: value}, self.INPUT, context)

    def _template(self, parameters, context) -> dict:
        templates = getattr(self, "templates", None) or core.templates()
        index = self.parameterAsEnum(parameters, self.TEMPLATE, context)
        if not 0 <= index < len(templates):
            raise self.no_such_choice(self.TEMPLATE, parameters.get(self.TEMPLATE))
        return templates[index]

    def _constants(self, parameters, context, label: str) -> dict:
        """--constant of the command line: data_status, date, accuracy_m, scale, and the source's name."""
        index = self.parameterAsEnum(parameters, self.DATA_STATUS, context)
        constants = {"data_status": DATA_STATUSES[index] if 0 <= index < len(DATA_STATUSES) else DATA_STATUSES[0],
                     "source": label}
        date = self.parameterAsString(parameters, self.DATE, context).strip()
        if date:
            constants["date"] = date
        if parameters.get(self.ACCURACY) not in (None, ""):
            constants["accuracy_m"] = self.parameterAsDouble(parameters, self.ACCURACY, context)
        scale = self.parameterAsString(parameters, self.SCALE, context).strip()
        if scale:
            constants["scale"] = scale
        return constants


def template_label(template: dict) -> str:
    """'redline: 生态保护红线 Ecological protection red lines' (the interface language first)."""
    titles = (template["title_zh"], template["title_en"])
    return f"{template['name']}: {' '.join(titles if language() == 'zh' else titles[::-1])}"


def template_help(template: dict) -> str:
    """One template in the help: its target layer, whether it needs a coverage, and the source fields
    it looks for (aliases, any case, also their 10-character DBF truncations) and values it maps."""
    coverage = (tr("coverage required") if template.get("coverage") == "required"
                else tr("coverage from its XZQ (行政区) layer or the counties its patches cover, or given"))
    parts = [f"<b>{escape(template_label(template))}</b> → {template['target']} ({escape(coverage)})"]
    required = tr("required")
    for name, spec in (template.get("fields") or {}).items():
        aliases = [str(a) for a in spec.get("aliases", [])]
        need = f" ({escape(required)})" if spec.get("required") else ""
        described = f": {escape(str(spec['help']))}" if spec.get("help") else ""
        parts.append(f"{escape(name)}{need} ← {escape(', '.join(aliases))}{described}")
    for name, mapping in (template.get("values") or {}).items():
        pairs = ", ".join(f"{source}→{code}" for source, code in mapping.items())
        parts.append(f"{escape(name)}: {escape(pairs)}")
    return "<br>".join(parts)


def data_status_label(code: str) -> str:
    labels = {"official": ("官方", "official"), "indicative": ("示意", "indicative")}
    zh, en = labels[code]
    return f"{zh} {en}" if language() == "zh" else f"{en} {zh}"


def describe_source(layer, source) -> tuple[str, str]:
    """(what the messages call the input, its layer name): the file name for a file-based layer
    (``红线.shp``, ``三区三线.gdb``), else the layer's name and provider; the layer of a
    multi-layer file, else the layer's name in QGIS."""
    name = source.sourceName() or "layer"
    if layer is None:
        return name, name
    provider = layer.providerType()
    parts = QgsProviderRegistry.instance().decodeUri(provider, layer.source()) if provider else {}
    path = parts.get("path") or ""
    if provider == "memory":
        return f"{layer.name()} (QGIS 内存图层 memory layer)", layer.name()
    if path:
        file = Path(path).name
        layer_name = parts.get("layerName") or Path(path).stem
        return (file if layer_name == Path(path).stem else f"{file}:{layer_name}"), layer_name
    return f"{layer.name()} ({provider})", layer.name()


def coverage_layers(layer, template: dict) -> list:
    """The layers a template reads its coverage from (dltb: the 行政区 layer XZQ) when they are in
    the same file as ``layer`` (a 三调 File Geodatabase or GeoPackage), loaded; else none."""
    names = template.get("coverage_layer_names") or ()
    if layer is None or layer.providerType() != "ogr" or not names:
        return []
    parts = QgsProviderRegistry.instance().decodeUri("ogr", layer.source())
    path = parts.get("path")
    if not path or not parts.get("layerName"):
        return []
    for name in names:
        found = QgsVectorLayer(f"{path}|layername={name}", name, "ogr")
        if found.isValid() and found.name() != parts["layerName"]:
            return [found]
    return []


def write_copy(source, path: Path, layer_name: str, context, feedback) -> int | None:
    """The features of ``source`` (the selection, when the parameter asks for it) as layer
    ``layer_name`` of GeoPackage ``path`` (added when the file exists), in the source's CRS and
    fields; their count, or None when cancelled.

    The copy's feature ids are its own (a source field named ``fid`` stays an ordinary field,
    kept as ``src_fid``), so the import's "feature #3" is the third feature written."""
    options = QgsVectorFileWriter.SaveVectorOptions()
    options.driverName = "GPKG"
    options.layerName = layer_name
    options.fileEncoding = "UTF-8"
    options.layerOptions = ["FID=chuannan_copy_fid"]
    if path.exists():
        options.actionOnExistingFile = QgsVectorFileWriter.CreateOrOverwriteLayer
    writer = QgsVectorFileWriter.create(str(path), source.fields(), source.wkbType(), source.sourceCrs(),
                                        context.transformContext(), options)
    if writer.hasError() != QgsVectorFileWriter.NoError:
        raise QgsProcessingException(f"无法写入临时副本 cannot write the temporary copy {path}: {writer.errorMessage()}")
    total = source.featureCount()
    count = 0
    try:
        request = QgsFeatureRequest()
        for feature in source.getFeatures(request):
            if feedback is not None and feedback.isCanceled():
                return None
            if not writer.addFeature(feature):
                raise QgsProcessingException(f"无法写入临时副本 cannot write the temporary copy: feature {feature.id()}: "
                                             f"{writer.errorMessage()}")
            count += 1
            if feedback is not None and total > 0:
                feedback.setProgress(100.0 * count / total)
    finally:
        del writer  # flushes and closes the file
    return count


def is_temporary(path: str) -> bool:
    """Whether ``path`` is in Processing's temporary folder (a "temporary output")."""
    folder = Path(QgsProcessingUtils.tempFolder()).resolve()
    return folder in Path(path).resolve().parents


def planner_message(message: str, copy: Path, label: str) -> str:
    """The library's message about the temporary copy, naming the input layer instead (and how to
    fix a CRS or an encoding in QGIS); the algorithm's :meth:`dialog_message` then names its parameters."""
    text = message.replace(str(copy), label).replace(copy.name, label)
    lines = [text]
    if "--crs" in text or "declare EPSG" in text:
        lines.append(CRS_HINT)
    if "--encoding" in text or "乱码" in text:
        lines.append(ENCODING_HINT)
    return "\n".join(lines)


def report_lines(results) -> list[str]:
    """What the import did, in both languages (the library's report lines follow, as the command line prints them)."""
    lines = []
    for result in results:
        counts = result.counts
        lines.append(f"== {result.layer}")
        if counts:
            read, written = counts.get("read", 0), counts.get("written", 0)
            dropped = counts.get("dropped", 0)
            left_out = read - dropped - written
            lines.append(f"读取 features read: {read}")
            lines.append(f"修复 repaired (make_valid): {counts.get('repaired', 0)}")
            lines.append(f"剔除（无面积）left out (no area): {dropped}")
            if left_out > 0:
                lines.append(f"剔除（非河流水面）left out (not river water): {left_out}")
            lines.append(f"写入 written: {written} → {result.layer}")
        coverage = result.metadata.get("coverage", "")
        lines.append(f"覆盖范围 coverage: {core.describe_coverage(coverage)}")
        lines.append(f"数据状态 data_status: {result.metadata.get('data_status', '')}")
        lines.extend(f"  {line}" for line in result.report)
    return lines
