/* PROTOTYPE for measurement only (reverted): the app's vector tiles drawn by MapLibre GL JS
 * inside the Leaflet map (@maplibre/maplibre-gl-leaflet). One WebGL map per Leaflet map draws
 * every tiled layer; each tiled layer is a Leaflet layer that adds its style layers to it, so
 * the layer control still works. Hover tooltips are not built in this prototype.
 */
(function () {
  const GL_PANE = "tiles";
  const PATH = {color: "#3388ff", weight: 3, opacity: 1, fillOpacity: 0.2, radius: 10};
  const widthOf = s => s.stroke === false ? 0 : s.weight ?? PATH.weight;

  function glMapOf(map) {
    if (!map.gridmgmtGL) {
      const pane = map.getPane(GL_PANE) || map.createPane(GL_PANE);
      pane.style.zIndex = 380;  // under the embedded boundary, as the tiled villages were
      map.gridmgmtGL = L.maplibreGL({
        pane: GL_PANE, style: {version: 8, sources: {}, layers: []},
        canvasContextAttributes: {preserveDrawingBuffer: true},  // the bench reads its pixels
      }).addTo(map);
      map.gridmgmtOrder = [];
    }
    return map.gridmgmtGL.getMaplibreMap();
  }

  // MapLibre style layers drawing OPTIONS.layer in Leaflet's path style.
  function glLayers(options) {
    const by = options.styleBy, id = options.layer;
    const first = by ? Object.values(by.styles)[0] : options.style;
    const value = get => by ? ["match", ["get", by.field],
                               ...Object.entries(by.styles).flatMap(([v, s]) => [v, get(s)]), get(first)]
                            : get(options.style);
    const common = {source: id, "source-layer": id, minzoom: (options.minZoom || 0) - 1};
    const dash = !by && options.style.dashArray ?
      {"line-dasharray": options.style.dashArray.split(/[ ,]+/).map(d => d / widthOf(options.style))} : {};
    const layers = [
      {...common, id: `${id}-fill`, type: "fill", filter: ["==", ["geometry-type"], "Polygon"],
       paint: {"fill-color": value(s => s.fillColor || s.color || PATH.color),
               "fill-opacity": value(s => s.fillOpacity ?? PATH.fillOpacity)}},
      {...common, id: `${id}-line`, type: "line", filter: ["!=", ["geometry-type"], "Point"],
       paint: {"line-color": value(s => s.color || PATH.color), "line-width": value(widthOf),
               "line-opacity": value(s => s.opacity ?? PATH.opacity), ...dash}},
      {...common, id: `${id}-circle`, type: "circle", filter: ["==", ["geometry-type"], "Point"],
       paint: {"circle-radius": value(s => s.radius ?? PATH.radius),
               "circle-color": value(s => s.fillColor || s.color || PATH.color),
               "circle-opacity": value(s => s.fillOpacity ?? PATH.fillOpacity),
               "circle-stroke-width": value(widthOf), "circle-stroke-color": value(s => s.color || PATH.color)}},
    ];
    return layers.filter(layer => layer.type !== "fill" || (!by && options.style.fill !== false));
  }

  window.gridmgmtTiles = function (options) {
    const layers = glLayers(options);
    const Tiles = L.Layer.extend({
      onAdd(map) {
        const gl = glMapOf(map);
        const add = () => {
          if (!gl.getSource(options.layer)) {
            gl.addSource(options.layer, {type: "vector", tiles: [location.origin + options.url],
                                         maxzoom: 17});
          }
          // Above the layers of lower zIndex, under those of higher.
          const above = map.gridmgmtOrder.filter(o => o.zIndex > options.zIndex && gl.getLayer(o.first));
          const before = above.length ? above.sort((a, b) => a.zIndex - b.zIndex)[0].first : undefined;
          layers.forEach(layer => gl.addLayer(layer, before));
          map.gridmgmtOrder.push({zIndex: options.zIndex, first: layers[0].id});
        };
        if (gl.isStyleLoaded()) { add(); } else { gl.once("load", add); }
      },
      onRemove(map) {
        const gl = glMapOf(map);
        layers.forEach(layer => gl.getLayer(layer.id) && gl.removeLayer(layer.id));
        map.gridmgmtOrder = map.gridmgmtOrder.filter(o => o.first !== layers[0].id);
      },
    });
    return new Tiles();
  };
}());
