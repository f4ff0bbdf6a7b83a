/* chuannan-gis web map runtime: draws the layers, popups and legend the Python side describes.
 *
 * Every string that comes from data is put into the page with textContent, never innerHTML, so
 * a proposal named like an image tag with an onerror handler shows as text and runs nothing.
 * All the words shown come from the Python side (bilingual); this file holds none.
 */
var chuannanWebmap = (function () {
  "use strict";

  var api = { map: null, layers: {} };

  function node(tag, className, text) {
    var element = document.createElement(tag);
    if (className) { element.className = className; }
    if (text !== undefined && text !== null) { element.textContent = String(text); }
    return element;
  }

  function bilingual(pair) { return pair[0] + " / " + pair[1]; }

  /* Append a text element unless the text is empty. */
  function addText(parent, tag, className, text) {
    if (text !== undefined && text !== null && text !== "") { parent.appendChild(node(tag, className, text)); }
  }

  function swatch(style) {
    var box = node("span", "cn-swatch");
    box.style.borderColor = style.color;
    if (style.dashArray) { box.style.borderStyle = "dashed"; }
    if (style.fill) {
      var fill = box.appendChild(node("span", "cn-swatch-fill"));
      fill.style.background = style.fillColor;
      fill.style.opacity = style.fillOpacity === undefined ? 1 : style.fillOpacity;
    }
    return box;
  }

  function verdictSwatchStyle(verdict) { return { color: "#333", fill: true, fillColor: verdict.colour }; }

  /* A verdict within the data's accuracy: the same colour, lighter, with a dashed outline in the
   * verdict's text colour (verdicts.WITHIN_ACCURACY_LOOK), on the map and in the legend alike. */
  function withinSwatchStyle(verdict, within) {
    return { color: verdict.textColour, fill: true, fillColor: verdict.colour, fillOpacity: within.fillOpacity,
             dashArray: within.dashArray };
  }

  /* The verdict's words with its certainty's qualifier, e.g. 禁止（数据精度内，须核实）. */
  function verdictLabel(verdict, certainty) {
    var pair = verdict.labels[certainty || ""] || [verdict.zh, verdict.en];
    return pair[0] + " / " + pair[1];
  }

  function verdictSwatch(verdict) { return swatch(verdictSwatchStyle(verdict)); }

  /* A 天地图 key given in the address as #tk=KEY: the fragment never leaves the browser. */
  function keyFromAddress() {
    var match = /(?:^|[#&])tk=([0-9A-Za-z]+)/.exec(window.location.hash);
    return match ? match[1] : null;
  }

  function note(map, text, position) {
    var control = L.control({ position: position });
    control.onAdd = function () { return node("div", "cn-note leaflet-bar", text); };
    control.addTo(map);
  }

  /* The offline basemap: the constraint set's counties, water and rivers, and the county names,
   * in a pane of their own under the overlays; nothing in it takes a click. */
  function vectorBasemap(map, spec) {
    var pane = map.createPane(spec.pane);
    pane.style.zIndex = spec.zIndex;
    pane.style.pointerEvents = "none";
    var layers = {};
    spec.layers.forEach(function (entry) {
      layers[entry.id] = L.geoJSON(entry.data, { pane: spec.pane, interactive: false,
                                                style: function () { return entry.style; } }).addTo(map);
    });
    var names = map.createPane(spec.pane + "Names");
    names.style.zIndex = spec.zIndex + 140;  // above the basemap and translucent fills, under the proposals (400+)
    names.style.pointerEvents = "none";
    spec.names.forEach(function (place) {
      var label = node("span", "cn-place", place.zh);
      label.title = place.en;
      label.style.color = spec.labelColour;
      L.marker([place.lat, place.lon], { pane: spec.pane + "Names", interactive: false, keyboard: false,
        icon: L.divIcon({ className: "cn-place-icon", html: label, iconSize: null }) }).addTo(map);
    });
    api.basemap = layers;
  }

  /* The basemap: drawn offline from the constraint set, tile layers, or a plain background when
   * there are none (or no key). */
  function init(map, spec) {
    api.map = map;
    if (spec.vector) {
      vectorBasemap(map, spec.vector);
      if (map.attributionControl) { map.attributionControl.addAttribution(spec.attribution); }
    }
    var key = spec.needsKey ? (spec.key || keyFromAddress()) : null;
    if (spec.needsKey && !key) {
      note(map, bilingual(spec.keyMissing), "bottomleft");
      return;
    }
    spec.tiles.forEach(function (tiles) {
      L.tileLayer(tiles.url, {
        subdomains: tiles.subdomains || "abc", maxZoom: spec.maxZoom, tk: key,
        attribution: spec.attribution
      }).addTo(map);
    });
  }

  function factRows(table, fields, values) {
    fields.forEach(function (field) {
      var value = values[field[0]];
      if (value === undefined || value === null || value === "") { return; }
      var row = table.insertRow();
      row.appendChild(node("th", null, field[1] + " " + field[2]));
      row.appendChild(node("td", null, value));
    });
  }

  function constraintPopup(properties, spec) {
    var box = node("div", "cn-popup");
    box.appendChild(node("h4", null, bilingual(spec.title)));
    var shown = Object.assign({}, properties);
    var category = spec.colourBy && spec.categories[properties[spec.colourBy]];
    if (category) { shown[spec.colourBy] = bilingual(category.title); }  // e.g. 岸线保护区 for "protection"
    factRows(box.appendChild(node("table", "cn-facts")), spec.fields, shown);
    return box;
  }

  function findingItem(finding, spec) {
    var item = node("li", "cn-finding");
    var verdict = spec.verdicts[finding.verdict] || spec.verdicts.unknown;
    var head = item.appendChild(node("div", "cn-finding-head"));
    head.appendChild(verdictSwatch(verdict));
    head.appendChild(node("b", null, verdictLabel(verdict, finding.certainty))).style.color = verdict.textColour;
    head.appendChild(node("code", null, finding.rule_id));
    if (finding.title_zh) { item.appendChild(node("div", "cn-rule", finding.title_zh + " / " + finding.title_en)); }
    addText(item, "div", "cn-zh", finding.message_zh);
    addText(item, "div", "cn-en", finding.message_en);
    var measured = [];
    if (finding.measured !== null && finding.measured !== undefined) {
      measured.push(bilingual(spec.labels.measured) + ": " + finding.measured + " " + (finding.unit || ""));
    }
    if (finding.threshold !== null && finding.threshold !== undefined) {
      measured.push(bilingual(spec.labels.threshold) + ": " + finding.threshold + " " + (finding.unit || ""));
    }
    if (measured.length) { item.appendChild(node("div", "cn-measured", measured.join("; "))); }
    if (finding.citation) {
      item.appendChild(node("div", "cn-citation", bilingual(spec.labels.citation) + ": " + finding.citation));
    }
    var certainty = spec.certainties[finding.certainty];
    if (certainty) {
      item.appendChild(node("div", "cn-certainty", bilingual(spec.labels.certainty) + ": " + bilingual(certainty)))
        .setAttribute("data-certainty", finding.certainty);
    }
    if (finding.near) { item.appendChild(node("div", "cn-indicative", bilingual(spec.labels.near))); }
    if (finding.data_status === "indicative") {
      item.appendChild(node("div", "cn-indicative", bilingual(spec.labels.indicativeData)));
    }
    return item;
  }

  function proposalPopup(properties, spec) {
    var verdict = spec.verdicts[properties.verdict] || spec.verdicts.unknown;
    var box = node("div", "cn-popup cn-proposal");
    box.appendChild(node("h4", "cn-name", properties.name));
    var line = box.appendChild(node("p", "cn-verdict"));
    line.setAttribute("data-verdict", properties.verdict);
    line.setAttribute("data-certainty", properties.certainty || "");
    line.appendChild(swatch(properties.certainty === "within_accuracy" ? withinSwatchStyle(verdict, spec.withinStyle)
                                                                       : verdictSwatchStyle(verdict)));
    line.appendChild(node("span", null, verdictLabel(verdict, properties.certainty))).style.color = verdict.textColour;
    factRows(box.appendChild(node("table", "cn-facts")), spec.facts, properties);
    addText(box, "p", "cn-zh", properties.summary_zh);
    addText(box, "p", "cn-en", properties.summary_en);
    if (properties.indicative) { box.appendChild(node("p", "cn-indicative", bilingual(spec.labels.indicativeResult))); }
    // a clear verdict resting on indicative layers names them (所依据的示意图层)
    addText(box, "p", "cn-zh cn-checked-here", properties.checked_here_zh);
    addText(box, "p", "cn-en cn-checked-here", properties.checked_here_en);
    if (properties.findings.length) {
      box.appendChild(node("h5", null, bilingual(spec.labels.findings)));
      var list = box.appendChild(node("ol", "cn-findings"));
      properties.findings.forEach(function (finding) { list.appendChild(findingItem(finding, spec)); });
    }
    box.appendChild(node("p", "cn-notice", bilingual(spec.labels.notice)));
    return box;
  }

  function featureStyle(spec, properties) {
    var style = Object.assign({}, spec.style);
    if (spec.kind === "proposals") {
      var verdict = spec.verdicts[properties.verdict] || spec.verdicts.unknown;
      style.fillColor = verdict.colour;
      if (properties.certainty === "within_accuracy") {
        Object.assign(style, spec.withinStyle, { color: verdict.textColour });
      }
    } else if (spec.colourBy && spec.categories[properties[spec.colourBy]]) {
      Object.assign(style, spec.categories[properties[spec.colourBy]].style);
    }
    return style;
  }

  /* A row of the proposals' table as a record: text fields are indices into the string table. */
  function decode(row, fields, table) {
    var record = {};
    fields.forEach(function (field, i) {
      var value = row[i];
      record[field] = (table.codedSet[field] && value !== null) ? table.strings[value] : value;
    });
    return record;
  }

  function proposalRecord(feature, table) {
    if (!feature.record) {
      var row = feature.properties.row;
      feature.record = decode(row, table.fields, table);
      feature.record.findings = row[row.length - 1].map(function (r) { return decode(r, table.findingFields, table); });
    }
    return feature.record;
  }

  /* One overlay: a constraint layer, a shoreline band or the proposals. */
  function dataLayer(spec) {
    var popup = spec.kind === "proposals" ? proposalPopup : constraintPopup;
    var record = function (feature) { return feature.properties; };
    if (spec.kind === "proposals") {
      spec.table.codedSet = {};
      spec.table.coded.forEach(function (field) { spec.table.codedSet[field] = true; });
      record = function (feature) { return proposalRecord(feature, spec.table); };
    }
    var layer = L.geoJSON(spec.data, {
      style: function (feature) { return featureStyle(spec, record(feature)); },
      pointToLayer: function (feature, latlng) {
        return L.circleMarker(latlng, Object.assign({ radius: spec.pointRadius }, featureStyle(spec, record(feature))));
      },
      onEachFeature: function (feature, featureLayer) {
        // Built when opened: 10,000 proposals cost nothing until someone clicks one.
        featureLayer.bindPopup(function () { return popup(record(feature), spec); }, { maxWidth: 420, maxHeight: 420 });
      }
    });
    layer.record = function (featureLayer) { return record(featureLayer.feature); };
    api.layers[spec.id] = layer;
    if (spec.kind === "proposals" && spec.markerZoom) { centreMarkers(layer, spec, record, popup); }
    return layer;
  }

  /* A polygon proposal is a few pixels at region zooms: a marker in its verdict colour at its
   * centre, shown below spec.markerZoom and with the proposals layer, says its verdict. */
  function centreMarkers(layer, spec, record, popup) {
    var markers = L.layerGroup();
    layer.eachLayer(function (featureLayer) {
      if (featureLayer.getLatLng) { return; }  // a point is a marker already
      var verdict = spec.verdicts[record(featureLayer.feature).verdict] || spec.verdicts.unknown;
      var marker = L.circleMarker(featureLayer.getBounds().getCenter(), {
        radius: spec.markerRadius, color: "#ffffff", weight: 2, fillColor: verdict.colour, fillOpacity: 1
      });
      marker.bindPopup(function () { return popup(record(featureLayer.feature), spec); }, { maxWidth: 420, maxHeight: 420 });
      markers.addLayer(marker);
    });
    api.layers[spec.id + "Markers"] = markers;
    function update() {
      var map = api.map;
      var show = map.hasLayer(layer) && map.getZoom() < spec.markerZoom;
      if (show && !map.hasLayer(markers)) { markers.addTo(map); }
      if (!show && map.hasLayer(markers)) { map.removeLayer(markers); }
    }
    layer.on("add remove", update);
    api.map.on("zoomend", update);
  }

  /* An image overlay (the screening surface), in a pane under the vector overlays, so that
   * turning it off and on again never lays it over them. */
  function imageLayer(spec) {
    var map = api.map;
    if (!map.getPane(spec.pane)) { map.createPane(spec.pane).style.zIndex = spec.zIndex; }
    var layer = L.imageOverlay(spec.url, spec.bounds, {
      opacity: spec.opacity, pane: spec.pane, interactive: false, alt: bilingual(spec.title),
      className: "cn-surface"
    });
    api.layers[spec.id] = layer;
    return layer;
  }

  function legendRow(list, style, label, indicativeTag) {
    var row = list.appendChild(node("li"));
    row.appendChild(swatch(style));
    row.appendChild(node("span", null, label));
    if (indicativeTag) { row.appendChild(node("span", "cn-tag", indicativeTag)); }
    return row;
  }

  function legend(map, spec) {
    var control = L.control({ position: "bottomright" });
    control.onAdd = function () {
      var box = node("details", "cn-legend leaflet-bar");
      // open on a screen with room for it; folded (one line) on a small one
      box.open = map.getSize().x >= spec.openWidth && map.getSize().y >= spec.openHeight;
      var summary = box.appendChild(node("summary", "cn-notice cn-banner", bilingual(spec.notice)));
      summary.title = bilingual(spec.legendTitle);
      box.appendChild(node("h4", null, bilingual(spec.title)));
      var verdicts = box.appendChild(node("ul"));
      spec.verdicts.forEach(function (v) { legendRow(verdicts, verdictSwatchStyle(v), v.zh + " / " + v.en); });
      spec.withinAccuracy.forEach(function (v) {
        legendRow(verdicts, withinSwatchStyle(v, spec.withinStyle), bilingual(v.label)).className = "cn-within";
      });
      var layers = box.appendChild(node("ul"));
      spec.layers.forEach(function (entry) {
        legendRow(layers, entry.style, bilingual(entry.title), entry.indicative ? bilingual(spec.indicativeTag) : null);
        (entry.categories || []).forEach(function (c) {
          legendRow(layers, c.style, "\u2003" + bilingual(c.title));
        });
      });
      if (spec.dataUsed && spec.dataUsed.length) {
        // 数据来源 Data used: each layer the check used, its status, source, date and coverage
        var usedBox = box.appendChild(node("details", "cn-more"));
        usedBox.appendChild(node("summary", null, bilingual(spec.dataUsedTitle)));
        var used = usedBox.appendChild(node("ul", "cn-data-used"));
        spec.dataUsed.forEach(function (d) {
          var row = used.appendChild(node("li"));
          row.setAttribute("data-layer", d.layer);
          row.setAttribute("data-status", d.status);
          row.appendChild(node("b", null, bilingual(d.title)));
          row.appendChild(node("span", "cn-status", " \u2014 " + bilingual(d.statusLabel)));
          row.appendChild(node("div", "cn-source", d.source + (d.date ? " (" + d.date + ")" : "")));
          row.appendChild(node("div", "cn-coverage", "覆盖 coverage: " + d.coverage));
        });
      }
      var more = box.appendChild(node("details", "cn-more"));
      more.appendChild(node("summary", null, bilingual(spec.notesTitle)));
      var notes = more.appendChild(node("ul", "cn-notes"));
      spec.notes.forEach(function (pair) { notes.appendChild(node("li", null, bilingual(pair))); });
      L.DomEvent.disableClickPropagation(box);
      L.DomEvent.disableScrollPropagation(box);
      return box;
    };
    control.addTo(map);
  }

  api.init = init;
  api.dataLayer = dataLayer;
  api.imageLayer = imageLayer;
  api.legend = legend;
  return api;
})();
