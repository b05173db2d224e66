/* Layers of the app's vector tiles (/tiles/{layer}/{z}/{x}/{y}.pbf), drawn on canvas by
 * Leaflet.VectorGrid so that ten thousands of households never travel as GeoJSON.
 * Household tiles carry ids only: the code of the household under the mouse is
 * fetched from the OGC API (options.details) when it is first hovered.
 */
(function () {
  // Every tiled layer has its own pane and a canvas per tile. The canvases let the mouse
  // through, and one handler per map finds the feature under it on the topmost layer:
  // the canvas on top would otherwise take every event, and VectorGrid locates the mouse
  // from the map's pixel origin, wrong at fractional zooms (zoomSnap 0.25) where tiles
  // are scaled by CSS. Measuring inside each tile's own canvas works.
  function featureAt(layer, event) {
    var found = null;
    layer.gridmgmtCanvases.forEach(function (tile, canvas) {
      var box = canvas.getBoundingClientRect();
      if (found || event.clientX < box.left || event.clientX >= box.right ||
          event.clientY < box.top || event.clientY >= box.bottom) { return; }
      var point = L.point((event.clientX - box.left) * tile._size.x / box.width,
                          (event.clientY - box.top) * tile._size.y / box.height);
      for (var id in tile._layers) {
        if (tile._layers[id]._containsPoint(point)) { found = tile._layers[id]; }
      }
    });
    return found;
  }

  // "label value" lines of the tooltip rows [label, field]; options.values maps coded
  // values (road classes) to their Chinese names. textContent: names are never HTML.
  function tooltipText(options, properties) {
    var text = document.createElement("span");
    options.tooltip.forEach(function (row) {
      var value = properties[row[1]];
      if (value === undefined || value === null) { return; }
      var names = (options.values || {})[row[1]];
      if (text.childNodes.length) { text.appendChild(document.createElement("br")); }
      text.appendChild(document.createTextNode(row[0] + " " + (names ? names[value] : value)));
    });
    return text;
  }

  function withDetails(layer, feature, show) {
    var options = layer.gridmgmtOptions;
    if (!options.details) { return show(feature.properties); }
    var id = feature.properties.id;
    if (!layer.gridmgmtDetails[id]) {
      layer.gridmgmtDetails[id] = fetch(options.details.replace("{id}", id),
                                        {credentials: "same-origin"})
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (item) { return item && item.properties; });
    }
    layer.gridmgmtDetails[id].then(function (properties) { if (properties) { show(properties); } });
  }

  function hoverOf(map) {
    if (map.gridmgmtHover) { return map.gridmgmtHover; }
    var hover = map.gridmgmtHover = {layers: [], feature: null};
    var tooltip = L.tooltip({direction: "top", offset: [0, -4]});
    map.on("mousemove", function (event) {
      if (map.dragging.moving() || map._animatingZoom) { return; }
      var layer = null, feature = null;
      for (var i = 0; i < hover.layers.length && !feature; i++) {
        layer = hover.layers[i];
        feature = map.hasLayer(layer) ? featureAt(layer, event.originalEvent) : null;
      }
      if (feature === hover.feature) { return; }
      hover.feature = feature;
      map.closeTooltip(tooltip);
      if (!feature) { return; }
      withDetails(layer, feature, function (properties) {
        if (hover.feature !== feature) { return; }  // the mouse has moved on meanwhile
        tooltip.setContent(tooltipText(layer.gridmgmtOptions, properties)).setLatLng(event.latlng);
        map.openTooltip(tooltip);
      });
    });
    map.on("mouseout", function () { hover.feature = null; map.closeTooltip(tooltip); });
    return hover;
  }

  // Tiles of 512 pixels, each the server's tile of the zoom level above: a quarter of
  // the requests for the same data (a page has four tiled layers, and the browser
  // opens six connections).
  var LargeTiles = L.VectorGrid.Protobuf.extend({
    _getVectorTilePromise: function (coords) {
      var above = L.point(coords.x, coords.y);
      above.z = coords.z - 1;
      return L.VectorGrid.Protobuf.prototype._getVectorTilePromise.call(this, above);
    }
  });

  window.gridmgmtTiles = function (options) {
    var styles = {};
    styles[options.layer] = options.styleBy ? function (properties) {
      return options.styleBy.styles[properties[options.styleBy.field]];
    } : options.style;
    var canvases = new Map();
    var layer = new LargeTiles(options.url, {
      pane: options.pane,
      tileSize: 512,
      rendererFactory: function (coords, size, rendererOptions) {
        var tile = L.canvas.tile(coords, size, rendererOptions);
        tile.getContainer().style.pointerEvents = "none";
        canvases.set(tile.getContainer(), tile);
        return tile;
      },
      // VectorGrid keeps a feature's properties, not its id: copy the id in.
      getFeatureId: function (feature) { feature.properties.id = feature.id; return feature.id; },
      vectorTileLayerStyles: styles,
      interactive: true,  // keeps the hit boxes _containsPoint needs
      minZoom: options.minZoom,
      attribution: ""
    });
    layer.on("tileunload", function (event) { canvases.delete(event.tile); });
    layer.gridmgmtCanvases = canvases;
    layer.gridmgmtOptions = options;
    layer.gridmgmtDetails = {};
    // Leaflet calls beforeAdd with the map, also when the layer is added to a group.
    layer.beforeAdd = function (map) {
      var pane = map.getPane(options.pane) || map.createPane(options.pane);
      pane.style.zIndex = options.zIndex;
      var hover = hoverOf(map);
      if (hover.layers.indexOf(layer) < 0) { hover.layers.push(layer); }
      hover.layers.sort(function (a, b) {
        return b.gridmgmtOptions.zIndex - a.gridmgmtOptions.zIndex;
      });
    };
    return layer;
  };
}());
