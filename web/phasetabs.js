// The organizer's meeting page shows what the current phase needs first and
// the rest one click away, as tabs (WAI-ARIA tabs: arrow keys move between
// them, Home/End jump). Each tab is a list of the page's own sections; a
// section in no tab of the phase is hidden (e.g. the AV roster after the
// meeting). The phase's first tab is chosen again whenever the phase changes.
import { h, put } from "./dom.js";
import { t, onLangChange } from "./i18n.js";

/** The tabs of each phase, the one it needs first first. */
export const PHASE_TABS = {
  preparing: ["prep", "materials", "agenda", "av"],
  rehearsal: ["av", "prep", "materials", "agenda"],
  live: ["live", "prep", "materials", "av"],
  ended: ["followup", "record", "materials", "prep"],
  dispatched: ["followup", "record", "materials", "prep"],
  closed: ["followup", "record", "materials", "prep"],
};

/** mountTabs(slot, {store, panels: {key: [element]}}) → unmount. */
export function mountTabs(slot, { store, panels }) {
  const list = h("div", { class: "phase-tabs", id: "phase-tabs", role: "tablist" });
  slot.append(list);
  let phase = null;
  let current = null;
  const buttons = new Map();

  function keysFor(p) {
    return (PHASE_TABS[p] || PHASE_TABS.preparing).filter((k) => panels[k]);
  }

  function select(key, { focus = false } = {}) {
    current = key;
    const all = new Set(Object.values(panels).flat());
    const shown = new Set(panels[key] || []);
    for (const el of all) el.hidden = !shown.has(el);
    for (const [k, b] of buttons) {
      const on = k === key;
      b.setAttribute("aria-selected", String(on));
      b.tabIndex = on ? 0 : -1;
      b.classList.toggle("is-on", on);
    }
    for (const el of shown) {
      el.setAttribute("role", "tabpanel");
      el.setAttribute("aria-labelledby", "tab-" + key);
    }
    slot.dataset.tab = key;
    if (focus && buttons.get(key)) buttons.get(key).focus();
  }

  function render() {
    if (!store.loaded || !store.meeting) return;
    const p = store.meeting.phase;
    const keys = keysFor(p);
    list.setAttribute("aria-label", t("tabs.label"));
    buttons.clear();
    put(list, keys.map((k) => {
      const b = h("button", { type: "button", role: "tab", class: "phase-tab", id: "tab-" + k, dataset: { tab: k } }, t("tabs." + k));
      b.addEventListener("click", () => select(k));
      buttons.set(k, b);
      return b;
    }));
    if (p !== phase || !keys.includes(current)) { phase = p; select(keys[0]); } else select(current);
  }

  list.addEventListener("keydown", (e) => {
    const keys = [...buttons.keys()];
    const i = keys.indexOf(current);
    let next = null;
    if (e.key === "ArrowRight") next = keys[(i + 1) % keys.length];
    else if (e.key === "ArrowLeft") next = keys[(i - 1 + keys.length) % keys.length];
    else if (e.key === "Home") next = keys[0];
    else if (e.key === "End") next = keys[keys.length - 1];
    if (next) { e.preventDefault(); select(next, { focus: true }); }
  });

  const off = store.subscribe((c) => { if (["snapshot", "meeting"].includes(c.kind)) render(); });
  const offLang = onLangChange(render);
  if (store.loaded) render();
  return () => { off(); offLang(); slot.textContent = ""; };
}
