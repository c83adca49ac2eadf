// The pre-meeting joint test (会前联调, mechanism 7 §3) for the host: one live
// roster, grouped by unit, with each person's expected display name, their own
// self-test (peak level, when), the host's checks (pass / fail / retest, with
// a note) and "ready" or what is missing; "N of M ready" at the top. Live from
// the av.self_tested / av.marked events (the store upserts the participant).
import { h, put, toast, errorText, announce, nextId } from "./dom.js";
import { t, roleLabel, formatTime, onLangChange, timeZone } from "./i18n.js";
import { codes } from "./catalogue.js";
import { progressBar, setProgress } from "./meetingview.js";
import { checkLabel } from "./phasebar.js";

const RESULTS = ["pass", "fail", "pending"];
const SYMBOL = { pass: "✓", fail: "✕", pending: "↻", none: "○" };
/** The phases in which the server accepts av.self / av.mark. */
export const AV_PHASES = ["preparing", "rehearsal", "live"];

/** A check's current result: pass, fail, pending, or none (no evidence yet). */
export function checkState(p, kind) {
  const c = p && p.av && p.av.checks ? p.av.checks[kind] : null;
  return c && RESULTS.includes(c.result) ? c.result : "none";
}

/** The AV checks, in the server's order (joined, renamed, mic, speaker, camera). */
export const avChecks = () => codes("avChecks");

/** Readiness as the server computed it (every participant carries it). */
export function readinessOf(p) {
  if (p && p.readiness && Array.isArray(p.readiness.missing)) return p.readiness;
  return { ready: false, missing: [] };
}

/** "−31.2 dBFS" */
export function formatDb(db) {
  if (typeof db !== "number" || !Number.isFinite(db)) return "—";
  return `${db < 0 ? "−" : ""}${Math.abs(db).toFixed(1)} dBFS`;
}

/** A line about a participant's last self-test, or null. */
export function selfTestSummary(p) {
  const st = p && p.av && p.av.selfTest;
  if (!st) return null;
  const bits = [];
  if (st.mic) bits.push(`${checkLabel("mic")} ${st.mic.ok ? "✓" : "✕"}${typeof st.mic.peakDb === "number" ? " " + formatDb(st.mic.peakDb) : ""}`);
  if (st.speaker) bits.push(`${checkLabel("speaker")} ${st.speaker.ok ? "✓" : "✕"}`);
  if (st.camera) bits.push(`${checkLabel("camera")} ${st.camera.ok ? "✓" : "✕"}`);
  return bits.join(" · ");
}

