/* The county map of the 县级总览: townships coloured by the figure chosen in #county-figure,
   worse darker (five classes of about equal count), with a legend; no data: grey. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("county-data").textContent);
  var COLOURS = ["#fee5d9", "#fcae91", "#fb6a4a", "#de2d26", "#a50f15"];
  var NONE = "#bdbdbd";
  var byCode = {};
  data.rows.forEach(function (row) { byCode[row.code] = row; });
  var figures = {};
  data.figures.forEach(function (f) { figures[f.key] = f; });

  var map = L.map("county-map", { zoomSnap: 0.25 });
  var layer = L.geoJSON(data.boundaries, { style: { weight: 1, color: "#555", fillOpacity: 0.8 } }).addTo(map);
  map.fitBounds(layer.getBounds());

  function text(figure, value) {
    if (value === null || value === undefined) { return "无"; }
    return figure.percent ? (value * 100).toFixed(1) + "%" : String(Math.round(value * 10) / 10);
  }

  /* Class limits: the values at each fifth of the townships, in the worse direction. */
  function breaks(values, figure) {
    var sorted = values.slice().sort(function (a, b) { return a - b; });
    if (figure.worse === "less") { sorted.reverse(); }
    var limits = [];
    for (var i = 1; i < COLOURS.length; i += 1) {
      limits.push(sorted[Math.min(sorted.length - 1, Math.floor(i * sorted.length / COLOURS.length))]);
    }
    return limits;
  }

  function classOf(value, limits, figure) {
    var worse = figure.worse === "more" ? function (a, b) { return a >= b; } : function (a, b) { return a <= b; };
    var k = 0;
    limits.forEach(function (limit, i) { if (worse(value, limit)) { k = i + 1; } });
    return k;
  }

  function colour(key) {
    var figure = figures[key];
    var values = data.rows.map(function (r) { return r[key]; }).filter(function (v) { return v !== null; });
    var limits = breaks(values, figure);
    layer.eachLayer(function (shape) {
      var row = byCode[shape.feature.properties.code];
      var value = row ? row[key] : null;
      var fill = value === null || value === undefined ? NONE : COLOURS[classOf(value, limits, figure)];
      shape.setStyle({ fillColor: fill });
      shape.bindTooltip(shape.feature.properties.name + "：" + figure.label + " " + text(figure, value));
    });
    legend(figure, limits, values.length < data.rows.length);
  }

  /* One swatch per class with its limit: below the first limit, then from each limit on (worse side). */
  function legend(figure, limits, someNone) {
    var box = document.getElementById("county-legend");
    var more = figure.worse === "more";
    box.textContent = figure.label + (more ? "（越多越需关注）" : "（越少越需关注）") + "：";
    COLOURS.forEach(function (c, i) {
      var swatch = document.createElement("span");
      swatch.style.background = c;
      box.appendChild(swatch);
      var limit = i === 0 ? (more ? "<" : ">") + text(figure, limits[0]) : (more ? "≥" : "≤") + text(figure, limits[i - 1]);
      box.appendChild(document.createTextNode(limit));
    });
    if (someNone) {
      var grey = document.createElement("span");
      grey.style.background = NONE;
      box.appendChild(grey);
      box.appendChild(document.createTextNode("无数据（如方案未发布）"));
    }
  }

  var select = document.getElementById("county-figure");
  select.addEventListener("change", function () { colour(select.value); });
  colour(select.value);
}());
