"""The Processing provider 川南合规 / Chuannan compliance (id ``chuannan``)."""
from __future__ import annotations

from pathlib import Path

from qgis.core import QgsProcessingProvider
from qgis.PyQt.QtGui import QIcon

from .. import core
from ..i18n import tr
from .check_proposals import CheckProposalsAlgorithm
from .export_landcoord import ExportLandCoordinatesAlgorithm
from .import_official import ImportOfficialAlgorithm
from .load_constraints import LoadConstraintsAlgorithm
from .load_proposals import LoadProposalsAlgorithm
from .print_map import PrintMapAlgorithm
from .review_documents import ReviewDocumentsAlgorithm
from .screen_region import ScreenRegionAlgorithm

ICON = Path(__file__).parent.parent / "icons" / "icon.svg"


class ChuannanProvider(QgsProcessingProvider):
    def id(self) -> str:
        return "chuannan"

    def name(self) -> str:
        return tr("Chuannan compliance")

    def longName(self) -> str:  # noqa: N802 (QGIS API)
        return tr("Chuannan compliance: South Sichuan siting screening")

    def icon(self) -> QIcon:
        return QIcon(str(ICON))

    def loadAlgorithms(self) -> None:  # noqa: N802 (QGIS API)
        for algorithm in (CheckProposalsAlgorithm(), LoadConstraintsAlgorithm(), ScreenRegionAlgorithm(),
                          ImportOfficialAlgorithm(), LoadProposalsAlgorithm(), ExportLandCoordinatesAlgorithm(),
                          ReviewDocumentsAlgorithm(), PrintMapAlgorithm()):
            self.addAlgorithm(algorithm)
        if core.webmap_available():
            from .export_webmap import ExportWebMapAlgorithm

            self.addAlgorithm(ExportWebMapAlgorithm())
