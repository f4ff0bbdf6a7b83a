"""A missing library gives a clear message with the fix, never a broken plugin load."""
from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from qgis.core import Qgis, QgsApplication, QgsProcessingException

from chuannan_qgis import deps

MISSING = "chuannan-not-installed-anywhere>=1.0"


@pytest.fixture
def missing_library(monkeypatch, tmp_path):
    requirements = tmp_path / "requirements.txt"
    requirements.write_text(deps.REQUIREMENTS_FILE.read_text("utf-8") + MISSING + "\n", "utf-8")
    monkeypatch.setattr(deps, "REQUIREMENTS_FILE", requirements)
    from chuannan_qgis import core

    monkeypatch.setattr(core, "_READY", False)  # forget that an earlier test found everything


def test_everything_is_there_in_the_test_environment():
    assert deps.missing() == []


def test_versions_are_compared(monkeypatch, tmp_path):
    requirements = tmp_path / "requirements.txt"
    requirements.write_text("shapely>=99.0\npyyaml\nnumpy==0.1\n", "utf-8")
    monkeypatch.setattr(deps, "REQUIREMENTS_FILE", requirements)
    assert deps.missing() == ["shapely>=99.0", "numpy==0.1"]


def test_missing_library_gives_the_fix_and_the_plugin_still_loads(qgis_iface, missing_library):
    import chuannan_qgis

    bar = qgis_iface.messageBar()
    bar.clearWidgets()
    plugin = chuannan_qgis.classFactory(qgis_iface)
    plugin.initGui()
    try:
        assert QgsApplication.processingRegistry().providerById("chuannan") is not None
        item = bar.currentItem()
        assert item is not None and item.level() == Qgis.Warning
        # This is Linux: the route that works with Debian's QGIS Python, not the OSGeo4W Shell.
        assert MISSING in item.text() and "--break-system-packages" in item.text()
        assert "OSGeo4W" not in item.text()
        plugin.action.setChecked(True)  # the click-to-check button explains instead of failing
        assert not plugin.action.isChecked() and plugin.click_check is None
    finally:
        plugin.unload()
        bar.clearWidgets()


def test_missing_library_stops_the_algorithm_with_the_fix(processing_env, proposals_gpkg, tmp_path, missing_library):
    with pytest.raises(QgsProcessingException, match="break-system-packages"):
        processing_env.run("chuannan:checkproposals",
                           {"INPUT": str(proposals_gpkg), "OUTPUT": str(tmp_path / "r.gpkg")})


def test_install_command_targets_the_profile_with_pins(missing_library, tmp_path):
    command = deps.pip_command(tmp_path / "deps", tmp_path / "pins.txt")
    assert command[1:5] == ["-m", "pip", "install", "--upgrade"]
    assert ["--target", str(tmp_path / "deps")] == command[5:7] and "--constraint" in command
    assert command[-1] == MISSING
    assert deps.deps_dir().parent.parent == deps.Path(QgsApplication.qgisSettingsDirPath())


def _fake_wheel(target: Path, name: str, version: str, package: str) -> None:
    """What pip leaves in --target for one distribution: its package and a .dist-info with RECORD."""
    (target / package).mkdir(parents=True)
    (target / package / "__init__.py").write_text("", "utf-8")
    info = target / f"{name}-{version}.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n", "utf-8")
    (info / "RECORD").write_text(f"{package}/__init__.py,,\n{info.name}/METADATA,,\n{info.name}/RECORD,,\n", "utf-8")


def test_install_copies_only_what_qgis_lacks_never_its_own_libraries(missing_library, tmp_path, monkeypatch):
    """pip pulls in geopandas's dependencies, among them libraries QGIS ships (numpy, pyproj,
    requests, jinja2 …) and pyarrow: after the install the profile folder holds only the new one,
    so nothing shadows QGIS's own; each shipped library is pinned to the version QGIS runs."""
    commands = []

    def fake_pip(command, **_options):
        commands.append(command)
        target = Path(command[command.index("--target") + 1])
        for name, version, package in (("numpy", "1.26.4", "numpy"), ("pyproj", "3.7.1", "pyproj"),
                                       ("Jinja2", "3.1.6", "jinja2"), ("pyarrow", "21.0.0", "pyarrow"),
                                       ("chuannan-new-lib", "1.0", "chuannan_new_lib")):
            _fake_wheel(target, name, version, package)
        return subprocess.CompletedProcess(command, 0, "", "")

    monkeypatch.setattr(deps.subprocess, "run", fake_pip)
    monkeypatch.setattr(deps.sys, "path", list(deps.sys.path))
    done = deps.install(tmp_path / "deps")
    assert done.returncode == 0 and len(commands) == 1
    pins = Path(commands[0][commands[0].index("--constraint") + 1]).read_text("utf-8").splitlines()
    have = deps.shipped(tmp_path / "deps")
    for name in ("numpy", "pyproj", "jinja2"):  # what this QGIS's Python has, at the version it runs
        assert f"{name}=={have[name]}" in pins
    assert MISSING in commands[0]
    left = sorted(p.name for p in (tmp_path / "deps").iterdir())
    assert left == ["chuannan-new-lib-1.0.dist-info", "chuannan_new_lib"]


