// 数据导入: draw the dry run's first rows on a map; follow a running import until it ends.
(function () {
  "use strict";

  function drawPreview() {
    var data = document.getElementById("preview-features");
    var box = document.getElementById("preview-map");
    if (!data || !box || !window.L) return;
    var map = L.map(box, {preferCanvas: true});
    var layer = L.geoJSON(JSON.parse(data.textContent), {
      pointToLayer: function (feature, latlng) {
        return L.circleMarker(latlng, {radius: 5, color: "#c00000", weight: 1, fillOpacity: 0.7});
      },
      style: {color: "#c00000", weight: 2, fillOpacity: 0.15},
      onEachFeature: function (feature, shape) {
        shape.bindTooltip("第 " + feature.properties.row + " 条 " + (feature.properties.code || ""));
      }
    }).addTo(map);
    map.fitBounds(layer.getBounds(), {maxZoom: 16, padding: [12, 12]});
  }

  function followJob() {
    var job = document.getElementById("import-job");
    if (!job || job.dataset.state === "done" || job.dataset.state === "failed") return;
    var timer = setInterval(function () {
      fetch(job.dataset.status, {headers: {"Accept": "application/json"}, credentials: "same-origin"})
        .then(function (response) { return response.json(); })
        .then(function (status) {
          if (status.state === "done" || status.state === "failed") {
            clearInterval(timer);
            window.location.reload();
            return;
          }
          var text = "正在导入：" + (status.step || "") + (status.total ? " " + status.done + " / " + status.total + " 条" : "") + "……";
          document.getElementById("job-progress").textContent = text;
          var bar = document.getElementById("job-bar");
          if (status.total) { bar.max = status.total; bar.value = status.done; }
        });
    }, 1000);
  }

  document.addEventListener("DOMContentLoaded", function () {
    drawPreview();
    followJob();
  });
})();
