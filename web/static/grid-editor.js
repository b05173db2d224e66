// The planner's grid editor: every change goes to the server, which validates it and
// answers 400 with the reason, or 409 naming the cells someone else changed meanwhile.
(() => {
  const root = document.getElementById("grid-editor");
  const API = root.dataset.api;
  const DRAFT = root.dataset.status === "draft";
  const METRICS = JSON.parse(root.dataset.metrics);
  const csrf = document.querySelector('meta[name="csrf-token"]').content;
  const PALETTE = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#17becf",
                   "#bcbd22", "#7f7f7f"];
  const map = L.map("grid-map", {preferCanvas: true, maxZoom: 19});
  L.control.scale({imperial: false}).addTo(map);
  const state = {data: null, current: null, selected: new Set(), changed: {}};
  let cellLayer = null, homeLayer = null, villageLayer = null;

  if (DRAFT) {
    map.pm.setLang("zh");
    map.pm.addControls({position: "topleft", drawMarker: false, drawCircleMarker: false, drawPolyline: false,
                        drawCircle: false, drawText: false, editMode: false, dragMode: false, cutPolygon: false,
                        removalMode: false, rotateMode: false});
    map.on("pm:create", e => {
      const area = e.layer.toGeoJSON().geometry;
      e.layer.remove();
      if (!state.current) { say("请先点击选择一个网格，再画要并入它的范围", "error"); return; }
      post("redraw", {cell: state.current, area: area}, `已按所画范围调整网格 ${state.current} 的边界`);
    });
  }

  const el = (tag, attrs = {}, ...children) => {
    const node = Object.assign(document.createElement(tag), attrs);
    node.append(...children);
    return node;
  };
  const cells = () => state.data.cells.features.map(f => f.properties);
  const cell = code => cells().find(c => c.code === code);
  const colour = code => PALETTE[cells().findIndex(c => c.code === code) % PALETTE.length];
  const drawing = () => DRAFT && map.pm.globalDrawModeEnabled();
  const seen = () => Object.fromEntries(cells().map(c => [c.code, c.version]));

  function say(text, kind) {
    const box = document.getElementById("grid-message");
    box.className = `message ${kind}`;
    box.textContent = text;
  }

  async function load(fit) {
    const answer = await fetch(API);
    state.data = await answer.json();
    if (state.current && !cell(state.current)) state.current = null;
    state.selected = new Set([...state.selected].filter(code => state.data.households.some(h => h.code === code)));
    draw();
    if (fit && cellLayer.getLayers().length) map.fitBounds(cellLayer.getBounds());
    summary(); panel(); table(); locks();
  }

  function patch(reply) {
    // An edit answers only what it changed: its cells (gone when their version is null) with
    // their households, the summary and the splits; everything else stays as loaded.
    const touched = new Set(Object.keys(reply.versions));
    state.data.cells.features = state.data.cells.features.filter(f => !touched.has(f.properties.code))
      .concat(reply.cells.features).sort((a, b) => a.properties.code.localeCompare(b.properties.code));
    state.data.households = state.data.households.filter(h => !touched.has(h.cell)).concat(reply.households);
    const {summary: s, splits, cell_splits, locks: held} = reply;
    Object.assign(state.data, {summary: s, splits, cell_splits, locks: held});
    if (state.current && !cell(state.current)) state.current = null;
    draw(); summary(); panel(); table(); locks();
  }

  async function post(action, body, done) {
    say("正在校验并保存…", "ok");
    const answer = await fetch(`${API}/${action}`, {method: "POST", body: JSON.stringify({...body, seen: seen()}),
                                headers: {"Content-Type": "application/json", "X-CSRFToken": csrf}});
    const reply = await answer.json();
    if (answer.status === 409) {
      state.changed = reply.changed;
      await load();
      say(`${reply.error.message}。已载入最新方案，红框标出被改动的网格。`, "error");
      return null;
    }
    if (!answer.ok) {
      say(`未保存：${reply.error.message}`, "error");
      if (reply.alternative) offer(reply.alternative);
      return null;
    }
    state.changed = {};
    state.selected.clear();
    if (reply.versions && reply.cells) patch(reply); else await load();  // an edit, or a whole-plan action
    say(typeof done === "function" ? done(reply) : done, "ok");
    return reply;
  }

  function offer(alternative) {
    // A split or merge that breaks the band comes back with the nearest one that fits: one click runs it.
    const {cells: codes, into, text} = alternative;
    document.getElementById("grid-message").append(el("br"), button(`改为：${text}`, () =>
      post("redivide", {cells: codes, into}, r => `已重新划分为 ${into} 个网格：${Object.keys(r.versions)
        .filter(code => r.versions[code] !== null).join("、")}`), {id: "alternative-button"}));
  }

  function draw() {
    if (cellLayer) cellLayer.remove();
    if (homeLayer) homeLayer.remove();
    if (villageLayer) villageLayer.remove();
    cellLayer = L.geoJSON(state.data.cells, {
      pmIgnore: true,
      style: f => {
        const p = f.properties, changed = p.code in state.changed, current = p.code === state.current;
        return {color: changed ? "#d50000" : current ? "#000" : "#455a64", weight: changed ? 5 : current ? 3 : 1,
                fillColor: colour(p.code), fillOpacity: current ? .35 : .18, dashArray: p.locked ? "6 4" : null};
      },
      onEachFeature: (f, layer) => {
        layer.bindTooltip(`${f.properties.name}（${f.properties.households} 户）`, {sticky: true});
        layer.on("click", () => {
          if (drawing()) return;  // clicks while drawing place vertices, they do not pick cells
          state.current = f.properties.code; draw(); panel(); table();
        });
      },
    }).addTo(map);
    // Village boundaries on top, thick: cells never cross them.
    villageLayer = L.geoJSON(state.data.villages, {pmIgnore: true, interactive: false,
                                                   style: {color: "#212121", weight: 3, fill: false}}).addTo(map);
    const held = new Set(state.data.locks.map(l => l.code));  // placed by hand: a black ring
    homeLayer = L.layerGroup(state.data.households.map(h => {
      const picked = state.selected.has(h.code), ringed = picked || held.has(h.code);
      return L.circleMarker([h.lat, h.lon], {pmIgnore: true, radius: picked ? 6 : ringed ? 5 : 3, weight: ringed ? 2 : 1,
                                             color: ringed ? "#000" : colour(h.cell), fillColor: colour(h.cell),
                                             fillOpacity: .9, className: "household"})
        .bindTooltip(`${h.code}（${h.cell}）${held.has(h.code) ? "，手工调整，重新划分时保留" : ""}`)
        .on("click", () => {
          if (drawing()) return;
          picked ? state.selected.delete(h.code) : state.selected.add(h.code); draw(); panel();
        });
    })).addTo(map);
  }

  function summary() {
    // Names and one-line descriptions come from gridmgmt.domain.wording.METRICS (data-metrics).
    const s = state.data.summary, pct = v => `${(v * 100).toFixed(1)}%`;
    const rows = s.cells ? [["cells", s.cells], ["households", s.households],
      ["workload_max_min", `${s.workload_max_min} 倍`], ["workload_cv", pct(s.workload_cv)],
      ["worst_deviation", pct(s.worst_deviation)], ["compactness", `平均 ${s.pp_mean}，最差 ${s.pp_worst}`],
      ["contiguous_share", pct(s.contiguous_share)],
      ["out_of_bounds", s.out_of_bounds.length ? s.out_of_bounds.join("、") : "无"]] : [["cells", 0]];
    document.getElementById("summary").replaceChildren(el("dl", {className: "summary"},
      ...rows.flatMap(([k, v]) => [el("dt", {title: METRICS[k][1]}, METRICS[k][0]),
        el("dd", {}, String(v), el("small", {className: "hint"}, `（${METRICS[k][1]}）`))])));
    splits();
  }

  function splits() {
    // Rural grids keep 村民小组 whole: every split group is named with its reason (red when avoidable:
    // neither too heavy for the band nor proven needed), and the reason kept when it was split (the
    // allocation's or a planner's); cut cells with theirs.
    const found = state.data.splits, cut = state.data.cell_splits;
    // The allocation keeps the rule's own reason: repeat it only when someone stated another.
    const stated = s => s.stated && s.stated !== s.reason ? `（拆分原因：${s.stated}，${s.stated_by}）` : "";
    const explain = s => button("说明原因", () => {
      const reason = window.prompt(`${s.village}${s.group}为何须拆分？`, s.stated || "");
      if (reason) post("reason", {group: s.group_code, reason}, `已记录${s.group}的拆分原因`);
    }, {className: "split-reason"});
    document.getElementById("group-splits").replaceChildren(
      el("h2", {}, `拆分的村民小组：${found.length ? `${found.length} 个` : "无（全部保持完整）"}`),
      el("ul", {}, ...found.map(s => el("li", {className: s.must_split || s.proven ? "" : "warn"},
        `${s.village}${s.group}（${s.group_code}）分在 ${s.cells.join("、")}：${s.reason}${stated(s)}`,
        ...(DRAFT ? [" ", explain(s)] : [])))),
      ...(cut.length ? [el("h2", {}, `拆分的网格：${cut.length} 个`), el("ul", {}, ...cut.map(c =>
        el("li", {}, `网格 ${c.cell} 拆分为 ${c.cells.join("、")}：${c.reason}（${c.given_by || ""}）`)))] : []));
  }

  function locks() {
    // Households placed by hand stay in their cell on rebalance until the planner unlocks them.
    const found = state.data.locks, box = document.getElementById("locks");
    const EDIT = {move: "手工移入", group: "整组移入", redraw: "画范围并入"};
    if (!found.length) { box.replaceChildren(); return; }
    const free = (codes, done) => post("unlock", codes ? {households: codes} : {every: true}, done);
    box.replaceChildren(
      el("h2", {}, `手工调整的农户：${found.length} 户（重新划分时保留在所在网格）`),
      ...(DRAFT ? [button("全部解锁", () => free(null, `已解锁全部 ${found.length} 户`), {id: "unlock-all"})] : []),
      el("ul", {}, ...found.map(l => el("li", {},
        `${l.code} 在 ${l.cell_name}（${l.cell}）· ${EDIT[l.edit]} · ${l.locked_by || ""} `,
        ...(DRAFT ? [button("解锁", () => free([l.code], `已解锁 ${l.code}`), {className: "unlock"})] : [])))));
  }

  async function rebalanceAsked() {
    // Say what rebalance will change before it changes anything (the preview changes nothing).
    say("正在计算重新划分会改变什么…", "ok");
    const answer = await fetch(`${API}/rebalance`);
    const p = await answer.json();
    if (!answer.ok) { say(`无法重新划分：${p.error.message}`, "error"); return false; }
    const cells = p.changes.slice(0, 12).map(c => `${c.cell}（${c.before}→${c.after} 户）`).join("、");
    const text = p.moved ? `重新划分将使 ${p.moved} 户（共 ${p.households} 户）换网格，涉及 ${p.changes.length} 个网格：` +
      `${cells}${p.changes.length > 12 ? " 等" : ""}。` : "重新划分不会改变任何农户的网格。";
    const kept = p.kept.length ? `\n保持不变的网格 ${p.kept.length} 个（锁定，或含手工调整的 ${p.locks} 户）：` +
      `${p.kept.slice(0, 12).join("、")}${p.kept.length > 12 ? " 等" : ""}。` : "";
    say("", "ok");
    return window.confirm(`${text}${kept}\n确定重新划分？`);
  }

  function button(text, onClick, attrs = {}) {
    const b = el("button", {type: "button", ...attrs}, text);
    b.addEventListener("click", onClick);
    return b;
  }

  function select(id, options) {
    return el("select", {id}, ...options.map(([value, label]) => el("option", {value}, label)));
  }

  function panel() {
    const box = document.getElementById("cell-panel");
    const c = state.current && cell(state.current);
    const picked = el("p", {}, `已选中 ${state.selected.size} 户`,
                      state.selected.size ? button("清除选择", () => { state.selected.clear(); draw(); panel(); }) : "");
    if (!c) { box.replaceChildren(el("p", {className: "hint"}, "点击地图上的网格选为“当前网格”；再点击农户（圆点）选中它们。"), picked); return; }
    const facts = el("p", {}, `${c.village} · 农户 ${c.households} · 工作量 ${c.workload} · ${METRICS.compactness[0]} ${c.pp} · ` +
                     `网格员 ${c.worker || "未配"} · 版本 ${c.version}${c.locked ? " · 已锁定" : ""}`);
    const parts = [el("h3", {}, `当前网格：${c.name}（${c.code}）`), facts, picked];
    if (DRAFT) {
      const groups = state.data.groups.filter(g => g.village_code === c.village_code);
      const others = cells().filter(o => o.village_code === c.village_code && o.code !== c.code);
      parts.push(
        el("div", {className: "row"}, button(`把选中的 ${state.selected.size} 户移入本网格`, () =>
          post("move", {households: [...state.selected], to: c.code}, `已移入网格 ${c.code}`), {id: "move-button"})),
        el("div", {className: "row"}, select("group-select", groups.map(g => [g.code, `${g.name}（${g.code}）`])),
          button("整组移入本网格", () => post("group", {group: document.getElementById("group-select").value, to: c.code},
                                         `村民小组已整组移入网格 ${c.code}`), {id: "group-button"})),
        el("div", {className: "row"}, select("merge-select", others.map(o => [o.code, o.name])),
          button("并入本网格", () => post("merge", {keep: c.code, other: document.getElementById("merge-select").value},
                                     `已合并到网格 ${c.code}`), {id: "merge-button", disabled: !others.length})),
        el("div", {className: "row"},
          button("拆分本网格", () => {
            // The reason is kept with the plan; cancelling the question still splits, without one.
            const reason = window.prompt(`拆分网格 ${c.code} 的原因（可不填）`) || undefined;
            post("split", {cell: c.code, reason}, r => `已拆分：${Object.keys(r.versions).join("、")}`);
          },
                 {id: "split-button"}),
          button("画范围并入本网格", () => { map.pm.enableDraw("Polygon"); say("在地图上点击画出范围，点击起点结束", "ok"); },
                 {id: "redraw-button"}),
          button(c.locked ? "解除锁定" : "锁定（重新划分时保留）",
                 () => post("lock", {cell: c.code, locked: !c.locked}, c.locked ? "已解除锁定" : "已锁定"),
                 {id: "lock-button"})));
    }
    box.replaceChildren(...parts);
  }

  function table() {
    const s = state.data.summary, head = ["网格", "村", "户数", "工作量", METRICS.compactness[0], "网格员", "版本"];
    const rows = cells().map(c => {
      const bad = (s.out_of_bounds || []).includes(c.code);
      const tr = el("tr", {className: `${c.code === state.current ? "current" : ""} ${c.code in state.changed ? "changed" : ""}`},
        el("td", {}, c.code + (c.locked ? " 🔒" : "")), el("td", {}, c.village), el("td", {}, String(c.households)),
        el("td", {className: bad ? "bad" : ""}, String(c.workload)), el("td", {}, String(c.pp)),
        el("td", {}, c.worker || "—"), el("td", {}, String(c.version)));
      tr.dataset.code = c.code;
      tr.addEventListener("click", () => { state.current = c.code; draw(); panel(); table(); });
      return tr;
    });
    document.getElementById("cell-table").replaceChildren(el("tr", {}, ...head.map(h => el("th", {}, h))), ...rows);
  }

  function shortTable(r) {
    // Cells short of 联户 party members or of a grid worker, by name: most unlinked households first.
    const head = ["网格", "村", "户数", "未联户", "联户党员 有/需", "已配党员", "网格员"];
    const rows = r.shortfalls.map(c => el("tr", {},
      el("td", {title: c.cell}, c.name), el("td", {}, c.village), el("td", {}, String(c.households)),
      el("td", {className: c.unlinked ? "bad" : ""}, String(c.unlinked)),
      el("td", {className: c.liaisons < c.needs ? "bad" : ""}, `${c.liaisons} / ${c.needs}`),
      el("td", {className: "names"}, c.members.join("、") || "无"),
      el("td", {className: c.worker ? "" : "bad"}, c.worker || "未配")));
    document.getElementById("assign-result").replaceChildren(
      el("h2", {}, r.shortfalls.length ? `缺人的网格：${r.shortfalls.length} 个（每名党员最多联系 ${state.data.rules.liaison_capacity} 户）`
                                       : "每个网格都已配齐网格员和联户党员"),
      ...(r.shortfalls.length ? [el("table", {className: "cell-table short-table"},
        el("tr", {}, ...head.map(h => el("th", {}, h))), ...rows)] : []));
  }

  const PLAN_DONE = {
    rebalance: r => `已重新划分：${r.cells} 个网格，最大偏离本村目标 ${(r.quality.worst_deviation * 100).toFixed(1)}%`,
    assign: r => { shortTable(r); return `${r.cells} 个网格中 ${r.workers_assigned} 个已配网格员；${r.households} 户中 ` +
                   `${r.households_linked} 户已配联户党员` + (r.shortfalls.length ? `；${r.shortfalls.length} 个网格缺人，见下表` : ""); },
    publish: () => "方案已发布：每户的网格已更新，网格员的手机页显示新网格和联户党员",
    "redraw-outlines": r => { document.getElementById("old-outlines").remove();
                              return `已沿村民小组界线重画 ${r.cells} 个网格的边界，每户所属网格不变`; },
  };
  document.querySelectorAll("[data-plan-action]").forEach(b => b.addEventListener("click", async () => {
    const action = b.dataset.planAction;
    if (action === "publish" && !window.confirm("发布后原已发布方案将归档，确定发布？")) return;
    if (action === "rebalance" && !(await rebalanceAsked())) return;
    const reply = await post(action, {}, PLAN_DONE[action]);
    if (reply && action === "publish") window.location.reload();
  }));

  window.gridEditor = {map, state};  // for the console and the browser test: where things are
  load(true);
})();
