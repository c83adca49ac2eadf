// The live meeting (会中在线) on the organizer's meeting page, and the parts
// the participant's page shares: the running agenda item with a large timer
// (server clock), who has the floor with a countdown, the speaker queue in the
// server's order, the agenda (planned vs actual), attendance, speaking time
// per unit, the minutes and their export, and ending the meeting.
//
// mountLive(slot, ctx) follows the meeting's phase and the viewer's role:
//   organizer / host    the host console (agenda, floor and queue controls)
//   recorder            the minutes editor, no floor controls
//   other participants  read-only parts; liveparticipant.js adds their own
//                       (raise hand, questions, presence, "you have the floor")
// Before the meeting a manager plans the agenda here; after it, the minutes,
// the agenda as it ran and the export stay.
import { h, put, busy, showError, formError, toast, errorText, confirmDialog, announce, nextId, clearErrors, fieldError } from "./dom.js";
import { t, roleLabel, formatTime, onLangChange } from "./i18n.js";
import { LiveState, speakingTotals } from "./livestate.js";
import { secondsSince, formatClock, onTick, syncClock } from "./timer.js";
import { mountMinutes } from "./minutes.js";
import { advancePhase } from "./phasebar.js";

const PLAN_PHASES = new Set(["preparing", "rehearsal"]);
const OPEN_PHASES = new Set(["preparing", "rehearsal", "live"]); // the agenda can change
const LIMITS = [30, 60, 120, 180, 300, 600];

/** The viewer's role in this meeting: organizer (owner or admin), a roster role, or null. */
export function viewerRole(store, actor) {
  if (!actor) return null;
  if (actor.kind === "participant") {
    const p = store.roster.get(actor.id);
    return p ? p.role : null;
  }
  if (actor.kind === "organizer" || actor.kind === "admin") return "organizer";
  return null;
}

export const isManager = (role) => role === "organizer" || role === "host";
export const writesMinutes = (role) => isManager(role) || role === "recorder";

export const queueKindLabel = (k) => t("queue.kind." + k);

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

function card(id, headingKey, ...rest) {
  return h("section", { class: "card live-card", id, "aria-labelledby": id + "-h" },
    h("div", { class: "section-head" }, h("h2", { id: id + "-h", i18n: headingKey }), ...rest));
}

function setText(el, text) { if (el.textContent !== text) el.textContent = text; }

// ---------------------------------------------------------------------------
// The running agenda item and the floor

