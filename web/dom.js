// Small DOM helpers shared by the views: an element builder, translated
// labels, form errors, toasts, a confirm dialog and copy-to-clipboard.
import { t, getLang } from "./i18n.js";
import { fieldLimit } from "./catalogue.js";

/**
 * h("button", {class: "btn", i18n: "copy", onclick}, ...children)
 * Special attributes: i18n (text key), i18nVars, i18nAttr ({placeholder: key}),
 * on<event> handlers, dataset, and boolean attributes passed as true/false.
 */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  if (attrs) {
    for (const [k, v] of Object.entries(attrs)) {
      if (v === undefined || v === null || v === false) continue;
      if (k === "class") el.className = v;
      else if (k === "i18n") { el.dataset.i18n = v; el.textContent = t(v, attrs.i18nVars); }
      else if (k === "i18nVars") el.dataset.i18nVars = JSON.stringify(v);
      else if (k === "i18nAttr") {
        el.dataset.i18nAttr = Object.entries(v).map(([a, key]) => `${a}:${key}`).join(";");
        for (const [a, key] of Object.entries(v)) el.setAttribute(a, t(key));
      } else if (k === "dataset") Object.assign(el.dataset, v);
      else if (k.startsWith("on") && typeof v === "function") el.addEventListener(k.slice(2), v);
      else if (k === "value") el.value = v;
      // Through CSSOM: the Content-Security-Policy (style-src 'self') refuses style attributes.
      else if (k === "style") el.style.cssText = String(v);
      else if (k === "checked") el.checked = !!v;
      else if (v === true) el.setAttribute(k, "");
      else el.setAttribute(k, String(v));
    }
  }
  append(el, children);
  return el;
}

