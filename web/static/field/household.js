/* 一户一档 on the phone, from the working set so it reads the same with no signal: who looks
 * after the household (grid worker, liaison party members, with phones to call) and its latest
 * visits (who, when, kind, note, the follow-ups raised and their state, how many photos).
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
    if (v.photos.length) li.append(el("p", `照片 ${v.photos.length} 张（有信号时在完整档案中查看）`, "hint"));
    return li;
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