/** The "now" card: the running item's timer, and who has the floor. manage adds the controls. */
export function nowCard(ctx, { manage }) {
  const { conn, meetingId, live, actor } = ctx;
  const pos = h("span", { class: "count", id: "now-pos" });
  const el = card("live-now", "live.now", pos);
  el.classList.add("live-now");
  const title = h("p", { class: "now-title", id: "now-title" });
  const sub = h("p", { class: "muted now-sub", id: "now-sub" });
  const clock = h("span", { class: "timer-big", id: "agenda-timer", role: "timer", "aria-atomic": "true" });
  const plan = h("span", { class: "timer-plan", id: "agenda-plan" });
  const fill = h("div", { class: "timer-fill" });
  const track = h("div", { class: "timer-track", "aria-hidden": "true" }, fill);
  const over = h("p", { class: "timer-over", id: "agenda-over", hidden: true });
  const timerBox = h("div", { class: "timer-box", id: "agenda-timer-box" },
    h("div", { class: "timer-row" }, clock, plan), track, over);
  const actions = h("div", { class: "now-actions" });
  const floorBox = h("div", { class: "floor", id: "live-floor", "aria-live": "polite" });
  el.append(title, sub, timerBox);
  if (manage) el.append(actions);
  el.append(floorBox);

  const nextBtn = h("button", { type: "button", class: "btn btn-primary", id: "agenda-next" }, h("span", {}), h("span", { "aria-hidden": "true" }, " →"));
  const finishBtn = h("button", { type: "button", class: "btn btn-secondary", id: "agenda-finish", i18n: "live.finish" });
  nextBtn.addEventListener("click", () => act(nextBtn, conn, "agenda.next", { meeting: meetingId }));
  finishBtn.addEventListener("click", () => act(finishBtn, conn, "agenda.finish", { meeting: meetingId }));

  // floor parts, kept across renders so the countdown does not flicker
  const floorWho = h("div", { class: "floor-who" });
  const floorClock = h("span", { class: "floor-clock", id: "floor-timer", role: "timer" });
  const floorNote = h("span", { class: "floor-note muted small", id: "floor-note" });
  const releaseBtn = h("button", { type: "button", class: "btn btn-secondary btn-sm", id: "floor-release", i18n: "live.release" });
  releaseBtn.addEventListener("click", () => act(releaseBtn, conn, "queue.release", { meeting: meetingId }));

  function render() {
    const running = live.current;
    const n = live.agenda.length;
    const idx = running ? live.agenda.indexOf(running) + 1 : 0;
    pos.textContent = running && n ? t("live.itemOf", { n: idx, total: n }) : "";
    el.dataset.running = running ? running.id : "";
    if (running) {
      title.textContent = running.title;
      const speaker = running.speaker && ctx.store.roster.get(running.speaker);
      const bits = [];
      if (speaker) bits.push(t("live.speaker", { name: speaker.displayName || speaker.name }));
      if (running.speakingLimitSeconds) bits.push(t("live.limitEach", { time: limitLabel(running.speakingLimitSeconds) }));
      sub.textContent = bits.join(" · ");
      sub.hidden = !bits.length;
      timerBox.hidden = false;
    } else {
      const anyDone = live.agenda.some((i) => i.status === "done");
      title.textContent = t(n === 0 ? "live.noAgenda" : anyDone && !live.agenda.some((i) => i.status === "planned") ? "live.agendaDone" : "live.noItem");
      sub.hidden = true;
      timerBox.hidden = true;
    }
    if (manage) {
      const planned = live.agenda.some((i) => i.status === "planned");
      nextBtn.firstChild.textContent = t(running ? "live.next" : "live.start");
      nextBtn.hidden = !planned;
      finishBtn.hidden = !running;
      put(actions, nextBtn, finishBtn);
      actions.hidden = nextBtn.hidden && finishBtn.hidden;
    }
    renderFloor();
    tick();
  }

  function renderFloor() {
    const f = live.floor;
    floorBox.dataset.participant = f ? f.participant : "";
    if (!f) {
      put(floorBox, h("p", { class: "floor-none muted" }, t("live.floorNone")));
      return;
    }
    const isMe = actor && actor.kind === "participant" && f.participant === actor.id;
    put(floorWho,
      h("span", { class: "floor-label" }, t("live.floor")),
      h("span", { class: "floor-name" }, f.displayName, isMe ? h("span", { class: "muted" }, " " + t("you")) : null),
      h("span", { class: `badge badge-kind kind-${f.kind}` }, queueKindLabel(f.kind)));
    put(floorBox,
      h("div", { class: "floor-main" }, floorWho, h("div", { class: "floor-time" }, floorClock, floorNote)),
      f.text ? h("p", { class: "floor-text" }, f.text) : null,
      manage ? h("div", { class: "floor-actions" }, releaseBtn) : null);
  }

  function tick() {
    const running = live.current;
    if (running && running.startedAt) {
      const elapsed = secondsSince(running.startedAt);
      const planned = (running.minutes || 0) * 60;
      setText(clock, formatClock(elapsed));
      setText(plan, t("live.planned", { time: formatClock(planned) }));
      // The last fifth (at most the last minute) is "near"; past the plan is "over" (a warning, never a block).
      const state = planned && elapsed > planned ? "over" : planned && planned - elapsed <= Math.min(60, planned / 5) ? "near" : "ok";
      if (timerBox.dataset.state !== state) timerBox.dataset.state = state;
      fill.style.width = (planned ? Math.min(100, (elapsed / planned) * 100) : 0).toFixed(1) + "%";
      over.hidden = state !== "over";
      if (state === "over") setText(over, t("live.over", { time: formatClock(elapsed - planned) }));
      const label = `${t("live.elapsed")} ${formatClock(elapsed)}, ${t("live.planned", { time: formatClock(planned) })}`;
      if (clock.getAttribute("aria-label") !== label) clock.setAttribute("aria-label", label);
    }
    const f = live.floor;
    if (f) {
      const spoken = secondsSince(f.grantedAt);
      if (f.limitSeconds) {
        const left = f.limitSeconds - spoken;
        setText(floorClock, formatClock(Math.abs(left)));
        setText(floorNote, left >= 0 ? t("live.leftShort") : t("live.overShort"));
        floorBox.dataset.state = left < 0 ? "over" : left <= 15 ? "near" : "ok";
      } else {
        setText(floorClock, formatClock(spoken));
        setText(floorNote, t("live.speaking"));
        floorBox.dataset.state = "ok";
      }
    }
  }

  const offTick = onTick(tick);
  render();
  return {
    el,
    update(change) {
      if (["snapshot", "agenda", "queue", "lang", "roster", "meeting"].includes(change.kind)) render();
    },
    destroy: offTick,
  };
}

// ---------------------------------------------------------------------------
// The speaker queue

