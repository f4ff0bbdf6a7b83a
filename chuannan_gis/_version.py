"""The package version, in a module of its own so that any module can record it without
importing the package face (``chuannan_gis/__init__.py``)."""

__version__ = "0.1.0"
