// Speaking time per unit and per person in the live meeting, as the server
// counts it (the snapshot's speakingTotals, replaced by each queue event that
// ends a speech).
import { h, put } from "./dom.js";
import { formatClock } from "./timer.js";
import { t } from "./i18n.js";
import { card } from "./live-shared.js";

export function totalsCard(ctx) {
  const { store } = ctx;
  const el = card("live-totals", "live.totals");
  const units = h("ul", { class: "totals-list", id: "totals-units" });
  const people = h("ul", { class: "totals-people", id: "totals-people" });
  const empty = h("p", { class: "empty", i18n: "live.totalsEmpty" });
  const details = h("details", { class: "totals-details" },
    h("summary", { i18n: "live.totalsPeople" }), people);
  el.append(h("h3", { class: "subhead subhead-tight", i18n: "live.totalsUnits" }), units, details, empty);

  function render() {
    const totals = store.speakingTotals; // as the server counts them
    const max = Math.max(1, ...totals.units.map((u) => u.seconds));
    empty.hidden = totals.units.length > 0;
    units.hidden = details.hidden = !totals.units.length;
    units.previousElementSibling.hidden = !totals.units.length;
    put(units, totals.units.map((u) => h("li", { class: "totals-row", dataset: { unit: u.unit, seconds: String(u.seconds) } },
      h("span", { class: "totals-name" }, u.unit),
      h("span", { class: "totals-bar", "aria-hidden": "true" }, h("span", { class: "totals-fill", style: `width:${((u.seconds / max) * 100).toFixed(1)}%` })),
      h("span", { class: "totals-time" }, formatClock(u.seconds)))));
    put(people, totals.participants.map((p) => h("li", { class: "totals-row", dataset: { participant: p.participant, seconds: String(p.seconds) } },
      h("span", { class: "totals-name" }, p.displayName),
      h("span", { class: "muted small" }, t("live.speeches", { n: p.speeches })),
      h("span", { class: "totals-time" }, formatClock(p.seconds)))));
  }

  render();
  return {
    el,
    update(change) { if (["snapshot", "queue", "lang"].includes(change.kind)) render(); },
    destroy() {},
  };
}
