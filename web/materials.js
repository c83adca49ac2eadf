// Project materials (资料, issue 12 points 1 and 2; the wire is
// spec/materials.md): the files of a meeting this viewer may see, from the
// snapshot's materials.files and the materials.* events; an upload for who may
// upload (the admin, the meeting's organizer, its host, and the company's own
// participant, which may only share with everyone); open and download over
// HTTP with the signed-in token in the Authorization header (never in a URL:
// fetch → blob → object URL), PDFs and images previewed in a dialog; and for
// the organizer side the read receipts — which unit opened which file, "N of
// M units have opened them", the checklist's C-7 tick and the reminder text
// (materials.receipts) to copy for the units that have not.
import { h, put, toast, errorText, announce, confirmDialog, copyText, nextId } from "./dom.js";
import { t, getLang, formatTime, formatNumber, accountName, allStrings, onLangChange } from "./i18n.js";
import { ServerError } from "./connection.js";
import { progressBar, setProgress, itemText } from "./meetingview.js";
import { OPEN_PHASES } from "./live-shared.js";

/** The extensions the server accepts (spec: anything else is refused with field "name", reason "type"). */
export const MATERIAL_EXTENSIONS = ["pdf", "doc", "docx", "wps", "ppt", "pptx", "dps", "xls", "xlsx", "et", "png", "jpg", "jpeg", "webp"];
const AUDIENCES = ["everyone", "government", "organizer"];
/** The checklist item the receipts stand for (C-7, mechanism 7 §2). */
export const MATERIALS_ITEM_KEY = "send_materials";

/** The checklist's C-7 item in a store, if the meeting has it. */
export function materialsItem(store) {
  for (const item of store.checklist.values()) if (item.key === MATERIALS_ITEM_KEY) return item;
  return null;
}

/** "{opened} of {of} units have opened them", or why there is nothing to count. */
export function unitsOpenedText(progress) {
  if (!progress.files.length) return t("materials.noUnitFiles");
  if (!progress.of) return t("materials.noUnits");
  return t("materials.unitsOpened", { opened: progress.opened, of: progress.of });
}

function extOf(name) {
  const m = /\.([^./\\]+)$/.exec(name || "");
  return m ? m[1].toLowerCase() : "";
}

/** The kind of file, for its little tile: pdf, doc, ppt, xls, image or file. */
function typeOf(material) {
  const ext = extOf(material.name);
  if (material.preview === "image" || ["png", "jpg", "jpeg", "webp"].includes(ext)) return "image";
  if (ext === "pdf") return "pdf";
  if (["doc", "docx", "wps"].includes(ext)) return "doc";
  if (["ppt", "pptx", "dps"].includes(ext)) return "ppt";
  if (["xls", "xlsx", "et"].includes(ext)) return "xls";
  return "file";
}

export function sizeText(bytes) {
  if (typeof bytes !== "number" || !Number.isFinite(bytes)) return "";
  if (bytes < 1024) return t("materials.bytes", { n: formatNumber(bytes) });
  if (bytes < 1024 * 1024) return `${formatNumber(Math.round((bytes / 1024) * 10) / 10)} KB`;
  return `${formatNumber(Math.round((bytes / (1024 * 1024)) * 10) / 10)} MB`;
}

function materialURL(meetingId, materialId, inline) {
  return `/api/meetings/${encodeURIComponent(meetingId)}/materials/${encodeURIComponent(materialId)}${inline ? "?inline=1" : ""}`;
}

/** The server's error from an HTTP answer ({ok:false, error}), or one for its status. */
async function httpError(res) {
  let body = null;
  try { body = await res.json(); } catch { /* not JSON */ }
  if (body && body.error) return new ServerError(body.error);
  const code = res.status === 401 ? "unauthenticated" : res.status === 403 ? "forbidden" : res.status === 404 ? "not_found" : res.status === 413 ? "too_large" : "internal";
  return new ServerError({ code, message: `HTTP ${res.status}` });
}

