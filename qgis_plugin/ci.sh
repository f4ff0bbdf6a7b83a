#!/usr/bin/env bash
# The QGIS plugin's CI, from a clean Debian 12 machine: install QGIS 3.22 and the Qt translation
# tools, make a venv beside Debian's Python, build the plugin zip (the documented command), and run
# the plugin's tests in a real headless QGIS.  Idempotent; stops at the first failure.
#
#   bash qgis_plugin/ci.sh            # extra arguments go to pytest, e.g. -k processing
#
# QGIS_VENV (default /tmp/qgis-venv) is the venv; CI defaults to true, so a missing QGIS fails.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(dirname "$HERE")"
VENV="${QGIS_VENV:-/tmp/qgis-venv}"
APT_PACKAGES=(qgis python3-qgis qgis-providers python3-venv qttools5-dev-tools pyqt5-dev-tools xvfb python3-pil)
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"

step() { printf '\n== %s\n' "$*"; }

step "Debian packages: ${APT_PACKAGES[*]}"
missing=()
for package in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ "${#missing[@]}" -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -q
  $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
# Debian's qgis_process wrapper passes an option that the 3.22 binary rejects.
if ! grep -qx "QGIS_OPTS=''" /etc/default/qgis; then
  $SUDO sed -i "s/^QGIS_OPTS=.*/QGIS_OPTS=''/" /etc/default/qgis
fi

step "venv $VENV (Debian's /usr/bin/python3, so QGIS's Python sees the same wheels)"
[ -x "$VENV/bin/python" ] || /usr/bin/python3 -m venv --system-site-packages "$VENV"
"$VENV/bin/python" -m pip install -q -c "$HERE/constraints.txt" "numpy<2" "attrs>=23.1" pytest pytest-qgis \
  flake8 flake8-qgis -e "$REPO"

step "lint: flake8 with flake8-qgis"
(cd "$HERE" && "$VENV/bin/python" -m flake8)

step "build the plugin zip: python qgis_plugin/build.py"
"$VENV/bin/python" "$HERE/build.py"

# tests/test_screenshots.py starts the QGIS desktop under xvfb-run (a real X display, not the
# offscreen platform below) and rewrites docs/img/qgis*.png; python3-pil keeps them small.
step "plugin tests in headless QGIS (and the docs' screenshots from QGIS under Xvfb)"
export CI="${CI:-true}" QT_QPA_PLATFORM=offscreen
export XDG_RUNTIME_DIR="${XDG_RUNTIME_DIR:-/tmp/runtime-ci}"
mkdir -p -m 700 "$XDG_RUNTIME_DIR"
rm -rf "$HERE/.qgis-settings"  # pytest-qgis keeps the QGIS profile there: start each run afresh
cd "$REPO"
"$VENV/bin/python" -m pytest qgis_plugin/tests -W ignore::DeprecationWarning "$@"
