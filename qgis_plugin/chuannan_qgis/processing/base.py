"""What every chuannan algorithm shares: provider group, instance creation, dependency check."""
from __future__ import annotations

from qgis.core import QgsProcessingAlgorithm, QgsProcessingException

from .. import core


class ChuannanAlgorithm(QgsProcessingAlgorithm):
    """Base of the plugin's algorithms; subclasses set ``name()``, ``displayName()`` and the rest."""

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
