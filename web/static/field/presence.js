/* 在村签到 and 组织生活 on the phone: a check-in (where the phone is, now) and a meeting record
 * (which organisation, type, day, venue, topic, head count, and where the phone is) go into the
 * outbox with their client ids like visits, so they are kept with no signal and stored once.
 * The organisations are those of the working set the user may record meetings of.
 */
(() => {
  const {outbox, config, $} = FIELD;
  let editing = null, fix = null;

  function say(text) { $("presence-status").textContent = text; }

  function option(value, text) {
    const el = document.createElement("option");
    el.value = value; el.textContent = text;
    return el;
  }

  FIELD.on("data", data => {
    $("meeting-button").hidden = !(data.orgs && data.orgs.length);
    $("meeting-org").replaceChildren(...(data.orgs || []).map(org => option(org.code, org.name)));
    $("meeting-type").replaceChildren(...Object.entries(data.meeting_types || {}).map(([k, v]) => option(k, v)));
  });

  // The phone's position: the one the page keeps, else a fresh fix (null when there is none).
  function position() {
    const kept = FIELD.position && {lon: FIELD.position.lon, lat: FIELD.position.lat, accuracy_m: FIELD.position.accuracy_m};
    if (kept || !navigator.geolocation) return Promise.resolve(kept);
    return new Promise(resolve => navigator.geolocation.getCurrentPosition(
      p => resolve({lon: p.coords.longitude, lat: p.coords.latitude, accuracy_m: p.coords.accuracy}),
      () => resolve(null), {enableHighAccuracy: true, timeout: 10000, maximumAge: 30000}));
  }

  function clock(date) {
    return date.toLocaleTimeString("zh-CN", {hour: "2-digit", minute: "2-digit", hour12: false});
  }

  $("checkin-button").addEventListener("click", async () => {
    say("正在定位…");
    const here = await position();
    if (!here) { say("签到需要定位：请打开手机定位（HTTP 地址下浏览器不给定位，请用 HTTPS 地址）"); return; }
    const now = new Date();
    await outbox.add(config.user, "checkin", {...here, checked_at: now.toISOString()}, `在村签到 · ${clock(now)}`);
    say(`已签到（${clock(now)}，精度约 ${Math.round(here.accuracy_m)} 米），随待上传记录上传`);
    FIELD.queued();
  });

  function today() {
    const d = new Date();
    return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
  }

  function fill(body) {
    $("meeting-org").value = body.org_code || $("meeting-org").value;
    $("meeting-type").value = body.meeting_type || $("meeting-type").value;
    $("meeting-date").value = body.held_on || today();
    $("meeting-venue").value = body.venue || "";
    $("meeting-topic").value = body.topic || "";
    $("meeting-attendees").value = body.attendees ?? "";
  }

  $("meeting-button").addEventListener("click", () => {
    editing = null; fix = null;
    $("meeting-title").textContent = "记录组织生活";
    $("meeting-submit").textContent = "记录会议（附定位）";
    fill({});
    $("meeting-fix").textContent = "正在定位…";
    position().then(here => {
      fix = here;
      $("meeting-fix").textContent = here ? `已定位，精度约 ${Math.round(here.accuracy_m)} 米` : "未能定位，会议照记但不算在活动场所签到";
    });
    $("meeting-sheet").showModal();
  });

  // A meeting waiting in the outbox can be changed; saving replaces it (its client id stays).
  FIELD.on("edit", item => {
    if (item.kind !== "meeting") return;
    editing = item;
    $("meeting-title").textContent = "修改：尚未上传的会议记录";
    $("meeting-submit").textContent = "保存修改";
    $("meeting-fix").textContent = "";
    fill(item.body);
    $("meeting-sheet").showModal();
  });

  $("meeting-submit").addEventListener("click", async () => {
    const count = $("meeting-attendees").value;
    const body = {org_code: $("meeting-org").value, meeting_type: $("meeting-type").value,
                  held_on: $("meeting-date").value || today(), venue: $("meeting-venue").value.trim() || null,
                  topic: $("meeting-topic").value.trim() || null, attendees: count === "" ? null : Number(count)};
    const label = `${$("meeting-org").selectedOptions[0].textContent} · ${$("meeting-type").selectedOptions[0].textContent} ${body.held_on}`;
    $("meeting-sheet").close();
    if (editing) await outbox.edit(editing.client_id, body, label);
    else await outbox.add(config.user, "meeting", {...body, ...(fix || {})}, label);
    FIELD.queued();
  });
})();