/** Replaces an element's children (null/false children are skipped). */
export function put(el, ...children) {
  el.textContent = "";
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

let uid = 0;
export const nextId = (prefix) => `${prefix}-${++uid}`;

/**
 * A labelled form field. `name` is the args path it feeds ("company.name"), so a
 * server error whose field is "args.company.name" lands under this input.
 */
export function field({ label, labelVars, name, type = "text", required = false, hintKey, placeholderKey, input, optional = false, attrs = {}, wide = false }) {
  const id = nextId("f-" + name.replace(/\W/g, "-"));
  const errId = id + "-err";
  const hintId = hintKey ? id + "-hint" : null;
  const control = input || h("input", { type, ...attrs });
  control.id = id;
  control.name = name;
  control.dataset.field = name;
  if (required) control.required = true;
  if (placeholderKey) {
    control.dataset.i18nAttr = `placeholder:${placeholderKey}`;
    control.setAttribute("placeholder", t(placeholderKey));
  }
  control.setAttribute("aria-describedby", [hintId, errId].filter(Boolean).join(" "));
  return h("div", { class: "field" + (wide ? " field-wide" : "") },
    h("label", { for: id },
      h("span", { i18n: label, i18nVars: labelVars }),
      required ? h("span", { class: "req", "aria-hidden": "true" }, " *") : null,
      optional ? h("span", { class: "opt", i18n: "optional" }) : null),
    control,
    hintKey ? h("p", { class: "hint", id: hintId, i18n: hintKey }) : null,
    h("p", { class: "field-error", id: errId, role: "alert", hidden: true }),
  );
}

export function select(options, value) {
  const s = h("select");
  for (const [v, key] of options) {
    const o = h("option", { value: v, i18n: key });
    if (v === value) o.selected = true;
    s.append(o);
  }
  return s;
}

// A field's error goes away as soon as the person edits it.
document.addEventListener("input", (e) => clearFieldError(e.target));
document.addEventListener("change", (e) => clearFieldError(e.target));
function clearFieldError(el) {
  if (!(el instanceof Element) || el.getAttribute("aria-invalid") !== "true") return;
  el.removeAttribute("aria-invalid");
  const box = el.id && document.getElementById(el.id + "-err");
  if (box) { box.hidden = true; box.textContent = ""; }
}

export function clearErrors(form) {
  for (const el of form.querySelectorAll("[aria-invalid]")) el.removeAttribute("aria-invalid");
  for (const el of form.querySelectorAll(".field-error")) { el.hidden = true; el.textContent = ""; }
  const fe = form.querySelector(".form-error");
  if (fe) { fe.hidden = true; fe.textContent = ""; }
}

/**
 * The text to show for a server error, in the page's language: the server's
 * own text for it (error.text.zh / .en, worded to sit beside its field), or,
 * for an error without one, a sentence for its code.
 */
export function errorText(err, { besideField = false } = {}) {
  const code = err && err.code;
  const own = err && err.text && typeof err.text === "object" ? err.text[getLang()] : null;
  const next = code && t("err." + code) !== "err." + code ? t("err." + code) : t("err.generic");
  if (own) {
    // Beside its input the text stands alone; elsewhere a field error gets the
    // form's "correct the marked field" only when no input shows it.
    return own;
  }
  if (getLang() === "zh") return next;
  let msg = err && err.message ? err.message.trim() : "";
  // Under its own input, "args.company.phone must be …" reads better as "must be …".
  if (besideField && err.field && msg.startsWith(err.field + " ")) msg = msg.slice(err.field.length + 1);
  return msg ? `${msg} — ${next}` : next;
}

/** Mark the field a client-side check found wrong. */
export function fieldError(form, name, text) {
  const input = form.querySelector(`[data-field="${CSS.escape(name)}"]`);
  if (!input) { toast(text, "error"); return; }
  input.setAttribute("aria-invalid", "true");
  const box = document.getElementById(input.id + "-err");
  if (box) { box.textContent = text; box.hidden = false; }
  input.focus();
}

/** The input of a form that shows the error of `path` ("company.name"), or null. */
function inputFor(form, path) {
  let input = form.querySelector(`[data-field="${CSS.escape(path)}"]`);
  // "company" when the server names the object, "company.name.x" when it goes deeper.
  if (!input) input = form.querySelector(`[data-field^="${CSS.escape(path)}."]`);
  if (!input) {
    const parts = path.split(".");
    while (!input && parts.length > 1) { parts.pop(); input = form.querySelector(`[data-field="${CSS.escape(parts.join("."))}"]`); }
  }
  return input;
}

/**
 * Show a server error next to the fields it names (args.title → [data-field=title]):
 * every faulty field of the request at once (error.errors), the first focused;
 * what has no input of its own goes to the form's general error line, or a toast.
 */
export function showError(form, err) {
  const all = err && Array.isArray(err.errors) && err.errors.length ? err.errors : [err];
  const rest = [];
  let first = null;
  for (const e of all) {
    const path = e && e.field ? e.field.replace(/^args\./, "") : null;
    const input = form && path ? inputFor(form, path) : null;
    const box = input && document.getElementById(input.id + "-err");
    if (!input || !box) { rest.push(errorText(e)); continue; }
    input.setAttribute("aria-invalid", "true");
    // Two faults in one input (e.g. an object and its member): keep both.
    const text = errorText(e, { besideField: input.dataset.field === path });
    box.textContent = box.hidden || !box.textContent ? text : `${box.textContent} ${text}`;
    box.hidden = false;
    if (!first) first = input;
  }
  if (first) first.focus();
  if (!rest.length) return;
  const text = rest.join(" ");
  const fe = form && form.querySelector(".form-error");
  if (fe) { fe.textContent = text; fe.hidden = false; return; }
  toast(text, "error");
}

export function formError() {
  return h("p", { class: "form-error", role: "alert", hidden: true });
}

// Toasts: polite for news, assertive for errors.
export function toast(text, kind = "info", ms) {
  const region = document.getElementById(kind === "error" ? "toasts-alert" : "toasts");
  if (!region) return;
  const el = h("div", { class: `toast toast-${kind}` },
    h("span", { class: "toast-text" }, text),
    h("button", { type: "button", class: "toast-close", "aria-label": "×", onclick: () => el.remove() }, "×"));
  region.append(el);
  setTimeout(() => el.remove(), ms ?? (kind === "error" ? 9000 : 3500));
}

/** A modal confirm (native <dialog>: focus trapped, Esc cancels). Resolves true/false. */
export function confirmDialog(text, { okKey = "remove", danger = true } = {}) {
  return new Promise((resolve) => {
    const dlg = h("dialog", { class: "dialog", "aria-labelledby": "dlg-text" });
    const done = (v) => { dlg.close(); dlg.remove(); resolve(v); };
    dlg.append(
      h("p", { id: "dlg-text", class: "dialog-text" }, text),
      h("div", { class: "dialog-actions" },
        h("button", { type: "button", class: "btn btn-ghost", "data-test": "dialog-cancel", i18n: "cancel", onclick: () => done(false) }),
        h("button", { type: "button", class: "btn " + (danger ? "btn-danger" : "btn-primary"), "data-test": "dialog-ok", i18n: okKey, onclick: () => done(true) })));
    dlg.addEventListener("cancel", (e) => { e.preventDefault(); done(false); });
    document.body.append(dlg);
    dlg.showModal();
    dlg.querySelector("[data-test=dialog-cancel]").focus();
  });
}

export async function copyText(text, button) {
  let ok = false;
  try {
    if (navigator.clipboard && window.isSecureContext) { await navigator.clipboard.writeText(text); ok = true; }
  } catch { /* fall back */ }
  if (!ok) {
    const ta = h("textarea", { class: "sr-only", readonly: true }, text);
    document.body.append(ta);
    ta.select();
    try { ok = document.execCommand("copy"); } catch { ok = false; }
    ta.remove();
  }
  if (ok) {
    if (button) {
      // The button goes back to its own label ("复制链接", not a plain "复制"):
      // its i18n key when it has one, else the text it had before.
      const label = button.querySelector("[data-i18n]") || button.querySelector("span:not([aria-hidden])") || button;
      const key = label.dataset.i18n;
      if (!button.dataset.copyLabel) button.dataset.copyLabel = label.textContent;
      const own = button.dataset.copyLabel;
      // Keep the button's width while it says "copied": nothing beside it moves.
      if (!button.style.minWidth) button.style.minWidth = `${button.offsetWidth}px`;
      label.textContent = t("copied");
      button.classList.add("is-done");
      button.dataset.copied = "true";
      clearTimeout(button._copyTimer);
      button._copyTimer = setTimeout(() => {
        label.textContent = key ? t(key) : own;
        delete button.dataset.copyLabel;
        delete button.dataset.copied;
        button.classList.remove("is-done");
        button.style.minWidth = "";
      }, 1800);
    }
    announce(t("copied"));
  } else {
    toast(t("copy.failed"), "error");
  }
  return ok;
}

/** Say something to screen readers without showing it. */
export function announce(text) {
  const live = document.getElementById("live");
  if (!live) return;
  live.textContent = "";
  setTimeout(() => { live.textContent = text; }, 30);
}

/** Disable a form's submit button while a call is in flight, without changing its size. */
export async function busy(form, fn) {
  const btn = form.querySelector("button[type=submit]");
  if (btn) { btn.disabled = true; btn.setAttribute("aria-busy", "true"); }
  form.setAttribute("aria-busy", "true");
  try { return await fn(); } finally {
    if (btn) { btn.disabled = false; btn.removeAttribute("aria-busy"); }
    form.removeAttribute("aria-busy");
  }
}

/** Read a form into an object following data-field paths ("company.name"). Empty → omitted. */
export function readForm(form) {
  const out = {};
  for (const el of form.querySelectorAll("[data-field]")) {
    if (el.type === "checkbox") { setPath(out, el.dataset.field, el.checked); continue; }
    if (el.type === "radio") { if (el.checked) setPath(out, el.dataset.field, el.value); continue; }
    const v = el.value.trim();
    if (v === "") continue;
    setPath(out, el.dataset.field, v);
  }
  return out;
}

function setPath(obj, path, value) {
  const parts = path.split(".");
  let o = obj;
  for (const p of parts.slice(0, -1)) o = o[p] ??= {};
  o[parts.at(-1)] = value;
}

// The server's limits on the page's inputs (GET /api/ops "limits"): an element
// with data-op="roster.add" gets each of its [data-field] inputs' maxlength
// from the server's rule for that op and field, so the two cannot disagree.
export function applyLimits(root) {
  const scopes = root.matches && root.matches("[data-op]") ? [root] : [];
  if (root.querySelectorAll) scopes.push(...root.querySelectorAll("[data-op]"));
  for (const scope of scopes) {
    for (const input of scope.querySelectorAll("input[data-field], textarea[data-field]")) {
      const max = fieldLimit(scope.dataset.op, input.dataset.field);
      if (max) input.setAttribute("maxlength", String(max));
    }
  }
}
if (typeof MutationObserver !== "undefined") {
  new MutationObserver((changes) => {
    for (const c of changes) for (const n of c.addedNodes) if (n.nodeType === 1) applyLimits(n);
  }).observe(document.documentElement, { childList: true, subtree: true });
}
