/* The county map of the 县级总览: townships coloured by the figure chosen in #county-figure, worse
   darker, with its legend. The classes and the legend come from the server
   (gridmgmt.domain.county.shading): distinct values, at most five shades, each entry with its
   values and count of townships; a township without a value is grey (无数据). */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("county-data").textContent);
  var COLOURS = ["#fee5d9", "#fcae91", "#fb6a4a", "#de2d26", "#a50f15"];
  var NONE = "#bdbdbd";
  var shadings = {};
  data.shadings.forEach(function (s) { shadings[s.key] = s; });

  var map = L.map("county-map", { zoomSnap: 0.25 });
  var layer = L.geoJSON(data.boundaries, { style: { weight: 1, color: "#555", fillOpacity: 0.8 } }).addTo(map);
  map.fitBounds(layer.getBounds());
  // Names on the map, not only on hover: a leader reads the map beside the ranked table.
  layer.eachLayer(function (shape) {
    L.tooltip({ permanent: true, direction: "center", className: "township-name", interactive: false })
      .setLatLng(shape.getBounds().getCenter()).setContent(shape.feature.properties.name).addTo(map);
  });

  function cellText(code, key) {
    var cell = document.querySelector('tr[data-code="' + code + '"] td[data-key="' + key + '"]');
    return cell ? cell.textContent.trim() : "";
  }

  function fill(shade) { return shade === null || shade === undefined ? NONE : COLOURS[shade]; }

  function colour(key) {
    var shading = shadings[key];
    layer.eachLayer(function (shape) {
      var code = shape.feature.properties.code;
      shape.setStyle({ fillColor: fill(shading.classes[code]) });
      shape.bindTooltip(shape.feature.properties.name + "：" + shading.label + " " + cellText(code, key));
    });
    legend(shading);
  }

  function swatch(box, colour, text) {
    var entry = document.createElement("span");
    entry.className = "entry";
    var span = document.createElement("span");
    span.className = "swatch";
    span.style.background = colour;
    entry.appendChild(span);
    entry.appendChild(document.createTextNode(text));
    box.appendChild(entry);
  }

  function legend(shading) {
    var box = document.getElementById("county-legend");
    box.textContent = shading.label + "（颜色越深" + (shading.worse === "more" ? "数值越大" : "数值越小") + "，越需关注）：";
    shading.legend.forEach(function (entry) { swatch(box, fill(entry.shade), entry.text); });
  }

  var select = document.getElementById("county-figure");
  var print = document.getElementById("county-print");
  select.addEventListener("change", function () {
    colour(select.value);
    print.href = print.href.replace(/figure=[a-z_0-9]+/, "figure=" + select.value);
  });
  colour(select.value);
}());
