/* 我的网格: the user's duties with what is done and due, or whom to ask when nothing is assigned. */
(() => {
  const {$} = FIELD;
  FIELD.on("data", data => {
    // A 全镇 duty gives a whole township with no posting: then there is something to do after all.
    const empty = $("field-empty");
    if (empty) empty.hidden = data.households.length > 0;
    $("duties").hidden = !data.duties.length;
    $("duty-list").replaceChildren(...data.duties.map(duty => {
      const li = document.createElement("li");
      li.textContent = `${duty.name}（${duty.period}）：已完成 ${duty.done}，待走访 ${duty.due}，逾期 ${duty.overdue}`;
      return li;
    }));
  });
})();
