// What the pages after the meeting share: labels of the dispatch codes (the
// server's vocabulary: stages, outcomes, levels), stage chips, the due badge,
// the commissioner's fields with the phone rule, the working-day calendar
// notice, the server's bilingual messages in the page's language, tel: links,
// and printing / downloading a document.
import { h, field, nextId, showError } from "./dom.js";
import { t, formatDate, getLang, codeLabel, timeZone } from "./i18n.js";
import { codes, codesFor } from "./catalogue.js";

export const stageLabel = codeLabel("stage.", "stages");
export const outcomeLabel = codeLabel("outcome.", "outcomes");
export const levelLabel = codeLabel("level.", "levels");

/** The stages of a project category, in the server's order. */
export const stagesOf = (category) => codesFor("stages", category);
/** The outcomes a record of the category closes with. */
export const outcomesOf = (category) => codesFor("outcomes", category);
/** The escalation level above `level` (county → city → province), or null. */
export function nextLevel(level) {
  const all = codes("levels");
  const i = all.indexOf(level || all[0]);
  return i >= 0 && i + 1 < all.length ? all[i + 1] : null;
}

export function stageChip(stage, { count, small = false } = {}) {
  return h("span", { class: "stage-chip" + (small ? " stage-chip-sm" : ""), dataset: { stage: stage || "" } },
    stageLabel(stage), count !== undefined ? h("span", { class: "stage-count" }, String(count)) : null);
}

