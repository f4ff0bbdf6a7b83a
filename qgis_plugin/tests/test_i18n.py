"""Chinese and English interface strings, following the QGIS locale; the .ts source is complete."""
from __future__ import annotations

import shutil
import subprocess

import pytest
from qgis.core import QgsApplication, QgsSettings

import build


@pytest.fixture
def locale(qgis_iface):
    """Set the QGIS interface locale, as Settings → Options → General does; restored afterwards."""
    settings = QgsSettings()
    saved = {key: settings.value(key) for key in ("locale/overrideFlag", "locale/userLocale")}

    def set_locale(code: str):
        build.compile_translations()
        settings.setValue("locale/overrideFlag", True)
        settings.setValue("locale/userLocale", code)

    yield set_locale
    for key, value in saved.items():
        settings.remove(key) if value is None else settings.setValue(key, value)


@pytest.mark.parametrize("code, check, screen, imported, provider, button", [
    ("zh_CN", "审查拟建项目", "筛查栅格", "导入官方图层", "川南合规", "即点即查"),
    ("en_US", "Check proposals", "Screen region", "Import official layers", "Chuannan compliance", "Click to check"),
])
def test_interface_follows_the_qgis_locale(locale, qgis_iface, bundled_constraints, code, check, screen, imported,
                                           provider, button):
    import chuannan_qgis

    locale(code)
    plugin = chuannan_qgis.classFactory(qgis_iface)
    plugin.initGui()
    try:
        registry = QgsApplication.processingRegistry()
        assert registry.algorithmById("chuannan:checkproposals").displayName() == check
        assert registry.algorithmById("chuannan:screenregion").displayName() == screen
        assert registry.algorithmById("chuannan:importofficial").displayName() == imported
        assert registry.providerById("chuannan").name() == provider
        assert plugin.action.text() == button
    finally:
        plugin.unload()


def test_every_interface_string_is_translated(tmp_path):
    """pylupdate5 over the code finds no string without a Chinese translation."""
    if shutil.which("pylupdate5") is None:
        pytest.skip("pylupdate5 is not installed (apt-get install pyqt5-dev-tools)")
    copy = tmp_path / "i18n" / "check_zh.ts"
    copy.parent.mkdir()
    shutil.copy(build.I18N / "chuannan_qgis_zh.ts", copy)
    sources = [str(p) for p in build.PLUGIN.rglob("*.py") if "__pycache__" not in p.parts]
    subprocess.run(["pylupdate5", "-noobsolete", *sources, "-ts", str(copy)], check=True, capture_output=True)
    text = copy.read_text("utf-8")
    assert text.count("<source>") >= 40
    assert 'type="unfinished"' not in text


def test_click_panel_labels_are_in_the_interface_language(locale, qgis_iface):
    """The click panel's own words (not only the library's bilingual ones) follow the locale: the
    certainty label was once built inside an f-string, which pylupdate5 cannot see, so it stayed English."""
    import chuannan_qgis
    from chuannan_qgis.clickcheck import result_html

    from tests.test_certainty import checked

    result = checked()
    within = type(result)(result.proposals.iloc[[1]], result.findings[result.findings["proposal_id"] == 1],
                          result.not_checked, result.run_info)
    for code, label in (("zh_CN", "<p>确定性: "), ("en_US", "<p>Certainty: ")):
        locale(code)
        plugin = chuannan_qgis.classFactory(qgis_iface)
        plugin.initGui()
        try:
            assert label in result_html(within), code
        finally:
            plugin.unload()
