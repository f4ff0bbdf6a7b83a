"""``python -m chuannan_gis.cli``, without the installed entry point."""

from .main import main

main()
