// Attendance in the live meeting: everyone on the roster with presence, join
// and leave times and the reason given.
import { h, put } from "./dom.js";
import { t, roleLabel } from "./i18n.js";
import { card, syncKeyed, clockTime } from "./live-shared.js";

export function attendanceCard(ctx) {
  const { store, actor } = ctx;
  const summary = h("span", { class: "count", id: "attendance-summary" });
  const el = card("live-attendance", "presence.attendance", summary);
  const list = h("ul", { class: "att-list", id: "attendance-list" });
  el.append(list);
  const els = new Map();

  const make = (p) => h("li", { class: "att-item", dataset: { id: p.id } });
  const fill = (li, p) => {
    const pr = p.presence;
    const status = pr ? pr.status : "none";
    li.dataset.status = status;
    const joined = pr && (pr.log || []).find((c) => c.status === "present");
    const times = [];
    if (joined) times.push(t("presence.joined", { time: clockTime(joined.at) }));
    if (pr && pr.status === "left") times.push(t("presence.leftAt", { time: clockTime(pr.since) }));
    else if (pr && pr.status === "away") times.push(t("presence.awaySince", { time: clockTime(pr.since) }));
    const isMe = actor && actor.id === p.id;
    put(li,
      h("div", { class: "att-who" },
        h("div", { class: "att-name-line" },
          h("span", { class: "att-name" }, p.name, isMe ? h("span", { class: "muted" }, " " + t("you")) : null),
          h("span", { class: `badge badge-role badge-${p.role}` }, roleLabel(p.role))),
        h("div", { class: "att-unit muted small" }, p.unit)),
      h("div", { class: "att-state" },
        h("span", { class: `presence-badge presence-${status}`, dataset: { status } }, t("presence." + status)),
        times.length ? h("span", { class: "att-times muted small" }, times.join(" · ")) : null,
        pr && pr.reason && pr.status !== "present" ? h("span", { class: "att-reason small" }, pr.reason) : null));
  };

  function render() {
    const people = [...store.roster.values()];
    const n = { present: 0, away: 0, left: 0, none: 0 };
    for (const p of people) n[p.presence ? p.presence.status : "none"]++;
    summary.textContent = people.length ? t("presence.summary", n) : "";
    syncKeyed(list, people, els, make, fill);
  }

  render();
  return {
    el,
    update(change) { if (["snapshot", "roster", "lang"].includes(change.kind)) render(); },
    destroy() {},
  };
}