/** The queue in the server's order. manage: grant / next / next by votes / remove; me: upvotes. */
export function queueCard(ctx, { manage }) {
  const { conn, meetingId, live, actor } = ctx;
  const me = actor && actor.kind === "participant" ? actor.id : null;
  const count = h("span", { class: "count", id: "queue-count" });
  const el = card("live-queue", "queue.title", count);
  const list = h("ol", { class: "queue-list", id: "queue-list" });
  const empty = h("p", { class: "empty", id: "queue-empty", i18n: "queue.empty" });
  const nextBtn = h("button", { type: "button", class: "btn btn-primary btn-sm", id: "queue-next", i18n: "queue.next" });
  const votesBtn = h("button", { type: "button", class: "btn btn-secondary btn-sm", id: "queue-next-votes", i18n: "queue.nextByVotes" });
  nextBtn.addEventListener("click", () => act(nextBtn, conn, "queue.next", { meeting: meetingId }));
  votesBtn.addEventListener("click", () => act(votesBtn, conn, "queue.next", { meeting: meetingId, by: "votes" }));
  if (manage) el.append(h("div", { class: "queue-controls" }, nextBtn, votesBtn));
  el.append(list, empty);
  const els = new Map();

  function make(e) {
    const li = h("li", { class: "queue-item", dataset: { id: e.id } });
    li._parts = {
      pos: h("span", { class: "queue-pos", "aria-hidden": "true" }),
      body: h("div", { class: "queue-body" }),
      actions: h("div", { class: "queue-actions" }),
    };
    li.append(li._parts.pos, li._parts.body, li._parts.actions);
    if (manage) {
      const grant = h("button", { type: "button", class: "btn btn-secondary btn-sm", "data-action": "grant" }, t("queue.grant"));
      const remove = h("button", { type: "button", class: "icon-btn", "data-action": "remove-entry", title: t("queue.remove") }, h("span", { "aria-hidden": "true" }, "×"));
      grant.addEventListener("click", () => act(grant, conn, "queue.grant", { meeting: meetingId, entry: e.id }));
      remove.addEventListener("click", async () => {
        const cur = live.queue.find((x) => x.id === e.id);
        if (!cur) return;
        if (!(await confirmDialog(t("queue.removeConfirm", { name: cur.displayName })))) { remove.focus(); return; }
        act(remove, conn, "queue.remove", { meeting: meetingId, entry: e.id });
      });
      li._parts.grant = grant;
      li._parts.remove = remove;
      li._parts.actions.append(grant, remove);
    } else if (me) {
      const vote = h("button", { type: "button", class: "btn btn-secondary btn-sm vote-btn", "data-action": "upvote" });
      vote.addEventListener("click", () => act(vote, conn, "queue.upvote", { meeting: meetingId, entry: e.id }));
      li._parts.vote = vote;
      li._parts.actions.append(vote);
    }
    return li;
  }

  function fill(li, e, i) {
    const p = li._parts;
    const mine = me && e.participant === me;
    li.dataset.kind = e.kind;
    li.classList.toggle("is-me", !!mine);
    p.pos.textContent = String(i + 1);
    const votes = (e.votes || []).length;
    put(p.body,
      h("div", { class: "queue-line" },
        h("span", { class: "queue-name" }, e.displayName, mine ? h("span", { class: "muted" }, " " + t("you")) : null),
        h("span", { class: `badge badge-kind kind-${e.kind}` }, queueKindLabel(e.kind))),
      e.text ? h("p", { class: "queue-text" }, e.text) : null,
      h("p", { class: "queue-meta muted small" },
        h("span", { class: "sr-only" }, t("queue.place", { n: i + 1 }) + " "),
        t("queue.raisedAt", { time: clockTime(e.raisedAt) }),
        e.kind === "question" ? h("span", { class: "queue-votes", dataset: { votes: String(votes) } }, " · ", t("queue.votes", { n: votes })) : null));
    if (p.grant) {
      p.grant.setAttribute("aria-label", t("queue.grantLabel", { name: e.displayName }));
      p.remove.setAttribute("aria-label", t("queue.removeLabel", { name: e.displayName }));
    }
    if (p.vote) {
      const voted = (e.votes || []).includes(me);
      const can = e.kind === "question" && !mine;
      p.vote.hidden = !can;
      lock(p.vote, voted);
      p.vote.setAttribute("aria-pressed", voted ? "true" : "false");
      p.vote.textContent = `${voted ? "✓ " : "▲ "}${t(voted ? "queue.upvoted" : "queue.upvote")} ${votes}`;
      p.vote.setAttribute("aria-label", t(voted ? "queue.upvotedLabel" : "queue.upvoteLabel", { name: e.displayName, n: votes }));
    }
  }

  function render() {
    const q = live.queue;
    count.textContent = q.length ? t("queue.count", { n: q.length }) : "";
    empty.hidden = q.length > 0;
    const index = new Map(q.map((e, i) => [e.id, i]));
    const lost = syncKeyed(list, q, els, make, (li, e) => fill(li, e, index.get(e.id)));
    if (lost) {
      // The focused entry left the queue (granted, lowered, removed): stay in the queue.
      const first = list.querySelector("button:not([hidden]):not(:disabled)");
      const target = first || (manage && !nextBtn.disabled ? nextBtn : null) || el.querySelector("h2");
      if (target === el.querySelector("h2")) target.tabIndex = -1;
      target.focus({ preventScroll: true });
    }
    const isLive = live.phase === "live";
    lock(nextBtn, !q.length || !isLive);
    lock(votesBtn, !q.some((e) => e.kind === "question") || !isLive);
  }

  render();
  return {
    el,
    update(change) {
      if (["snapshot", "queue", "lang", "meeting"].includes(change.kind)) {
        if (change.kind === "lang") { els.forEach((li) => li.remove()); els.clear(); }
        render();
      }
    },
    destroy() {},
  };
}

