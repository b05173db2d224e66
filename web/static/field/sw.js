/* The field app's service worker, served at /sw.js after one line of settings (FIELD_SW,
 * web/field.py). Workbox keeps the shell (scripts, styles, icons: precached by content hash),
 * the field pages and the user's working set (network first, the copy when there is no signal),
 * and the household pages opened online. Logging out empties every cache of the user's data.
 * Queued records are sent by the pages and, through Workbox's background sync, by this worker
 * when the phone regains signal with the app closed (field/outbox.js).
 */
importScripts(...FIELD_SW.imports);

const {core, precaching, routing, strategies, expiration, backgroundSync} = workbox;
const PAGES = "gridmgmt-pages", HOUSEHOLDS = "gridmgmt-households", DATA = "gridmgmt-data";
const FOLLOWUPS = "gridmgmt-followups", PHOTOS = "gridmgmt-photos";
const USER_CACHES = [PAGES, HOUSEHOLDS, DATA, FOLLOWUPS, PHOTOS];
// Photos are at most 300 KB: this many keeps the photo cache within a few MB.
const KEPT_PHOTOS = 16;
const NETWORK_WAIT_S = 4;  // then the phone's copy: a weak signal must not hold the app up

core.setCacheNameDetails({prefix: "gridmgmt"});
self.skipWaiting();
core.clientsClaim();
precaching.cleanupOutdatedCaches();
precaching.precacheAndRoute(FIELD_SW.precache.map(url => ({url, revision: null})));

// Keep only real pages: never a redirect to the login page, an error page or a 304 body.
const pagesOnly = {cacheWillUpdate: async ({response}) => response.status === 200 && !response.redirected ? response : null};
const same = {ignoreVary: true, ignoreSearch: true};
// A server answering 5xx (its database down, 503) counts as no signal: the phone's copy opens.
const serverDown = {fetchDidSucceed: async ({response}) => {
  if (response.status >= 500) throw new Error(`HTTP ${response.status}`);
  return response;
}};

const pages = new strategies.NetworkFirst({cacheName: PAGES, networkTimeoutSeconds: NETWORK_WAIT_S, matchOptions: same,
                                           plugins: [serverDown, pagesOnly, new expiration.ExpirationPlugin({maxEntries: 6})]});
routing.registerRoute(({url}) => FIELD_SW.pages.includes(url.pathname), pages);

routing.registerRoute(({url, request}) => request.mode === "navigate" && url.pathname.startsWith(FIELD_SW.households),
  new strategies.NetworkFirst({cacheName: HOUSEHOLDS, networkTimeoutSeconds: NETWORK_WAIT_S, plugins: [
    pagesOnly, new expiration.ExpirationPlugin({maxEntries: 30, maxAgeSeconds: 7 * 24 * 3600})]}));

// The follow-up pages: the township's list and each item opened online, kept a week. The field
// menu's 民情跟进 (a redirect to the list) opens the list kept when there is no signal.
const [listStart, listEnd] = FIELD_SW.followups.list.split("CODE");
function isFollowupList(path) {
  const code = path.slice(listStart.length, path.length - listEnd.length);
  return path.startsWith(listStart) && path.endsWith(listEnd) && code.length > 0 && !code.includes("/");
}
function isFollowup(path) {
  const item = FIELD_SW.followups.item;
  return isFollowupList(path) || (path.startsWith(item) && /^\d+$/.test(path.slice(item.length)));
}
const followups = new strategies.NetworkFirst({cacheName: FOLLOWUPS, networkTimeoutSeconds: NETWORK_WAIT_S,
  matchOptions: {ignoreVary: true}, plugins: [
    serverDown, pagesOnly, new expiration.ExpirationPlugin({maxEntries: 30, maxAgeSeconds: 7 * 24 * 3600})]});
