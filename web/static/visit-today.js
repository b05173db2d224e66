// The grid worker's visit page. A visit, an event report or a check-in gets its client id when first
// submitted and waits in localStorage until the server acknowledges it (2xx) or refuses it for
// good (a 4xx whose error says "final"); a 5xx, 429, 401/403 or no network keeps it, and it is
// resent when the page opens and when the phone comes back online. The same client id makes
// every resend one visit, one event.
(() => {
  const {items, places, cells, recordUrl, eventUrl, checkinUrl, routeUrl, householdUrl} = VISITS;
  const PENDING = "gridmgmt-pending-visits", PENDING_EVENTS = "gridmgmt-pending-events";
  const PENDING_CHECKINS = "gridmgmt-pending-checkins";
  const COLOURS = {event_overdue: "#b71c1c", event_open: "#ef6c00", overdue: "#c62828", due: "#1565c0", done: "#2e7d32"};
  const csrf = document.querySelector('meta[name="csrf-token"]').content;
  const $ = id => document.getElementById(id);
  const sheet = $("visit-sheet");
  const map = L.map("visit-map", {maxZoom: 18});  // no tile layer sets one; fitting a single point needs it
  L.control.scale({imperial: false}).addTo(map);
  let current = null, fix = null, routeLayer = null, draftEvent = null;

  function uuid4() {  // crypto.randomUUID needs HTTPS; intranets often serve plain HTTP
    const b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 15) | 64; b[8] = (b[8] & 63) | 128;
    const h = Array.from(b, x => x.toString(16).padStart(2, "0")).join("");
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }
  const stored = name => JSON.parse(localStorage.getItem(name) || "{}");
  const pending = () => stored(PENDING);
  const keep = all => localStorage.setItem(PENDING, JSON.stringify(all));
  function forget(name, key) { const all = stored(name); delete all[key]; localStorage.setItem(name, JSON.stringify(all)); }
  const keyOf = item => `${item.household_id}:${item.event_id || ""}`;
  const rowOf = key => document.querySelector(`#due-list li[data-index="${items.findIndex(i => keyOf(i) === key)}"]`);

  function markDone(key, answer) {
    const row = rowOf(key);
    if (!row) return;
    row.classList.add("done");
    row.querySelector(".state").textContent = answer.flagged ? `已记录，距农户 ${answer.distance_m} 米，待核实` : "已记录";
  }

  class Refused extends Error {}  // the server's final no: resending can never help

  // What the button says while an item waits on the phone, by the error that kept it there.
  function waiting(error) {
    if (error instanceof TypeError) return "网络不畅，已存手机，点此重试";
    if (error.status === 401 || error.status === 403 || error.code === "csrf") return "登录已过期，已存手机，重新登录后自动补发";
    return "服务器暂不可用，已存手机，点此重试";
  }

  async function post(url, body) {  // the reply; Refused, an Error with .status, or a TypeError offline
    const answer = await fetch(url, {method: "POST", body: JSON.stringify(body),
                               headers: {"Content-Type": "application/json", "X-CSRFToken": csrf}});
    const reply = await answer.json().catch(() => null);  // a login page or a proxy's error is not JSON
    if (answer.ok && reply) return reply;
    const error = (reply && reply.error) || {};
    if (error.final && answer.status >= 400 && answer.status < 500) throw new Refused(error.message);
    throw Object.assign(new Error(error.message || `HTTP ${answer.status}`), {status: answer.status, code: error.code});
  }

  async function send(key, body) {
    const reply = await post(recordUrl, body);
    forget(PENDING, key);
    markDone(key, reply);
    return reply;
  }

  async function sendEvent(body) {
    const reply = await post(eventUrl, body);
    forget(PENDING_EVENTS, body.client_id);
    return reply;
  }

  async function sendCheckin(body) {
    const reply = await post(checkinUrl, body);
    forget(PENDING_CHECKINS, body.client_id);
    $("checkin-state").textContent = "已签到";
    return reply;
  }

  // 在村签到 (003 三.5): where and when the resident is; it waits on the phone like a visit.
  $("checkin-button").addEventListener("click", () => {
    if (!navigator.geolocation) { $("checkin-state").textContent = "此浏览器不能定位，无法签到"; return; }
    $("checkin-state").textContent = "正在定位…";
    navigator.geolocation.getCurrentPosition(p => {
      const body = {client_id: uuid4(), lon: p.coords.longitude, lat: p.coords.latitude,
                    accuracy_m: p.coords.accuracy, checked_at: new Date().toISOString()};
      localStorage.setItem(PENDING_CHECKINS, JSON.stringify({...stored(PENDING_CHECKINS), [body.client_id]: body}));
      sendCheckin(body).catch(error => {
        if (error instanceof Refused) { forget(PENDING_CHECKINS, body.client_id); $("checkin-state").textContent = error.message; }
        else $("checkin-state").textContent = waiting(error).replace("点此重试", "稍后自动补发");
      });
    }, () => { $("checkin-state").textContent = "未能定位，无法签到"; }, {enableHighAccuracy: true, timeout: 10000});
  });

  function locate() {
    fix = null;
    $("sheet-fix").textContent = navigator.geolocation ? "正在定位…" : "此浏览器不能定位，记录照存但无距离";
    if (!navigator.geolocation) return;
    navigator.geolocation.getCurrentPosition(p => {
      fix = {lon: p.coords.longitude, lat: p.coords.latitude, accuracy_m: p.coords.accuracy};
      $("sheet-fix").textContent = `已定位，精度约 ${Math.round(p.coords.accuracy)} 米`;
    }, () => { $("sheet-fix").textContent = "未能定位（内网 HTTP 下浏览器可能不给定位），记录照存但无距离"; },
    {enableHighAccuracy: true, timeout: 10000});
  }

  function open(item) {
    current = item;
    $("sheet-title").textContent = item.head || item.event_type;
    $("sheet-where").textContent = `${item.label} · ${item.village}${item.code ? " · " + item.code : ""}` +
                                   (item.event_type && item.head ? ` · ${item.event_type}` : "");
    $("sheet-household").hidden = !item.code;
    $("sheet-household").href = item.code ? householdUrl.replace("CODE", item.code) : "#";
    $("sheet-kind").closest("label").hidden = Boolean(item.event_id);
    $("sheet-note").value = ""; $("sheet-follow").value = ""; $("event-note").value = "";
    $("sheet-event").hidden = !item.household_id; $("sheet-event").open = false; draftEvent = null;
    $("event-submit").disabled = false; $("event-submit").textContent = "上报事件";
    $("sheet-submit").disabled = !item.household_id;
    $("sheet-submit").textContent = item.event_id ? "登记到场（附定位）" : "记录走访（附定位）";
    locate();
    sheet.showModal();
  }

  $("sheet-submit").addEventListener("click", async () => {
    const key = keyOf(current), all = pending(), button = $("sheet-submit");
    if (!all[key]) {  // the first submission fixes the id, time and text; retries resend them
      const follow = $("sheet-follow").value.trim(), note = $("sheet-note").value.trim();
      all[key] = {client_id: uuid4(), household_id: current.household_id, event_id: current.event_id,
                  kind: current.event_id ? "event" : $("sheet-kind").value, visited_at: new Date().toISOString(),
                  note: [note, follow && `需跟进：${follow}`].filter(Boolean).join("\n") || null, ...(fix || {})};
      keep(all);
    }
    button.disabled = true; button.textContent = "提交中…";
    try {
      await send(key, all[key]);
      sheet.close();
    } catch (error) {
      button.disabled = false;
      button.textContent = error instanceof Refused ? "重新提交" : waiting(error);
      if (error instanceof Refused) { alert(error.message); forget(PENDING, key); }
    }
  });

  $("event-submit").addEventListener("click", async () => {
    const button = $("event-submit");
    if (!draftEvent) {  // the first tap fixes the id, time and text; retries resend them
      draftEvent = {client_id: uuid4(), household_id: current.household_id, event_type: $("event-type").value,
                    description: $("event-note").value.trim() || null, reported_at: new Date().toISOString()};
      localStorage.setItem(PENDING_EVENTS, JSON.stringify({...stored(PENDING_EVENTS), [draftEvent.client_id]: draftEvent}));
    }
    button.disabled = true; button.textContent = "上报中…";
    try {
      const reply = await sendEvent(draftEvent);
      alert(`已上报，须在 ${new Date(reply.attend_by).toLocaleString("zh-CN")} 前到场`);
      window.location.reload();  // the new event goes to the top of the list
    } catch (error) {
      button.disabled = false;
      button.textContent = error instanceof Refused ? "上报事件" : waiting(error);
      if (error instanceof Refused) { alert(error.message); forget(PENDING_EVENTS, draftEvent.client_id); draftEvent = null; }
    }
  });

  document.querySelectorAll("#due-list li").forEach(row => {
    const item = items[+row.dataset.index];
    row.addEventListener("click", () => open(item));
    row.addEventListener("keydown", e => { if (e.key === "Enter") open(item); });
  });

  // The worker's published cells give the blank (no basemap) map its bearings.
  const outline = L.featureGroup(cells.map(c => L.geoJSON(c.geojson, {style: {color: "#d84315", weight: 3, fillOpacity: .04}})
                                                 .bindTooltip(c.name))).addTo(map);
  const layer = L.featureGroup(places.map(p => {
    const item = items.find(i => i.household_id === p.household_id);
    const marker = L.circleMarker([p.lat, p.lon], {radius: 7, color: COLOURS[p.status], fillOpacity: .8}).bindTooltip(p.label);
    return item ? marker.on("click", () => open(item)) : marker;
  })).addTo(map);
  const start = L.featureGroup([layer, outline]).getBounds();
  if (start.isValid()) map.fitBounds(start.pad(0.1)); else map.setView([23.9, 115.7], 12);

  function stopRow(s) {
    const item = items.find(i => (s.event_id && i.event_id === s.event_id) || (!s.event_id && i.household_id === s.household_id)) || {};
    const cells = [s.seq, item.head || item.event_type || "事件", `${item.village || ""}${s.code ? " · " + s.code : ""}`,
                   s.priority, `${s.leg_m} 米`, `第 ${s.arrive_min} 分钟`, ""];
    const tr = document.createElement("tr");
    cells.forEach((text, k) => { const td = document.createElement("td"); td.textContent = text;
                                 if (k === cells.length - 1) td.className = "print-only"; tr.append(td); });
    return tr;
  }

  $("route-button").addEventListener("click", async () => {
    $("route-button").disabled = true; $("route-button").textContent = "规划中…";
    const answer = await fetch(`${routeUrl}?hours=${$("route-hours").value}&mode=${$("route-mode").value}`);
    const route = await answer.json();
    $("route-button").disabled = false; $("route-button").textContent = "规划路线";
    if (route.error) { alert(route.error.message); return; }
    if (routeLayer) routeLayer.remove();
    routeLayer = L.featureGroup().addTo(map);
    if (route.line) L.geoJSON(route.line, {style: {color: "#2e7d32", weight: 5}}).addTo(routeLayer);
    L.circleMarker([route.base[1], route.base[0]], {radius: 8, color: "#000"}).bindTooltip("驻地").addTo(routeLayer);
    route.stops.forEach(s => L.marker([s.lat, s.lon]).bindTooltip(String(s.seq), {permanent: true, direction: "top"})
                                   .addTo(routeLayer));
    $("route-summary").textContent = `从驻地出发并返回：${route.stops.length} 处，全程 ${(route.length_m / 1000).toFixed(1)} 公里，` +
      `路上约 ${route.travel_min} 分钟，走访约 ${route.service_min} 分钟` + (route.left_out ? `；时间不够，另有 ${route.left_out} 处未排入` : "") +
      (route.gaps.length ? `；${route.gaps.length} 段道路数据不连通，按直线的 1.5 倍估算` : "");
    document.querySelector("#route-stops tbody").replaceChildren(...route.stops.map(stopRow));
    $("route").hidden = false; $("print-button").hidden = !route.stops.length;
    if (route.stops.length) map.fitBounds(routeLayer.getBounds().pad(0.1), {animate: false});
  });
  $("print-button").addEventListener("click", () => window.print());

  // Visits and events submitted but not acknowledged (no network, the server or its database down,
  // the login expired, the page closed): send them again now and whenever the phone comes back
  // online. Only the server's final no drops one; anything else keeps it for the next time.
  const dropRefused = (name, key) => error => { if (error instanceof Refused) forget(name, key); };
  function resend() {
    Object.entries(pending()).forEach(([key, body]) => send(key, body).catch(dropRefused(PENDING, key)));
    Object.values(stored(PENDING_EVENTS)).forEach(body => sendEvent(body).then(
      reply => { if (reply.created) window.location.reload(); },  // the event was not on this page yet
      dropRefused(PENDING_EVENTS, body.client_id)));
    Object.values(stored(PENDING_CHECKINS)).forEach(body => sendCheckin(body).catch(dropRefused(PENDING_CHECKINS, body.client_id)));
  }
  resend();
  window.addEventListener("online", resend);
})();
