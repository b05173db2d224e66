/* The phone's outbox: visits, events, check-ins and meetings (and a visit's follow-up and
 * photos) kept in IndexedDB (through idb) until the server has them. Shared by the pages and
 * the service worker (self.gridmgmtOutbox), so either may send.
 *
 * Each record gets its client id when it is made; the server stores a client id once and
 * answers with what it holds, so a record sent twice (page and worker, a lost answer) is one
 * record. Only a refusal the server marks final ({"error": {..., "final": true}}) stops a
 * record: it stays, with the reason, until the user dismisses it. No answer, a server or
 * database outage, or an expired login (401, 403, a stale CSRF token) keep it waiting: sent
 * again with backoff, and after the next login. A record edited while it waits is replaced.
 */
(function (scope) {
  const DB_NAME = "gridmgmt-field", STORE = "outbox", BATCH = 50;
  const FIRST_WAIT_MS = 10_000, LONGEST_WAIT_MS = 10 * 60_000;
  const LOCK = "gridmgmt-outbox";
  const channel = typeof BroadcastChannel === "function" ? new BroadcastChannel("gridmgmt-outbox") : null;
  let opened = null;

  function db() {
    opened = opened || scope.idb.openDB(DB_NAME, 1, {
      upgrade(database) { database.createObjectStore(STORE, {keyPath: "client_id"}); },
    });
    return opened;
  }

  function uuid4() {  // crypto.randomUUID needs HTTPS; an intranet may serve plain HTTP
    const b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 15) | 64; b[8] = (b[8] & 63) | 128;
    const h = Array.from(b, x => x.toString(16).padStart(2, "0")).join("");
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }

  function changed(detail) {
    const message = {type: "changed", ...detail};
    if (channel) channel.postMessage(message);
    listeners.forEach(listener => listener(message));
  }
  const listeners = [];
  // What the other senders (the worker, another tab) did reaches this one's listeners too.
  if (channel) channel.addEventListener("message", event => listeners.forEach(listener => listener(event.data)));

  // A new record of KIND ("visit", "event", "checkin", "meeting", "followup" or "photo") by USER_ID;
  // LABEL names it in the banner.
  async function add(userId, kind, body, label) {
    const item = {client_id: uuid4(), user_id: userId, kind, label, body: {...body}, rev: 1,
                  state: "waiting", error: null, attempts: 0, next_at: 0, created_at: Date.now()};
    item.body.client_id = item.client_id;
    await (await db()).put(STORE, item);
    changed({client_id: item.client_id});
    return item;
  }

  // Replace the body fields of a waiting record; false when it has gone (sent or dismissed).
  async function edit(clientId, fields, label) {
    const tx = (await db()).transaction(STORE, "readwrite");
    const item = await tx.store.get(clientId);
    if (!item || item.state === "refused") { await tx.done; return false; }
    Object.assign(item, {body: {...item.body, ...fields, client_id: clientId}, rev: item.rev + 1,
                         state: "waiting", error: null, next_at: 0, label: label || item.label});
    await tx.store.put(item);
    await tx.done;
    changed({client_id: clientId});
    return true;
  }

  async function dismiss(clientId) {
    await (await db()).delete(STORE, clientId);
    changed({client_id: clientId});
  }

  async function items(userId) {
    const all = await (await db()).getAll(STORE);
    return all.filter(item => userId === undefined || item.user_id === userId)
              .sort((a, b) => a.created_at - b.created_at);
  }

  // Update the record under CLIENT_ID with UPDATE(item) (returning the new item, or null to
  // delete it) only if it is still the revision REV that was sent.
  async function settle(clientId, rev, update) {
    const tx = (await db()).transaction(STORE, "readwrite");
    const item = await tx.store.get(clientId);
    if (item) {
      const next = update(item, item.rev === rev);
      if (next) await tx.store.put(next); else await tx.store.delete(clientId);
    }
    await tx.done;
  }

  function backoff(item, reason) {
    const attempts = item.attempts + 1;
    const wait = Math.min(FIRST_WAIT_MS * 2 ** (attempts - 1), LONGEST_WAIT_MS);
    return {...item, state: "waiting", error: reason, attempts, next_at: Date.now() + wait};
  }

  // What the server holds came back: done, unless the record was edited meanwhile and the
  // server kept the first version (a client id is stored once).
  function stored(item, unchanged, answer) {
    if (unchanged) return null;
    const field = EDITABLE[item.kind];
    const same = !field || answer[field] === (item.body[field] || null);
    return same ? null : {...item, state: "refused",
                          error: "服务器已先收到修改前的版本，这次修改未能保存；如需更正请重新记录"};
  }

  // The field of each kind whose edit the server's answer must show; photos are never edited.
  const EDITABLE = {visit: "note", event: "description", followup: "note", meeting: "topic"};
  // The outbox body's list for each kind; follow-ups and photos go after their visit.
  const LISTS = {visit: "visits", event: "events", checkin: "checkins", meeting: "meetings", followup: "followups",
                 photo: "photos"};
  const BATCH_CHARS = 4_000_000;  // photos are large: a batch stays well under the server's limit

  const WHY = {
    offline: "网络不畅，有信号后自动上传",
    login: "登录已过期，重新登录后自动上传",
    server: "服务器暂不可用，稍后自动重试",
  };

  async function post(url, csrf, batch) {
    const body = {};
    for (const item of batch) (body[LISTS[item.kind]] = body[LISTS[item.kind]] || []).push(item.body);
    const answer = await fetch(url, {method: "POST", credentials: "same-origin", body: JSON.stringify(body),
                                     headers: {"Content-Type": "application/json", "X-CSRFToken": csrf}});
    const reply = await answer.json().catch(() => null);  // a login page or a proxy's error is not JSON
    return {status: answer.status, reply};
  }

  function whyNot(status, reply) {
    const error = (reply && reply.error) || {};
    if (status === 401 || status === 403 || error.code === "csrf") return "login";
    if (error.final && status >= 400 && status < 500) return "final";
    return "server";
  }

  // A follow-up or photo waits for its visit. When that visit was refused, or is gone from the
  // phone and the server still has not got it (NOT_YET: answered "visit not there yet" in this
  // run), it never will arrive: the record is refused too, with the reason, until dismissed.
  async function refuseOrphans(userId, notYet) {
    const all = await items(userId);
    const byId = new Map(all.map(item => [item.client_id, item]));
    for (const item of all) {
      const visit = byId.get(item.body.visit_client_id);
      if (!item.body.visit_client_id || item.state === "refused") continue;
      const why = visit ? (visit.state === "refused" ? `所属走访未被接收：${visit.error}` : null)
        : (notYet.has(item.client_id) ? "所属走访已从手机删除，未曾上传" : null);
      if (why) await settle(item.client_id, item.rev, current => ({...current, state: "refused", error: why}));
    }
  }

  async function sendBatch(url, csrf, batch, notYet) {
    const sent = new Map(batch.map(item => [item.client_id, item]));
    let status, reply;
    try {
      ({status, reply} = await post(url, csrf, batch));
    } catch (error) {  // no network, or the connection dropped
      for (const item of batch) await settle(item.client_id, item.rev, i => backoff(i, WHY.offline));
      return "offline";
    }
    if (status >= 200 && status < 300 && reply && reply.results) {
      for (const result of reply.results) {
        const item = sent.get(result.client_id);
        if (!item) continue;
        if (result.error && result.error.final === false) notYet.add(item.client_id);
        await settle(item.client_id, item.rev, (current, same) => result.stored ? stored(current, same, result.stored)
          : result.error.final === false ? backoff(current, result.error.message)  // e.g. its visit not there yet
          : {...current, state: "refused", error: result.error.message});
        if (result.stored) changed({client_id: item.client_id, stored: result.stored, kind: item.kind});
      }
      return "sent";
    }
    const why = whyNot(status, reply);
    for (const item of batch) {
      await settle(item.client_id, item.rev, i => why === "final" ? {...i, state: "refused", error: reply.error.message}
        : why === "login" ? {...i, state: "login", error: WHY.login} : backoff(i, WHY.server));
    }
    return why;
  }

  // ITEMS in batches of at most BATCH records and about BATCH_CHARS characters.
  function batches(items) {
    const found = [];
    let batch = [], chars = 0;
    for (const item of items) {
      const size = JSON.stringify(item.body).length;
      if (batch.length && (batch.length === BATCH || chars + size > BATCH_CHARS)) { found.push(batch); batch = []; chars = 0; }
      batch.push(item); chars += size;
    }
    if (batch.length) found.push(batch);
    return found;
  }

  // Send USER_ID's waiting records (all of them when FORCE, else those whose wait is over) in
  // batches to URL with the CSRF token; the last outcome: "sent", "offline", "login", "server".
  async function flushNow(userId, csrf, url, force) {
    const now = Date.now();
    const due = (await items(userId)).filter(i => i.state !== "refused" && (force || i.next_at <= now));
    let outcome = "sent";
    const notYet = new Set();
    await refuseOrphans(userId, notYet);
    for (const batch of batches(due)) {
      if (outcome === "offline" || outcome === "login") break;
      outcome = await sendBatch(url, csrf, batch, notYet);
    }
    await refuseOrphans(userId, notYet);
    changed({flushed: outcome});
    return outcome;
  }

  // One sender at a time across the pages and the worker (Web Locks where the browser has them).
  function flush(userId, csrf, url, force) {
    const locks = scope.navigator && scope.navigator.locks;
    return locks ? locks.request(LOCK, () => flushNow(userId, csrf, url, force)) : flushNow(userId, csrf, url, force);
  }

  scope.gridmgmtOutbox = {add, edit, dismiss, items, flush, channel, listeners, WHY};
}(self));
