/* Layers of the app's vector tiles (/tiles/{layer}/{z}/{x}/{y}.pbf), drawn on canvas by
 * protomaps-leaflet so that ten thousands of households never travel as GeoJSON.
 * Layers are styled with Leaflet's path options (color, weight, dashArray, fillColor, …),
 * as the embedded layers are. Household tiles carry ids only: the code of the household
 * under the mouse is fetched from the OGC API (options.details) when it is first hovered.
 */
(function () {
  const POINT = 1, POLYGON = 3;  // a tile feature's geomType
  // Leaflet's defaults for the options a style leaves out.
  const PATH = {color: "#3388ff", weight: 3, opacity: 1, fillOpacity: 0.2, radius: 10};
  // Hover: how many pixels beside a dot or a line still count as on it.
  const REACH = 3;

  // "#rrggbb" (gridmgmt/maps/styles.py) with an alpha: a symbolizer's own opacity would
  // apply to its fill and its outline alike.
  function rgba(colour, alpha) {
    const n = parseInt(colour.slice(1), 16);
    return `rgba(${n >> 16},${(n >> 8) & 255},${n & 255},${alpha})`;
  }

  function fillOf(style) {
    return rgba(style.fillColor || style.color || PATH.color, style.fillOpacity ?? PATH.fillOpacity);
  }

  function strokeOf(style) {
    return rgba(style.color || PATH.color, style.opacity ?? PATH.opacity);
  }

  function widthOf(style) {
    return style.stroke === false ? 0 : style.weight ?? PATH.weight;
  }

  // The paint rules drawing LAYER in Leaflet's path style: options.style for every feature,
  // or options.styleBy.styles by the value of its field. A rule draws the features of a tile
  // in the tile's order (roads: main roads last, on top).
  function paintRules(options) {
    const P = protomapsL, by = options.styleBy;
    const styleOf = by ? f => by.styles[f.props[by.field]] || {} : () => options.style;
    // One value for every feature, or a function of the feature (only then per feature).
    const attr = get => by ? (z, f) => get(styleOf(f)) : get(options.style);
    const dash = style => style.dashArray ? style.dashArray.split(/[ ,]+/).map(Number) : [];
    const line = {color: attr(strokeOf), width: attr(widthOf), opacity: 1, dash: attr(dash),
                  dashColor: attr(strokeOf), dashWidth: attr(widthOf)};
    return [
      {dataLayer: options.layer, filter: (z, f) => f.geomType === POLYGON && styleOf(f).fill !== false,
       symbolizer: new P.PolygonSymbolizer({fill: attr(fillOf), width: 0, opacity: 1})},
      {dataLayer: options.layer, filter: (z, f) => f.geomType !== POINT && widthOf(styleOf(f)) > 0,
       symbolizer: new P.LineSymbolizer(line)},
      {dataLayer: options.layer, filter: (z, f) => f.geomType === POINT,
       symbolizer: new P.CircleSymbolizer({radius: attr(s => s.radius ?? PATH.radius), fill: attr(fillOf),
                                           stroke: attr(strokeOf), width: attr(widthOf), opacity: 1})},
    ];
  }

  // Pixels from a feature's geometry where the mouse still is on it.
  function reachOf(options) {
    const styles = options.styleBy ? Object.values(options.styleBy.styles) : [options.style];
    return REACH + Math.max(...styles.map(s => Math.max(s.radius ?? 0, widthOf(s) / 2)));
  }

  // The topmost feature of LAYER under the mouse. protomaps-leaflet measures the reach in
  // half pixels when a tile is the data of the zoom level above (levelDiff 1, its default).
  function featureAt(layer, latlng) {
    const options = layer.gridmgmtOptions;
    const picked = layer.queryTileFeaturesDebug(latlng.lng, latlng.lat, 2 * layer.gridmgmtReach).get("") || [];
    const features = picked.filter(p => p.layerName === options.layer);
    return features.length ? features[features.length - 1].feature : null;
  }

  // "label value" lines of the tooltip rows [label, field]; options.values maps coded
  // values (road classes) to their Chinese names. textContent: names are never HTML.
  function tooltipText(options, properties) {
    const text = document.createElement("span");
    options.tooltip.forEach(([label, field]) => {
      const value = properties[field];
      if (value === undefined || value === null) { return; }
      const names = (options.values || {})[field];
      if (text.childNodes.length) { text.appendChild(document.createElement("br")); }
      text.appendChild(document.createTextNode(`${label} ${names ? names[value] : value}`));
    });
    return text;
  }

  function withDetails(layer, feature, show) {
    const options = layer.gridmgmtOptions;
    if (!options.details) { return show(feature.props); }
    const id = feature.id;
    if (!layer.gridmgmtDetails[id]) {
      layer.gridmgmtDetails[id] = fetch(options.details.replace("{id}", id), {credentials: "same-origin"})
        .then(response => response.ok ? response.json() : null)
        .then(item => item && item.properties);
    }
    layer.gridmgmtDetails[id].then(properties => { if (properties) { show(properties); } });
  }

  // One handler per map finds the feature under the mouse on the topmost tiled layer (the
  // tiles themselves let the mouse through to the map).
  function hoverOf(map) {
    if (map.gridmgmtHover) { return map.gridmgmtHover; }
    const hover = map.gridmgmtHover = {layers: [], feature: null};
    const tooltip = L.tooltip({direction: "top", offset: [0, -4]});
    map.on("mousemove", event => {
      let layer = null, feature = null;
      for (let i = 0; i < hover.layers.length && !feature; i++) {
        layer = hover.layers[i];
        feature = map.hasLayer(layer) ? featureAt(layer, event.latlng) : null;
      }
      if (feature === hover.feature) { return; }
      hover.feature = feature;
      map.closeTooltip(tooltip);
      if (!feature) { return; }
      withDetails(layer, feature, properties => {
        if (hover.feature !== feature) { return; }  // the mouse has moved on meanwhile
        tooltip.setContent(tooltipText(layer.gridmgmtOptions, properties)).setLatLng(event.latlng);
        map.openTooltip(tooltip);
      });
    });
    map.on("mouseout", () => { hover.feature = null; map.closeTooltip(tooltip); });
    return hover;
  }

  window.gridmgmtTiles = function (options) {
    // Each 256-pixel tile drawn from the server's tile of the zoom level above (levelDiff 1):
    // a quarter of the requests for the same data (a page has four tiled layers, and the
    // browser opens six connections). The map zooms to 18.
    const layer = protomapsL.leafletLayer({
      url: options.url, paintRules: paintRules(options), maxDataZoom: 17,
      pane: options.pane, minZoom: options.minZoom, attribution: "",
    });
    layer.gridmgmtOptions = options;
    layer.gridmgmtReach = reachOf(options);
    layer.gridmgmtDetails = {};
    // Leaflet calls beforeAdd with the map, also when the layer is added to a group.
    layer.beforeAdd = function (map) {
      const pane = map.getPane(options.pane) || map.createPane(options.pane);
      pane.style.zIndex = options.zIndex;
      const hover = hoverOf(map);
      if (hover.layers.indexOf(layer) < 0) { hover.layers.push(layer); }
      hover.layers.sort((a, b) => b.gridmgmtOptions.zIndex - a.gridmgmtOptions.zIndex);
    };
    return layer;
  };
}());
