/* The follow-ups map: each item at its household, overdue ones red and larger; a tap names
 * it and links to its page. The points come from the page (the map's data-features), no tiles. */
(() => {
  const box = document.getElementById("followup-map");
  const features = JSON.parse(box.dataset.features), link = JSON.parse(box.dataset.link);
  const map = L.map("followup-map");  // SVG: each point an element that carries its class
  const colour = p => (p.overdue ? "#c62828" : p.state === "已办结" ? "#2e7d32" : "#1565c0");
  const layer = L.geoJSON(features, {
    pointToLayer: (feature, at) => L.circleMarker(at, {
      radius: feature.properties.overdue ? 9 : 6, color: "#fff", weight: 1.5,
      fillColor: colour(feature.properties), fillOpacity: 0.9,
      className: feature.properties.overdue ? "followup-point overdue" : "followup-point",
    }),
    onEachFeature: (feature, marker) => {
      const p = feature.properties, box = document.createElement("div"), a = document.createElement("a");
      a.href = link + p.id;
      a.textContent = `${p.category} · ${p.state}${p.overdue ? "（逾期）" : ""}`;
      box.append(a, document.createElement("br"), p.household);
      marker.bindPopup(box);
    },
  }).addTo(map);
  if (features.features.length) map.fitBounds(layer.getBounds(), {maxZoom: 16, padding: [20, 20]});
  else map.setView([30, 110], 4);
  box.dataset.points = String(features.features.length);
})();
