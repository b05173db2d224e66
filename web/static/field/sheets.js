/* The two sheets of the field pages, drawn from the working set so they work with no signal:
 * a household's file (what the household page shows), and the record sheet, where a visit or a
 * 四必到 event is made (or a waiting one edited) and put in the outbox with its client id.
 */
(() => {
  const {outbox, config, $} = FIELD;
  const PARTY = ["否", "是", "党员中心户"];
  let target = null, editing = null, fix = null;

  function facts(list, pairs) {
    list.replaceChildren(...pairs.flatMap(([label, value]) => {
      const dt = document.createElement("dt"), dd = document.createElement("dd");
      dt.textContent = label;
      dd.textContent = value;
      return [dt, dd];
    }));
  }

  FIELD.showHousehold = home => {
    $("house-title").textContent = `${home.head}户`;
    $("house-where").textContent = [home.village, home.group].filter(Boolean).join(" › ");
    facts($("house-facts"), [["户号", home.code], ["地址", home.address || "—"], ["人口", `${home.members} 人`],
      ["网格", home.cell || "未划入网格"], ["党员户", PARTY[home.party]], ["党员", home.party_members.join("、") || "无"],
      ["位置", `东经 ${home.lon.toFixed(6)}°，北纬 ${home.lat.toFixed(6)}°`]]);
    const labels = FIELD.data.flag_labels;
    $("house-flags-box").hidden = !labels;
    if (labels) {
      facts($("house-flags"), Object.entries(labels).map(([name, label]) => [label, home.flags.includes(name) ? "是" : "否"]));
    }
    $("house-page").href = config.household + home.code;
    $("house-navigate").href = `geo:${home.lat},${home.lon}?q=${home.lat},${home.lon}(${encodeURIComponent(home.head)})`;
    $("house-record").onclick = () => { $("house-sheet").close(); FIELD.record({household_id: home.id}); };
    FIELD.emit("household", home);  // its file (household.js)
    $("house-sheet").showModal();
  };
  FIELD.openHousehold = FIELD.showHousehold;  // a tap on the map; 今日走访 opens its record sheet instead

  // The position kept by the page at once, then the phone's fresh fix when it comes.
  function locate() {
    fix = FIELD.position && {lon: FIELD.position.lon, lat: FIELD.position.lat, accuracy_m: FIELD.position.accuracy_m};
    const shown = $("sheet-fix");
    delete shown.dataset.fresh;
    shown.textContent = fix ? `已定位，精度约 ${Math.round(fix.accuracy_m)} 米` : "正在定位…";
    if (!navigator.geolocation) { shown.textContent = "此浏览器不能定位，记录照存但无距离"; return; }
    navigator.geolocation.getCurrentPosition(p => {
      fix = {lon: p.coords.longitude, lat: p.coords.latitude, accuracy_m: p.coords.accuracy};
      shown.textContent = `已定位，精度约 ${Math.round(p.coords.accuracy)} 米`;
      shown.dataset.fresh = "1";
    }, () => { if (!fix) shown.textContent = "未能定位（HTTP 地址下浏览器不给定位），记录照存但无距离"; },
    {enableHighAccuracy: true, timeout: 10000, maximumAge: 0});
  }

  function describe(item) {
    const home = item.household_id ? FIELD.households.get(item.household_id) : null;
    return {home, name: home ? home.head : item.event_type || "事件"};
  }

  // Open the record sheet for ITEM ({household_id, event_id?, ...} from the due list or a file).
  FIELD.record = item => {
    target = item; editing = null;
    const {home, name} = describe(item);
    $("sheet-title").textContent = name;
    $("sheet-where").textContent = [item.label, home ? home.village : item.village, home && home.group,
                                    home && home.code, item.event_id && item.event_type].filter(Boolean).join(" · ");
    $("sheet-household").hidden = !home;
    $("sheet-household").href = home ? config.household + home.code : "#";
    $("sheet-visit").hidden = false;
    $("sheet-kind").closest("label").hidden = Boolean(item.event_id);
    $("sheet-note").value = ""; $("event-note").value = "";
    FIELD.emit("sheet", {editing: false});  // the follow-up and photo fields (followup.js)
    $("sheet-event").hidden = !item.household_id; $("sheet-event").open = false;
    $("sheet-submit").disabled = !item.household_id;
    $("sheet-submit").textContent = item.event_id ? "登记到场（附定位）" : "记录走访（附定位）";
    $("event-submit").textContent = "上报事件";
    locate();
    $("visit-sheet").showModal();
  };

  // Open the sheet on a waiting record: saving replaces its fields (its client id stays).
  FIELD.on("edit", item => {
    if (item.kind !== "visit" && item.kind !== "event") return;  // follow-ups: followup.js
    editing = item; target = null;
    FIELD.emit("sheet", {editing: true});
    $("sheet-title").textContent = `修改：${item.label}`;
    $("sheet-where").textContent = "尚未上传，修改后按修改后的内容上传";
    $("sheet-household").hidden = true;
    const visit = item.kind === "visit";
    $("sheet-visit").hidden = !visit;
    $("sheet-event").hidden = visit; $("sheet-event").open = !visit;
    if (visit) {
      $("sheet-note").value = item.body.note || "";
      $("sheet-kind").value = item.body.kind;
      $("sheet-kind").closest("label").hidden = item.body.kind === "event";
      $("sheet-submit").disabled = false; $("sheet-submit").textContent = "保存修改";
      $("sheet-fix").textContent = "";
    } else {
      $("event-type").value = item.body.event_type; $("event-note").value = item.body.description || "";
      $("event-submit").textContent = "保存修改";
    }
    $("visit-sheet").showModal();
  });

  function visitNote() {
    return $("sheet-note").value.trim() || null;
  }

  async function saved(promise) {
    $("visit-sheet").close();
    await promise;
    FIELD.queued();
  }

  $("sheet-submit").addEventListener("click", () => {
    if (editing) return saved(outbox.edit(editing.client_id, {kind: $("sheet-kind").value, note: visitNote()}));
    const item = target, {name} = describe(item);
    const body = {household_id: item.household_id, event_id: item.event_id || null,
                  kind: item.event_id ? "event" : $("sheet-kind").value, visited_at: new Date().toISOString(),
                  note: visitNote(), ...(fix || {})};
    const label = `${name} · ${item.event_id ? "事件到场" : $("sheet-kind").selectedOptions[0].textContent}`;
    FIELD.emit("recorded", item);
    // The follow-up and photos go in after their visit (followup.js).
    return saved(outbox.add(config.user, "visit", body, label).then(visit => FIELD.withVisit(visit, name)));
  });

  $("event-submit").addEventListener("click", () => {
    const type = $("event-type").value, typeName = $("event-type").selectedOptions[0].textContent;
    const description = $("event-note").value.trim() || null;
    if (editing) {
      return saved(outbox.edit(editing.client_id, {event_type: type, description},
                               `${editing.label.split(" · ")[0]} · 上报${typeName}`));
    }
    const {name} = describe(target);
    const body = {household_id: target.household_id, event_type: type, description, reported_at: new Date().toISOString()};
    return saved(outbox.add(config.user, "event", body, `${name} · 上报${typeName}`));
  });
})();
