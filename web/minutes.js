// The minutes of a meeting: an editor for the host, the recorder and the
// organizer (a button per kind, Alt+1…8 to pick one, Ctrl+Enter to save), and
// the entries listed by section, live for everyone (minutes.added / edited /
// removed events). Entries are keyed by id, so an entry being edited keeps its
// form while others change around it.
import { h, put, busy, showError, formError, toast, errorText, confirmDialog, announce, nextId, clearErrors, fieldError } from "./dom.js";
import { t, formatTime, formatDate, getLang, codeLabel } from "./i18n.js";
import { codes } from "./catalogue.js";

/** The order of the sections (as in the exported record), then actions and the next contact. */
export const SECTION_ORDER = ["intent", "needs", "prospects", "decision", "contact", "note", "action", "next_contact"];
/** The minutes the live → ended gate asks for (PhaseGate.swift). */
export const REQUIRED_KINDS = ["intent", "next_contact"];

const WITH_OWNER = new Set(["action", "next_contact"]);

export const minutesKindLabel = codeLabel("minutes.kind.", "minutesKinds");

/**
 * mountMinutes(section, {conn, meetingId, store, actor, canWrite}) fills the
 * given <section>. Returns {update(change), destroy()}.
 */
export function mountMinutes(section, { conn, meetingId, store, actor, canWrite }) {
  const count = h("span", { class: "count", id: "minutes-count" });
  const gate = h("div", { class: "minutes-gate", id: "minutes-gate" });
  const list = h("div", { class: "minutes-sections", id: "minutes-list", "aria-live": "off" });
  const empty = h("p", { class: "empty", id: "minutes-empty" });
  const sectionEls = new Map(); // kind -> {wrap, ul, head}
  const entryEls = new Map(); // id -> {li, body, editing}
  let seenIds = null; // ids present at the last render, to mark new ones
  let editor = null;

  section.classList.add("minutes-card");
  section.id = "live-minutes";
  section.setAttribute("aria-labelledby", "minutes-h");
  section.append(
    h("div", { class: "section-head" }, h("h2", { id: "minutes-h", i18n: "minutes.title" }), count));
  if (canWrite) section.append(gate);

  if (canWrite) {
    editor = makeEditor();
    section.append(editor.form);
  }
  section.append(list, empty);

  // ---------- editor ----------
  function makeEditor() {
    const groupName = nextId("minutes-kind");
    const radios = new Map();
    const chips = h("div", { class: "kind-chips", role: "radiogroup", id: "minutes-kinds", "aria-labelledby": groupName + "-l" });
    codes("minutesKinds").forEach((k, i) => {
      const id = `${groupName}-${k}`;
      const input = h("input", { type: "radio", name: groupName, value: k, id, "data-kind": k, class: "kind-radio" });
      if (k === "note") input.checked = true;
      radios.set(k, input);
      chips.append(h("label", { for: id, class: "kind-chip", dataset: { kind: k }, title: `Alt+${i + 1}` },
        input,
        h("span", { class: "kind-chip-label", i18n: "minutes.kind." + k }),
        h("kbd", { class: "kind-key", "aria-hidden": "true" }, String(i + 1))));
    });
    const textId = nextId("minutes-text");
    const text = h("textarea", { id: textId, rows: "3", maxlength: "4000", "data-field": "text", class: "minutes-text",
      "aria-describedby": `${textId}-err ${textId}-keys` });
    text.dataset.i18nAttr = "placeholder:minutes.textHint";
    text.setAttribute("placeholder", t("minutes.textHint"));
    const ownerId = nextId("minutes-owner");
    const owner = h("input", { type: "text", id: ownerId, maxlength: "100", autocomplete: "off", "data-field": "owner" });
    const ownerLabel = h("span", { i18n: "minutes.owner" });
    const dueId = nextId("minutes-due");
    const due = h("input", { type: "date", id: dueId, "data-field": "due" });
    const dueLabel = h("span", { i18n: "minutes.due" });
    const extra = h("div", { class: "minutes-extra", hidden: true },
      h("div", { class: "field" }, h("label", { for: ownerId }, ownerLabel, h("span", { class: "opt", i18n: "optional" })), owner,
        h("p", { class: "field-error", id: ownerId + "-err", role: "alert", hidden: true })),
      h("div", { class: "field" }, h("label", { for: dueId }, dueLabel, h("span", { class: "opt", i18n: "optional" })), due,
        h("p", { class: "field-error", id: dueId + "-err", role: "alert", hidden: true })));
    const submit = h("button", { type: "submit", class: "btn btn-primary", id: "minutes-submit" }, h("span", { i18n: "minutes.save" }));
    const shareId = nextId("minutes-share");
    const share = h("input", { type: "checkbox", id: shareId, "data-field": "visibility", "aria-describedby": shareId + "-hint" });
    const shareRow = h("div", { class: "field field-check minutes-share" },
      h("label", { for: shareId }, share, " ", h("span", { i18n: "minutes.share" })),
      h("p", { class: "hint", id: shareId + "-hint", i18n: "minutes.shareHint" }));
    const form = h("form", { class: "minutes-form", id: "minutes-form", novalidate: true, "data-op": "minutes.add" },
      h("p", { class: "sr-only", id: groupName + "-l", i18n: "minutes.kindLabel" }),
      chips,
      h("div", { class: "field" },
        h("label", { for: textId, class: "sr-only", i18n: "minutes.text" }),
        text,
        h("p", { class: "field-error", id: textId + "-err", role: "alert", hidden: true })),
      extra,
      shareRow,
      formError(),
      h("div", { class: "minutes-form-actions" },
        h("p", { class: "hint", id: textId + "-keys", i18n: "minutes.shortcuts" }),
        submit));

    const kind = () => { for (const [k, r] of radios) if (r.checked) return k; return "note"; };
    const sync = () => {
      const k = kind();
      extra.hidden = !WITH_OWNER.has(k);
      ownerLabel.dataset.i18n = k === "next_contact" ? "minutes.contactPerson" : "minutes.owner";
      ownerLabel.textContent = t(ownerLabel.dataset.i18n);
      dueLabel.dataset.i18n = k === "next_contact" ? "minutes.when" : "minutes.due";
      dueLabel.textContent = t(dueLabel.dataset.i18n);
      form.dataset.kind = k;
    };
    for (const r of radios.values()) r.addEventListener("change", sync);
    sync();

    const pick = (k, focusText = true) => {
      const r = radios.get(k);
      if (!r) return;
      r.checked = true;
      sync();
      if (focusText) text.focus();
      announce(minutesKindLabel(k));
    };

    text.addEventListener("keydown", (e) => {
      if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) { e.preventDefault(); form.requestSubmit(); }
    });
    for (const el of [owner, due]) el.addEventListener("keydown", (e) => {
      if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) { e.preventDefault(); form.requestSubmit(); }
    });

    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      clearErrors(form);
      const value = text.value.trim();
      if (!value) { fieldError(form, "text", t("err.required")); return; }
      const args = { meeting: meetingId, kind: kind(), text: value };
      if (share.checked) args.visibility = "everyone";
      if (WITH_OWNER.has(args.kind)) {
        if (owner.value.trim()) args.owner = owner.value.trim();
        if (due.value) args.due = due.value;
      }
      await busy(form, async () => {
        try {
          await conn.call("minutes.add", args);
          text.value = "";
          owner.value = "";
          due.value = "";
          share.checked = false;
          announce(t("minutes.saved"));
          text.focus();
        } catch (err) {
          showError(form, err);
        }
      });
    });
    return { form, pick, text };
  }

  // Alt+1…8 picks a kind from anywhere on the page (e.code: Alt changes e.key on some keyboards).
  const onKey = (e) => {
    if (!editor || !e.altKey || e.ctrlKey || e.metaKey || e.shiftKey) return;
    const m = /^(?:Digit|Numpad)([1-8])$/.exec(e.code || "");
    if (!m) return;
    if (document.querySelector("dialog[open]")) return;
    e.preventDefault();
    const k = codes("minutesKinds")[Number(m[1]) - 1];
    if (k) editor.pick(k);
  };
  document.addEventListener("keydown", onKey);

  // ---------- list ----------
  function who(id) {
    if (!id) return "";
    const m = store.meeting || {};
    if (id === m.owner) return m.ownerName || (actor && actor.id === id ? actor.name : "");
    const p = store.roster.get(id);
    if (p) return p.name;
    if (actor && actor.id === id) return actor.name;
    return "";
  }

  function agendaTitle(id) {
    const item = id && store.agenda.find((i) => i.id === id);
    return item ? item.title : null;
  }

  function metaText(e) {
    const bits = [];
    const colon = getLang() === "zh" ? "：" : ": ";
    if (e.owner) bits.push(`${t(e.kind === "next_contact" ? "minutes.contactPerson" : "minutes.owner")}${colon}${e.owner}`);
    if (e.due) bits.push(`${t(e.kind === "next_contact" ? "minutes.when" : "minutes.due")}${colon}${formatDate(e.due)}`);
    return bits.join(" · ");
  }

  function render() {
    const entries = store.minutes;
    count.textContent = entries.length ? t("minutes.count", { n: entries.length }) : "";
    empty.textContent = t(canWrite ? "minutes.empty" : "minutes.emptyLive");
    empty.hidden = entries.length > 0;
    renderGate();
    const byKind = new Map();
    for (const e of entries) {
      if (!byKind.has(e.kind)) byKind.set(e.kind, []);
      byKind.get(e.kind).push(e);
    }
    const order = [...SECTION_ORDER, ...[...byKind.keys()].filter((k) => !SECTION_ORDER.includes(k))];
    const focused = list.contains(document.activeElement) ? document.activeElement : null;
    let prevSection = null;
    for (const kind of order) {
      const items = byKind.get(kind);
      let s = sectionEls.get(kind);
      if (!items || !items.length) {
        if (s) { s.wrap.remove(); sectionEls.delete(kind); }
        continue;
      }
      if (!s) {
        const head = h("h3", { class: "minutes-section-head" });
        const ul = h("ul", { class: "minutes-entries" });
        s = { wrap: h("section", { class: "minutes-section", dataset: { kind } }, head, ul), ul, head };
        sectionEls.set(kind, s);
      }
      const at = prevSection ? prevSection.wrap.nextSibling : list.firstChild;
      if (at !== s.wrap) list.insertBefore(s.wrap, at);
      prevSection = s;
      put(s.head, h("span", { class: `kind-dot kind-${kind}`, "aria-hidden": "true" }), minutesKindLabel(kind), h("span", { class: "muted count-inline" }, String(items.length)));
      let prev = null;
      for (const e of items) {
        let el = entryEls.get(e.id);
        const isNew = !el && seenIds && !seenIds.has(e.id);
        if (!el) { el = makeEntry(e); entryEls.set(e.id, el); }
        if (!el.editing) fillEntry(el, e);
        const next = prev ? prev.nextSibling : s.ul.firstChild;
        if (next !== el.li) s.ul.insertBefore(el.li, next);
        prev = el.li;
        if (isNew) flash(el.li);
      }
    }
    for (const [id, el] of entryEls) {
      if (!entries.some((e) => e.id === id)) { el.li.remove(); entryEls.delete(id); }
    }
    if (focused && focused.isConnected && document.activeElement !== focused) focused.focus({ preventScroll: true });
    else if (focused && !focused.isConnected && editor) editor.text.focus({ preventScroll: true });
    seenIds = new Set(entries.map((e) => e.id));
  }

  function renderGate() {
    if (!canWrite) return;
    const phase = store.meeting && store.meeting.phase;
    gate.hidden = phase !== "live";
    if (gate.hidden) return;
    put(gate,
      h("span", { class: "muted small" }, t("minutes.gate")),
      REQUIRED_KINDS.map((k) => {
        const ok = store.minutes.some((e) => e.kind === k);
        return h("span", { class: `mark mark-${ok ? "yes" : "unknown"}`, dataset: { kind: k, state: ok ? "yes" : "unknown" } },
          h("span", { class: "mark-sym", "aria-hidden": "true" }, ok ? "✓" : "○"),
          h("span", { class: "mark-label" }, minutesKindLabel(k)),
          h("span", { class: "sr-only" }, `: ${ok ? t("yes") : t("notYet")}`));
      }));
  }

  function makeEntry(e) {
    const li = h("li", { class: "minutes-entry", dataset: { id: e.id } });
    return { li, editing: false };
  }

  function fillEntry(el, e) {
    el.li.dataset.kind = e.kind;
    const meta = metaText(e);
    const item = agendaTitle(e.agendaItem);
    const stamp = [who(e.by), formatTime(e.at)].filter(Boolean).join(" · ");
    put(el.li,
      h("div", { class: "minutes-entry-body" },
        h("p", { class: "minutes-entry-text" }, e.text),
        meta ? h("p", { class: "minutes-entry-meta" }, meta) : null,
        h("p", { class: "minutes-entry-stamp muted small" },
          item ? h("span", { class: "minutes-entry-item" }, `［${item}］ `) : null,
          stamp,
          e.editedAt ? h("span", {}, ` · ${t("minutes.edited")}`) : null,
          e.visibility === "everyone" && canWrite ? h("span", { class: "badge badge-shared", "data-shared": "true" }, t("minutes.shared")) : null)),
      canWrite ? h("div", { class: "minutes-entry-actions" },
        h("button", { type: "button", class: "btn btn-ghost btn-sm", "data-action": "edit-minutes", "aria-label": t("minutes.editLabel", { text: short(e.text) }), onclick: () => startEdit(e.id) }, t("minutes.edit")),
        h("button", { type: "button", class: "icon-btn", "data-action": "remove-minutes", title: t("remove"), "aria-label": t("minutes.removeLabel", { text: short(e.text) }), onclick: (ev) => removeEntry(e.id, ev.currentTarget) },
          h("span", { "aria-hidden": "true" }, "×"))) : null);
  }

  function startEdit(id) {
    const e = store.minutes.find((x) => x.id === id);
    const el = entryEls.get(id);
    if (!e || !el) return;
    el.editing = true;
    const tid = nextId("me-text");
    const kind = h("select", { "data-field": "kind", id: nextId("me-kind") });
    for (const k of codes("minutesKinds")) {
      const o = h("option", { value: k }, minutesKindLabel(k));
      if (k === e.kind) o.selected = true;
      kind.append(o);
    }
    const text = h("textarea", { id: tid, rows: "3", maxlength: "4000", "data-field": "text" });
    text.value = e.text;
    const owner = h("input", { type: "text", maxlength: "100", "data-field": "owner", id: nextId("me-owner"), value: e.owner || "" });
    const due = h("input", { type: "date", "data-field": "due", id: nextId("me-due"), value: e.due || "" });
    const errBox = (input) => h("p", { class: "field-error", id: input.id + "-err", role: "alert", hidden: true });
    const extra = h("div", { class: "minutes-extra" },
      h("div", { class: "field" }, h("label", { for: owner.id }, t("minutes.owner")), owner, errBox(owner)),
      h("div", { class: "field" }, h("label", { for: due.id }, t("minutes.due")), due, errBox(due)));
    const shareBox = h("input", { type: "checkbox", "data-field": "visibility", id: nextId("me-share") });
    shareBox.checked = e.visibility === "everyone";
    const syncExtra = () => { extra.hidden = !WITH_OWNER.has(kind.value); };
    kind.addEventListener("change", syncExtra);
    syncExtra();
    const cancel = () => {
      el.editing = false;
      const cur = store.minutes.find((x) => x.id === id);
      if (cur) { fillEntry(el, cur); el.li.querySelector("[data-action=edit-minutes]")?.focus(); }
    };
    const form = h("form", { class: "minutes-edit", novalidate: true, dataset: { entry: id, op: "minutes.edit" } },
      h("div", { class: "field" }, h("label", { for: kind.id }, t("minutes.kindLabel")), kind, errBox(kind)),
      h("div", { class: "field" }, h("label", { for: tid }, t("minutes.text")), text, errBox(text)),
      extra,
      h("div", { class: "field field-check" }, h("label", { for: shareBox.id }, shareBox, " ", t("minutes.share"))),
      formError(),
      h("div", { class: "form-actions" },
        h("button", { type: "button", class: "btn btn-ghost btn-sm", onclick: cancel }, t("cancel")),
        h("button", { type: "submit", class: "btn btn-primary btn-sm", "data-action": "save-minutes" }, t("minutes.saveEdit"))));
    form.addEventListener("keydown", (ev) => {
      if (ev.key === "Escape") { ev.preventDefault(); cancel(); }
      if (ev.key === "Enter" && (ev.ctrlKey || ev.metaKey)) { ev.preventDefault(); form.requestSubmit(); }
    });
    form.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      clearErrors(form);
      const value = text.value.trim();
      if (!value) { fieldError(form, "text", t("err.required")); return; }
      const args = { meeting: meetingId, entry: id, kind: kind.value, text: value, visibility: shareBox.checked ? "everyone" : "government" };
      if (WITH_OWNER.has(kind.value)) { args.owner = owner.value.trim(); args.due = due.value; }
      else { if (e.owner) args.owner = ""; if (e.due) args.due = ""; }
      await busy(form, async () => {
        try {
          await conn.call("minutes.edit", args);
          el.editing = false;
          const cur = store.minutes.find((x) => x.id === id);
          if (cur) fillEntry(el, cur);
          render();
          el.li.querySelector("[data-action=edit-minutes]")?.focus();
        } catch (err) {
          showError(form, err);
        }
      });
    });
    put(el.li, form);
    text.focus();
  }

  async function removeEntry(id, btn) {
    const e = store.minutes.find((x) => x.id === id);
    if (!e) return;
    if (!(await confirmDialog(t("minutes.removeConfirm", { text: short(e.text, 40) })))) { btn && btn.focus(); return; }
    try {
      await conn.call("minutes.remove", { meeting: meetingId, entry: id });
      if (editor) editor.text.focus();
    } catch (err) {
      toast(errorText(err), "error");
    }
  }

  function update(change) {
    const kind = change && change.kind;
    if (!kind || kind === "snapshot" || kind === "lang" || kind === "minutes" || kind === "roster" || kind === "meeting" || kind === "agenda") render();
    if (kind === "minutes" && change.event && change.event.event === "minutes.added" && !canWrite) {
      const e = change.event.data && change.event.data.entry;
      if (e) announce(t("minutes.new", { kind: minutesKindLabel(e.kind), text: short(e.text, 80) }));
    }
  }

  render();
  return {
    update,
    destroy() { document.removeEventListener("keydown", onKey); },
  };
}