// ---------------------------------------------------------------------------
// The agenda

/** The agenda with planned and actual time; manage: add, edit, move, remove, start. */
export function agendaCard(ctx, { manage, hideEmpty = false }) {
  const { conn, meetingId, live, store } = ctx;
  const summary = h("span", { class: "count", id: "agenda-summary" });
  const el = card("live-agenda", "agenda.title", summary);
  const list = h("ol", { class: "agenda-list", id: "agenda-list" });
  const empty = h("p", { class: "empty", id: "agenda-empty" });
  el.append(list, empty);
  const els = new Map();
  const editing = new Set();

  // add form
  let addForm = null;
  let addDetails = null;
  if (manage) {
    addForm = itemForm({ idPrefix: "agenda-form", submitKey: "agenda.add" });
    addForm.form.id = "agenda-form";
    addDetails = h("details", { class: "add-details", id: "agenda-add" },
      h("summary", {}, h("span", { "aria-hidden": "true" }, "＋ "), h("span", { i18n: "agenda.add" })),
      addForm.form);
    el.append(addDetails);
    addForm.form.addEventListener("submit", async (e) => {
      e.preventDefault();
      const args = addForm.read();
      if (!args) return;
      await busy(addForm.form, async () => {
        try {
          await conn.call("agenda.add", { meeting: meetingId, ...args });
          addForm.reset();
          addForm.focus();
        } catch (err) {
          showError(addForm.form, err);
        }
      });
    });
  }

  /** A form for one item: title, planned minutes, speaker, limit per speech. */
  function itemForm({ idPrefix, item, submitKey, onCancel }) {
    const title = h("input", { type: "text", maxlength: "200", autocomplete: "off", value: item ? item.title : "" });
    const minutes = h("input", { type: "number", min: "1", max: "600", step: "1", inputmode: "numeric", value: item ? String(item.minutes) : "10" });
    const speaker = h("select", {});
    const limit = h("select", {});
    const fillSelects = () => {
      const cur = speaker.value || (item && item.speaker) || "";
      put(speaker, h("option", { value: "" }, t("agenda.noSpeaker")),
        [...store.roster.values()].map((p) => h("option", { value: p.id, selected: p.id === cur }, `${p.displayName || p.name} · ${roleLabel(p.role)}`)));
      speaker.value = cur;
      const lcur = limit.value || (item && item.speakingLimitSeconds ? String(item.speakingLimitSeconds) : "");
      const values = [...LIMITS];
      if (item && item.speakingLimitSeconds && !values.includes(item.speakingLimitSeconds)) values.push(item.speakingLimitSeconds);
      put(limit, h("option", { value: "" }, t("agenda.noLimit")), values.sort((a, b) => a - b).map((s) => h("option", { value: String(s) }, limitLabel(s))));
      limit.value = lcur;
    };
    fillSelects();
    const f = (label, name, input, opts = {}) => {
      const id = nextId(`${idPrefix}-${name}`);
      input.id = id;
      input.dataset.field = name;
      input.setAttribute("aria-describedby", id + "-err");
      if (opts.required) input.required = true;
      return h("div", { class: "field" + (opts.wide ? " field-wide" : "") },
        h("label", { for: id }, h("span", { i18n: label }), opts.required ? h("span", { class: "req", "aria-hidden": "true" }, " *") : null),
        input,
        h("p", { class: "field-error", id: id + "-err", role: "alert", hidden: true }));
    };
    const cancel = onCancel ? h("button", { type: "button", class: "btn btn-ghost btn-sm", i18n: "cancel", onclick: onCancel }) : null;
    const form = h("form", { class: "agenda-form", novalidate: true },
      f("agenda.itemTitle", "title", title, { required: true, wide: true }),
      f("agenda.minutes", "minutes", minutes, { required: true }),
      f("agenda.speaker", "speaker", speaker),
      f("agenda.limit", "speakingLimitSeconds", limit),
      formError(),
      h("div", { class: "form-actions" }, cancel,
        h("button", { type: "submit", class: "btn " + (item ? "btn-primary btn-sm" : "btn-secondary"), "data-action": item ? "save-item" : "add-item", i18n: submitKey })));
    title.dataset.i18nAttr = "placeholder:agenda.itemTitleHint";
    title.setAttribute("placeholder", t("agenda.itemTitleHint"));
    if (onCancel) form.addEventListener("keydown", (e) => { if (e.key === "Escape") { e.preventDefault(); onCancel(); } });
    return {
      form,
      fillSelects,
      focus: () => title.focus(),
      reset() { title.value = ""; minutes.value = "10"; speaker.value = ""; limit.value = ""; },
      read() {
        clearErrors(form);
        const args = {};
        const tv = title.value.trim();
        if (!tv) { fieldError(form, "title", t("err.required")); return null; }
        const mv = Number(minutes.value);
        if (!Number.isInteger(mv) || mv < 1 || mv > 600) { fieldError(form, "minutes", t("agenda.minutesRange")); return null; }
        args.title = tv;
        args.minutes = mv;
        if (item) {
          // On update, an emptied speaker or limit is cleared.
          args.speaker = speaker.value || null;
          args.speakingLimitSeconds = limit.value ? Number(limit.value) : null;
        } else {
          if (speaker.value) args.speaker = speaker.value;
          if (limit.value) args.speakingLimitSeconds = Number(limit.value);
        }
        return args;
      },
    };
  }

  function make(item) {
    const li = h("li", { class: "agenda-item", dataset: { id: item.id } });
    const num = h("span", { class: "agenda-num", "aria-hidden": "true" });
    const main = h("div", { class: "agenda-main" });
    const status = h("span", { class: "agenda-status" });
    const actions = h("div", { class: "agenda-actions" });
    li._parts = { num, main, status, actions };
    li.append(num, main, status);
    if (manage) {
      const start = h("button", { type: "button", class: "btn btn-secondary btn-sm", "data-action": "start-item" }, t("agenda.start"));
      const up = h("button", { type: "button", class: "icon-btn icon-btn-plain", "data-action": "move-up" }, h("span", { "aria-hidden": "true" }, "↑"));
      const down = h("button", { type: "button", class: "icon-btn icon-btn-plain", "data-action": "move-down" }, h("span", { "aria-hidden": "true" }, "↓"));
      const edit = h("button", { type: "button", class: "btn btn-ghost btn-sm", "data-action": "edit-item" }, t("agenda.edit"));
      const remove = h("button", { type: "button", class: "icon-btn", "data-action": "remove-item" }, h("span", { "aria-hidden": "true" }, "×"));
      start.addEventListener("click", async () => {
        const cur = live.agenda.find((x) => x.id === item.id);
        if (cur && cur.status === "done" && !(await confirmDialog(t("agenda.restartConfirm", { title: cur.title }), { okKey: "agenda.restart", danger: false }))) { start.focus(); return; }
        act(start, conn, "agenda.start", { meeting: meetingId, item: item.id });
      });
      up.addEventListener("click", () => move(item.id, -1, up));
      down.addEventListener("click", () => move(item.id, +1, down));
      edit.addEventListener("click", () => startEdit(item.id));
      remove.addEventListener("click", () => removeItem(item.id, remove));
      Object.assign(li._parts, { start, up, down, edit, remove });
      actions.append(start, up, down, edit, remove);
      li.append(actions);
    }
    return li;
  }

  function fill(li, item, i) {
    const p = li._parts;
    li.dataset.status = item.status;
    p.num.textContent = String(i + 1);
    if (editing.has(item.id)) return;
    const speaker = item.speaker && store.roster.get(item.speaker);
    const meta = [t("agenda.plannedMin", { n: item.minutes })];
    let actual = null;
    if (item.status === "done" && item.startedAt && item.finishedAt) {
      const secs = Math.round((Date.parse(item.finishedAt) - Date.parse(item.startedAt)) / 1000);
      actual = h("span", { class: "agenda-actual" + (secs > item.minutes * 60 ? " is-over" : ""), dataset: { seconds: String(secs) } }, t("agenda.actual", { time: formatClock(secs) }));
    } else if (item.status === "running" && live.phase === "live") {
      actual = h("span", { class: "agenda-actual agenda-running", dataset: { started: item.startedAt || "" } });
    } else if (item.status === "running" && item.startedAt) {
      // The meeting ended while this item ran (the server leaves it running): count up to the end.
      const end = endedAt();
      if (end) {
        const secs = Math.max(0, Math.round((Date.parse(end) - Date.parse(item.startedAt)) / 1000));
        actual = h("span", { class: "agenda-actual" + (secs > item.minutes * 60 ? " is-over" : ""), dataset: { seconds: String(secs) } }, t("agenda.actual", { time: formatClock(secs) }));
      }
    }
    put(p.main,
      h("span", { class: "agenda-title" }, item.title),
      h("span", { class: "agenda-meta muted small" },
        speaker ? `${speaker.displayName || speaker.name} · ` : "",
        meta.join(" · "),
        item.speakingLimitSeconds ? ` · ${t("live.limitEach", { time: limitLabel(item.speakingLimitSeconds) })}` : "",
        actual ? " · " : "", actual));
    const shownStatus = item.status === "running" && live.phase !== "live" && !PLAN_PHASES.has(live.phase) ? "unfinished" : item.status;
    p.status.className = `agenda-status badge status-${shownStatus}`;
    p.status.textContent = t("agenda.status." + shownStatus);
    if (manage) {
      const n = live.agenda.length;
      const open = OPEN_PHASES.has(live.phase);
      p.actions.hidden = !open;
      p.start.hidden = live.phase !== "live" || item.status === "running";
      p.start.textContent = t(item.status === "done" ? "agenda.restart" : "agenda.start");
      lock(p.up, i === 0);
      lock(p.down, i === n - 1);
      lock(p.remove, item.status === "running");
      p.start.setAttribute("aria-label", t("agenda.startLabel", { title: item.title }));
      p.up.setAttribute("aria-label", t("agenda.upLabel", { title: item.title }));
      p.down.setAttribute("aria-label", t("agenda.downLabel", { title: item.title }));
      p.edit.setAttribute("aria-label", t("agenda.editLabel", { title: item.title }));
      p.remove.setAttribute("aria-label", t("agenda.removeLabel", { title: item.title }));
      p.up.title = t("agenda.up");
      p.down.title = t("agenda.down");
      p.remove.title = item.status === "running" ? t("agenda.removeRunning") : t("remove");
    }
  }

  /** When the meeting left the live phase, if it did. */
  function endedAt() {
    const list = (store.meeting && store.meeting.transitions) || [];
    for (let i = list.length - 1; i >= 0; i--) if (list[i] && list[i].from === "live") return list[i].at;
    return null;
  }

  async function move(id, delta, btn) {
    const i = live.agenda.findIndex((x) => x.id === id);
    const to = i + delta;
    if (i < 0 || to < 0 || to >= live.agenda.length) return;
    await act(btn, conn, "agenda.move", { meeting: meetingId, item: id, position: to + 1 });
    // Keep the focus on the moved item's button (or its other arrow at an edge).
    const li = els.get(id);
    if (li) {
      const b = li._parts[delta < 0 ? "up" : "down"];
      (b.disabled ? li._parts[delta < 0 ? "down" : "up"] : b).focus();
    }
  }

  async function removeItem(id, btn) {
    const item = live.agenda.find((x) => x.id === id);
    if (!item) return;
    if (!(await confirmDialog(t("agenda.removeConfirm", { title: item.title })))) { btn.focus(); return; }
    await act(btn, conn, "agenda.remove", { meeting: meetingId, item: id });
  }

  function startEdit(id) {
    const item = live.agenda.find((x) => x.id === id);
    const li = els.get(id);
    if (!item || !li) return;
    editing.add(id);
    const close = () => {
      editing.delete(id);
      render();
      li._parts.edit && li._parts.edit.focus();
    };
    const f = itemForm({ idPrefix: "agenda-edit", item, submitKey: "agenda.save", onCancel: close });
    f.form.classList.add("agenda-edit");
    f.form.addEventListener("submit", async (e) => {
      e.preventDefault();
      const args = f.read();
      if (!args) return;
      await busy(f.form, async () => {
        try {
          await conn.call("agenda.update", { meeting: meetingId, item: id, ...args });
          close();
        } catch (err) {
          showError(f.form, err);
        }
      });
    });
    put(li._parts.main, f.form);
    li._parts.actions.hidden = true;
    f.focus();
  }

  function render() {
    const items = live.agenda;
    empty.textContent = t(manage ? "agenda.emptyManage" : "agenda.empty");
    empty.hidden = items.length > 0;
    if (hideEmpty) el.hidden = !items.length; // a participant sees the agenda once there is one
    const index = new Map(items.map((x, i) => [x.id, i]));
    const lost = syncKeyed(list, items, els, make, (li, item) => fill(li, item, index.get(item.id)));
    if (lost) {
      const target = list.querySelector("[data-action=edit-item]") || (addDetails && addDetails.querySelector("summary"));
      if (target) target.focus({ preventScroll: true });
    }
    if (addDetails) addDetails.hidden = !OPEN_PHASES.has(live.phase);
    tick();
  }

  function renderSummary() {
    const items = live.agenda;
    const planned = items.reduce((s, i) => s + (i.minutes || 0), 0);
    const end = live.phase === "live" ? null : endedAt();
    const until = (i) => i.finishedAt || end;
    const actual = items.reduce((s, i) => s + (i.startedAt ? (until(i) ? Math.max(0, Math.round((Date.parse(until(i)) - Date.parse(i.startedAt)) / 1000)) : (live.phase === "live" ? secondsSince(i.startedAt) : 0)) : 0), 0);
    setText(summary, items.length ? (items.some((i) => i.startedAt)
      ? t("agenda.summaryActual", { planned, actual: formatClock(actual) })
      : t("agenda.summary", { planned })) : "");
  }

  function tick() {
    renderSummary();
    for (const span of list.querySelectorAll(".agenda-running")) {
      const li = span.closest(".agenda-item");
      const item = li && live.agenda.find((x) => x.id === li.dataset.id);
      if (!item || !item.startedAt) continue;
      const secs = secondsSince(item.startedAt);
      setText(span, t("agenda.elapsed", { time: formatClock(secs) }));
      span.classList.toggle("is-over", secs > item.minutes * 60);
    }
  }

  const offTick = onTick(tick);
  render();
  return {
    el,
    update(change) {
      if (["snapshot", "agenda", "lang", "roster", "meeting"].includes(change.kind)) {
        if (change.kind === "lang") { els.forEach((li) => li.remove()); els.clear(); editing.clear(); }
        if (addForm && (change.kind === "roster" || change.kind === "lang" || change.kind === "snapshot")) addForm.fillSelects();
        render();
      }
    },
    destroy: offTick,
  };
}