def test_left_out_packages_are_declared_and_never_requested(monkeypatch, tmp_path):
    requirements = tmp_path / "requirements.txt"
    requirements.write_text("pyarrow>=99\n", "utf-8")
    monkeypatch.setattr(deps, "REQUIREMENTS_FILE", requirements)
    assert "pyarrow" in deps.LEFT_OUT and deps.LEFT_OUT["pyarrow"]
    assert "pyarrow>=99" not in deps.pip_command(tmp_path / "d", tmp_path / "c")
    monkeypatch.setattr(deps.subprocess, "run", lambda *a, **k: pytest.fail("pip was run"))
    assert deps.install(tmp_path / "deps") is None  # nothing else to install


def test_a_shipped_library_too_old_stops_the_install_with_a_clear_message(monkeypatch, tmp_path, qgis_iface):
    requirements = tmp_path / "requirements.txt"
    requirements.write_text(f"numpy>=99.0\n{MISSING}\n", "utf-8")
    monkeypatch.setattr(deps, "REQUIREMENTS_FILE", requirements)
    monkeypatch.setattr(deps.subprocess, "run", lambda *a, **k: pytest.fail("pip was run"))
    assert deps.too_old() == [f"numpy {deps.shipped()['numpy']} (numpy>=99.0)"]
    with pytest.raises(deps.ShippedTooOld) as raised:
        deps.install(tmp_path / "deps")
    assert not (tmp_path / "deps").exists()  # nothing installed
    import chuannan_qgis
    from qgis.gui import QgsMessageBar

    bar = QgsMessageBar()
    monkeypatch.setattr(qgis_iface, "messageBar", lambda: bar)
    plugin = chuannan_qgis.classFactory(qgis_iface)
    try:
        plugin._installed(raised.value)
        text = bar.currentItem().text()
        assert "numpy" in text and "older" in text and "nothing was installed" in text
    finally:
        bar.clearWidgets()


def test_compiled_libraries_load_with_their_own_geos_gdal_proj():
    import sys

    deps.import_native()
    assert all(name in sys.modules for name in deps.NATIVE_MODULES)


@pytest.mark.parametrize("system, expected, absent", [
    ("windows", ["OSGeo4W Shell", "python -m pip install"], ["/usr/bin/python3", "break-system"]),
    ("linux", ["/usr/bin/python3 -m pip install --user --break-system-packages", '"numpy<2"',
               "Install dependencies"], ["OSGeo4W"]),
    ("macos", ["QGIS.app/Contents/MacOS/bin/python3 -m pip install", "Terminal"], ["OSGeo4W", "break-system"]),
])
def test_the_message_gives_the_route_of_each_platform(missing_library, system, expected, absent):
    from chuannan_qgis.core import missing_message

    text = missing_message(deps.missing(), system)
    assert MISSING in text
    assert all(part in text for part in expected), text
    assert not any(part in text for part in absent), text


def test_a_second_install_click_runs_no_pip(monkeypatch, tmp_path):
    """Nothing missing: no pip run (it would fail with "You must give at least one requirement")."""
    monkeypatch.setattr(deps.subprocess, "run", lambda *a, **k: pytest.fail("pip was run"))
    assert deps.install(tmp_path / "deps") is None


def test_success_notice_stays_and_replaces_the_stale_warnings(qgis_iface, missing_library, monkeypatch):
    import chuannan_qgis
    from qgis.gui import QgsMessageBar

    bar = QgsMessageBar()  # a real bar: pytest-qgis's mock only records pushMessage texts
    monkeypatch.setattr(qgis_iface, "messageBar", lambda: bar)
    plugin = chuannan_qgis.classFactory(qgis_iface)
    plugin.initGui()
    try:
        assert bar.currentItem().level() == Qgis.Warning
        monkeypatch.setattr(deps, "missing", lambda: [])  # as after a successful pip run
        plugin._installed(None, subprocess.CompletedProcess([], 0, "", ""))
        item = bar.currentItem()
        assert item.level() == Qgis.Success and item.duration() == 0  # stays until closed
        assert len(bar.items()) == 1  # the "missing libraries" warning is gone
        plugin._installed(None, None)  # a second click: nothing to install, no red error
        assert all(i.level() == Qgis.Success for i in bar.items())
    finally:
        plugin.unload()
        bar.clearWidgets()
