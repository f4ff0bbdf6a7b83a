"""What every chuannan algorithm shares: provider group, instance creation, dependency check."""
from __future__ import annotations

import re
from pathlib import Path

from qgis.core import (
    QgsProcessingAlgorithm,
    QgsProcessingException,
    QgsProcessingLayerPostProcessorInterface,
    QgsProcessingParameterFile,
)
from qgis.PyQt.QtCore import QUrl

from .. import core, threads
from ..i18n import tr

PLUGIN_DIR = Path(__file__).resolve().parents[1]
# The zip carries the docs in help/ (build.py); a checkout has them two folders up.
HELP_PAGES = (PLUGIN_DIR / "help" / "qgis.md", PLUGIN_DIR.parents[1] / "docs" / "qgis.md")
# Words a planner searches the toolbox for, in both languages.
TAGS = ("川南", "合规", "选址", "园区", "港口", "码头", "岸线", "红线", "生态保护红线", "自然保护区",
        "水源地", "长江", "compliance", "siting", "industrial park", "port", "shoreline", "red line",
        "Sichuan", "chuannan")


class ChuannanAlgorithm(QgsProcessingAlgorithm):
    """Base of the plugin's algorithms; subclasses set ``name()``, ``displayName()`` and the rest."""

    RULES = "RULES"
    CONSTRAINTS = "CONSTRAINTS"
    # The library's messages are written for the command line: its options → this dialog's parameters.
    CLI_OPTIONS = {"--rules": RULES, "--layers": CONSTRAINTS}

    def dialog_message(self, text: str) -> str:
        """``text`` naming the parameters as this dialog shows them (in the interface language),
        “Coverage (counties or cities)”, where the library names a command-line option (--coverage)."""
        for option in sorted(self.CLI_OPTIONS, key=len, reverse=True):  # --constant scale before --constant
            definition = self.parameterDefinition(self.CLI_OPTIONS[option])
            if definition is not None:
                text = re.sub(re.escape(option) + r"(?![\w-])", f"“{definition.description()}”", text)
        return text

    def planner_error(self, err: Exception) -> QgsProcessingException:
        """The refusal a planner reads: the library's message (it names file, feature and field) in
        this dialog's terms."""
        return QgsProcessingException(self.dialog_message(str(err)))

    def no_such_choice(self, key: str, value) -> QgsProcessingException:
        definition = self.parameterDefinition(key)
        return QgsProcessingException(tr("No such choice for {parameter}: {value}").format(
            parameter=f"“{definition.description()}”" if definition else key, value=value))

    def add(self, parameter, help_text: str):
        """Add ``parameter`` with the help the dialog shows as its tooltip (and ``qgis_process help``)."""
        parameter.setHelp(help_text)
        self.addParameter(parameter)
        return parameter

    def add_rules_parameter(self) -> None:
        """The optional custom rule catalog, as ``--rules`` on the command line (YAML: the only
        format ``chuannan_gis.rules`` reads)."""
        self.add(QgsProcessingParameterFile(
            self.RULES, tr("Custom rules file"), optional=True,
            fileFilter=tr("Rule catalog (*.yaml *.yml)")),
            tr("A rule catalog in YAML, replacing the bundled one (as --rules on the command line). "
               "Leave empty to use the bundled rules."))

    def add_constraints_parameter(self, shared: bool = True) -> None:
        """The optional planner's constraint GeoPackage, as ``--layers`` on the command line.

        ``shared``: the parameter is the plugin's one constraint-set setting
        (:func:`core.constraint_set_path`): its default is the setting, and a set given here
        becomes the setting, so click-to-check and the other algorithms use it too."""
        self.add(QgsProcessingParameterFile(
            self.CONSTRAINTS, tr("Constraint layers GeoPackage (adds to / replaces the bundled ones)"),
            optional=True, fileFilter=tr("GeoPackage (*.gpkg)"),
            defaultValue=(core.constraint_set_path() or None) if shared else None),
            tr("A GeoPackage whose layers, named as the bundled ones (eco_redlines, water, ports …), "
               "replace them or add to them, e.g. official data (as --layers on the command line). "
               "It becomes the plugin's constraint set, which click-to-check uses too; empty: the "
               "plugin's constraint set (menu Chuannan compliance › Constraint set…)."))

    def constraints_path(self, parameters, context) -> str | None:
        """The constraint set to use: the one given (saved as the plugin's setting), else the setting."""
        given = self.optional_file(parameters, self.CONSTRAINTS, context)
        if given:
            core.set_constraint_set_path(given)
        return core.constraint_set_path()

    def tags(self):
        return [*TAGS, *super().tags()]

    def helpUrl(self) -> str:  # noqa: N802 (QGIS API)
        for page in HELP_PAGES:
            if page.exists():
                return QUrl.fromLocalFile(str(page)).toString()
        return ""

    def optional_file(self, parameters, key, context) -> str | None:
        """A file parameter's path, or None when left empty."""
        return self.parameterAsFile(parameters, key, context) or None

    def createInstance(self):  # noqa: N802 (QGIS API)
        return type(self)()

    def group(self) -> str:
        return ""

    def groupId(self) -> str:  # noqa: N802 (QGIS API)
        return ""

    def queue(self, feedback) -> None:
        """Name this run for the library lock, and when another job holds it (a background Screen
        region), say that this one waits for it: the log, the task manager and the message bar."""
        threads.set_job(self.displayName())
        if feedback is None or not threads.busy():
            return
        message = tr("Waiting for “{job}” to finish; this run starts by itself then.").format(
            job=threads.holder() or tr("another run"))
        threads.announce_wait(self.displayName(), message, feedback)

    @staticmethod
    def require() -> None:
        """Stop with the planner-facing install instructions when libraries are missing."""
        try:
            core.require()
        except core.MissingDependencies as err:
            raise QgsProcessingException(str(err)) from err


class LayerStyler(QgsProcessingLayerPostProcessorInterface):
    """Applies ``style(layer)`` once Processing has loaded an output layer into the project.

    The context deletes each styler it was given, so every layer gets its own; QGIS calls them
    after ``processAlgorithm`` has returned and its algorithm copy is gone, so the Python objects
    are kept alive here.
    """

    _alive: list = []

    def __init__(self, style):
        super().__init__()
        self.style = style

    @classmethod
    def create(cls, style) -> "LayerStyler":
        styler = cls(style)
        cls._alive.append(styler)
        return styler

    def postProcessLayer(self, layer, context, feedback):  # noqa: N802 (QGIS API)
        self.style(layer)
