#!/usr/bin/env bash
# Install chuannan-gis into a virtual environment (.venv/, or $CHUANNAN_VENV) and run the demo
# check on the bundled layers: results, report, web map and the review documents → demo-output/.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/venv.sh
python -m pip install -q -e .
# The PDF and the documents' figures draw Chinese with a CJK font, which a fresh Debian lacks
# (Pango, which WeasyPrint needs, is there): installed like python3-venv above (root or sudo).
if ! dpkg-query -W -f='${Status}' fonts-wqy-microhei 2>/dev/null | grep -q "install ok installed"; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  echo "no CJK font for the PDF: installing Debian's fonts-wqy-microhei ($SUDO apt-get)"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -q
  $SUDO apt-get install -y -q --no-install-recommends fonts-wqy-microhei libpango-1.0-0 libpangoft2-1.0-0
fi
mkdir -p demo-output
chuannan-gis check examples/proposals.gpkg -o demo-output/result.gpkg \
  --report demo-output/report.html --report demo-output/审查意见.xlsx --report demo-output/审查意见.docx \
  --report demo-output/审查意见.pdf --map demo-output/map.html
echo "Installed into $VENV (use it with: source $VENV/bin/activate)."
echo "Open demo-output/report.html and demo-output/map.html in a browser;"
echo "demo-output/审查意见.xlsx/.docx/.pdf are the documents a planner files."
