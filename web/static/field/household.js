/* 一户一档 on the phone, from the working set so it reads the same with no signal: who looks
 * after the household (grid worker, liaison party members, with phones to call) and its latest
 * visits (who, when, kind, note, the follow-ups raised and their state, the photos: those the
 * phone keeps show with no signal), and the visits still waiting in the outbox with their photos.
 * /m?record=<户号> (the household page's 记录走访) opens the record sheet on that household.
 */
(() => {
  const {$} = FIELD;

  function el(tag, text, className) {
    const node = document.createElement(tag);
    if (text !== undefined) node.textContent = text;
    if (className) node.className = className;
    return node;
  }

  function people(label, list, none) {
    const dt = el("dt", label), dd = el("dd");
    if (!list.length) dd.textContent = none;
    list.forEach((person, k) => {
      if (k) dd.append("、");
      dd.append(person.name);
      if (person.phone) {
        const call = el("a", person.phone);
        call.href = `tel:${person.phone}`;
        dd.append(" ", call);
      }
    });
    return [dt, dd];
  }

  function visit(v) {
    const li = el("li", undefined, "house-visit");
    const when = new Date(v.at).toLocaleString("zh-CN", {hour12: false, year: "numeric", month: "numeric",
                                                         day: "numeric", hour: "2-digit", minute: "2-digit"});
    li.append(el("b", `${when} ${v.cadre}`), ` · ${v.kind}`);
    if (v.note) li.append(el("p", v.note, "note"));
    for (const f of v.followups) li.append(el("p", `需跟进（${f.category}）：${f.note} — ${f.state}`, `followup ${f.state}`));
    if (v.photos.length) li.append(photos(v.photos.map(id => FIELD.config.photos + id)));
    return li;
  }

  // Thumbnails of SOURCES (photo URLs, or the outbox's data: URLs); one the phone has not kept
  // says so instead (with no signal, only the newest photos are on the phone).
  function photos(sources) {
    const box = el("p", undefined, "house-photos");
    for (const src of sources) {
      const img = el("img");
      img.src = src; img.alt = "走访照片"; img.loading = "lazy";
      img.addEventListener("error", () => img.replaceWith(el("small", "照片未存到手机，有信号时查看", "hint")));
      box.append(img);
    }
    return box;
  }

  // HOME's visits that wait in the outbox, with their photos as they were taken.
  async function waiting(home) {
    const items = await FIELD.outbox.items(FIELD.config.user);
    const visits = items.filter(i => i.kind === "visit" && i.body.household_id === home.id);
    return visits.map(visit => {
      const li = el("li", undefined, "house-visit waiting");
      li.append(el("b", `待上传：${visit.label}`));
      if (visit.body.note) li.append(el("p", visit.body.note, "note"));
      const shots = items.filter(i => i.kind === "photo" && i.body.visit_client_id === visit.client_id);
      if (shots.length) li.append(photos(shots.map(shot => `data:image/jpeg;base64,${shot.body.data}`)));
      return li;
    });
  }

  FIELD.on("household", home => {
    const file = home.file || {grid_workers: [], liaisons: [], visits: []};
    const contacts = el("dl", undefined, "facts");
    contacts.append(...people("网格员", file.grid_workers, "未划入网格或网格未配网格员"),
                    ...people("联户党员", file.liaisons, "未配联户党员"));
    const visits = el("ul", undefined, "house-visits");
    visits.append(...file.visits.map(visit));
    $("house-file").replaceChildren(el("h3", "联系人"), contacts, el("h3", "最近走访"),
                                    file.visits.length ? visits : el("p", "还没有走访记录。"));
    waiting(home).then(rows => {
      if (!rows.length) return;
      const list = el("ul", undefined, "house-visits");
      list.append(...rows);
      $("house-file").append(el("h3", "本机待上传的走访"), list);
    });
  });

  // The household page's 记录走访: open the record sheet once the working set is there.
  const wanted = new URLSearchParams(location.search).get("record");
  let opened = false;
  FIELD.on("data", () => {
    const home = wanted && !opened && FIELD.byCode.get(wanted);
    if (!home) return;
    opened = true;
    history.replaceState(null, "", location.pathname);
    FIELD.record({household_id: home.id});
  });
})();
