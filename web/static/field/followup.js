/* The visit sheet's follow-up (民情/需跟进) and photos, put in the outbox after their visit.
 *
 * A photo is shrunk on the phone as soon as it is taken (browser-image-compression: at most
 * MAX_MB, its longest side MAX_SIDE, re-encoded as JPEG, which leaves the EXIF block with the
 * place and the phone behind) and kept in the outbox as base64 until the server has it. The
 * follow-up and each photo name their visit by its client id; the server stores them once
 * that visit is there (before, it asks the phone to send them again later).
 */
(() => {
  const {outbox, config, $} = FIELD;
  const MAX_MB = 0.29, MAX_SIDE = 1600, QUALITY = 0.8, MAX_PHOTOS = 4;
  const CATEGORIES = Object.fromEntries([...$("followup-category").options].map(o => [o.value, o.textContent]));
  let shrinking = [];

  function base64(blob) {
    return new Promise((resolve, reject) => {
      const reader = new FileReader();
      reader.onload = () => resolve(reader.result.slice(reader.result.indexOf(",") + 1));
      reader.onerror = () => reject(reader.error);
      reader.readAsDataURL(blob);
    });
  }

  async function shrink(file) {
    const options = {maxSizeMB: MAX_MB, maxWidthOrHeight: MAX_SIDE, initialQuality: QUALITY,
                     fileType: "image/jpeg", useWebWorker: false};  // a worker would load its script from a CDN
    let out = await imageCompression(file, options);
    if (out === file) {  // kept as it was (already small): draw it again so its EXIF goes too
      const [, canvas] = await imageCompression.drawFileInCanvas(file, options);
      out = await imageCompression.canvasToFile(canvas, "image/jpeg", file.name, Date.now(), QUALITY);
    }
    return {data: await base64(out), kb: Math.round(out.size / 1024)};
  }

  function reset(editing) {
    $("followup-category").value = ""; $("followup-note").value = "";
    $("visit-photo").value = ""; $("photo-status").textContent = "";
    $("followup-fields").hidden = editing; $("photo-fields").hidden = editing;
    shrinking = [];
  }
  FIELD.on("sheet", ({editing}) => reset(editing));

  $("visit-photo").addEventListener("change", event => {
    const files = [...event.target.files].slice(0, MAX_PHOTOS);
    const shown = $("photo-status");
    shown.textContent = files.length ? `正在压缩 ${files.length} 张照片…` : "";
    shrinking = files.map(shrink);
    Promise.allSettled(shrinking).then(done => {
      const kept = done.filter(d => d.status === "fulfilled").map(d => `${d.value.kb} KB`);
      const lost = done.length - kept.length;
      shown.textContent = (kept.length ? `已压缩 ${kept.length} 张（${kept.join("、")}），随走访上传` : "")
        + (lost ? `；${lost} 张无法读取，请重新拍摄` : "");
      shown.dataset.ready = String(kept.length);
    });
  });

  // After VISIT (an outbox record) was added: its follow-up and photos, made with NAME (the
  // household head) in their banner labels. What was typed is never lost: a note without a
  // category is 其他, a category without a note carries the category's name.
  FIELD.withVisit = async (visit, name) => {
    const photos = shrinking;
    const note = $("followup-note").value.trim(), category = $("followup-category").value || (note ? "other" : "");
    reset(false);
    if (category) {
      await outbox.add(config.user, "followup", {visit_client_id: visit.client_id, category, note: note || CATEGORIES[category]},
                       `${name} · 需跟进：${CATEGORIES[category]}`);
    }
    for (const shrunk of await Promise.allSettled(photos)) {
      if (shrunk.status !== "fulfilled") continue;
      await outbox.add(config.user, "photo", {visit_client_id: visit.client_id, data: shrunk.value.data},
                       `${name} · 照片 ${shrunk.value.kb} KB`);
    }
    return visit;
  };

  // A follow-up waiting in the outbox can be changed; saving replaces it (its client id stays).
  let editing = null;
  FIELD.on("edit", item => {
    if (item.kind !== "followup") return;
    editing = item;
    $("followup-edit-category").value = item.body.category;
    $("followup-edit-note").value = item.body.note;
    $("followup-sheet").showModal();
  });
  $("followup-edit-save").addEventListener("click", async () => {
    const category = $("followup-edit-category").value, note = $("followup-edit-note").value.trim() || CATEGORIES[category];
    $("followup-sheet").close();
    await outbox.edit(editing.client_id, {category, note}, `${editing.label.split(" · ")[0]} · 需跟进：${CATEGORIES[category]}`);
    FIELD.queued();
  });
})();