/** "YYYY-MM-DD" of today in the server's zone. */
export function todayYMD(at = new Date()) {
  const p = Object.fromEntries(new Intl.DateTimeFormat("en-GB", { timeZone: timeZone(), year: "numeric", month: "2-digit", day: "2-digit" })
    .formatToParts(at).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day}`;
}

/** "YYYY-MM" of this month in the server's zone. */
export const thisMonth = () => todayYMD().slice(0, 7);

/**
 * The record's due state (Due) as a badge: overdue with calendar and working
 * days, due soon, or the next due day; `*` when Monday–Friday was assumed.
 */
export function dueBadge(due, { long = false } = {}) {
  if (!due) return null;
  const kind = due.kind ? t("due.kind." + due.kind) : t("due.kind.feedback");
  const when = due.next ? formatDate(due.next) : "";
  let text;
  let state = due.status || "ok";
  if (state === "overdue") {
    text = t(long ? "due.overdueLong" : "due.overdue", { n: due.daysOverdue ?? 0, w: due.workingDaysOverdue ?? 0, kind, date: when });
  } else if (state === "due_soon") {
    text = t("due.soon", { kind, date: when, n: due.daysLeft ?? 0 });
  } else if (state === "closed") {
    text = t("due.closed");
  } else {
    state = "ok";
    text = due.next ? t("due.next", { kind, date: when }) : t("due.none");
  }
  return h("span", { class: `due due-${state}`, dataset: { status: state, estimated: due.estimated ? "true" : "false" } },
    h("span", { class: "due-dot", "aria-hidden": "true" }),
    text,
    due.estimated ? h("span", { class: "due-est", title: t("cal.estimatedShort") }, h("span", { "aria-hidden": "true" }, " *"), h("span", { class: "sr-only" }, " " + t("cal.estimatedShort"))) : null);
}

/**
 * A small notice when the working-day calendar had no official data for a
 * year it needed (CalendarState.fallback, Due.estimated): Monday–Friday was
 * counted instead.
 */
export function calendarNotice(calendar, ...dues) {
  const fallback = !!(calendar && calendar.fallback);
  const estimated = dues.some((d) => d && d.estimated);
  if (!fallback && !estimated) return null;
  const years = calendar && Array.isArray(calendar.yearsWithoutData) && calendar.yearsWithoutData.length
    ? calendar.yearsWithoutData.join(t("phase.listSep")) : null;
  return h("p", { class: "notice notice-info cal-notice", id: "calendar-notice", role: "note", dataset: { years: years || "" } },
    h("span", { class: "cal-icon", "aria-hidden": "true" }, "ⓘ "),
    years ? t("cal.fallbackYears", { years }) : t("cal.fallback"));
}

/**
 * The server's message in the page's language. Its messages for people are
 * bilingual — "中文… / English…", or sentence by sentence ("…不予认可。The
 * feedback says … 请写明… / Write what …") — so the sentences in the page's
 * language are kept; a message in one language only stays whole.
 */
export function localMessage(message) {
  const s = String(message || "").trim();
  const sentences = [];
  for (const part of s.split(/\s+\/\s+/)) {
    let cur = "";
    for (let i = 0; i < part.length; i++) {
      cur += part[i];
      const end = "。！？".includes(part[i]) || (".!?".includes(part[i]) && (i + 1 === part.length || /\s/.test(part[i + 1])));
      if (end) { if (cur.trim()) sentences.push(cur.trim()); cur = ""; }
    }
    if (cur.trim()) sentences.push(cur.trim());
  }
  const isZh = (x) => {
    const han = (x.match(/[\u3400-\u9fff]/g) || []).length;
    const latin = (x.match(/[A-Za-z]/g) || []).length;
    return han > 0 && han * 3 >= latin; // a Chinese character carries about three letters' worth
  };
  const zh = sentences.filter(isZh);
  const en = sentences.filter((x) => !isZh(x));
  if (!zh.length || !en.length) return s;
  return getLang() === "zh" ? zh.join("") : en.join(" ");
}

/** A phone number as a tel: link (digits and a leading +; an extension after 转 is dropped). */
export function telLink(phone, attrs = {}) {
  if (!phone) return null;
  const main = String(phone).split(/转|ext\.?|x/i)[0];
  const digits = main.replace(/[^\d+]/g, "");
  return h("a", { href: "tel:" + digits, class: "tel-link", ...attrs }, phone);
}

/**
 * Radio chips for a choice of codes (stages, outcomes). Returns {el, value(),
 * set(code)}; the first radio carries data-field `name`, so a server error
 * about args.<name> lands under the group.
 */
export function codeChips({ name, codes: list, label, value, legendKey, required = true, idBase }) {
  const group = idBase || nextId("chips-" + name);
  const errId = group + "-0-err";
  const radios = [];
  const box = h("div", { class: "chip-choices", role: "radiogroup" });
  list.forEach((code, i) => {
    const id = `${group}-${i}`;
    const input = h("input", { type: "radio", name: group, value: code, id, class: "chip-radio", dataset: { code } });
    if (i === 0) { input.dataset.field = name; input.setAttribute("aria-describedby", errId); }
    if (code === value) input.checked = true;
    radios.push(input);
    box.append(h("label", { for: id, class: "chip-choice", dataset: { code } }, input, h("span", {}, label(code))));
  });
  const legendId = group + "-legend";
  box.setAttribute("aria-labelledby", legendId);
  const el = h("fieldset", { class: "field chip-field", dataset: { group: name } },
    h("legend", { id: legendId },
      h("span", { i18n: legendKey }),
      required ? h("span", { class: "req", "aria-hidden": "true" }, " *") : null),
    box,
    h("p", { class: "field-error", id: errId, role: "alert", hidden: true }));
  return {
    el,
    value() { const r = radios.find((x) => x.checked); return r ? r.value : null; },
    set(code) { for (const r of radios) r.checked = r.value === code; },
    focus() { (radios.find((x) => x.checked) || radios[0])?.focus(); },
    radios,
  };
}

/**
 * The commissioner's four fields (name, unit, title, phone; all required),
 * fed as commissioner.<x>, with the phone rule explained under the phone.
 */
export function commissionerFields(values = {}) {
  const f = (key, attrs = {}, extra = {}) => field({ label: "cm." + key, name: "commissioner." + key, required: true, attrs: { maxlength: key === "phone" ? "30" : "100", autocomplete: "off", ...attrs }, ...extra });
  const el = h("fieldset", { class: "form-section cm-fields" },
    h("legend", { i18n: "cm.legend" }),
    h("div", { class: "form-grid" },
      f("name"),
      f("unit"),
      f("title"),
      f("phone", { inputmode: "tel" }, { type: "tel", hintKey: "cm.phoneRule" })));
  setCommissioner(el, values);
  return el;
}

export function setCommissioner(root, values = {}) {
  for (const key of ["name", "unit", "title", "phone"]) {
    const input = root.querySelector(`[data-field="commissioner.${key}"]`);
    if (input && values && values[key] !== undefined) input.value = values[key];
  }
}

export function readCommissioner(root) {
  const out = {};
  for (const key of ["name", "unit", "title", "phone"]) {
    const input = root.querySelector(`[data-field="commissioner.${key}"]`);
    out[key] = input ? input.value.trim() : "";
  }
  return out;
}

/**
 * A server error on a form with the commissioner's fields: as showError, but a
 * phone the rule refuses is explained in the page's language (the rule itself
 * is shown under the field).
 */
export function showFormError(form, err) {
  showError(form, err);
  if (err && err.code === "bad_request" && err.field === "args.commissioner.phone") {
    const input = form.querySelector('[data-field="commissioner.phone"]');
    const box = input && document.getElementById(input.id + "-err");
    if (box) box.textContent = t("cm.phoneBad");
  }
}

/** The first empty required commissioner field's name (commissioner.x), or null. */
export function missingCommissioner(c) {
  for (const key of ["name", "unit", "title", "phone"]) if (!c[key]) return "commissioner." + key;
  return null;
}

/** Saves text as a file through a Blob link. */
export function downloadFile(text, filename, type) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = h("a", { href: url, download: filename, class: "sr-only" });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

/** A small icon (inline SVG) for toolbar buttons. */
export function icon(name) {
  const ns = "http://www.w3.org/2000/svg";
  const paths = {
    print: ["M4 6V2h8v4", "M4 12H2.5A1 1 0 0 1 1.5 11V7a1 1 0 0 1 1-1h11a1 1 0 0 1 1 1v4a1 1 0 0 1-1 1H12", "M4 9.5h8V14H4z"],
    download: ["M8 2v8", "M4.5 6.5 8 10l3.5-3.5", "M2.5 13.5h11"],
    back: ["M10 3 5 8l5 5"],
  }[name] || [];
  const svg = document.createElementNS(ns, "svg");
  svg.setAttribute("viewBox", "0 0 16 16");
  svg.setAttribute("class", "icon");
  svg.setAttribute("aria-hidden", "true");
  svg.setAttribute("focusable", "false");
  for (const d of paths) {
    const p = document.createElementNS(ns, "path");
    p.setAttribute("d", d);
    svg.append(p);
  }
  return svg;
}

/** The screen-only bar above a printable document: back, print, download. */
export function docToolbar({ backHref, backKey, onDownload, extra }) {
  const print = h("button", { type: "button", class: "btn btn-primary", id: "doc-print" }, icon("print"), h("span", { i18n: "doc.print" }));
  print.addEventListener("click", () => window.print());
  const dl = onDownload ? h("button", { type: "button", class: "btn btn-secondary", id: "doc-download" }, icon("download"), h("span", { i18n: "doc.downloadMd" })) : null;
  if (dl) dl.addEventListener("click", onDownload);
  return h("div", { class: "doc-toolbar no-print" },
    backHref ? h("a", { class: "back-link", href: backHref, i18n: backKey }) : null,
    h("div", { class: "doc-toolbar-actions" }, extra || null, dl, print));
}

/** A name for who did something on a record (byName when the server sends it). */
export function byWhom(x) {
  return (x && (x.byName || x.by)) || "";
}
