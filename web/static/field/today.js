/* 今日走访: the due list grouped by 村民小组, most urgent first and then nearest to where the
 * user stands; a tap opens the record sheet. The route needs the server: with no signal it
 * says so and lists the due places by straight-line distance instead.
 */
(() => {
  const {$} = FIELD;
  const RANK = ["event_overdue", "event_open", "overdue", "due"];
  const ROUTE_WAIT_MS = 30_000;
  const recorded = new Map();  // key → what the row says once a record of it was made here
  const recordedItems = new Map();  // key → the item, kept on screen after it leaves the due list
  let routeLayer = null;

  const keyOf = item => `${item.household_id || ""}:${item.event_id || ""}`;
  FIELD.keyOf = keyOf;
  FIELD.openHousehold = home => {
    const item = FIELD.data.due.find(i => i.household_id === home.id);
    if (item) FIELD.record(item); else FIELD.showHousehold(home);
  };

  function distance(item) {
    return FIELD.position ? FIELD.metres(FIELD.position, item) : null;
  }

  function far(metres) {
    return metres === null ? "" : metres < 1000 ? `约 ${Math.round(metres / 10) * 10} 米` : `约 ${(metres / 1000).toFixed(1)} 公里`;
  }

  // Most urgent first, then nearest (when the position is known), then the server's order.
  function sorted(items) {
    return items.map((item, order) => ({item, order, rank: RANK.indexOf(item.priority), metres: distance(item)}))
      .sort((a, b) => a.rank - b.rank || (a.metres ?? 0) - (b.metres ?? 0) || a.order - b.order);
  }

  function groupOf(item) {
    const home = item.household_id && FIELD.households.get(item.household_id);
    return (home && home.group) || item.village || "其他";
  }

  function row(entry) {
    const {item, metres} = entry, home = item.household_id && FIELD.households.get(item.household_id);
    const li = document.createElement("li");
    li.dataset.key = keyOf(item);
    li.tabIndex = 0;
    const tag = document.createElement("span"), who = document.createElement("span"), small = document.createElement("small");
    tag.className = `tag ${item.priority}`; tag.textContent = item.label;
    who.className = "who";
    who.textContent = `${home ? home.head : item.event_type}${item.event_type && home ? " · " + item.event_type : ""}`;
    small.textContent = [home ? home.code : item.village, far(metres)].filter(Boolean).join(" · ");
    who.append(small);
    const state = document.createElement("span");
    state.className = "state"; state.setAttribute("aria-live", "polite");
    state.textContent = recorded.get(keyOf(item)) || "";
    li.classList.toggle("done", recorded.has(keyOf(item)));
    li.append(tag, who, state);
    li.addEventListener("click", () => FIELD.record(item));
    li.addEventListener("keydown", event => { if (event.key === "Enter") FIELD.record(item); });
    return li;
  }

  function render() {
    if (!FIELD.data) return;
    const due = FIELD.data.due;
    const groups = new Map();
    sorted(due).forEach(entry => {
      const name = groupOf(entry.item);
      groups.set(name, [...(groups.get(name) || []), entry]);
    });
    const listed = new Set(due.map(keyOf));
    const gone = [...recordedItems.values()].filter(item => !listed.has(keyOf(item)));
    if (gone.length) groups.set("本次已记录", gone.map(item => ({item, metres: distance(item)})));
    $("due-list").replaceChildren(...[...groups.entries()].map(([name, entries]) => {
      const section = document.createElement("section"), title = document.createElement("h3"), list = document.createElement("ol");
      section.className = "due-group";
      title.textContent = `${name}（${entries.length} 项）`;
      list.className = "due-list";
      list.append(...entries.map(row));
      section.append(title, list);
      return section;
    }));
    $("due-count").textContent = due.length;
    $("due-day").textContent = FIELD.data.day;
    $("due-empty").hidden = due.length > 0;
    $("due-order").textContent = FIELD.position ? "同组内先急后近（按离您的直线距离）" : "同组内按紧急程度；定位后再按远近排列";
  }

  function mark(key, text) {
    recorded.set(key, text);
    const li = document.querySelector(`#due-list li[data-key="${key}"]`);
    if (li) { li.classList.add("done"); li.querySelector(".state").textContent = text; }
  }

  FIELD.on("recorded", item => { recordedItems.set(keyOf(item), item); mark(keyOf(item), "已存手机，待上传"); });
  FIELD.outbox.listeners.push(message => {
    const stored = message.stored;
    if (!stored || message.kind !== "visit") return;
    mark(keyOf(stored), stored.flagged ? `已记录，距农户 ${stored.distance_m} 米，待核实` : "已记录");
  });
  FIELD.on("data", render);
  let lastSorted = 0;
  FIELD.on("position", () => { if (Date.now() - lastSorted > 15_000) { lastSorted = Date.now(); render(); } });

  function stopRow(cells) {
    const tr = document.createElement("tr");
    cells.forEach((text, k) => {
      const td = document.createElement("td");
      td.textContent = text;
      if (k === cells.length - 1) td.className = "print-only";
      tr.append(td);
    });
    return tr;
  }

  function nameOf(stop) {
    const home = stop.household_id && FIELD.households.get(stop.household_id);
    const item = FIELD.data.due.find(i => (stop.event_id && i.event_id === stop.event_id) || (!stop.event_id && i.household_id === stop.household_id)) || {};
    return {who: (home && home.head) || item.event_type || "事件", where: `${(home && home.village) || item.village || ""}${home ? " · " + home.code : ""}`};
  }

  // No signal: the due places by straight-line distance from here, nearest first.
  function offlineRoute() {
    const places = sorted(FIELD.data.due).sort((a, b) => FIELD.position ? a.metres - b.metres : 0);
    $("route-summary").textContent = "规划路线需要网络，现在没有信号。" + (FIELD.position
      ? `下面是 ${places.length} 处待办，按离您的直线距离由近到远排列（实际路程会更长）。`
      : "也未能定位：下面按紧急程度排列。");
    $("route-summary").className = "route-offline";
    showGaps([]);
    document.querySelector("#route-stops tbody").replaceChildren(...places.map((entry, k) => {
      const {who, where} = nameOf(entry.item);
      return stopRow([k + 1, who, where, entry.item.label, entry.metres === null ? "—" : `直线 ${far(entry.metres)}`, "—", ""]);
    }));
    $("route").hidden = false; $("print-button").hidden = !places.length;
  }

  // Legs the road data does not join (or only by a long detour): named, for the township to fix.
  function showGaps(gaps) {
    const list = $("route-gaps");
    list.replaceChildren(...gaps.map(gap => {
      const li = document.createElement("li");
      li.textContent = gap.text;
      return li;
    }));
    list.hidden = !gaps.length;
  }

  function summary(route) {
    const from = route.closed ? `从${route.start}出发并返回` : `从${route.start}出发`;
    return `${from}：${route.stops.length} 处，全程 ${(route.length_m / 1000).toFixed(1)} 公里，` +
      `路上约 ${route.travel_min} 分钟，走访约 ${route.service_min} 分钟` +
      (route.left_out ? `；时间不够，另有 ${route.left_out} 处未排入` : "") +
      (route.gaps.length ? `；${route.gaps.length} 段道路数据有缺口（不按道路绕行，按直线估算，已列在下面，请报告镇里核对道路数据）` : "");
  }

  function drawRoute(route) {
    if (routeLayer) routeLayer.remove();
    routeLayer = L.featureGroup().addTo(FIELD.map);
    if (route.line) L.geoJSON(route.line, {style: {color: "#2e7d32", weight: 5}}).addTo(routeLayer);
    L.circleMarker([route.base[1], route.base[0]], {radius: 8, color: "#000"}).bindTooltip(route.start).addTo(routeLayer);
    route.stops.forEach(s => L.marker([s.lat, s.lon]).bindTooltip(String(s.seq), {permanent: true, direction: "top"}).addTo(routeLayer));
    $("route-summary").className = "";
    $("route-summary").textContent = summary(route);
    showGaps(route.gaps);
    const gapTo = new Set(route.gaps.map(gap => gap.b));
    document.querySelector("#route-stops tbody").replaceChildren(...route.stops.map(s => {
      const {who, where} = nameOf(s);
      const leg = gapTo.has(s.code || `事件 ${s.event_id}`) ? `${s.leg_m} 米（道路缺口，按直线估算）` : `${s.leg_m} 米`;
      return stopRow([s.seq, who, where, s.priority, leg, `第 ${s.arrive_min} 分钟`, ""]);
    }));
    $("route").hidden = false; $("print-button").hidden = !route.stops.length;
    if (route.stops.length) FIELD.map.fitBounds(routeLayer.getBounds().pad(0.1), {animate: false});
  }

  function refusal(message) {
    $("route-summary").className = "route-offline";
    $("route-summary").textContent = message;
    showGaps([]);
    document.querySelector("#route-stops tbody").replaceChildren();
    $("route").hidden = false; $("print-button").hidden = true;
  }

  // From where the user stands (the phone's position), or from home or 驻地.
  function routeUrl() {
    const start = $("route-start").value, query = new URLSearchParams({hours: $("route-hours").value,
                                                                      mode: $("route-mode").value, start});
    if (start === "here" && FIELD.position) {
      query.set("lon", FIELD.position.lon.toFixed(6));
      query.set("lat", FIELD.position.lat.toFixed(6));
    }
    return `${FIELD.config.route}?${query}`;
  }

  $("route-button").addEventListener("click", async () => {
    if (!FIELD.data) return;
    if (!navigator.onLine) { offlineRoute(); return; }
    const button = $("route-button");
    button.disabled = true; button.textContent = "规划中…";
    const stop = new AbortController(), timer = setTimeout(() => stop.abort(), ROUTE_WAIT_MS);
    try {
      const answer = await fetch(routeUrl(), {credentials: "same-origin", signal: stop.signal});
      const route = await answer.json();
      if (route.error) refusal(route.error.message); else drawRoute(route);
    } catch (error) {
      offlineRoute();  // no answer: the network is gone or too slow
    } finally {
      clearTimeout(timer);
      button.disabled = false; button.textContent = "规划路线";
    }
  });
  $("print-button").addEventListener("click", () => window.print());
})();
