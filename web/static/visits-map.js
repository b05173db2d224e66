/* The township's visits map (走访完成情况): at township zoom each 村民小组 coloured by the share of
 * its households overdue, under village outlines, names and roads; from village zoom the
 * households as points, fetched per village on demand (never all embedded); late 四必到 events
 * as squares. The layers come from the page (#visits-map-data), the households from
 * data-households. Only statuses travel: never a 必访 flag. */
(() => {
  const box = document.getElementById("compliance-map");
  const data = JSON.parse(document.getElementById("visits-map-data").textContent);
  const roadStyles = JSON.parse(box.dataset.roads);
  // From this zoom on a village fills the map: its households are drawn as points.
  const VILLAGE_ZOOM = 14;
  // Overdue share classes, the upper bound excluded: green when few are overdue, red when most are.
  const SHARES = [[0.2, "#91cf60", "20% 以下"], [0.4, "#d9ef8b", "20%–40%"], [0.6, "#fee08b", "40%–60%"],
                  [0.8, "#fc8d59", "60%–80%"], [Infinity, "#d73027", "80% 及以上"]];
  const NO_TARGET = "#e0e0e0";
  const STATUS = {overdue: ["#c62828", "逾期"], due: ["#1565c0", "待走访"], done: ["#2e7d32", "已完成"]};
  const EVENTS = {overdue: ["#b71c1c", "逾期未到场"], open: ["#ef6c00", "待到场"], late: ["#6a1b9a", "超时到场"]};

  const shareClass = share => SHARES.findIndex(([upper]) => share < upper);
  const map = L.map("compliance-map", {zoomSnap: 0.5});
  L.control.scale({imperial: false}).addTo(map);

  function groupStyle(feature) {
    const share = feature.properties.share, near = map.getZoom() >= VILLAGE_ZOOM;
    const fill = share === null ? NO_TARGET : SHARES[shareClass(share)][1];
    return {color: "#fff", weight: 1, fillColor: fill, fillOpacity: near ? 0.25 : 0.75,
            className: share === null ? "visit-group" : `visit-group share-${shareClass(share)}`};
  }

  function groupTip(p) {
    if (p.share === null) { return `${p.village_name} ${p.name}：无应走访农户`; }
    return `${p.village_name} ${p.name}：逾期 ${p.overdue} / ${p.total} 户（${Math.round(p.share * 100)}%）`;
  }

  // The view first: the layers' styles depend on its zoom.
  const villages = L.geoJSON(data.villages, {interactive: false,
    style: {color: "#333", weight: 2, fill: false, className: "visit-village"}});
  const focus = villages.getLayers().find(v => v.feature.properties.code === box.dataset.village);
  map.fitBounds(focus ? focus.getBounds() : data.bounds);

  const groups = L.geoJSON(data.groups, {style: groupStyle,
    onEachFeature: (f, layer) => layer.bindTooltip(groupTip(f.properties), {sticky: true})}).addTo(map);
  L.geoJSON(data.roads, {interactive: false, style: f => {
    const style = roadStyles[f.properties.road_class] || roadStyles.village;
    return {color: style.color, weight: Math.max(1, style.weight / 2), opacity: 0.9};
  }}).addTo(map);
  villages.addTo(map);
  for (const f of data.labels.features) {
    const [lon, lat] = f.geometry.coordinates;
    L.tooltip({permanent: true, direction: "center", className: "village-label"})
      .setLatLng([lat, lon]).setContent(f.properties.name).addTo(map);
  }
  // Squares of a fixed size on the screen, above the groups at any zoom.
  for (const e of data.events) {
    const icon = L.divIcon({className: "visit-event", iconSize: [11, 11],
                            html: `<i style="background:${EVENTS[e.status][0]}"></i>`});
    L.marker([e.lat, e.lon], {icon, keyboard: false}).bindTooltip(`四必到事件：${EVENTS[e.status][1]}`).addTo(map);
  }

  // Households: one request for the villages that come into view at village zoom, each asked once.
  const households = L.layerGroup(), asked = new Set();
  box.dataset.loaded = "";
  function load(codes) {
    codes.forEach(code => asked.add(code));
    const query = codes.map(code => `village=${encodeURIComponent(code)}`).join("&");
    fetch(`${box.dataset.households}?${query}&date=${box.dataset.day}`, {credentials: "same-origin"})
      .then(response => (response.ok ? response.json() : Promise.reject(new Error(response.status))))
      .then(answer => {
        for (const h of answer.households) {
          L.circleMarker([h.lat, h.lon], {radius: 4, color: "#fff", weight: 1, fillOpacity: 0.9,
                                          fillColor: STATUS[h.status][0], className: "visit-household"})
            .bindTooltip(`${h.label}：${STATUS[h.status][1]}`).addTo(households);
        }
        box.dataset.loaded = `${box.dataset.loaded} ${codes.join(" ")}`.trim();
      })
      .catch(() => codes.forEach(code => asked.delete(code)));  // asked again when the map next moves
  }

  function refresh() {
    groups.setStyle(groupStyle);
    if (map.getZoom() < VILLAGE_ZOOM) { map.removeLayer(households); return; }
    households.addTo(map);
    const view = map.getBounds();
    const codes = villages.getLayers().filter(v => view.intersects(v.getBounds())).map(v => v.feature.properties.code);
    const fresh = codes.filter(code => !asked.has(code));
    if (fresh.length) { load(fresh); }
  }

  function swatches(pairs, shape) {
    return pairs.map(([colour, text]) => `<span class="swatch ${shape}" style="background:${colour}"></span>${text}`)
      .join(" ");
  }

  const legend = L.control({position: "topright"});
  legend.onAdd = () => {
    const div = L.DomUtil.create("details", "visits-legend");
    div.open = true;
    const ramp = SHARES.map(([, colour, text]) => `<span class="step" style="background:${colour}" title="${text}"></span>`);
    div.innerHTML = [
      "<summary>图例</summary>",
      `<div><b>村民小组逾期农户占比</b></div>`,
      `<div class="ramp">${ramp.join("")}</div>`,
      '<div class="ticks"><span>0</span><span>20%</span><span>40%</span><span>60%</span><span>80%</span><span>100%</span></div>',
      `<div><span class="swatch area" style="background:${NO_TARGET}"></span>无应走访农户</div>`,
      `<div><span class="swatch line" style="border-color:#333"></span>行政村界
        <span class="swatch line" style="border-color:${roadStyles.county.color}"></span>道路</div>`,
      "<div><b>四必到事件（方块）</b></div>",
      `<div>${swatches(Object.values(EVENTS), "square")}</div>`,
      "<div><b>农户（放大到村级显示）</b></div>",
      `<div>${swatches(Object.values(STATUS), "dot")}</div>`,
    ].join("");
    L.DomEvent.disableClickPropagation(div);
    L.DomEvent.disableScrollPropagation(div);
    return div;
  };
  legend.addTo(map);

  map.on("zoomend moveend", refresh);
  refresh();
})();
