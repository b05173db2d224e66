/* Find a household in two taps: type a 户主 name, its pinyin initials (pinyin-pro, loaded on
 * the first search and kept on the phone by the worker), a 户号 or a group, tap the result.
 * Also the households by 村民小组, opened group by group. All from the working set.
 */
(() => {
  const {config, $} = FIELD;
  const input = $("field-search");
  if (!input) return;
  const MOST = 30;
  let initials = null, loading = null;

  function loadPinyin() {
    loading = loading || new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.src = config.pinyin;
      script.onload = resolve; script.onerror = () => { loading = null; reject(new Error("pinyin-pro")); };
      document.head.append(script);
    });
    return loading;
  }

  // "zs" for 张三: the first letter of each syllable, surnames read as surnames (单 shan, 曾 zeng).
  function initialsOf(name) {
    return pinyinPro.pinyin(name, {pattern: "first", toneType: "none", type: "array", surname: "head"}).join("").toLowerCase();
  }

  async function ensureInitials() {
    if (initials && initials.size === FIELD.data.households.length) return;
    await loadPinyin();
    initials = new Map(FIELD.data.households.map(home => [home.id, initialsOf(home.head)]));
  }

  function matches(query) {
    const homes = FIELD.data.households;
    if (/^\d+$/.test(query)) return homes.filter(h => h.code.includes(query));
    if (/^[a-z]+$/i.test(query)) {
      const q = query.toLowerCase();
      return homes.filter(h => initials.get(h.id).startsWith(q)).concat(
        homes.filter(h => !initials.get(h.id).startsWith(q) && initials.get(h.id).includes(q)));
    }
    return homes.filter(h => h.head.includes(query)).concat(
      homes.filter(h => !h.head.includes(query) && `${h.village}${h.group || ""}`.includes(query)));
  }

  function entry(home) {
    const li = document.createElement("li"), tap = document.createElement("button"), small = document.createElement("small");
    tap.type = "button";
    tap.textContent = home.head;
    small.textContent = `${home.group || home.village} · ${home.code}`;
    tap.append(small);
    tap.addEventListener("click", () => FIELD.showHousehold(home));
    li.append(tap);
    return li;
  }

  async function search() {
    const query = input.value.trim();
    const list = $("search-results");
    if (!query || !FIELD.data) { list.replaceChildren(); $("search-summary").textContent = ""; return; }
    if (/^[a-z]+$/i.test(query)) {
      try { await ensureInitials(); } catch (error) { $("search-summary").textContent = "拼音检索暂不可用，请输入汉字或户号"; return; }
    }
    if (input.value.trim() !== query) return;  // typed on meanwhile
    const found = matches(query);
    $("search-summary").textContent = found.length ? `找到 ${found.length} 户${found.length > MOST ? `，显示前 ${MOST} 户` : ""}`
      : "没有找到：可输入户主姓名、拼音首字母（如 zs）、户号或村民小组";
    list.replaceChildren(...found.slice(0, MOST).map(entry));
  }

  function groups(data) {
    const box = $("group-list");
    if (!box) return;
    const byGroup = new Map();
    data.households.forEach(home => {
      const name = home.group || home.village;
      byGroup.set(name, [...(byGroup.get(name) || []), home]);
    });
    box.replaceChildren(...[...byGroup.entries()].map(([name, homes]) => {
      const details = document.createElement("details"), summary = document.createElement("summary");
      summary.textContent = `${name}（${homes.length} 户）`;
      details.append(summary);
      details.addEventListener("toggle", () => {
        if (details.open && details.children.length === 1) {
          const list = document.createElement("ul");
          list.className = "search-results";
          list.append(...homes.map(entry));
          details.append(list);
        }
      });
      return details;
    }));
  }

  input.addEventListener("input", search);
  input.addEventListener("focus", () => loadPinyin().catch(() => {}), {once: true});
  FIELD.on("data", data => { initials = null; groups(data); if (input.value) search(); });
})();
