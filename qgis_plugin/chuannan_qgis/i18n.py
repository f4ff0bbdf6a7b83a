"""Interface language: Chinese or English, following the QGIS locale.

Sources are Qt ``.ts`` files in ``i18n/``; the build compiles them to ``.qm`` (``build.py``).
``tr`` uses the ``@default`` context because that is where ``pylupdate5`` files calls of a
plain function named ``tr``.
"""
from __future__ import annotations

from pathlib import Path

from qgis.core import QgsApplication
from qgis.PyQt.QtCore import QCoreApplication, QTranslator

I18N_DIR = Path(__file__).parent / "i18n"
CONTEXT = "@default"


def tr(message: str) -> str:
    """``message`` in the interface language."""
    return QCoreApplication.translate(CONTEXT, message)


def language() -> str:
    """Two-letter code of the QGIS interface language (``zh``, ``en``, ...)."""
    return (QgsApplication.locale() or "en")[:2].lower()


def install_translator() -> QTranslator | None:
    """Install the compiled translation for the QGIS locale, if there is one; keep the returned
    translator alive while the plugin is loaded and hand it to :func:`remove_translator`."""
    qm = I18N_DIR / f"chuannan_qgis_{language()}.qm"
    translator = QTranslator()
    if not qm.exists() or not translator.load(str(qm)):
        return None
    QCoreApplication.installTranslator(translator)
    return translator


def remove_translator(translator: QTranslator | None) -> None:
    if translator is not None:
        QCoreApplication.removeTranslator(translator)
