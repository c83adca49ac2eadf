// One meeting's state on the page: a snapshot, then events applied in seq
// order. Events carry full entities, so applying is upsert or remove by id;
// the page never re-implements the domain rules.

const SUMMARY_FIELDS = ["id", "title", "phase", "owner", "company", "project", "startsAt", "durationMinutes", "system", "createdAt", "updatedAt", "transitions"];

export class MeetingStore {
  constructor() {
    this.meeting = null; // summary fields
    this.checklist = new Map(); // id -> item, in insertion order
    this.roster = new Map(); // id -> participant
    this.seq = 0;
    this.loaded = false;
    this.listeners = new Set();
  }

  /** fn(change) where change = {kind: "snapshot"|"meeting"|"checklist"|"roster"|"other", event?} */
  subscribe(fn) { this.listeners.add(fn); return () => this.listeners.delete(fn); }

  _emit(change) { for (const fn of this.listeners) fn(change); }

  applySnapshot(snapshot, seq) {
    const s = snapshot || {};
    this.meeting = {};
    for (const k of SUMMARY_FIELDS) if (k in s) this.meeting[k] = s[k];
    // Keep any further summary fields the server adds.
    for (const [k, v] of Object.entries(s)) if (!Array.isArray(v) && !(k in this.meeting)) this.meeting[k] = v;
    this.checklist = new Map((s.checklist || []).map((i) => [i.id, i]));
    this.roster = new Map((s.roster || []).map((p) => [p.id, p]));
    this.seq = seq || 0;
    this.loaded = true;
    this._emit({ kind: "snapshot", snapshot: s }); // the whole snapshot, for the live views (livestate.js)
  }

  /** Applies one event; returns false when it was already seen (seq <= last). */
  applyEvent(ev) {
    if (typeof ev.seq === "number") {
      if (ev.seq <= this.seq) return false;
      this.seq = ev.seq;
    }
    const d = ev.data || {};
    const [area, what] = ev.event.split(".");
    let kind = "other";
    if (d.meeting && typeof d.meeting === "object" && (area === "meeting" || ev.event.startsWith("meeting."))) {
      this.meeting = pickSummary(d.meeting); // full entity: replace
      kind = "meeting";
    } else if (area === "checklist" && d.item) {
      if (what === "item_removed") this.checklist.delete(d.item.id);
      else if (isEntity(d.item)) this.checklist.set(d.item.id, d.item);
      kind = "checklist";
    } else if (d.participant && (area === "roster" || ((area === "presence" || area === "av") && isEntity(d.participant)))) { // presence.changed, av.self_tested, av.marked carry the participant
      if (what === "removed") this.roster.delete(d.participant.id);
      // roster.link_reissued and the like name the participant only by id: nothing to replace.
      else if (isEntity(d.participant)) this.roster.set(d.participant.id, d.participant); // full entity: replace
      kind = "roster";
    } else if (d.meeting && typeof d.meeting === "object") {
      // Other areas that report the meeting (e.g. a phase change) keep the header current.
      this.meeting = pickSummary(d.meeting); // full entity: replace
      kind = "meeting";
    }
    this._emit({ kind, event: ev });
    return true;
  }

  checklistByPhase() {
    const groups = new Map();
    for (const item of this.checklist.values()) {
      const p = item.phase || "preparing";
      if (!groups.has(p)) groups.set(p, []);
      groups.get(p).push(item);
    }
    return groups;
  }

  progress(items = [...this.checklist.values()]) {
    return { done: items.filter((i) => i.done).length, total: items.length };
  }
}

/** More than a bare {id}: an entity to upsert. */
function isEntity(o) {
  return o && typeof o === "object" && Object.keys(o).some((k) => k !== "id");
}

function pickSummary(m) {
  const out = {};
  for (const [k, v] of Object.entries(m)) if (k !== "checklist" && k !== "roster") out[k] = v;
  return out;
}
