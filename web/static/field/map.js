/* The offline map of my area, drawn from the working set (one GeoJSON download covers every
 * zoom, so nothing is fetched per tile): village and group outlines with names, roads, my
 * cells, households coloured by what is due, a legend and the "where am I" dot.
 */
(() => {
  const {config, $} = FIELD;
  if (!$("field-map")) return;
  const styles = config.styles;
  const COLOURS = {event_overdue: "#b71c1c", event_open: "#ef6c00", overdue: "#c62828", due: "#1565c0",
                   done: "#2e7d32", none: "#9e9e9e"};
  const DONE_NONE = {done: "本期已走访", none: "无走访任务"};
  const LABELS_FROM_ZOOM = 14;  // group names: only where they no longer overlap
  const map = FIELD.map = L.map("field-map", {maxZoom: 19, preferCanvas: true, zoomControl: true});
  L.control.scale({imperial: false}).addTo(map);
  basemaps();
  const drawn = L.layerGroup().addTo(map);
  const dots = L.canvas({padding: 0.3, tolerance: 6});  // a finger, not a mouse pointer
  let fitted = false, here = null;

  // 天地图 under the working set when a key is configured: vector first, imagery, or none.
  function basemaps() {
    const base = config.basemap;
    if (!base) return;
    const layers = {};
    for (const [name, urls] of base.choices) {
      layers[name] = L.layerGroup(urls.map(url => L.tileLayer(url, {subdomains: "01234567", maxZoom: base.max_zoom,
                                                                    attribution: base.attribution})));
    }
    layers[base.blank] = L.layerGroup();
    Object.values(layers)[0].addTo(map);
    L.control.layers(layers, null, {position: "topright"}).addTo(map);
  }

  function outline(collection, style, label) {
    return L.geoJSON(collection, {style, interactive: false, onEachFeature: (feature, layer) => {
      if (label) layer.bindTooltip(label(feature.properties), {permanent: true, direction: "center", className: "group-label"});
    }});
  }

  function villageNames(collection) {
    return collection.features.map(f => L.tooltip({permanent: true, direction: "center", className: "village-name"})
      .setLatLng([f.geometry.coordinates[1], f.geometry.coordinates[0]]).setContent(f.properties.name));
  }

  function households(data) {
    return data.households.map(home => L.circleMarker([home.lat, home.lon], {
      renderer: dots, radius: 6, weight: 1, color: "#fff", fillOpacity: 0.9,
      fillColor: COLOURS[home.status || "none"]}).on("click", () => FIELD.openHousehold(home)));
  }

  function legend(data) {
    const control = L.control({position: "bottomright"});
    control.onAdd = () => {
      const box = L.DomUtil.create("details", "map-legend");
      box.open = window.innerWidth > 600;
      const summary = document.createElement("summary");
      summary.textContent = "图例";
      box.append(summary);
      Object.entries({...data.priorities, ...DONE_NONE}).forEach(([key, text]) => {
        const line = document.createElement("div"), dot = document.createElement("span");
        dot.className = "dot"; dot.style.background = COLOURS[key];
        line.append(dot, text);
        box.append(line);
      });
      L.DomEvent.disableClickPropagation(box);
      return box;
    };
    return control;
  }

  function locateButton() {
    const control = L.control({position: "topleft"});
    control.onAdd = () => {
      const el = L.DomUtil.create("button", "locate-button");
      el.type = "button"; el.textContent = "我的位置"; el.id = "locate-button";
      L.DomEvent.on(el, "click", event => {
        L.DomEvent.stop(event);
        if (FIELD.position) map.setView([FIELD.position.lat, FIELD.position.lon], Math.max(map.getZoom(), 16));
        else el.textContent = window.isSecureContext ? "正在定位…" : "定位需 HTTPS";
      });
      return el;
    };
    return control.addTo(map);
  }

  let legendControl = null;
  FIELD.on("data", data => {
    drawn.clearLayers();
    const area = data.area;
    outline(area.villages, {...styles.village, fillOpacity: 0.25}).addTo(drawn);
    outline(area.groups, styles.group, p => p.name).addTo(drawn);
    L.geoJSON(area.roads, {interactive: false, style: f => styles.roads[f.properties.road_class] || styles.roads.village})
      .addTo(drawn);
    outline(area.cells, {color: "#d84315", weight: 3, fill: false}).addTo(drawn);
    villageNames(area.labels).forEach(name => name.addTo(drawn));
    households(data).forEach(dot => dot.addTo(drawn));
    if (legendControl) legendControl.remove();
    legendControl = legend(data).addTo(map);
    if (!fitted && area.bounds) { map.fitBounds(area.bounds, {padding: [8, 8]}); fitted = true; }
    if (!area.bounds && !fitted) map.setView([23.9, 115.7], 12);
    showLabels();
  });

  function showLabels() {
    $("field-map").classList.toggle("show-group-labels", map.getZoom() >= LABELS_FROM_ZOOM);
  }
  map.on("zoomend", showLabels);

  FIELD.on("position", position => {
    const at = [position.lat, position.lon];
    if (!here) {
      here = L.layerGroup([L.circle(at, {radius: position.accuracy_m, weight: 1, color: "#1a73e8", fillOpacity: 0.1,
                                          interactive: false}),
                           L.circleMarker(at, {radius: 7, weight: 2, color: "#fff", fillColor: "#1a73e8", fillOpacity: 1,
                                               interactive: false})]).addTo(map);
      $("locate-button").textContent = "我的位置";
    }
    here.eachLayer(layer => layer.setLatLng(at));
    here.getLayers()[0].setRadius(position.accuracy_m);
  });
  locateButton();
})();
