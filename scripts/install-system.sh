#!/usr/bin/env bash
# Debian packages the project needs beyond Python: GMT with the full GSHHG/WDBII data (the layer
# build), Chromium (web-map tests) and QGIS 3.22 with its Python bindings (plugin tests); Pango and a
# CJK font for the PDF documents (WeasyPrint), poppler-utils to read them back in the tests.
# Idempotent: installs only what is missing. Needs root (or sudo) on Debian 12.
set -euo pipefail
packages=(gmt gmt-gshhg-full chromium chromium-driver qgis python3-qgis qgis-providers python3-venv
          xvfb qttools5-dev-tools pyqt5-dev-tools fonts-wqy-microhei libpango-1.0-0 libpangoft2-1.0-0
          poppler-utils)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -q
  $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
