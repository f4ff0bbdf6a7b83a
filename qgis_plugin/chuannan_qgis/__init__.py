"""川南合规 Chuannan compliance: the chuannan-gis screening inside QGIS.

QGIS imports this module at start-up, so it imports nothing heavy: the plugin class, the
Processing provider and chuannan_gis itself are imported only when QGIS asks for them.
"""


def classFactory(iface):  # noqa: N802, QGS105 (QGIS API)
    from .plugin import ChuannanPlugin

    return ChuannanPlugin(iface)
