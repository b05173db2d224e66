/* A layer of points from the app's vector tiles (/tiles/{layer}/{z}/{x}/{y}.pbf),
 * drawn on canvas by Leaflet.VectorGrid so that ten thousands of households never
 * travel as GeoJSON. Tiles carry only codes and ids; hovering a point shows its code.
 */
// Hover is found here, not by Leaflet's canvas code: VectorGrid locates the mouse
// from the map's pixel origin, wrong at fractional zooms (zoomSnap 0.25) where
// tiles are scaled by CSS, and Leaflet treats small circles as markers with a
// LatLng, which tile points have not. Measuring inside the tile's own canvas works.
var HoverableCanvasTile = L.Canvas.Tile.extend({
  _onMouseMove: function (event) {
    if (!this._map || this._map.dragging.moving() || this._map._animatingZoom) { return; }
    var box = this._container.getBoundingClientRect();
    var point = L.point((event.clientX - box.left) * this._size.x / box.width,
                        (event.clientY - box.top) * this._size.y / box.height);
    var found = null;
    for (var id in this._layers) {
      if (this._layers[id]._containsPoint(point)) { found = this._layers[id]; }
    }
    if (found === this._hovered) { return; }
    this._handleMouseOut();
    if (found) {
      this._hovered = found;
      // Propagates to the VectorGrid layer with event.layer = the feature.
      found.fire("mouseover", {latlng: this._map.mouseEventToLatLng(event)}, true);
    }
  },
  _handleMouseOut: function () {
    if (this._hovered) { this._hovered.fire("mouseout", {}, true); }
    this._hovered = null;
  }
});

window.gridmgmtPointTiles = function (map, options) {
  // Above the village fills (overlayPane, z-index 400), below venue icons (600).
  var pane = map.getPane(options.pane) || map.createPane(options.pane);
  pane.style.zIndex = 450;
  var styles = {};
  styles[options.layer] = options.style;
  var layer = L.vectorGrid.protobuf(options.url, {
    pane: options.pane,
    rendererFactory: function (coords, size, rendererOptions) {
      return new HoverableCanvasTile(coords, size, rendererOptions);
    },
    vectorTileLayerStyles: styles,
    interactive: true,
    minZoom: options.minZoom,
    attribution: ""
  });
  var tooltip = L.tooltip({direction: "top", offset: [0, -4]});
  layer.on("mouseover", function (event) {
    var text = document.createElement("span");
    text.textContent = options.label + " " + event.layer.properties.code;
    tooltip.setContent(text).setLatLng(event.latlng);
    map.openTooltip(tooltip);
  });
  layer.on("mouseout", function () { map.closeTooltip(tooltip); });
  return layer;
};