// ---------------------------------------------------------------------------
// Attendance

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
    update(change) { if (["snapshot", "roster", "presence", "lang"].includes(change.kind)) render(); },
    destroy() {},
  };
}

/** "14:05" in the server's zone. */
export function clockTime(iso) {
  const s = formatTime(iso);
  const m = /(\d{1,2}:\d{2})\s*$/.exec(s);
  return m ? m[1] : s;
}

// ---------------------------------------------------------------------------
// Speaking time

export function totalsCard(ctx) {
  const { live } = ctx;
  const el = card("live-totals", "live.totals");
  const units = h("ul", { class: "totals-list", id: "totals-units" });
  const people = h("ul", { class: "totals-people", id: "totals-people" });
  const empty = h("p", { class: "empty", i18n: "live.totalsEmpty" });
  const details = h("details", { class: "totals-details" },
    h("summary", { i18n: "live.totalsPeople" }), people);
  el.append(h("h3", { class: "subhead subhead-tight", i18n: "live.totalsUnits" }), units, details, empty);

  function render() {
    const totals = speakingTotals(live.speeches);
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

// ---------------------------------------------------------------------------
// Export

export function exportCard(ctx) {
  const { conn, meetingId } = ctx;
  const el = card("live-export", "live.export");
  const download = h("button", { type: "button", class: "btn btn-secondary", id: "export-download" }, h("span", { "aria-hidden": "true" }, "↓ "), h("span", { i18n: "live.download" }));
  const previewBtn = h("button", { type: "button", class: "btn btn-ghost", id: "export-preview-toggle", "aria-expanded": "false", "aria-controls": "export-preview" }, h("span", { i18n: "live.preview" }));
  const pre = h("pre", { class: "export-preview", id: "export-preview", tabindex: "0", hidden: true, "aria-label": t("live.previewLabel") });
  el.append(h("p", { class: "muted small", i18n: "live.exportHint" }), h("div", { class: "export-actions" }, download, previewBtn), pre);

  async function fetchText(btn) {
    return act(btn, conn, "export.minutes", { meeting: meetingId });
  }

  download.addEventListener("click", async () => {
    const r = await fetchText(download);
    if (!r || typeof r.text !== "string") return;
    const name = r.filename || `${meetingId}-minutes.md`;
    const url = URL.createObjectURL(new Blob([r.text], { type: "text/markdown;charset=utf-8" }));
    const a = h("a", { href: url, download: name, hidden: true });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 4000);
    pre.textContent = r.text;
    el.dataset.filename = name;
    announce(t("live.downloaded", { file: name }));
    toast(t("live.downloaded", { file: name }));
  });

  previewBtn.addEventListener("click", async () => {
    if (!pre.hidden) {
      pre.hidden = true;
      previewBtn.setAttribute("aria-expanded", "false");
      previewBtn.firstChild.dataset.i18n = "live.preview";
      previewBtn.firstChild.textContent = t("live.preview");
      return;
    }
    const r = await fetchText(previewBtn);
    if (!r || typeof r.text !== "string") return;
    pre.textContent = r.text;
    pre.hidden = false;
    previewBtn.setAttribute("aria-expanded", "true");
    previewBtn.firstChild.dataset.i18n = "live.hidePreview";
    previewBtn.firstChild.textContent = t("live.hidePreview");
    pre.focus();
  });

  return {
    el,
    update(change) {
      // An open preview follows the minutes (fetched again, at most every 2 s).
      if (pre.hidden || !["minutes", "agenda", "queue", "presence"].includes(change.kind)) return;
      clearTimeout(el._refresh);
      el._refresh = setTimeout(async () => {
        try { const r = await conn.call("export.minutes", { meeting: meetingId }); if (r && !pre.hidden) pre.textContent = r.text; } catch { /* keep the old text */ }
      }, 2000);
    },
    destroy() { clearTimeout(el._refresh); },
  };
}

// ---------------------------------------------------------------------------
// The console's bar: ending the meeting

export function consoleBar(ctx) {
  const { conn, meetingId, store, live } = ctx;
  const endBtn = h("button", { type: "button", class: "btn btn-secondary", id: "live-end" }, h("span", { i18n: "live.end" }));
  const el = h("div", { class: "live-bar", id: "live-bar" },
    h("div", { class: "live-bar-title" },
      h("span", { class: "live-dot", "aria-hidden": "true" }),
      h("span", { class: "live-bar-name", i18n: "live.console" })),
    endBtn);
  endBtn.addEventListener("click", async () => {
    endBtn.disabled = true;
    try {
      // Ending the meeting also ends the running item and the current speech (the
      // server does both on live → ended): the confirmation says so.
      const running = live.current;
      const floor = live.floor;
      if (running || floor) {
        const what = [running ? t("live.endRunning", { title: running.title }) : null, floor ? t("live.endFloor", { name: floor.displayName }) : null].filter(Boolean).join(t("live.listSep"));
        if (!(await confirmDialog(t("live.endConfirm", { what }), { okKey: "live.end", danger: false }))) return;
        await advancePhase(conn, meetingId, "ended", { store, confirm: false });
      } else {
        await advancePhase(conn, meetingId, "ended", { store });
      }
    } finally {
      endBtn.disabled = false;
      if (endBtn.isConnected) endBtn.focus();
    }
  });
  return { el, update() {}, destroy() {} };
}

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
  const live = new LiveState(ctx.store);
  const full = { ...ctx, live };
  let widgets = [];
  let modeKey = null;
  slot.classList.add("live-slot");

  function mode() {
    const phase = live.phase;
    const role = viewerRole(ctx.store, ctx.actor);
    if (!phase || !live.loaded) return null;
    if (ctx.actor && ctx.actor.kind === "participant" && !role) return null; // not on the roster any more
    let view = "none";
    if (phase === "live") view = "live";
    else if (PLAN_PHASES.has(phase)) view = "plan";
    else view = "after";
    return { phase, role, view, manage: isManager(role), minutes: writesMinutes(role), key: `${view}/${role}/${phase === "ended" ? "ended" : ""}` };
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
    const extras = options.extras ? options.extras(full, m) || {} : {};
    const top = [], left = [], right = [];
    if (m.view === "plan") {
      left.push(agendaCard(full, { manage: m.manage, hideEmpty: !m.manage }));
    } else if (m.view === "live") {
      if (m.manage) top.push(consoleBar(full));
      top.push(...(extras.top || []));
      left.push(nowCard(full, { manage: m.manage }));
      left.push(...(extras.left || []));
      const minutesW = minutesWidget(full, m);
      if (m.role === "recorder") left.splice(1, 0, minutesW); else left.push(queueCard(full, { manage: m.manage }));
      if (m.role === "recorder") left.push(queueCard(full, { manage: false }));
      else left.push(minutesW);
      right.push(...(extras.right || []));
      right.push(agendaCard(full, { manage: m.manage }));
      right.push(attendanceCard(full));
      if (m.manage || m.minutes) right.push(totalsCard(full));
      if (m.manage || m.minutes) right.push(exportCard(full));
    } else {
      // ended and later: the record.
      left.push(minutesWidget(full, { ...m, minutes: m.minutes && m.phase === "ended" }));
      right.push(agendaCard(full, { manage: false }));
      right.push(attendanceCard(full));
      right.push(totalsCard(full));
      right.push(exportCard(full));
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
    const w = mountMinutes(section, { conn: c.conn, meetingId: c.meetingId, live: c.live, store: c.store, actor: c.actor, canWrite: m.minutes });
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

  const off = live.subscribe((change) => {
    if (change.kind === "snapshot") syncClock(ctx.conn);
    refresh(change);
  });
  const offLang = onLangChange(() => refresh({ kind: "lang" }));
  const clockTimer = setInterval(() => syncClock(ctx.conn), 5 * 60 * 1000);
  if (live.loaded) refresh({ kind: "snapshot" });
  return {
    live,
    destroy() {
      off();
      offLang();
      clearInterval(clockTimer);
      for (const w of widgets) { try { w.destroy(); } catch (e) { console.error(e); } }
      widgets = [];
      live.destroy();
      slot.textContent = "";
    },
  };
}