routing.registerRoute(({url}) => isFollowup(url.pathname), followups);  // opened, or fetched by the page to keep
routing.registerRoute(({url, request}) => request.mode === "navigate" && url.pathname === FIELD_SW.followups.home,
  async ({request}) => {
    try {
      return await fetch(request);
    } catch (error) {
      const cache = await caches.open(FOLLOWUPS);
      const lists = (await cache.keys()).filter(kept => isFollowupList(new URL(kept.url).pathname));
      if (!lists.length) throw error;
      return cache.match(lists[0], {ignoreVary: true});
    }
  });

// Visit photos: each kept once fetched (the household file, the follow-up page), the newest few.
routing.registerRoute(({url}) => url.pathname.startsWith(FIELD_SW.photos),
  new strategies.CacheFirst({cacheName: PHOTOS, plugins: [
    pagesOnly, new expiration.ExpirationPlugin({maxEntries: KEPT_PHOTOS, purgeOnQuotaError: true})]}));

// The page tells the working set it got from the phone's copy (no signal) by this header.
const markCopy = {cachedResponseWillBeUsed: async ({cachedResponse}) => {
  if (!cachedResponse) return null;
  const headers = new Headers(cachedResponse.headers);
  headers.set("X-Field-Copy", "1");
  return new Response(await cachedResponse.blob(), {status: cachedResponse.status, headers});
}};
routing.registerRoute(({url}) => url.pathname === FIELD_SW.data,
  new strategies.NetworkFirst({cacheName: DATA, networkTimeoutSeconds: NETWORK_WAIT_S, matchOptions: same,
                               plugins: [serverDown, pagesOnly, markCopy, new expiration.ExpirationPlugin({maxEntries: 1})]}));

// Logging out (退出, 退出全部设备): nothing of this user stays on the phone but their outbox,
// which only they can send.
async function forgetUser() {
  await Promise.all(USER_CACHES.map(name => caches.delete(name)));
}
routing.registerRoute(({url}) => FIELD_SW.logout.includes(url.pathname),
  async ({request}) => { await forgetUser(); return fetch(request); }, "POST");

// With no signal, a page not kept: a household opens in the app (field/app.js reads the
// address), anything else says so.
const OFFLINE_PAGE = `<!doctype html><html lang="zh-CN"><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>没有网络</title><body style="font-family:sans-serif;padding:16px"><h1>没有网络</h1>
<p>这个页面没有离线保存。有信号后再打开。</p><p><a href="${FIELD_SW.pages[0]}">打开我的网格</a> · <a href="${FIELD_SW.pages[1]}">今日走访</a></p>`;
routing.setCatchHandler(async ({request, url}) => {
  if (request.mode !== "navigate") return Response.error();
  if (url.pathname.startsWith(FIELD_SW.households)) {
    const shell = await caches.match(FIELD_SW.pages[0], {cacheName: PAGES, ...same});
    if (shell) return shell;
  }
  return new Response(OFFLINE_PAGE, {status: 503, headers: {"Content-Type": "text/html; charset=utf-8"}});
});

self.addEventListener("message", event => {
  if (event.data && event.data.type === "forget-user") event.waitUntil(forgetUser());
  if (event.data && event.data.type === "outbox") event.waitUntil(queue.registerSync());
});

// Background sync: the browser wakes this worker when the signal is back, even with the app
// closed. It sends what waits for the user who is logged in; when something still waits
// for the network it fails, so the browser tries again later.
async function sendWaiting() {
  const answer = await fetch(FIELD_SW.session, {credentials: "same-origin", cache: "no-store"});
  if (!answer.ok) return;  // logged out or expired: the records wait for the next login
  const session = await answer.json();
  const outcome = await gridmgmtOutbox.flush(session.user.id, session.csrf_token, FIELD_SW.outbox, true);
  if (outcome === "offline" || outcome === "server") throw new Error(`outbox: ${outcome}`);
}
const queue = new backgroundSync.Queue("outbox", {onSync: sendWaiting});
