/* The field pages' common part (window.FIELD): the service worker, the working set (the
 * phone's copy at once, then the server's when it changed), the outbox's sending (on opening,
 * on regaining signal, every half minute for what waits out its backoff), the position, and
 * the warning on plain HTTP from another host, where browsers allow no offline use and no GPS.
 */
(() => {
  const config = JSON.parse(document.getElementById("field-config").textContent);
  const outbox = self.gridmgmtOutbox;
  const $ = id => document.getElementById(id);
  const handlers = {};
  const FIELD = window.FIELD = {
    config, outbox, data: null, position: null, $,
    on(name, handler) { (handlers[name] = handlers[name] || []).push(handler); },
    emit(name, value) { (handlers[name] || []).forEach(handler => handler(value)); },
  };
  const REFRESH_MS = 10 * 60_000, SEND_EVERY_MS = 30_000, RETRY_MS = 15_000;
  // The worker's caches of the user's data (sw.js); KEPT_PHOTOS is its bound on photos.
  const USER_CACHES = ["gridmgmt-data", "gridmgmt-pages", "gridmgmt-households", "gridmgmt-followups", "gridmgmt-photos"];
  const KEPT_PHOTOS = 16;

  function note(id, text) { const el = $(id); if (el) { el.textContent = text; el.hidden = !text; } }

  // Caddy (docs/deploy.md) answers HTTPS on the same name and offers its root certificate over HTTP.
  if (!window.isSecureContext) {
    const https = `https://${location.hostname}${location.pathname}`;
    note("secure-note", `这是 HTTP 地址：离线使用和定位都需要用 HTTPS 地址打开（${https}）。` +
                        `第一次使用前，先在手机上安装根证书（http://${location.hostname}/gridmgmt-ca.crt），` +
                        "或向镇里的信息化人员要地址。现在只能在有信号时使用，记录照常上传。");
  }

  // The worker: only where the browser allows it (HTTPS or this machine).
  FIELD.worker = window.isSecureContext && "serviceWorker" in navigator && window.workbox
    ? new workbox.Workbox(config.sw, {scope: config.scope}) : null;
  if (FIELD.worker) FIELD.worker.register();

  // The working set the server sent last, kept by the worker: null when there is none
  // or it is another user's (then it is thrown away).
  async function keptData() {
    if (!window.caches) return null;
    const kept = await caches.match(config.data, {ignoreVary: true});
    const data = kept && await kept.json().catch(() => null);
    if (data && data.user.id !== config.user) { await forgetOtherUser(); return null; }
    return data && {data, at: kept.headers.get("Date"), version: kept.headers.get("ETag")};
  }

  async function forgetOtherUser() {
    const names = await caches.keys();
    await Promise.all(names.filter(n => USER_CACHES.includes(n)).map(n => caches.delete(n)));
  }

  function show(data, at, version, fresh) {
    const changed = !FIELD.data || FIELD.version !== version;
    FIELD.data = data;
    FIELD.version = version;
    FIELD.households = new Map(data.households.map(h => [h.id, h]));
    FIELD.byCode = new Map(data.households.map(h => [h.code, h]));
    const when = at ? new Date(at).toLocaleString("zh-CN", {hour12: false}) : "";
    note("data-status", fresh ? "" : `离线：显示的是 ${when} 下载到手机的数据`);
    if (changed) FIELD.emit("data", data);
    return changed;
  }

  // The server's working set when there is signal (304 when the phone's is current).
  async function refresh() {
    let answer;
    try {
      answer = await fetch(config.data, {credentials: "same-origin"});
    } catch (error) {
      if (!FIELD.data) note("data-status", "没有网络，手机上也还没有离线数据：请在有信号时打开一次。");
      return false;
    }
    if (answer.status === 401) { FIELD.emit("login", true); return false; }
    if (!answer.ok) return false;
    const kept = answer.clone();
    const data = await answer.json();
    if (data.user.id !== config.user) { await forgetOtherUser(); location.reload(); return false; }
    const copy = Boolean(answer.headers.get("X-Field-Copy"));  // the worker's copy: no signal
    const changed = show(data, answer.headers.get("Date"), answer.headers.get("ETag"), !copy);
    if (!copy) lastAnswer = kept;
    // A weak signal (the worker waited NETWORK_WAIT_S): try again soon, not only at the next REFRESH_MS,
    // waiting twice as long each time the copy comes again (a phone "online" with no data at all).
    if (!copy) retryMs = RETRY_MS;
    if (copy && navigator.onLine && !retrying) {
      retrying = setTimeout(() => { retrying = null; refresh(); }, retryMs);
      retryMs = Math.min(2 * retryMs, REFRESH_MS);
    }
    // New visits' photos (the user's own once sent, a colleague's) are kept as the first ones were.
    if (!copy && changed && document.documentElement.dataset.offline === "ready") keepFollowups();
    return !copy;
  }
  let lastAnswer = null;  // the server's last working set, for the worker's cache on first load
  let retrying = null, retryMs = RETRY_MS;
  FIELD.refresh = refresh;

  // Ready with no signal: both pages and the working set are on the phone.
  async function keepForOffline() {
    if (!FIELD.worker) return;
    await navigator.serviceWorker.ready;
    if (!navigator.serviceWorker.controller) {
      await new Promise(resolve => navigator.serviceWorker.addEventListener("controllerchange", resolve, {once: true}));
    }
    if (navigator.storage && navigator.storage.persist) navigator.storage.persist();
    const fetched = await Promise.all([...config.pages.map(url => fetch(url, {credentials: "same-origin"})
      .then(r => r.ok, () => false)), keepData()]);
    if (!fetched.every(Boolean)) return;
    document.documentElement.dataset.offline = "ready";
    note("offline-ready", "已存到手机：没有信号也能打开本页、查农户、记走访");
    await keepFollowups();
    document.documentElement.dataset.followups = "ready";
  }

  // The follow-up list and the newest photos of the working set's files, for use with no signal
  // (the worker keeps them, the photos within its bound).
  async function keepFollowups() {
    const photos = FIELD.data ? FIELD.data.households.flatMap(h => h.file.visits.map(v => [v.at, v.photos]))
      .sort((a, b) => (a[0] < b[0] ? 1 : -1)).flatMap(([, ids]) => ids).slice(0, KEPT_PHOTOS) : [];
    const urls = [...(config.followups ? [config.followups] : []), ...photos.map(id => config.photos + id)];
    await Promise.all(urls.map(url => fetch(url, {credentials: "same-origin"}).catch(() => null)));
  }

  // The working set into the worker's cache. On first load the page fetched it before the worker
  // took control: store that answer rather than ask again (the server would build it twice).
  async function keepData() {
    const kept = await caches.match(config.data, {ignoreVary: true});
    if (kept && FIELD.version && kept.headers.get("ETag") === FIELD.version) return true;
    if (lastAnswer && lastAnswer.headers.get("ETag") === FIELD.version) {
      await (await caches.open("gridmgmt-data")).put(config.data, lastAnswer.clone());
      return true;
    }
    return fetch(config.data, {credentials: "same-origin"}).then(r => r.ok, () => false);
  }

  // Sending: one run at a time, and one more after it when asked meanwhile (a record made
  // during a run is not in it). The server's session gives the user and a fresh CSRF token
  // (a page opened from the phone's copy may carry an old one).
  async function sendWaiting(force) {
    let session;
    try {
      const answer = await fetch(config.session, {credentials: "same-origin", cache: "no-store"});
      if (answer.status === 401 || answer.status === 403) return "login";
      if (!answer.ok) return "server";
      session = await answer.json();
    } catch (error) {
      return "offline";
    }
    if (session.user.id !== config.user) return "login";  // another user's session: theirs waits
    return outbox.flush(config.user, session.csrf_token, config.outbox, force);
  }
  async function sendOnce(force) {
    const outcome = await sendWaiting(force);
    FIELD.emit("login", outcome === "login");
    FIELD.emit("sent", outcome);
    return outcome;
  }
  let running = null, next = null;
  function send(force) {
    if (next) return next;
    if (!running) {
      running = sendOnce(force).finally(() => { running = null; });
      return running;
    }
    next = running.then(() => { next = null; return send(force); });
    return next;
  }
  FIELD.send = send;

  // A new or edited record: send it now, and ask the worker to send it when the signal is back.
  FIELD.queued = () => {
    if (navigator.serviceWorker && navigator.serviceWorker.controller) {
      navigator.serviceWorker.controller.postMessage({type: "outbox"});
    }
    return send(true);
  };

  // What was stored changes the due list: fetch the working set again once sending is done.
  // The worker may have sent them (background sync): its run's end counts as well.
  let stored = false;
  const refreshIfStored = () => { if (stored) { stored = false; refresh(); } };
  outbox.listeners.push(message => {
    if (message.stored) stored = true;
    if (message.flushed) refreshIfStored();
  });
  FIELD.on("sent", refreshIfStored);

  function watchPosition() {
    if (!navigator.geolocation) return;
    navigator.geolocation.watchPosition(p => {
      FIELD.position = {lon: p.coords.longitude, lat: p.coords.latitude, accuracy_m: p.coords.accuracy, at: Date.now()};
      FIELD.emit("position", FIELD.position);
    }, () => {}, {enableHighAccuracy: true, maximumAge: 30_000});
  }

  // Metres between two {lon, lat} (haversine): the due list's "how far", the sheet's check.
  FIELD.metres = (a, b) => {
    const rad = Math.PI / 180, dLat = (b.lat - a.lat) * rad, dLon = (b.lon - a.lon) * rad;
    const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
    return 2 * 6371008.8 * Math.asin(Math.sqrt(h));
  };

  async function start() {
    const kept = await keptData();
    if (kept) show(kept.data, kept.at, kept.version, false);
    const fresh = await refresh();
    if (!fresh && !kept && !FIELD.data) FIELD.emit("nodata", true);
    send(true);
    keepForOffline();
    watchPosition();
    window.addEventListener("online", () => { send(true); refresh(); });
    setInterval(() => send(false), SEND_EVERY_MS);
    setInterval(refresh, REFRESH_MS);
  }
  document.addEventListener("DOMContentLoaded", start);
})();