/**
 * mountMaterials(slot, {conn, actor, store, meetingId}) → unmount. The panel
 * draws itself from the store (snapshot, then materials.* events), so every
 * open page shows a new file, a removal or a receipt without a reload.
 */
export function mountMaterials(slot, { conn, actor, store, meetingId }) {
  const els = new Map(); // material id -> {li, …}
  let destroyed = false;

  const me = () => (actor && actor.kind === "participant" ? store.roster.get(actor.id) || null : null);
  /** "manager" (admin, organizer, host), "company" (its own participant: audience everyone only), or null. */
  function uploader() {
    if (!actor) return null;
    if (actor.kind === "admin" || actor.kind === "organizer") return "manager";
    const p = me();
    if (p && p.role === "host") return "manager";
    if (p && p.role === "company") return "company";
    return null;
  }
  const organizerSide = () => store.may("materials.receipts");
  function mayRemove(m) {
    if (!store.may("materials.remove")) return false;
    if (uploader() === "company") return !!(m.uploadedBy && m.uploadedBy.id === actor.id);
    return true;
  }

  // ---------- the card ----------
  const count = h("span", { class: "count", id: "materials-count" });
  const list = h("ul", { class: "mat-list", id: "materials-list" });
  const empty = h("p", { class: "empty", id: "materials-empty" });
  const section = h("section", { class: "card mat-card", id: "materials", "aria-labelledby": "materials-h" },
    h("div", { class: "section-head" }, h("h2", { id: "materials-h", tabindex: "-1", i18n: "materials.title" }), count),
    h("p", { class: "muted small mat-intro", i18n: "materials.intro" }),
    list, empty);

  // ---------- upload ----------
  const fileInput = h("input", { type: "file", id: nextId("materials-file"), class: "mat-file", accept: MATERIAL_EXTENSIONS.map((e) => "." + e).join(","), dataset: { field: "name" } });
  const fileErr = h("p", { class: "field-error", id: fileInput.id + "-err", role: "alert", hidden: true });
  const fileHint = h("p", { class: "hint", id: fileInput.id + "-hint", i18n: "materials.fileHint" });
  const audienceSelect = h("select", { id: nextId("materials-audience"), dataset: { field: "audience" } },
    AUDIENCES.map((a) => h("option", { value: a, i18n: "materials.audience." + a })));
  audienceSelect.value = "government"; // the server's default: the units, not the company
  const audienceErr = h("p", { class: "field-error", id: audienceSelect.id + "-err", role: "alert", hidden: true });
  audienceSelect.setAttribute("aria-describedby", audienceErr.id);
  const audienceField = h("div", { class: "field mat-audience-field" },
    h("label", { for: audienceSelect.id, i18n: "materials.audience" }), audienceSelect, audienceErr);
  const companyNote = h("p", { class: "hint mat-company-note", id: "materials-company-note", i18n: "materials.audienceCompany" });
  fileInput.setAttribute("aria-describedby", `${fileHint.id} ${companyNote.id} ${fileErr.id}`);
  const submit = h("button", { type: "submit", class: "btn btn-primary", id: "materials-submit" }, h("span", { "aria-hidden": "true" }, "↑ "), h("span", { i18n: "materials.submit" }));
  // The bar is a progressbar (read when reached, not on every step); the line says the same for the eye.
  const bar = h("div", { class: "mat-upload-bar", role: "progressbar", "aria-valuemin": "0", "aria-valuemax": "100" }, h("div", { class: "mat-upload-fill" }));
  const status = h("p", { class: "mat-upload-status small", id: "materials-upload-status" });
  const formErr = h("p", { class: "form-error", role: "alert", hidden: true });
  const form = h("form", { class: "mat-upload", id: "materials-upload", novalidate: true, "aria-labelledby": "materials-upload-h" },
    h("h3", { class: "subhead", id: "materials-upload-h", i18n: "materials.upload" }),
    h("div", { class: "mat-upload-grid" },
      h("div", { class: "field mat-file-field" },
        h("label", { for: fileInput.id, i18n: "materials.file" }), fileInput, fileHint, companyNote, fileErr),
      audienceField,
      h("div", { class: "mat-upload-submit" }, submit)),
    h("div", { class: "mat-upload-progress" }, bar, status),
    formErr);
  section.append(form);

  // ---------- receipts (the organizer side) ----------
  const rcBar = progressBar(0, 0, { labelKey: "materials.unitsOpenedBar", id: "materials-receipts-progress" });
  const rcLine = h("p", { class: "mat-receipts-line", id: "materials-units-opened" });
  const rcUnits = h("ul", { class: "mat-units", id: "materials-units" });
  const rcCheck = h("input", { type: "checkbox", id: "materials-checklist", class: "cl-check" });
  const rcCheckLabel = h("label", { for: rcCheck.id, class: "mat-check-label" });
  const rcCheckRow = h("div", { class: "mat-check-row" }, rcCheck, rcCheckLabel);
  const reminderBtn = h("button", { type: "button", class: "btn btn-secondary btn-sm", id: "materials-reminder" }, h("span", { i18n: "materials.reminder" }));
  const reminderText = h("textarea", { id: "materials-reminder-text", class: "mat-reminder-text", readonly: true, rows: "4" });
  const reminderBox = h("div", { class: "field mat-reminder", hidden: true },
    h("label", { for: reminderText.id, i18n: "materials.reminderLabel" }), reminderText);
  const receipts = h("div", { class: "mat-receipts", id: "materials-receipts", role: "region", "aria-labelledby": "materials-receipts-h" },
    h("div", { class: "section-head mat-receipts-head" }, h("h3", { id: "materials-receipts-h", i18n: "materials.receipts" }), rcBar),
    rcLine, rcUnits, rcCheckRow,
    h("div", { class: "export-actions" }, reminderBtn),
    reminderBox);
  section.insertBefore(receipts, form);
  slot.append(section);

  // ---------- rendering ----------
  function render() {
    if (destroyed || !store.loaded) return;
    const files = store.materials.files;
    const who = uploader();
    count.textContent = files.length ? t(files.length === 1 ? "materials.countOne" : "materials.count", { n: files.length }) : "";
    empty.textContent = t(who ? "materials.emptyUpload" : "materials.empty");
    empty.hidden = files.length > 0;
    const progress = organizerSide() ? store.materialsProgress() : null;
    let prev = null;
    const ids = new Set();
    for (const m of files) {
      ids.add(m.id);
      let el = els.get(m.id);
      if (!el) { el = makeRow(m); els.set(m.id, el); }
      fillRow(el, m, progress);
      const at = prev ? prev.nextSibling : list.firstChild;
      if (at !== el.li) list.insertBefore(el.li, at);
      prev = el.li;
    }
    for (const [id, el] of els) {
      if (ids.has(id)) continue;
      const hadFocus = el.li.contains(document.activeElement);
      const neighbour = el.li.nextElementSibling || el.li.previousElementSibling;
      el.li.remove();
      els.delete(id);
      if (hadFocus) { const b = neighbour && neighbour.querySelector("button"); (b || (form.hidden ? section : fileInput)).focus(); }
    }
    // Nothing to see and nothing to upload: no empty card on the page.
    section.hidden = !files.length && !who;
    form.hidden = !who;
    audienceField.hidden = who !== "manager";
    companyNote.hidden = who !== "company";
    renderReceipts(progress);
  }

  function makeRow(m) {
    const tile = h("span", { class: "mat-tile", "aria-hidden": "true" });
    const name = h("button", { type: "button", class: "mat-name", dataset: { action: "open-material" } });
    const badge = h("span", { class: "badge mat-audience" });
    const meta = h("div", { class: "mat-meta muted small" });
    const opened = h("div", { class: "mat-opened small" });
    const previewBtn = h("button", { type: "button", class: "btn btn-secondary btn-sm", dataset: { action: "preview-material" } }, h("span", { i18n: "materials.preview" }));
    const downloadBtn = h("button", { type: "button", class: "btn btn-ghost btn-sm", dataset: { action: "download-material" } }, h("span", { "aria-hidden": "true" }, "↓ "), h("span", { i18n: "materials.download" }));
    const removeBtn = h("button", { type: "button", class: "icon-btn", dataset: { action: "remove-material" } }, h("span", { "aria-hidden": "true" }, "×"));
    const li = h("li", { class: "mat-item", dataset: { id: m.id } },
      tile,
      h("div", { class: "mat-body" }, h("div", { class: "mat-name-line" }, name, badge), meta, opened),
      h("div", { class: "mat-actions" }, previewBtn, downloadBtn, removeBtn));
    const current = () => store.materials.files.find((f) => f.id === m.id) || m;
    name.addEventListener("click", () => { const f = current(); if (f.preview) preview(f, name); else download(f, name); });
    previewBtn.addEventListener("click", () => preview(current(), previewBtn));
    downloadBtn.addEventListener("click", () => download(current(), downloadBtn));
    removeBtn.addEventListener("click", () => remove(current(), removeBtn));
    return { li, tile, name, badge, meta, opened, previewBtn, downloadBtn, removeBtn };
  }

  function fillRow(el, m, progress) {
    const type = typeOf(m);
    el.li.dataset.audience = m.audience || "";
    el.li.dataset.preview = m.preview || "";
    el.tile.className = `mat-tile mat-type-${type}`;
    el.tile.textContent = type === "image" ? "IMG" : type === "file" ? (extOf(m.name) || "?").slice(0, 4).toUpperCase() : type.toUpperCase();
    el.name.textContent = m.name;
    el.name.setAttribute("aria-label", t(m.preview ? "materials.previewLabel" : "materials.downloadLabel", { name: m.name }));
    el.badge.className = `badge mat-audience mat-audience-${m.audience}`;
    el.badge.textContent = t("materials.audience." + m.audience);
    const by = m.uploadedBy && m.uploadedBy.name ? accountName(m.uploadedBy.name) : "";
    const bits = [t("materials.type." + type), sizeText(m.bytes)];
    if (by || m.uploadedAt) bits.push(t("materials.by", { who: by || "—", when: formatTime(m.uploadedAt) }));
    el.meta.textContent = bits.filter(Boolean).join(" · ");
    el.previewBtn.hidden = !m.preview;
    // Without a preview the download is the file's one action: it looks like one.
    el.downloadBtn.className = "btn btn-sm " + (m.preview ? "btn-ghost" : "btn-secondary");
    el.previewBtn.setAttribute("aria-label", t("materials.previewLabel", { name: m.name }));
    el.downloadBtn.setAttribute("aria-label", t("materials.downloadLabel", { name: m.name }));
    el.removeBtn.hidden = !mayRemove(m);
    el.removeBtn.setAttribute("aria-label", t("materials.removeLabel", { name: m.name }));
    el.removeBtn.title = t("remove");
    // The organizer side: how many units have opened this file.
    const forUnits = progress && progress.files.includes(m.id) && progress.of > 0;
    // Anyone else: whether it has opened this file itself (its own receipt).
    const mine = !progress && actor && actor.kind === "participant"
      && store.materials.receipts.some((r) => r.material === m.id && r.participant === actor.id);
    el.opened.hidden = !forUnits && !mine;
    el.opened.dataset.mine = mine ? "1" : "";
    if (mine) el.opened.textContent = t("materials.openedByMe");
    if (forUnits) {
      const n = progress.units.filter((u) => u.opened.includes(m.id)).length;
      el.opened.textContent = t("materials.unitsOpenedFile", { n, m: progress.of });
      el.opened.dataset.opened = String(n);
      el.opened.dataset.of = String(progress.of);
    }
  }

  function renderReceipts(progress) {
    receipts.hidden = !progress;
    if (!progress) return;
    const counted = progress.files.length > 0 && progress.of > 0;
    rcBar.hidden = !counted;
    setProgress(rcBar, progress.opened, progress.of);
    rcLine.textContent = unitsOpenedText(progress);
    rcLine.dataset.opened = String(progress.opened);
    rcLine.dataset.of = String(progress.of);
    const names = new Map(store.materials.files.map((f) => [f.id, f.name]));
    put(rcUnits, counted ? progress.units.map((u) => {
      const state = u.openedAll ? "all" : u.opened.length ? "some" : "none";
      const label = state === "all" ? t("materials.unitAll") : state === "some" ? t("materials.unitSome", { n: u.opened.length, m: progress.files.length }) : t("materials.unitNone");
      const chips = progress.files.map((fid) => {
        // Who of the unit opened it, and when (the receipt names the person as the roster had them then).
        const openers = store.materials.receipts.filter((r) => r.material === fid && r.unit === u.unit && r.role === "unit")
          .map((r) => t("materials.openedBy", { name: r.name || "", when: formatTime(r.at) }).trim());
        const done = u.opened.includes(fid);
        return h("li", { class: "mat-chip" + (done ? " is-done" : ""), dataset: { material: fid, opened: String(done) } },
          h("span", { class: "mat-chip-sym", "aria-hidden": "true" }, done ? "✓" : "○"),
          h("span", { class: "mat-chip-name" }, names.get(fid) || fid),
          h("span", { class: "muted" }, done ? " · " + openers.join("，") : h("span", { class: "sr-only" }, " · " + t("materials.notOpened"))));
      });
      return h("li", { class: "mat-unit", dataset: { unit: u.unit, opened: state } },
        h("div", { class: "mat-unit-head" },
          h("strong", { class: "mat-unit-name" }, u.unit),
          h("span", { class: `badge mat-unit-state mat-unit-${state}` }, label)),
        h("ul", { class: "mat-chips" }, chips));
    }) : []);
    rcUnits.hidden = !counted;
    // The checklist's C-7, ticked from here as from the checklist (checklist.set).
    const item = materialsItem(store);
    rcCheckRow.hidden = !item;
    if (item) {
      rcCheckLabel.textContent = t("materials.checklistDone", { text: itemText(item) });
      if (!rcCheck._pending) rcCheck.checked = !!item.done;
      rcCheck.dataset.item = item.id;
      rcCheck.disabled = !(store.may("checklist.set") && store.meeting && OPEN_PHASES.has(store.meeting.phase));
    }
    reminderBtn.hidden = !counted;
    if (!counted) reminderBox.hidden = true;
  }

  rcCheck.addEventListener("change", async () => {
    const item = materialsItem(store);
    if (!item) return;
    rcCheck._pending = true;
    try {
      await conn.call("checklist.set", { meeting: meetingId, item: item.id, done: rcCheck.checked });
    } catch (err) {
      toast(errorText(err), "error");
    } finally {
      rcCheck._pending = false;
      const now = materialsItem(store);
      rcCheck.checked = !!(now && now.done);
    }
  });

  reminderBtn.addEventListener("click", async () => {
    reminderBtn.disabled = true;
    reminderBtn.setAttribute("aria-busy", "true");
    try {
      const r = await conn.call("materials.receipts", { meeting: meetingId, lang: getLang() === "en" ? "en" : "zh" });
      const text = (r && typeof r.reminder === "string") ? r.reminder : "";
      reminderText.value = text;
      reminderText.dataset.opened = String(r && typeof r.opened === "number" ? r.opened : "");
      reminderText.dataset.of = String(r && typeof r.of === "number" ? r.of : "");
      reminderBox.hidden = false;
      if (text) await copyText(text, reminderBtn);
    } catch (err) {
      toast(errorText(err), "error");
    } finally {
      reminderBtn.disabled = false;
      reminderBtn.removeAttribute("aria-busy");
    }
  });
  reminderText.addEventListener("focus", () => reminderText.select());

  // ---------- upload ----------
  let uploading = null; // the XMLHttpRequest in flight

  function setFieldError(input, box, text) {
    input.setAttribute("aria-invalid", "true");
    box.textContent = text;
    box.hidden = false;
    input.focus();
  }
  function clearUploadErrors() {
    for (const [input, box] of [[fileInput, fileErr], [audienceSelect, audienceErr]]) { input.removeAttribute("aria-invalid"); box.hidden = true; box.textContent = ""; }
    formErr.hidden = true;
    formErr.textContent = "";
  }
  function showUploadError(err) {
    const text = errorText(err, { besideField: true });
    if (err.field === "name" || err.field === "body") setFieldError(fileInput, fileErr, text);
    else if (err.field === "audience" && !audienceField.hidden) setFieldError(audienceSelect, audienceErr, text);
    else { formErr.textContent = text; formErr.hidden = false; }
  }
  function setUploading(file, pct) {
    const on = !!file;
    form.classList.toggle("is-uploading", on);
    form.setAttribute("aria-busy", String(on));
    submit.disabled = on;
    fileInput.disabled = on;
    audienceSelect.disabled = on;
    bar.classList.toggle("is-on", on);
    bar.firstChild.style.width = on ? `${pct}%` : "0%";
    if (on) { bar.setAttribute("aria-valuenow", String(pct)); bar.setAttribute("aria-label", t("materials.uploading", { name: file.name, pct })); }
    else { bar.removeAttribute("aria-valuenow"); bar.removeAttribute("aria-label"); }
    status.textContent = on ? t("materials.uploading", { name: file.name, pct }) : "";
  }

  /** POSTs the file's bytes as they are (not multipart); resolves {status, body}. */
  function send(file, audience) {
    return new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      uploading = xhr;
      const q = `name=${encodeURIComponent(file.name)}&audience=${encodeURIComponent(audience)}`;
      xhr.open("POST", `/api/meetings/${encodeURIComponent(meetingId)}/materials?${q}`);
      xhr.setRequestHeader("Authorization", "Bearer " + conn.token);
      xhr.responseType = "text";
      xhr.upload.onprogress = (e) => { if (e.lengthComputable && !destroyed) setUploading(file, Math.min(99, Math.floor((e.loaded / e.total) * 100))); };
      xhr.onload = () => {
        let body = null;
        try { body = JSON.parse(xhr.responseText); } catch { /* not JSON */ }
        resolve({ status: xhr.status, body });
      };
      xhr.onerror = () => reject(new ServerError({ code: "network", message: "network", text: both("materials.network") }));
      xhr.onabort = () => reject(new ServerError({ code: "network", message: "aborted" }));
      xhr.send(file);
    });
  }

  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    if (uploading) return;
    clearUploadErrors();
    const file = fileInput.files && fileInput.files[0];
    if (!file) { setFieldError(fileInput, fileErr, t("materials.chooseFile")); return; }
    if (!MATERIAL_EXTENSIONS.includes(extOf(file.name))) { setFieldError(fileInput, fileErr, t("materials.badType")); return; }
    const audience = uploader() === "company" ? "everyone" : audienceSelect.value;
    setUploading(file, 0);
    announce(t("materials.uploading", { name: file.name, pct: 0 }));
    try {
      const { status: code, body } = await send(file, audience);
      if (destroyed) return;
      if (body && body.ok && body.result && body.result.material) {
        const m = body.result.material;
        store.addMaterial(m);
        const text = t(code === 201 ? "materials.uploaded" : "materials.already", { name: m.name });
        toast(text, "info");
        announce(text);
        form.reset();
        audienceSelect.value = audience;
        fileInput.focus();
      } else {
        showUploadError(body && body.error ? new ServerError(body.error) : new ServerError({ code: code === 413 ? "too_large" : "internal", message: `HTTP ${code}` }));
      }
    } catch (err) {
      if (!destroyed) showUploadError(err);
    } finally {
      uploading = null;
      if (!destroyed) setUploading(null, 0);
    }
  });

  // ---------- open, preview, download ----------
  async function fetchBlob(m, inline) {
    let res;
    try {
      res = await fetch(materialURL(meetingId, m.id, inline), { headers: { Authorization: "Bearer " + conn.token }, cache: "no-store", credentials: "omit" });
    } catch {
      throw new ServerError({ code: "network", message: "network", text: both("materials.fetchNetwork") });
    }
    if (!res.ok) throw await httpError(res);
    const blob = await res.blob();
    // The type the server named for the file's extension (the list's), so the browser shows it as that.
    return new Blob([blob], { type: m.contentType || blob.type || "application/octet-stream" });
  }

  function saveBlob(blob, name) {
    const url = URL.createObjectURL(blob);
    const a = h("a", { href: url, download: name, hidden: true });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  }

  async function withBusy(btn, fn) {
    if (btn) { btn.disabled = true; btn.setAttribute("aria-busy", "true"); }
    try { return await fn(); } finally {
      if (btn) { btn.disabled = false; btn.removeAttribute("aria-busy"); }
    }
  }

  async function download(m, btn) {
    await withBusy(btn, async () => {
      try {
        const blob = await fetchBlob(m, false);
        saveBlob(blob, m.name);
        announce(t("materials.downloaded", { name: m.name }));
      } catch (err) {
        toast(errorText(err), "error");
      }
    });
  }

  let dialog = null;
  async function preview(m, btn) {
    if (!m.preview) { download(m, btn); return; }
    if (dialog) dialog.close();
    const body = h("div", { class: "mat-preview-body", "aria-busy": "true" }, h("div", { class: "loading" }, h("span", { class: "spinner", "aria-hidden": "true" }), h("span", { i18n: "materials.loading" })));
    const close = h("button", { type: "button", class: "btn btn-ghost btn-sm", id: "materials-preview-close" }, h("span", { i18n: "materials.close" }));
    const dl = h("button", { type: "button", class: "btn btn-secondary btn-sm", id: "materials-preview-download", hidden: true }, h("span", { "aria-hidden": "true" }, "↓ "), h("span", { i18n: "materials.download" }));
    const tab = h("a", { class: "btn btn-ghost btn-sm", id: "materials-preview-tab", target: "_blank", rel: "noopener", hidden: true, i18n: "materials.openTab" });
    const titleId = nextId("materials-preview-h");
    const dlg = h("dialog", { class: "dialog mat-preview", id: "materials-preview", "aria-labelledby": titleId, dataset: { material: m.id, kind: m.preview } },
      h("div", { class: "mat-preview-bar" },
        h("h2", { id: titleId, class: "mat-preview-title" }, m.name),
        h("div", { class: "mat-preview-actions" }, tab, dl, close)),
      body);
    let url = null;
    // A PDF the page may not frame (its Content-Security-Policy): say so, with the other ways to open it.
    const blocked = () => {
      tab.hidden = true; // here instead, as the way to read it
      put(body, h("div", { class: "mat-preview-fallback", id: "materials-preview-blocked" },
        h("p", { class: "notice notice-info", i18n: "materials.frameBlocked" }),
        h("a", { class: "btn btn-primary", href: url, target: "_blank", rel: "noopener", dataset: { action: "open-tab" }, i18n: "materials.openTab" })));
    };
    const onViolation = (e) => {
      if (url && e.blockedURI && e.blockedURI.startsWith("blob") && body.querySelector("iframe")) blocked();
    };
    const shut = () => {
      if (dialog !== dlg) return;
      dialog = null;
      document.removeEventListener("securitypolicyviolation", onViolation);
      if (dlg.open) dlg.close();
      dlg.remove();
      if (url) setTimeout(() => URL.revokeObjectURL(url), 1000);
      if (btn && btn.isConnected) btn.focus();
    };
    dlg.addEventListener("close", shut);
    dlg.addEventListener("cancel", (e) => { e.preventDefault(); shut(); });
    close.addEventListener("click", shut);
    dialog = dlg;
    document.addEventListener("securitypolicyviolation", onViolation);
    document.body.append(dlg);
    dlg.showModal();
    close.focus();
    let blob, framed;
    try {
      [blob, framed] = await Promise.all([fetchBlob(m, true), m.preview === "image" ? true : blobFramesAllowed()]);
    } catch (err) {
      if (dialog === dlg) { put(body, h("p", { class: "notice notice-warn", role: "alert" }, errorText(err))); body.removeAttribute("aria-busy"); }
      return;
    }
    if (dialog !== dlg) return;
    url = URL.createObjectURL(blob);
    tab.href = url;
    tab.hidden = false;
    dl.hidden = false;
    dl.addEventListener("click", () => { saveBlob(blob, m.name); announce(t("materials.downloaded", { name: m.name })); });
    if (!framed) blocked();
    else put(body, m.preview === "image"
      ? h("img", { class: "mat-preview-img", src: url, alt: m.name })
      : h("iframe", { class: "mat-preview-frame", src: url, title: m.name }));
    body.removeAttribute("aria-busy");
    body.dataset.loaded = "true";
  }

  async function remove(m, btn) {
    if (!(await confirmDialog(t("materials.removeConfirm", { name: m.name })))) { btn.focus(); return; }
    try {
      await conn.call("materials.remove", { meeting: meetingId, material: m.id });
      announce(t("materials.removed", { name: m.name }));
    } catch (err) {
      toast(errorText(err), "error");
    }
  }

  // ---------- live ----------
  const off = store.subscribe((change) => {
    if (["snapshot", "materials", "roster", "viewer", "meeting", "checklist"].includes(change.kind)) render();
    const ev = change.event;
    if (change.kind === "materials" && ev && ev.event === "materials.added" && ev.data.material && !(ev.by && actor && ev.by === actor.id)) {
      announce(t("materials.added", { name: ev.data.material.name }));
      const el = els.get(ev.data.material.id);
      if (el) { el.li.classList.remove("flash"); void el.li.offsetWidth; el.li.classList.add("flash"); }
    }
    if (change.kind === "materials" && ev && ev.event === "materials.removed" && dialog && dialog.dataset.material === ev.data.material.id) dialog.close();
  });
  // Another language or time zone: every label and time again.
  // A reminder copied before is in the language it was asked in: asked again when wanted.
  const offLang = onLangChange(() => { reminderBox.hidden = true; reminderText.value = ""; render(); });
  render();
  return {
    el: section,
    render,
    destroy() {
      destroyed = true;
      off();
      offLang();
      if (uploading) uploading.abort();
      if (dialog) dialog.close();
      section.remove();
    },
  };
}

let blobFrames = null;
/**
 * May this page show a blob: URL in a frame? Its own Content-Security-Policy
 * says (frame-src, else child-src, else default-src; '*' does not cover
 * blob:). Asked once, of the page's own address; unknown counts as yes (a
 * refusal is then caught as it happens).
 */
function blobFramesAllowed() {
  if (!blobFrames) {
    blobFrames = fetch(location.pathname || "/", { cache: "no-store", credentials: "omit" }).then((r) => {
      const policy = r.headers.get("content-security-policy");
      if (!policy) return true;
      const dirs = new Map();
      for (const part of policy.split(";")) {
        const [name, ...sources] = part.trim().split(/\s+/);
        if (name && !dirs.has(name.toLowerCase())) dirs.set(name.toLowerCase(), sources);
      }
      const sources = dirs.get("frame-src") || dirs.get("child-src") || dirs.get("default-src");
      return !sources || sources.includes("blob:");
    }, () => true);
  }
  return blobFrames;
}

/** A page string in both languages, as the server's errors carry their text ({zh, en}). */
function both(key) {
  const entry = allStrings()[key];
  return entry ? { zh: entry[0], en: entry[1] } : { zh: key, en: key };
}