function short(s, n = 30) {
  const x = String(s || "").replace(/\s+/g, " ").trim();
  return x.length > n ? x.slice(0, n - 1) + "…" : x;
}

function flash(el) {
  el.classList.remove("is-new");
  void el.offsetWidth;
  el.classList.add("is-new");
}

// ---------- documents: Word files and the print-ready page ----------
// The server builds each document once (a Document model); the page asks for
// it in its own language and either saves the .docx (format: "docx", base64)
// or lays out the model itself as an A4 page that prints clean.

/** The language documents are asked for: the page's. */
export function docLang() { return getLang() === "en" ? "en" : "zh"; }

/** Saves a base64 file (a docx result) under its name. */
export function saveBase64(base64, filename, type) {
  const bin = atob(base64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  const url = URL.createObjectURL(new Blob([bytes], { type: type || "application/octet-stream" }));
  const a = h("a", { href: url, download: filename, class: "sr-only" });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

/**
 * A "下载 Word 文档" button: asks op for the .docx (with args, in the page's
 * language) and saves it. The button keeps the last file name in data-filename.
 */
export function docxButton(conn, op, args, { id } = {}) {
  const btn = h("button", { type: "button", class: "btn btn-secondary docx-download", id: id || null },
    h("span", { "aria-hidden": "true" }, "↓ "), h("span", { i18n: "docx.download" }));
  btn.addEventListener("click", async () => {
    if (btn.disabled) return;
    btn.disabled = true;
    btn.setAttribute("aria-busy", "true");
    try {
      const r = await conn.call(op, { ...(typeof args === "function" ? args() : args), format: "docx", lang: docLang() });
      if (!r || typeof r.base64 !== "string") throw new Error("no document");
      saveBase64(r.base64, r.filename, r.contentType);
      btn.dataset.filename = r.filename;
      announce(t("docx.downloaded", { file: r.filename }));
      toast(t("docx.downloaded", { file: r.filename }));
    } catch (err) {
      toast(t("docx.failed", { error: errorText(err) }), "error");
    } finally {
      btn.disabled = false;
      btn.removeAttribute("aria-busy");
    }
  });
  return btn;
}

/**
 * The blocks of a server Document ({title, subtitle, blocks}) as elements:
 * the title (h1), the lines under it, headings (h2 / h3), paragraphs, lists,
 * tables with a header row, rules and the box for handwriting (领导批示).
 * Every piece of text goes in as text, never as markup.
 */
export function renderDocument(doc) {
  const out = document.createDocumentFragment();
  if (!doc) return out;
  out.append(h("h1", { class: "pd-title" }, doc.title || ""));
  const sub = doc.subtitle || [];
  sub.forEach((line, i) => out.append(h("p", { class: i === sub.length - 1 ? "pd-sub pd-sub-last" : "pd-sub" }, line)));
  const runs = (rs) => (rs || []).map((r) => (r.bold ? h("strong", {}, r.text) : document.createTextNode(r.text)));
  let list = null;
  for (const b of doc.blocks || []) {
    if (b.type !== "item") list = null;
    switch (b.type) {
      case "heading": out.append(h(b.level > 1 ? "h3" : "h2", { class: "pd-h" + (b.level > 1 ? 2 : 1) }, b.text)); break;
      case "paragraph": out.append(h("p", { class: ["pd-p", b.indent ? "pd-indent" : "", b.align ? "pd-" + b.align : ""].filter(Boolean).join(" ") }, runs(b.runs))); break;
      case "item":
        if (!list) { list = h("ul", { class: "pd-list" }); out.append(list); }
        list.append(h("li", {}, runs(b.runs)));
        break;
      case "table": {
        const total = (b.widths || []).reduce((a, x) => a + x, 0);
        const cols = total ? h("colgroup", {}, b.widths.map((w) => h("col", { style: `width:${(100 * w / total).toFixed(1)}%` }))) : null;
        out.append(h("div", { class: "md-table" }, h("table", { class: "pd-table" }, cols,
          h("thead", {}, h("tr", {}, (b.header || []).map((c) => h("th", { scope: "col" }, c)))),
          h("tbody", {}, (b.rows || []).map((r) => h("tr", {}, (b.header || []).map((_, i) => h("td", { class: /^\d+$/.test(r[i] || "") ? "pd-num" : null }, r[i] ?? ""))))))));
        break;
      }
      case "rule": out.append(h("hr", { class: "pd-rule" })); break;
      case "box": out.append(h("div", { class: "pd-box", style: `min-height:calc(${b.lines || 6} * 1.8em)` }, h("strong", {}, b.label))); break;
      case "pageBreak": out.append(h("div", { class: "pd-break", "aria-hidden": "true" })); break;
      default: break;
    }
  }
  return out;
}

/** The official page (A4, GB/T 9704 margins) and its print rules, added once. */
// The document's look (A4 sheet, official margins, print rules) is in
// styles.css under "Print-ready documents": the Content-Security-Policy
// allows no style element made here.

/**
 * Opens the minutes as a print-ready document over the page: the rendered
 * Document of export.minutes in the page's language, with Print, the Word
 * download and Close. Returns {refresh(), close(), isOpen()}.
 */
export function openMinutesPreview(conn, meetingId, { onClose } = {}) {
  const sheet = h("article", { class: "print-doc", id: "minutes-document", lang: docLang() === "en" ? "en" : "zh-CN", "aria-busy": "true" });
  const print = h("button", { type: "button", class: "btn btn-primary", id: "minutes-document-print" }, h("span", { i18n: "docx.print" }));
  const close = h("button", { type: "button", class: "btn btn-ghost", id: "minutes-document-close" }, h("span", { i18n: "docx.close" }));
  const overlay = h("div", { class: "print-doc-overlay", id: "minutes-preview", role: "dialog", "aria-modal": "true", "aria-labelledby": "minutes-preview-h" },
    h("div", { class: "print-doc-bar" }, h("h2", { id: "minutes-preview-h", i18n: "docx.previewTitle" }),
      docxButton(conn, "export.minutes", { meeting: meetingId }, { id: "minutes-document-docx" }), print, close),
    sheet);
  let open = true;
  const onKey = (e) => { if (e.key === "Escape") shut(); };
  function shut() {
    if (!open) return;
    open = false;
    overlay.remove();
    document.body.classList.remove("printing-doc");
    document.removeEventListener("keydown", onKey);
    if (onClose) onClose();
  }
  print.addEventListener("click", () => window.print());
  close.addEventListener("click", shut);
  document.addEventListener("keydown", onKey);
  document.body.classList.add("printing-doc");
  document.body.append(overlay);
  async function refresh() {
    try {
      const r = await conn.call("export.minutes", { meeting: meetingId, lang: docLang() });
      if (!open || !r) return;
      sheet.lang = r.lang === "en" ? "en" : "zh-CN";
      sheet.dataset.filename = r.filename || "";
      sheet.dataset.edition = r.edition || "";
      put(sheet, renderDocument(r.document));
      sheet.removeAttribute("aria-busy");
    } catch (err) {
      if (open) put(sheet, h("p", { class: "muted" }, errorText(err)));
    }
  }
  refresh();
  close.focus();
  return { refresh, close: shut, isOpen: () => open };
}