/** "16:58" for a time today (in the server's zone), else the full date and time. */
export function shortTime(iso) {
  if (!iso) return "";
  const day = (d) => new Intl.DateTimeFormat("en-CA", { timeZone: timeZone(), year: "numeric", month: "2-digit", day: "2-digit" }).format(d);
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  if (day(d) !== day(new Date())) return formatTime(iso);
  return new Intl.DateTimeFormat("en-GB", { timeZone: timeZone(), hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(d);
}

/**
 * Who made a check's verdict: the person's own self-test, the host (a
 * participant with the host role), or the organizer (an account: its id is A-…).
 */
export function byLabel(check) {
  if (!check) return "";
  if (check.source === "self") return t("av.bySelf");
  return String(check.by || "").startsWith("A-") ? t("av.byOrganizer") : t("av.byHost");
}

/** The word for a check's state, e.g. "通过" / "待重测". */
export const stateLabel = (s) => t("av.state." + s);

/**
 * The AV roster in `slot`. canManage() says whether this viewer may mark the
 * checks: by default, whether av.mark is among the ops the snapshot says it may
 * call (the organizer, a participant with the host role); lead: during the
 * joint test, move the slot to the front of its container.
 */
export function mountRehearsal(slot, { conn, meetingId, store, actor, canManage = () => store.may("av.mark"), lead = false }) {
  const rowEls = new Map(); // participant id -> row parts
  const groupEls = new Map(); // unit -> {section, ul, count}
  const inFlight = new Set(); // `${pid}:${check}`

  const bar = progressBar(0, 0, { labelKey: "av.readyProgress", id: "av-ready-bar" });
  const readyText = h("p", { class: "av-ready-count", id: "av-ready-count", "aria-live": "polite" });
  const closedNote = h("p", { class: "notice notice-warn", id: "av-closed", hidden: true });
  const groupsBox = h("div", { class: "av-groups", id: "av-groups" });
  const empty = h("p", { class: "empty", id: "av-empty", hidden: true });
  const intro = h("p", { class: "muted av-intro" });
  const heading = h("h2", { id: "av-h" });
  const section = h("section", { class: "card av-card", id: "av-roster", "aria-labelledby": "av-h", hidden: true },
    h("div", { class: "section-head" }, heading, h("div", { class: "av-summary" }, readyText, bar)),
    intro,
    closedNote,
    groupsBox,
    empty);
  slot.append(section);

  const isOpen = () => !!store.meeting && AV_PHASES.includes(store.meeting.phase);

  function expected(people) {
    return people.filter((p) => p.attending !== false);
  }

  function render() {
    if (!store.loaded || !store.meeting) return;
    const show = canManage();
    section.hidden = !show;
    if (!show) return;
    // During the joint test this roster is what the host works from: put it first.
    if (lead && slot.parentNode) {
      if (store.meeting.phase === "rehearsal") { if (slot.parentNode.firstElementChild !== slot) slot.parentNode.prepend(slot); }
      else if (slot.parentNode.lastElementChild !== slot) slot.parentNode.append(slot);
    }
    heading.textContent = t("av.title");
    intro.textContent = t("av.intro");
    const people = [...store.roster.values()];
    const exp = expected(people);
    const ready = exp.filter((p) => readinessOf(p).ready).length;
    setProgress(bar, ready, exp.length);
    readyText.textContent = t("av.readyCount", { ready, total: exp.length });
    readyText.dataset.ready = String(ready);
    readyText.dataset.total = String(exp.length);
    readyText.dataset.all = String(exp.length > 0 && ready === exp.length);
    closedNote.hidden = isOpen();
    closedNote.textContent = t("av.closed");
    empty.hidden = people.length > 0;
    empty.textContent = t("av.empty");

    // Group by unit, in the roster's order of first appearance.
    const units = [];
    const byUnit = new Map();
    for (const p of people) {
      if (!byUnit.has(p.unit)) { byUnit.set(p.unit, []); units.push(p.unit); }
      byUnit.get(p.unit).push(p);
    }
    let prevGroup = null;
    for (const unit of units) {
      let g = groupEls.get(unit);
      if (!g) {
        const ul = h("ul", { class: "av-list" });
        const title = h("h3", { class: "av-unit-name" });
        const count = h("span", { class: "av-unit-count muted" });
        g = { section: h("section", { class: "av-group", dataset: { unit } }, h("div", { class: "av-group-head" }, title, count), ul), ul, title, count };
        groupEls.set(unit, g);
      }
      const at = prevGroup ? prevGroup.section.nextSibling : groupsBox.firstChild;
      if (at !== g.section) groupsBox.insertBefore(g.section, at);
      prevGroup = g;
      const members = byUnit.get(unit);
      const ge = expected(members);
      g.title.textContent = unit;
      g.count.textContent = t("av.groupCount", { ready: ge.filter((p) => readinessOf(p).ready).length, total: ge.length });
      g.section.setAttribute("aria-label", unit);
      let prev = null;
      for (const p of members) {
        let el = rowEls.get(p.id);
        if (!el) { el = makeRow(p.id); rowEls.set(p.id, el); }
        updateRow(el, p);
        const next = prev ? prev.nextSibling : g.ul.firstChild;
        if (next !== el.li) g.ul.insertBefore(el.li, next);
        prev = el.li;
      }
    }
    for (const [unit, g] of groupEls) {
      if (!byUnit.has(unit)) { g.section.remove(); groupEls.delete(unit); }
    }
    for (const [id, el] of rowEls) {
      if (!store.roster.has(id)) {
        const hadFocus = el.li.contains(document.activeElement);
        el.li.remove();
        rowEls.delete(id);
        if (hadFocus) { heading.tabIndex = -1; heading.focus(); }
      }
    }
  }

  function makeRow(pid) {
    const name = h("span", { class: "ro-name" });
    const role = h("span", { class: "badge badge-role" });
    const displayName = h("span", { class: "av-expected-name" });
    const selfLine = h("p", { class: "av-self small" });
    const status = h("div", { class: "av-status" });
    const checks = h("div", { class: "av-checks", role: "group" });
    const cells = new Map();
    // One control per check: a small select (未检查 / 通过 / 未通过 / 待重测),
    // not a row of buttons per check; the symbol beside it says the state at a glance.
    for (const kind of avChecks()) {
      const selId = nextId("av-sel");
      const stateEl = h("span", { class: "av-state", "aria-hidden": "true" });
      const note = h("p", { class: "av-check-note small" });
      const sel = h("select", { id: selId, class: "av-select", dataset: { action: "mark", check: kind } });
      const options = new Map();
      for (const result of ["none", ...RESULTS]) {
        const o = h("option", { value: result });
        if (result === "none") o.disabled = true;
        options.set(result, o);
        sel.append(o);
      }
      sel.addEventListener("change", () => {
        if (RESULTS.includes(sel.value)) markCheck(pid, kind, sel.value, sel);
      });
      const label = h("label", { class: "av-check-name", for: selId });
      const cell = h("div", { class: "av-check", dataset: { check: kind } },
        h("div", { class: "av-check-head" }, label), h("div", { class: "av-check-control" }, stateEl, sel), note);
      cells.set(kind, { cell, label, stateEl, note, sel, options });
      checks.append(cell);
    }
    const noteId = nextId("av-note");
    const noteInput = h("input", { type: "text", id: noteId, class: "av-note-input", maxlength: "300", autocomplete: "off", dataset: { field: "note" } });
    const noteLabel = h("label", { for: noteId, class: "small" });
    const noteHint = h("span", { class: "opt" });
    const noteBox = h("div", { class: "av-note-box" }, noteLabel, noteHint, noteInput);
    const li = h("li", { class: "av-row", dataset: { id: pid } },
      h("div", { class: "av-row-head" },
        h("div", { class: "av-who" },
          h("div", { class: "ro-name-line" }, name, role),
          h("div", { class: "av-expected" }, h("span", { class: "muted small av-expected-label" }), " ", displayName),
          selfLine),
        status),
      checks,
      noteBox);
    return { li, name, role, displayName, selfLine, status, checks, cells, noteInput, noteLabel, noteHint };
  }

  function updateRow(el, p) {
    const r = readinessOf(p);
    const attending = p.attending !== false;
    el.li.dataset.ready = String(!!r.ready);
    el.li.dataset.attending = p.attending === true ? "yes" : p.attending === false ? "no" : "unknown";
    el.li.classList.toggle("is-ready", !!r.ready);
    el.li.classList.toggle("is-absent", !attending);
    el.name.textContent = p.name;
    el.role.className = `badge badge-role badge-${p.role}`;
    el.role.textContent = roleLabel(p.role);
    el.li.querySelector(".av-expected-label").textContent = t("av.expectedName");
    el.displayName.textContent = p.displayName || `${p.name}-${p.unit}`;
    const st = p.av && p.av.selfTest;
    if (st) {
      const shown = st.displayName && st.displayName !== p.displayName ? " · " + t("av.selfShows", { name: st.displayName }) : "";
      el.selfLine.textContent = `${t("av.selfTestLabel")}${selfTestSummary(p)}${shown} · ${shortTime(st.at)}`;
      el.selfLine.className = "av-self small";
    } else {
      el.selfLine.textContent = t("av.noSelfTest");
      el.selfLine.className = "av-self small muted";
    }
    el.selfLine.dataset.tested = String(!!st);
    if (!attending) {
      put(el.status, h("span", { class: "av-ready av-ready-absent" }, t("av.notAttending")));
    } else if (r.ready) {
      put(el.status, h("span", { class: "av-ready av-ready-yes", dataset: { state: "ready" } }, h("span", { "aria-hidden": "true" }, "✓ "), t("av.ready")));
    } else {
      put(el.status, h("span", { class: "av-ready av-ready-no", dataset: { state: "missing" } },
        t("av.missingShort", { list: r.missing.map(checkLabel).join(t("phase.listSep")) })));
    }
    const open = isOpen();
    el.checks.setAttribute("aria-label", t("av.checksOf", { name: p.name }));
    for (const kind of avChecks()) {
      const c = el.cells.get(kind);
      const state = checkState(p, kind);
      const check = p.av && p.av.checks ? p.av.checks[kind] : null;
      c.cell.dataset.result = state;
      c.label.textContent = checkLabel(kind) + (kind === "camera" ? ` (${t("optional")})` : "");
      c.stateEl.textContent = SYMBOL[state];
      c.stateEl.className = "av-state av-state-" + state;
      const by = check ? byLabel(check) : "";
      const bits = [];
      if (check && check.note) bits.push(check.note);
      if (check) bits.push(`${by} ${shortTime(check.at)}`);
      c.note.textContent = bits.join(" · ");
      c.note.hidden = !bits.length;
      const busy = inFlight.has(`${p.id}:${kind}`);
      for (const [result, o] of c.options) o.textContent = stateLabel(result);
      if (!busy) c.sel.value = state;
      c.sel.setAttribute("aria-label", `${checkLabel(kind)} · ${p.name}`);
      c.sel.disabled = busy || !open;
      c.sel.classList.toggle("is-busy", busy);
    }
    el.noteLabel.textContent = t("av.note");
    el.noteHint.textContent = t("optional");
    el.noteInput.setAttribute("placeholder", t("av.noteHint"));
    el.noteInput.disabled = !open;
  }

  async function markCheck(pid, check, result, btn) {
    const el = rowEls.get(pid);
    const key = `${pid}:${check}`;
    if (inFlight.has(key)) return;
    const args = { meeting: meetingId, participant: pid, check, result };
    const note = el ? el.noteInput.value.trim() : "";
    if (note) args.note = note;
    inFlight.add(key);
    const p0 = store.roster.get(pid);
    if (el && p0) updateRow(el, p0);
    try {
      await conn.call("av.mark", args);
      if (el) el.noteInput.value = "";
      const p = store.roster.get(pid);
      announce(`${p ? p.name : ""} · ${checkLabel(check)}: ${stateLabel(result)}`);
    } catch (err) {
      toast(errorText(err), "error");
    } finally {
      inFlight.delete(key);
      const p = store.roster.get(pid);
      if (el && p) updateRow(el, p);
      if (btn && btn.isConnected && !btn.disabled && document.activeElement === document.body) btn.focus();
    }
  }

  let lastReady = null;
  const off = store.subscribe((change) => {
    if (!["snapshot", "roster", "meeting", "viewer"].includes(change.kind)) return;
    render();
    const ev = change.event;
    if (ev && (ev.event === "av.self_tested" || ev.event === "av.marked") && ev.data && ev.data.participant) {
      const p = ev.data.participant;
      const el = rowEls.get(p.id);
      if (el) { el.li.classList.remove("flash"); void el.li.offsetWidth; el.li.classList.add("flash"); }
      if (ev.event === "av.self_tested" && (!actor || ev.by !== actor.id)) announce(t("av.selfTestedNews", { name: p.name }));
    }
    const r = readyText.dataset.ready + "/" + readyText.dataset.total;
    if (lastReady !== null && r !== lastReady && !section.hidden) announce(readyText.textContent);
    lastReady = r;
  });
  const offLang = onLangChange(() => render());
  if (store.loaded) render();
  return () => { off(); offLang(); section.remove(); };
}
