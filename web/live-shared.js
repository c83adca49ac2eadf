// What the live meeting's cards (live-*.js) share: running an op from a
// button, keeping a keyed list in order, the card frame, and small labels.
import { h, toast, errorText } from "./dom.js";
import { t, formatTime, codeLabel } from "./i18n.js";

/** Phases before the meeting: the agenda is planned. */
export const PLAN_PHASES = new Set(["preparing", "rehearsal"]);
/** Phases in which the agenda can change. */
export const OPEN_PHASES = new Set(["preparing", "rehearsal", "live"]);

export const queueKindLabel = codeLabel("queue.kind.", "queueKinds");

/** "3 分钟" / "30 秒" for a limit per speech. */
export function limitLabel(seconds) {
  if (!seconds) return t("agenda.noLimit");
  return seconds % 60 === 0 ? t("agenda.limitMin", { n: seconds / 60 }) : t("agenda.limitSec", { n: seconds });
}

/** Disables a button for a reason of state (not while a call runs: see act). */
export function lock(btn, locked) {
  btn._locked = !!locked;
  btn.disabled = btn._locked || !!btn._busy;
}

/** Runs one op from a button: the button is disabled meanwhile; errors become a toast. */
export async function act(btn, conn, op, args, { onDone } = {}) {
  if (btn) { btn._busy = true; btn.disabled = true; btn.setAttribute("aria-busy", "true"); }
  try {
    const r = await conn.call(op, args);
    if (onDone) onDone(r);
    return r;
  } catch (err) {
    toast(errorText(err), "error");
    return null;
  } finally {
    if (btn) { btn._busy = false; btn.disabled = !!btn._locked; btn.removeAttribute("aria-busy"); }
  }
}

/**
 * Keeps a list's children in the order of `items`, reusing each item's element
 * by id (focus survives re-ordering). make(item) -> element; fill(el, item).
 */
export function syncKeyed(container, items, els, make, fill) {
  const focused = container.contains(document.activeElement) ? document.activeElement : null;
  let prev = null;
  const ids = new Set();
  for (const item of items) {
    ids.add(item.id);
    let el = els.get(item.id);
    if (!el) { el = make(item); els.set(item.id, el); }
    fill(el, item);
    const at = prev ? prev.nextSibling : container.firstChild;
    if (at !== el) container.insertBefore(el, at);
    prev = el;
  }
  for (const [id, el] of els) if (!ids.has(id)) { el.remove(); els.delete(id); }
  if (focused && focused.isConnected && document.activeElement !== focused) focused.focus({ preventScroll: true });
  return focused && !focused.isConnected;
}

/** A live card: a section with its heading (and anything beside it). */
export function card(id, headingKey, ...rest) {
  return h("section", { class: "card live-card", id, "aria-labelledby": id + "-h" },
    h("div", { class: "section-head" }, h("h2", { id: id + "-h", i18n: headingKey }), ...rest));
}

export function setText(el, text) { if (el.textContent !== text) el.textContent = text; }

/** "14:05" in the server's zone. */
export function clockTime(iso) {
  const s = formatTime(iso);
  const m = /(\d{1,2}:\d{2})\s*$/.exec(s);
  return m ? m[1] : s;
}

