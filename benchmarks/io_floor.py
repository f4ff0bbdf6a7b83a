"""The I/O floor of a file-to-file check: read the GeoPackage, reproject it to the measuring CRS and
back, write it.  Nothing is checked; no command that reads and writes the same file can beat it.
It reads and writes through Arrow, the fastest way pyogrio has (the check's and the naive script's
way too): a floor slower than that would flatter what is measured against it.

    python benchmarks/io_floor.py parcels.gpkg copy.gpkg

Run as a command of its own, like the check it is the floor of, so both pay the interpreter's
start-up and the imports of geopandas / pyogrio (it does not import chuannan_gis: loading the
constraint set is part of checking).
"""

import sys

import pyogrio

# chuannan_gis.crs.MEASURE_CRS (CGCS2000 / 3-degree Gauss-Krüger CM 105°E); a test checks they agree.
MEASURE_CRS = "EPSG:4544"


def copy(source, target) -> None:
    frame = pyogrio.read_dataframe(source, use_arrow=True)
    back = frame.to_crs(MEASURE_CRS).to_crs(frame.crs)
    pyogrio.write_dataframe(back, target, layer="proposals", driver="GPKG", use_arrow=True)


if __name__ == "__main__":
    copy(*sys.argv[1:3])
