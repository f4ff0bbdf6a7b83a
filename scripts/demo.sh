#!/usr/bin/env bash
# Install chuannan-gis into a virtual environment (.venv/, or $CHUANNAN_VENV) and run the demo
# check on the bundled layers: results, report, web map and the review documents → demo-output/.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/venv.sh
python -m pip install -q -e .
mkdir -p demo-output
chuannan-gis check examples/proposals.gpkg -o demo-output/result.gpkg \
  --report demo-output/report.html --report demo-output/审查意见.xlsx --report demo-output/审查意见.docx \
  --report demo-output/审查意见.pdf --map demo-output/map.html
echo "Installed into $VENV (use it with: source $VENV/bin/activate)."
echo "Open demo-output/report.html and demo-output/map.html in a browser;"
echo "demo-output/审查意见.xlsx/.docx/.pdf are the documents a planner files."
