"""Where the plugin's layers go in the layer tree, and a project rule that keeps them there.

Verdicts are what the planner came for, so they are drawn last (on top): one result group at the
top of the tree, vector results above screening rasters inside it; the constraint layers in one
group below it, refreshed in place when they are loaded again; the proposals' own input layer,
which Check proposals redraws in verdict colours, hidden.  A planner who adds layers later
(a basemap, a survey) gets them below the results: :class:`OrderKeeper` moves the result group
back to the top whenever layers are added.
"""
from __future__ import annotations

from qgis.core import QgsLayerTreeGroup, QgsLayerTreeLayer, QgsMapLayerType, QgsProject
from qgis.PyQt.QtCore import QObject, QTimer

from .i18n import tr

ROLE = "chuannan/role"  # custom property of the plugin's groups and result layers
RESULTS = "results"
CONSTRAINTS = "constraints"


def _find_group(project: QgsProject, role: str) -> QgsLayerTreeGroup | None:
    for child in project.layerTreeRoot().children():
        if isinstance(child, QgsLayerTreeGroup) and child.customProperty(ROLE) == role:
            return child
    return None


def _move(node, parent: QgsLayerTreeGroup, index: int):
    """Move a layer-tree ``node`` to position ``index`` among ``parent``'s other children.

    The copy goes in before the original comes out: a layer that leaves the tree altogether
    leaves the project too (the registry bridge)."""
    old_parent = node.parent()
    if old_parent is parent:
        current = parent.children().index(node)
        if current == index:
            return node
        if current < index:
            index += 1  # the original, still before it, comes out afterwards
    clone = node.clone()
    parent.insertChildNode(index, clone)
    if old_parent is not None:
        old_parent.removeChildNode(node)
    return clone


def result_group(project: QgsProject | None = None) -> QgsLayerTreeGroup:
    """The group of the plugin's results, at the top of the tree (made the first time)."""
    project = project or QgsProject.instance()
    group = _find_group(project, RESULTS)
    if group is None:
        group = project.layerTreeRoot().insertGroup(0, tr("Compliance results"))
        group.setCustomProperty(ROLE, RESULTS)
    keep_results_on_top(project)
    return _find_group(project, RESULTS)


def constraint_group(project: QgsProject | None = None) -> QgsLayerTreeGroup:
    """The one constraint group, emptied for a fresh load (its layers leave the project), placed
    just below the result group; made the first time."""
    project = project or QgsProject.instance()
    group = _find_group(project, CONSTRAINTS)
    if group is not None:
        project.removeMapLayers([node.layerId() for node in group.findLayers()])
        group.removeAllChildren()
        return group
    results = _find_group(project, RESULTS)
    index = project.layerTreeRoot().children().index(results) + 1 if results is not None else 0
    group = project.layerTreeRoot().insertGroup(index, tr("Chuannan constraints"))
    group.setCustomProperty(ROLE, CONSTRAINTS)
    return group


def place_result(layer, project: QgsProject | None = None, hide_sources: tuple[str, ...] = ()) -> None:
    """Put a result ``layer`` (a Result's proposals, a table, a screening raster) in the result
    group: vector layers first (drawn on top), rasters after them.  A newer check's proposals hide
    the older ones in the group (one set of verdict labels, not two), and project layers reading
    ``hide_sources`` (the proposals checked, as the planner opened them) are hidden."""
    project = project or QgsProject.instance()
    node = project.layerTreeRoot().findLayer(layer.id())
    if node is None:
        return
    layer.setCustomProperty(ROLE, RESULTS)
    group = result_group(project)
    node = project.layerTreeRoot().findLayer(layer.id())
    spatial_vectors = sum(1 for child in group.children()
                          if child is not node and _is_vector(child) and child.layer().isSpatial())
    if layer.type() == QgsMapLayerType.RasterLayer:
        index = spatial_vectors
    elif not layer.isSpatial():  # a Result's findings and not_checked tables: last
        index = len([child for child in group.children() if child is not node])
    else:
        for older in group.findLayers():
            if older is not node and _is_vector(older) and older.layer().isSpatial() \
                    and older.layer().name() == layer.name():
                older.setItemVisibilityChecked(False)
        index = 0
    _move(node, group, index)
    hide_layers_reading(project, hide_sources)


def _is_vector(node) -> bool:
    return isinstance(node, QgsLayerTreeLayer) and node.layer() is not None \
        and node.layer().type() == QgsMapLayerType.VectorLayer


def hide_layers_reading(project: QgsProject, sources: tuple[str, ...]) -> None:
    """Untick the project's layers outside the plugin's groups that read one of ``sources``."""
    wanted = {_file(source) for source in sources if source}
    if not wanted:
        return
    for node in project.layerTreeRoot().findLayers():
        layer = node.layer()
        if layer is None or layer.customProperty(ROLE) == RESULTS or _in_plugin_group(node):
            continue
        if _file(layer.source()) in wanted:
            node.setItemVisibilityChecked(False)


def _in_plugin_group(node) -> bool:
    parent = node.parent()
    while parent is not None:
        if parent.customProperty(ROLE) in (RESULTS, CONSTRAINTS):
            return True
        parent = parent.parent()
    return False


def _file(source: str) -> str:
    return str(source).split("|")[0]


def keep_results_on_top(project: QgsProject | None = None) -> None:
    """The project rule: the result group first in the tree; a layer the planner added inside it
    (not a result) moved out, just below it."""
    project = project or QgsProject.instance()
    root = project.layerTreeRoot()
    group = _find_group(project, RESULTS)
    if group is None:
        return
    if root.children().index(group) != 0:
        group = _move(group, root, 0)
    for node in list(group.children()):
        layer = node.layer() if isinstance(node, QgsLayerTreeLayer) else None
        if layer is not None and layer.customProperty(ROLE) != RESULTS:
            _move(node, root, 1)


class OrderKeeper(QObject):
    """Reapplies :func:`keep_results_on_top` after layers are added to the project (the layer tree
    gets its nodes for them after ``layersAdded``, so the rule runs once the event loop is back)."""

    def __init__(self, project: QgsProject | None = None):
        super().__init__()
        self.project = project or QgsProject.instance()
        self.project.layersAdded.connect(self._later)

    def _later(self, _layers) -> None:
        QTimer.singleShot(0, self.apply)

    def apply(self) -> None:
        keep_results_on_top(self.project)

    def stop(self) -> None:
        try:
            self.project.layersAdded.disconnect(self._later)
        except TypeError:  # already disconnected
            pass
