// One meeting's state on the page, and the one reducer over its stream: a
// snapshot, then every event applied in seq order. Events carry whole
// entities (QueueChange carries the whole queue, the floor and, when a speech
// ended, the speaking totals), so applying is upsert or remove by id, or
// replace; the page never re-implements the domain rules. Every view of the
// meeting subscribes here. A dispatch record's stream (D-…) has its own
// reducer below (RecordStore), the same way: a snapshot, then its events.

const SUMMARY_FIELDS = ["id", "title", "phase", "owner", "company", "project", "startsAt", "durationMinutes", "system", "createdAt", "updatedAt", "transitions"];
/** Snapshot fields that are not the meeting's own (MeetingInfo): the store keeps them apart. */
const STATE_FIELDS = new Set(["checklist", "roster", "agenda", "queue", "floor", "speeches", "speakingTotals", "minutes", "viewer", "followup", "contacts", "materials"]);
const NO_TOTALS = Object.freeze({ participants: [], units: [] });

export class MeetingStore {
  constructor() {
    this.meeting = null; // summary fields (MeetingInfo)
    this.checklist = new Map(); // id -> item, in insertion order
    this.roster = new Map(); // id -> participant
    this.agenda = []; // in the meeting's order
    this.queue = []; // in the server's order
    this.floor = null;
    this.speeches = []; // finished, oldest first
    this.speakingTotals = NO_TOTALS; // as the server counts them
    this.minutes = []; // in the order added
    this.viewer = { ops: [] }; // the meeting ops this viewer's role allows
    // After the meeting: {units, assessments, intent?}; null when the server
    // withholds it (a company participant) or before the meeting has ended.
    this.followup = null;
    // The contact sheet as this viewer may see it: {exchange, cards} (contacts.sheet's rows).
    this.contacts = { exchange: {}, cards: [] };
    // The project materials this viewer may see, in upload order, and the read
    // receipts (only the organizer side gets any): {files, receipts}.
    this.materials = { files: [], receipts: [] };
    this.seq = 0;
    this.loaded = false;
    this.listeners = new Set();
  }

  /**
   * fn(change) where change = {kind, event?}; kind is what changed: "snapshot",
   * "meeting", "checklist", "roster" (also presence.* and av.*, which carry the
   * participant), "agenda", "queue", "minutes", "followup", "contacts",
   * "materials", "viewer", or "other"
   * (also event.withheld, which only advances the seq).
   */
  subscribe(fn) { this.listeners.add(fn); return () => this.listeners.delete(fn); }

  _emit(change) {
    for (const fn of this.listeners) {
      try { fn(change); } catch (e) { console.error(e); }
    }
  }

  applySnapshot(snapshot, seq) {
    const s = snapshot || {};
    this.meeting = {};
    for (const k of SUMMARY_FIELDS) if (k in s) this.meeting[k] = s[k];
    // Keep any further summary fields the server adds.
    for (const [k, v] of Object.entries(s)) if (!Array.isArray(v) && !STATE_FIELDS.has(k) && !(k in this.meeting)) this.meeting[k] = v;
    this.checklist = new Map((s.checklist || []).map((i) => [i.id, i]));
    this.roster = new Map((s.roster || []).map((p) => [p.id, p]));
    this.agenda = Array.isArray(s.agenda) ? s.agenda.slice() : [];
    this.queue = Array.isArray(s.queue) ? s.queue.slice() : [];
    this.floor = s.floor || null;
    this.speeches = Array.isArray(s.speeches) ? s.speeches.slice() : [];
    this.speakingTotals = s.speakingTotals || NO_TOTALS;
    this.minutes = Array.isArray(s.minutes) ? s.minutes.slice() : [];
    this.viewer = viewerOf(s.viewer);
    this.followup = followupOf(s.followup);
    this.contacts = contactsOf(s.contacts);
    this.materials = materialsOf(s.materials);
    this.seq = seq || 0;
    this.loaded = true;
    this._emit({ kind: "snapshot", snapshot: s });
  }

  /** What the server says this viewer may call, after a fresh read (its role may have changed). */
  setViewer(viewer) {
    const next = viewerOf(viewer);
    if (sameOps(next.ops, this.viewer.ops)) return;
    this.viewer = next;
    this._emit({ kind: "viewer" });
  }

  /**
   * A fresh read of the whole meeting (meeting.get) at `seq`: taken when it is
   * not older than what the store has (events after it still apply in order).
   */
  refresh(snapshot, seq) {
    if (!snapshot || typeof seq !== "number" || seq < this.seq) return false;
    this.applySnapshot(snapshot, seq);
    return true;
  }

