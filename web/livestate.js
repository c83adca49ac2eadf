// The live meeting's state on the page, kept next to a MeetingStore: the
// agenda, the speaker queue and floor, the finished speeches and the minutes.
// It follows the snapshot and then every event the store applies (in seq
// order), the same way the server's reducer does (StreamState.swift); queue
// events carry the whole queue and floor, so those are replaced, never
// re-derived.

export const MINUTES_KINDS = ["note", "intent", "needs", "prospects", "decision", "action", "contact", "next_contact"];

export class LiveState {
  /** @param store a MeetingStore; the LiveState follows it until destroy(). */
  constructor(store) {
    this.store = store;
    this.agenda = [];
    this.queue = [];
    this.floor = null;
    this.speeches = [];
    this.minutes = [];
    this.serverTotals = null; // as the snapshot carried it
    this.loaded = false;
    this.listeners = new Set();
    this._off = store.subscribe((change) => this._onStore(change));
  }

  destroy() { this._off(); this.listeners.clear(); }

  /** fn(change) with change.kind: snapshot | meeting | roster | agenda | queue | minutes | presence. */
  subscribe(fn) { this.listeners.add(fn); return () => this.listeners.delete(fn); }

  _emit(change) {
    for (const fn of this.listeners) {
      try { fn(change); } catch (e) { console.error(e); }
    }
  }

  get phase() { return (this.store.meeting && this.store.meeting.phase) || null; }

  /** The running agenda item, if any. */
  get current() { return this.agenda.find((i) => i.status === "running") || null; }

  applySnapshot(s) {
    s = s || {};
    this.agenda = Array.isArray(s.agenda) ? s.agenda.slice() : [];
    this.queue = Array.isArray(s.queue) ? s.queue.slice() : [];
    this.floor = s.floor || null;
    this.speeches = Array.isArray(s.speeches) ? s.speeches.slice() : [];
    this.minutes = Array.isArray(s.minutes) ? s.minutes.slice() : [];
    this.serverTotals = s.speakingTotals || null;
    this.loaded = true;
  }

  _onStore(change) {
    if (change.kind === "snapshot") {
      this.applySnapshot(change.snapshot || {});
      this._emit({ kind: "snapshot" });
      return;
    }
    const ev = change.event;
    if (!ev) return;
    const d = ev.data || {};
    const [area, what] = ev.event.split(".");
    switch (area) {
      case "agenda": this._agenda(what, d); this._emit({ kind: "agenda", event: ev }); return;
      case "queue":
        // Every queue event carries the whole queue (in the server's order) and the floor.
        if (Array.isArray(d.queue)) this.queue = d.queue;
        this.floor = d.floor || null;
        if (d.speech) this.speeches.push(d.speech);
        this._emit({ kind: "queue", event: ev });
        return;
      case "minutes": this._minutes(what, d); this._emit({ kind: "minutes", event: ev }); return;
      case "presence": this._emit({ kind: "presence", event: ev }); return;
      case "roster": case "av": this._emit({ kind: "roster", event: ev }); return;
      case "meeting": this._emit({ kind: "meeting", event: ev }); return;
      default: this._emit({ kind: change.kind, event: ev });
    }
  }

  _agenda(what, d) {
    const item = d.item;
    if (what === "moved" && Array.isArray(d.order)) {
      const byId = new Map(this.agenda.map((i) => [i.id, i]));
      const inOrder = d.order.map((id) => byId.get(id)).filter(Boolean);
      this.agenda = inOrder.concat(this.agenda.filter((i) => !d.order.includes(i.id)));
      return;
    }
    if (!item || !item.id) return;
    if (what === "removed") { this.agenda = this.agenda.filter((i) => i.id !== item.id); return; }
    const at = this.agenda.findIndex((i) => i.id === item.id);
    if (what === "added") { if (at < 0) this.agenda.push(item); else this.agenda[at] = item; return; }
    if (at >= 0) this.agenda[at] = item; // updated, started, finished: the full item
  }

  _minutes(what, d) {
    const e = d.entry;
    if (!e || !e.id) return;
    if (what === "removed") { this.minutes = this.minutes.filter((m) => m.id !== e.id); return; }
    const at = this.minutes.findIndex((m) => m.id === e.id);
    if (what === "added" && at < 0) this.minutes.push(e);
    else if (at >= 0) this.minutes[at] = e;
  }

  /** Speaking time per participant and per unit, from the finished speeches. */
  totals() { return speakingTotals(this.speeches); }

  /** The queue entry of a participant, with its 1-based place. */
  entryOf(participantId) {
    const i = this.queue.findIndex((e) => e.participant === participantId);
    return i < 0 ? null : { entry: this.queue[i], position: i + 1 };
  }
}

/**
 * Meeting.speakingTotals (SpeakerQueue.swift), exactly: per participant the name
 * and unit of its first speech, seconds and count; per unit the seconds; both
 * longest first, ties by participant id / unit name.
 */
export function speakingTotals(speeches) {
  const byParticipant = new Map();
  const byUnit = new Map();
  for (const s of speeches || []) {
    let t = byParticipant.get(s.participant);
    if (!t) { t = { name: s.displayName, unit: s.unit, seconds: 0, count: 0 }; byParticipant.set(s.participant, t); }
    t.seconds += s.seconds;
    t.count += 1;
    byUnit.set(s.unit, (byUnit.get(s.unit) || 0) + s.seconds);
  }
  const participants = [...byParticipant].sort((a, b) => (b[1].seconds - a[1].seconds) || compareScalars(a[0], b[0]))
    .map(([id, t]) => ({ participant: id, displayName: t.name, unit: t.unit, seconds: t.seconds, speeches: t.count }));
  const units = [...byUnit].sort((a, b) => (b[1] - a[1]) || compareScalars(a[0], b[0]))
    .map(([unit, seconds]) => ({ unit, seconds }));
  return { participants, units };
}

/** Compares strings by Unicode scalar values (as Swift's String < does for these). */
export function compareScalars(a, b) {
  const x = [...a], y = [...b];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = x[i].codePointAt(0) - y[i].codePointAt(0);
    if (d) return d < 0 ? -1 : 1;
  }
  return x.length - y.length;
}
