"""chuannan-gis as an OGC API – Processes service (``chuannan-gis serve``).

pygeoapi, the OSGeo reference implementation, answers the standard's routes (``/processes``,
``/processes/check/execution``, ``/jobs`` …); this package gives it the ``check`` process
(:mod:`.process`), a job store safe for several workers (:mod:`.jobs`), the jobs' documents
(:mod:`.documents`), and the gate and pages around them (:mod:`.app`).  Needs the ``server`` extra:
``pip install "chuannan-gis[server]"``.  See docs/service.md.
"""

from __future__ import annotations

from .settings import ServiceSettings


def create_app(settings: ServiceSettings):
    """The WSGI application serving ``settings`` (see :func:`chuannan_gis.service.app.create_app`)."""
    from .app import create_app as _create

    return _create(settings)


__all__ = ["ServiceSettings", "create_app"]
