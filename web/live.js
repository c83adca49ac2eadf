// The live meeting (会中在线) on the organizer's meeting page, and the parts
// the participant's page shares: the running agenda item with a large timer
// (server clock), who has the floor with a countdown, the speaker queue in the
// server's order, the agenda (planned vs actual), attendance, speaking time
// per unit, the minutes and their export, and ending the meeting.
//
// mountLive(slot, ctx) follows the meeting's phase and what the viewer may do
// (snapshot.viewer.ops, the server's word for its role):
//   runs the agenda     the host console (organizer, host: agenda, floor and
//                       queue controls, ending the meeting)
//   writes the minutes  the minutes editor first, no floor controls (recorder)
//   other participants  read-only parts; liveparticipant.js adds their own
//                       (raise hand, questions, presence, "you have the floor")
// Before the meeting whoever may plans the agenda here; after it, the minutes,
// the agenda as it ran and the export stay.
import { h } from "./dom.js";
import { onLangChange } from "./i18n.js";
import { syncClock } from "./timer.js";
import { mountMinutes } from "./minutes.js";
import { PLAN_PHASES } from "./live-shared.js";
import { nowCard } from "./live-now.js";
import { queueCard } from "./live-queue.js";
import { agendaCard } from "./live-agenda.js";
import { attendanceCard } from "./live-attendance.js";
import { totalsCard } from "./live-totals.js";
import { exportCard } from "./live-export.js";
import { consoleBar } from "./live-bar.js";
import { contactsCard } from "./live-contacts.js";

// ---------------------------------------------------------------------------
// Composition

/**
 * Mounts the live parts into slot and keeps them current. ctx: {conn, actor,
 * store, meetingId}. options.extras(ctx, mode) -> {top?: [widgets], left?: [widgets],
 * right?: [widgets]} lets the participant's page add its own parts;
 * options.onMode(mode) is told the phase/role mode whenever it changes;
 * options.anchor: an element the slot is placed before (live, ended) or after
 * (planning the agenda before the meeting).
 */
export function mountLive(slot, ctx, options = {}) {
  const { store } = ctx;
  let widgets = [];
  let modeKey = null;
  slot.classList.add("live-slot");

  function mode() {
    const phase = store.phase;
    if (!phase || !store.loaded) return null;
    if (ctx.actor && ctx.actor.kind === "participant" && !store.roster.has(ctx.actor.id)) return null; // not on the roster any more
    let view = "none";
    if (phase === "live") view = "live";
    else if (PLAN_PHASES.has(phase)) view = "plan";
    else view = "after";
    // What the viewer may do is the server's word (snapshot.viewer.ops); a change rebuilds the view.
    const manage = store.may("agenda.next"); // runs the meeting: the host console
    const minutes = store.may("minutes.add");
    const raise = store.may("queue.raise");
    return { phase, view, manage, minutes, raise, key: `${view}/${store.viewer.ops.join(",")}/${phase === "ended" ? "ended" : ""}` };
  }

  function build(m) {
    for (const w of widgets) { try { w.destroy(); } catch (e) { console.error(e); } }
    widgets = [];
    slot.textContent = "";
    slot.dataset.view = m ? m.view : "";
    if (options.onMode) options.onMode(m);
    if (!m) return;
    if (options.anchor && options.anchor.parentNode) {
      // Planning goes after the page's own sections; the live meeting and its record come first.
      const parent = options.anchor.parentNode;
      if (m.view === "plan") parent.insertBefore(slot, options.anchor.nextSibling);
      else parent.insertBefore(slot, options.anchor);
    }
    const extras = options.extras ? options.extras(ctx, m) || {} : {};
    const top = [], left = [], right = [];
    if (m.view === "plan") {
      left.push(agendaCard(ctx, { editable: true, hideEmpty: !m.manage }));
    } else if (m.view === "live") {
      if (store.may("meeting.advance")) top.push(consoleBar(ctx));
      top.push(...(extras.top || []));
      left.push(nowCard(ctx));
      left.push(...(extras.left || []));
      const minutesW = minutesWidget(ctx, m);
      // Who writes the minutes but does not run the meeting (the recorder) gets them first.
      const minutesFirst = m.minutes && !m.manage;
      if (minutesFirst) { left.splice(1, 0, minutesW); left.push(queueCard(ctx)); } else left.push(queueCard(ctx), minutesW);
      right.push(...(extras.right || []));
      right.push(agendaCard(ctx, { editable: true }));
      right.push(attendanceCard(ctx));
      right.push(contactsCard(ctx));
      if (m.manage || m.minutes) right.push(totalsCard(ctx));
      if (m.manage || m.minutes) right.push(exportCard(ctx));
    } else {
      // ended and later: the record.
      left.push(minutesWidget(ctx, { ...m, minutes: m.minutes && m.phase === "ended" }));
      right.push(agendaCard(ctx, { editable: false }));
      right.push(attendanceCard(ctx));
      right.push(contactsCard(ctx));
      right.push(totalsCard(ctx));
      right.push(exportCard(ctx));
    }
    widgets = [...top, ...left, ...right];
    for (const w of top) slot.append(w.el);
    if (right.length) {
      slot.append(h("div", { class: "live-grid" },
        h("div", { class: "live-col live-col-main" }, left.map((w) => w.el)),
        h("div", { class: "live-col live-col-side" }, right.map((w) => w.el))));
    } else {
      for (const w of left) slot.append(w.el);
    }
  }

  function minutesWidget(c, m) {
    const section = h("section", { class: "card live-card" });
    const w = mountMinutes(section, { conn: c.conn, meetingId: c.meetingId, store: c.store, actor: c.actor, canWrite: m.minutes });
    return { el: section, update: w.update, destroy: w.destroy };
  }

  function refresh(change) {
    const m = mode();
    const key = m ? m.key : null;
    if (key !== modeKey) { modeKey = key; build(m); return; }
    for (const w of widgets) {
      try { w.update(change); } catch (e) { console.error(e); }
    }
  }

  const off = store.subscribe((change) => {
    if (change.kind === "snapshot") syncClock(ctx.conn);
    refresh(change);
  });
  const offLang = onLangChange(() => refresh({ kind: "lang" }));
  const clockTimer = setInterval(() => syncClock(ctx.conn), 5 * 60 * 1000);
  if (store.loaded) refresh({ kind: "snapshot" });
  return {
    destroy() {
      off();
      offLang();
      clearInterval(clockTimer);
      for (const w of widgets) { try { w.destroy(); } catch (e) { console.error(e); } }
      widgets = [];
      slot.textContent = "";
    },
  };
}