  /** May this viewer call the meeting op by its role (phase rules aside)? */
  may(op) { return this.viewer.ops.includes(op); }

  /** Applies one event; returns false when it was already seen (seq <= last). */
  applyEvent(ev) {
    if (typeof ev.seq === "number") {
      if (ev.seq <= this.seq) return false;
      this.seq = ev.seq;
    }
    const d = ev.data || {};
    const [area, what] = ev.event.split(".");
    let kind = "other";
    switch (area) {
      case "checklist":
        if (d.item) {
          if (what === "item_removed") this.checklist.delete(d.item.id);
          else if (isEntity(d.item)) this.checklist.set(d.item.id, d.item);
          kind = "checklist";
        }
        break;
      case "roster": case "presence": case "av":
        // roster.link_reissued and the like name the participant only by id: nothing to replace.
        if (d.participant && (area === "roster" || isEntity(d.participant))) {
          if (what === "removed") {
            this.roster.delete(d.participant.id);
            this.contacts = { ...this.contacts, cards: this.contacts.cards.filter((x) => x.participant !== d.participant.id) };
          }
          else if (isEntity(d.participant)) this.roster.set(d.participant.id, d.participant);
          kind = "roster";
        }
        break;
      case "agenda": this._agenda(what, d); kind = "agenda"; break;
      case "queue":
        if (Array.isArray(d.queue)) this.queue = d.queue;
        this.floor = d.floor || null;
        if (d.speech) this.speeches.push(d.speech);
        if (d.speakingTotals) this.speakingTotals = d.speakingTotals;
        kind = "queue";
        break;
      case "minutes": this._minutes(what, d); kind = "minutes"; break;
      case "followup": this._followup(what, d); kind = "followup"; break;
      case "contacts": this._contacts(what, d); kind = "contacts"; break;
      case "materials": this._materials(what, d); kind = "materials"; break;
      case "meeting": kind = "meeting"; break;
      default: break;
    }
    // An event that reports the meeting (meeting.*, a phase change) keeps the header current.
    if (d.meeting && typeof d.meeting === "object") {
      this.meeting = pickSummary(d.meeting);
      if (kind === "other") kind = "meeting";
    }
    this._emit({ kind, event: ev });
    return true;
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

  _followup(what, d) {
    if (!this.followup) this.followup = { units: [], assessments: [] };
    if (what === "assessed" && d.assessment && d.assessment.unit) {
      // A unit's new assessment replaces its earlier one.
      const list = this.followup.assessments.filter((a) => a.unit !== d.assessment.unit);
      list.push(d.assessment);
      const order = this.followup.units;
      list.sort((a, b) => rank(order, a.unit) - rank(order, b.unit));
      this.followup = { ...this.followup, assessments: list };
    } else if (what === "intent_recorded" && d.intent) {
      this.followup = { ...this.followup, intent: d.intent };
    }
  }

  _contacts(what, d) {
    const c = this.contacts;
    if (what === "prompted" && d.exchange) {
      this.contacts = { ...c, exchange: d.exchange };
    } else if (what === "shared" && d.share && d.share.participant) {
      const s = d.share;
      const row = { source: "participant", participant: s.participant, role: s.role, audience: s.audience, sharedAt: s.sharedAt, ...(s.card || {}) };
      const cards = c.cards.slice();
      const i = cards.findIndex((x) => x.participant === s.participant);
      if (i >= 0) cards[i] = row; else cards.push(row);
      this.contacts = { ...c, cards };
    } else if (what === "withdrawn" && d.participant) {
      this.contacts = { ...c, cards: c.cards.filter((x) => x.participant !== d.participant.id) };
    }
  }

  _materials(what, d) {
    const m = this.materials;
    if (what === "added" && d.material && d.material.id) {
      this.materials = { ...m, files: upsert(m.files, d.material) };
    } else if (what === "removed" && d.material && d.material.id) {
      const id = d.material.id;
      this.materials = { files: m.files.filter((f) => f.id !== id), receipts: m.receipts.filter((r) => r.material !== id) };
    } else if (what === "opened" && d.receipt && d.receipt.material) {
      const r = d.receipt;
      if (!m.receipts.some((x) => x.material === r.material && x.participant === r.participant)) {
        this.materials = { ...m, receipts: m.receipts.concat([r]) };
      }
    }
  }

  /**
   * A material the upload's reply returned (its materials.added event may
   * come before or after the reply): kept, and the views told.
   */
  addMaterial(material) {
    if (!material || !material.id) return;
    this.materials = { ...this.materials, files: upsert(this.materials.files, material) };
    this._emit({ kind: "materials" });
  }

  /**
   * Who has opened the materials meant for the units (audience everyone or
   * government), counted from the snapshot's files and receipts and the
   * roster as the server counts them (materials.receipts): the attending
   * units (roster role unit, not declined, each once, in roster order); a
   * unit has opened a file when a receipt of one of its participants (role
   * unit, that unit at the time) names it, and has opened them all when every
   * such file is opened. {files: [id], units: [{unit, opened: [id], openedAll,
   * participants: [{id, name, opened: [id]}]}], opened, of}.
   */
  materialsProgress() {
    const files = this.materials.files.filter((f) => f.audience === "everyone" || f.audience === "government").map((f) => f.id);
    const receipts = this.materials.receipts;
    const people = [...this.roster.values()].filter((p) => p.role === "unit" && p.attending !== false);
    const names = [];
    for (const p of people) if (!names.includes(p.unit)) names.push(p.unit);
    const units = names.map((unit) => {
      const seen = new Set(receipts.filter((r) => r.unit === unit && r.role === "unit").map((r) => r.material));
      const opened = files.filter((f) => seen.has(f));
      const participants = people.filter((p) => p.unit === unit).map((p) => ({
        id: p.id,
        name: p.name,
        opened: files.filter((f) => receipts.some((r) => r.participant === p.id && r.material === f)),
      }));
      return { unit, opened, openedAll: files.length > 0 && opened.length === files.length, participants };
    });
    return { files, units, opened: units.filter((u) => u.openedAll).length, of: units.length };
  }

  /** The viewer's own shared card, if any. */
  cardOf(participantId) {
    return this.contacts.cards.find((x) => x.participant === participantId) || null;
  }

  /** A unit's assessment, if it gave one. */
  assessmentOf(unit) {
    return (this.followup && this.followup.assessments.find((a) => a.unit === unit)) || null;
  }

  _minutes(what, d) {
    const e = d.entry;
    if (!e || !e.id) return;
    if (what === "removed") { this.minutes = this.minutes.filter((m) => m.id !== e.id); return; }
    const at = this.minutes.findIndex((m) => m.id === e.id);
    if (what === "added" && at < 0) this.minutes.push(e);
    else if (at >= 0) this.minutes[at] = e;
  }

  get phase() { return (this.meeting && this.meeting.phase) || null; }

  /** The running agenda item, if any. */
  get current() { return this.agenda.find((i) => i.status === "running") || null; }

  /** The queue entry of a participant, with its 1-based place. */
  entryOf(participantId) {
    const i = this.queue.findIndex((e) => e.participant === participantId);
    return i < 0 ? null : { entry: this.queue[i], position: i + 1 };
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

/**
 * Follows a meeting's stream into the store: the snapshot, then the events.
 * A roster.updated about the viewer itself may change its role, so the
 * meeting is read again for the viewer's ops. Returns the unsubscribe function.
 */
export function followMeeting(conn, meetingId, store, { actor, onError } = {}) {
  let rereads = 0;
  const reread = async () => {
    const mine = ++rereads;
    try {
      const r = await conn.call("meeting.get", { meeting: meetingId });
      if (mine === rereads && r && r.snapshot) store.setViewer(r.snapshot.viewer);
    } catch { /* the next snapshot carries it */ }
  };
  // A phase change brings what the events do not carry (the follow-up's
  // expected units, the viewer's ops in the new phase): read it all again.
  const refetch = async () => {
    const mine = ++rereads;
    try {
      const r = await conn.call("meeting.get", { meeting: meetingId });
      if (mine === rereads && r && r.snapshot) store.refresh(r.snapshot, r.seq);
    } catch { /* the next snapshot carries it */ }
  };
  return conn.subscribe(meetingId, {
    onSnapshot: (snapshot, seq) => store.applySnapshot(snapshot, seq),
    onEvent: (ev) => {
      const fresh = store.applyEvent(ev);
      const p = ev.data && ev.data.participant;
      if (fresh && ev.event === "roster.updated" && actor && p && p.id === actor.id) reread();
      if (fresh && ev.event === "meeting.advanced") refetch();
      // The company's card is the server's to put on the sheet (contacts.prompt's companyCard).
      if (fresh && ev.event === "contacts.prompted") refetch();
    },
    onError,
  });
}

function followupOf(f) {
  if (!f || typeof f !== "object") return null;
  return {
    units: Array.isArray(f.units) ? f.units.slice() : [],
    assessments: Array.isArray(f.assessments) ? f.assessments.slice() : [],
    ...(f.intent ? { intent: f.intent } : {}),
  };
}

function contactsOf(c) {
  return {
    exchange: (c && c.exchange && typeof c.exchange === "object") ? c.exchange : {},
    cards: c && Array.isArray(c.cards) ? c.cards.slice() : [],
  };
}

function materialsOf(m) {
  return {
    files: m && Array.isArray(m.files) ? m.files.slice() : [],
    receipts: m && Array.isArray(m.receipts) ? m.receipts.slice() : [],
  };
}

function rank(order, unit) {
  const i = order.indexOf(unit);
  return i < 0 ? order.length : i;
}

function viewerOf(v) {
  return { ops: v && Array.isArray(v.ops) ? v.ops.slice() : [] };
}

function sameOps(a, b) {
  return a.length === b.length && a.every((op, i) => op === b[i]);
}

/** More than a bare {id}: an entity to upsert. */
function isEntity(o) {
  return o && typeof o === "object" && Object.keys(o).some((k) => k !== "id");
}

function pickSummary(m) {
  const out = {};
  for (const [k, v] of Object.entries(m)) if (!STATE_FIELDS.has(k)) out[k] = v;
  return out;
}

// ---------------------------------------------------------------------------
// A dispatch record (D-…): its snapshot {record}, then dispatch.* events.
// dispatch.created carries the whole record; the others carry the record's
// changed fields (stage, status, level, commissioner, due, closure, …; never
// the feedback and escalation lists), which are taken over what the store
// has, plus the feedback or escalation concerned, appended or replaced by id.

const ROW_OMITS = ["feedback", "escalations", "minutes", "actions", "assessments", "intent"];

export class RecordStore {
  constructor() {
    this.record = null;
    this.seq = 0;
    this.loaded = false;
    this.listeners = new Set();
  }

  /** fn(change) where change = {kind: "snapshot" | "record", event?}. */
  subscribe(fn) { this.listeners.add(fn); return () => this.listeners.delete(fn); }

  _emit(change) {
    for (const fn of this.listeners) {
      try { fn(change); } catch (e) { console.error(e); }
    }
  }

  applySnapshot(snapshot, seq) {
    this.record = normaliseRecord(snapshot && snapshot.record);
    this.seq = seq || 0;
    this.loaded = true;
    this._emit({ kind: "snapshot" });
  }

  /** A fresh read (dispatch.get) at `seq`, taken when not older than the store. */
  refresh(record, seq) {
    if (!record || typeof seq !== "number" || seq < this.seq) return false;
    this.record = normaliseRecord({ ...record });
    this.seq = seq;
    this.loaded = true;
    this._emit({ kind: "snapshot" });
    return true;
  }

  /** Applies one event; returns false when it was already seen. */
  applyEvent(ev) {
    if (typeof ev.seq === "number") {
      if (ev.seq <= this.seq) return false;
      this.seq = ev.seq;
    }
    const d = ev.data || {};
    if (ev.event === "dispatch.created" && d.record) {
      this.record = normaliseRecord(d.record);
    } else if (this.record && ev.event && ev.event.startsWith("dispatch.")) {
      let next = this.record;
      if (d.record && typeof d.record === "object") {
        // The event's record (the changed fields) over what the store has; the
        // whole lists it leaves out are kept, and an absent closure on a record
        // that says its status means it is open again.
        next = { ...this.record, ...d.record };
        for (const k of ROW_OMITS) if (!(k in d.record) || k === "feedback" || k === "escalations") next[k] = this.record[k];
        if ("status" in d.record && !("closure" in d.record)) delete next.closure;
      }
      if (d.feedback && d.feedback.id) next.feedback = upsert(next.feedback, d.feedback);
      if (d.escalation && d.escalation.id) next.escalations = upsert(next.escalations, d.escalation);
      this.record = normaliseRecord(next);
    }
    this._emit({ kind: "record", event: ev });
    return true;
  }
}

/** Follows a record's stream into the store. Returns the unsubscribe function. */
export function followRecord(conn, recordId, store, { onError } = {}) {
  return conn.subscribe(recordId, {
    onSnapshot: (snapshot, seq) => store.applySnapshot(snapshot, seq),
    onEvent: (ev) => store.applyEvent(ev),
    onError,
  });
}

function normaliseRecord(r) {
  if (!r || typeof r !== "object") return null;
  const out = { ...r };
  for (const k of ["feedback", "escalations", "actions", "assessments", "stages", "reopenings"]) out[k] = Array.isArray(r[k]) ? r[k].slice() : [];
  out.minutes = r.minutes && typeof r.minutes === "object" ? r.minutes : {};
  return out;
}

function upsert(list, item) {
  const out = Array.isArray(list) ? list.slice() : [];
  const i = out.findIndex((x) => x.id === item.id);
  if (i >= 0) out[i] = item; else out.push(item);
  return out;
}
