"""The service for a production WSGI server, configured as ``chuannan-gis serve`` is.

    CHUANNAN_SERVE_ARGS="--jobs-dir /srv/chuannan/jobs --layers bureau=/srv/chuannan/bureau.gpkg" \\
        gunicorn --workers 4 --bind 127.0.0.1:5000 --timeout 600 "chuannan_gis.service.wsgi:app"

``CHUANNAN_SERVE_ARGS`` holds the options of ``chuannan-gis serve`` (parsed by that command, so
both take the same options); ``--host``/``--port`` there only build the links the service hands
out when no ``CHUANNAN_SERVICE_URL`` is set — the WSGI server binds where it is told.
"""

from __future__ import annotations

import functools
import os
import shlex

ARGS_ENV = "CHUANNAN_SERVE_ARGS"


def __getattr__(name: str):
    # made on first access (gunicorn's getattr), not on import: importing the module (a doctest
    # run, a linter) starts no service
    if name == "app":
        return _app()
    raise AttributeError(name)


@functools.cache
def _app():
    from ..cli.serve import serve, settings_from_options
    from .app import create_app

    context = serve.make_context("serve", shlex.split(os.environ.get(ARGS_ENV, "")))
    return create_app(settings_from_options(**context.params))
