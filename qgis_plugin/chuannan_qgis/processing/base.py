"""What every chuannan algorithm shares: provider group, instance creation, dependency check."""
from __future__ import annotations

from qgis.core import QgsProcessingAlgorithm, QgsProcessingException, QgsProcessingParameterFile

from .. import core
from ..i18n import tr


class ChuannanAlgorithm(QgsProcessingAlgorithm):
    """Base of the plugin's algorithms; subclasses set ``name()``, ``displayName()`` and the rest."""

    RULES = "RULES"
    CONSTRAINTS = "CONSTRAINTS"

    def add_rules_parameter(self) -> None:
        """The optional custom rule catalog, as ``--rules`` on the command line."""
        self.addParameter(QgsProcessingParameterFile(
            self.RULES, tr("Custom rules file"), optional=True,
            fileFilter=tr("Rule catalog (*.yaml *.yml *.toml)")))

    def add_constraints_parameter(self) -> None:
        """The optional planner's constraint GeoPackage, as ``--layers`` on the command line."""
        self.addParameter(QgsProcessingParameterFile(
            self.CONSTRAINTS, tr("Constraint layers GeoPackage (adds to / replaces the bundled ones)"),
            optional=True, fileFilter=tr("GeoPackage (*.gpkg)")))

    def optional_file(self, parameters, key, context) -> str | None:
        """A file parameter's path, or None when left empty."""
        return self.parameterAsFile(parameters, key, context) or None

    def createInstance(self):  # noqa: N802 (QGIS API)
        return type(self)()

    def group(self) -> str:
        return ""

    def groupId(self) -> str:  # noqa: N802 (QGIS API)
        return ""

    @staticmethod
    def require() -> None:
        """Stop with the planner-facing install instructions when libraries are missing."""
        try:
            core.require()
        except core.MissingDependencies as err:
            raise QgsProcessingException(str(err)) from err
