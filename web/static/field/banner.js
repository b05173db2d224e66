/* 「待上传 N 条」: the outbox on screen, every record with its state; a waiting record can be
 * edited, a refused one shows the server's reason and stays until the user dismisses it.
 */
(() => {
  const {outbox, config, $} = FIELD;
  const STATES = {waiting: "待上传", login: "待重新登录后上传", refused: "未被接收"};
  const RENDER_WAIT_MS = 50;
  let loginNeeded = false, lastOutcome = "";

  function when(ms) {
    return new Date(ms).toLocaleString("zh-CN", {month: "numeric", day: "numeric", hour: "2-digit", minute: "2-digit"});
  }

  function button(text, className, action) {
    const el = document.createElement("button");
    el.type = "button"; el.textContent = text; el.className = className;
    el.addEventListener("click", action);
    return el;
  }

  function row(item) {
    const li = document.createElement("li");
    li.dataset.clientId = item.client_id;
    li.className = `outbox-item ${item.state}`;
    const what = document.createElement("span");
    what.className = "what";
    what.textContent = `${item.label} · ${when(item.created_at)}`;
    const state = document.createElement("small");
    state.className = "state";
    state.textContent = item.error && item.state !== "refused" ? item.error
      : `${STATES[item.state] || item.state}${item.error ? "：" + item.error : ""}`;
    li.append(what, state);
    if (item.state === "refused") {
      li.append(button("知道了，删除", "dismiss", () => outbox.dismiss(item.client_id)));
    } else if (item.kind !== "photo" && item.kind !== "checkin") {  // a photo is taken again, a check-in made again
      li.append(button("修改", "edit", () => FIELD.emit("edit", item)));
    }
    return li;
  }

  async function render() {
    const items = await outbox.items(config.user);
    const waiting = items.filter(i => i.state !== "refused"), refused = items.filter(i => i.state === "refused");
    $("outbox-count").textContent = waiting.length;
    $("outbox-refused").textContent = refused.length ? `，未被接收 ${refused.length} 条` : "";
    $("outbox").dataset.state = refused.length ? "refused" : waiting.length ? "waiting" : "empty";
    $("outbox-items").replaceChildren(...items.map(row));
    $("outbox-login").hidden = !(loginNeeded && waiting.length);
    $("outbox-send").hidden = !waiting.length || loginNeeded;
    $("outbox-status").textContent = waiting.length ? (loginNeeded ? outbox.WHY.login : lastOutcome)
      : (refused.length ? "" : "全部已上传");
    if (refused.length) $("outbox-panel").hidden = false;  // a refusal is shown, not hidden behind a tap
    FIELD.emit("outbox", items);
  }

  // One drawing for a burst of changes: a batch of 50 answers is one redraw, not 50 reads of the whole outbox.
  let drawing = null;
  function redraw() {
    drawing = drawing || new Promise(resolve => setTimeout(resolve, RENDER_WAIT_MS))
      .then(() => { drawing = null; return render(); });
  }

  const MESSAGES = {offline: outbox.WHY.offline, server: outbox.WHY.server, login: outbox.WHY.login, sent: "", final: ""};
  FIELD.on("login", needed => { loginNeeded = needed; redraw(); });
  FIELD.on("sent", outcome => { lastOutcome = MESSAGES[outcome] || ""; redraw(); });
  outbox.listeners.push(redraw);  // here or by the worker
  $("outbox-toggle").addEventListener("click", () => { $("outbox-panel").hidden = !$("outbox-panel").hidden; });
  $("outbox-send").addEventListener("click", () => FIELD.send(true));
  $("outbox-login").href = config.login;
  document.addEventListener("DOMContentLoaded", render);
})();
