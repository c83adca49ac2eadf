// The live meeting on a participant's invite-link page: what the host console
// shows (read-only, or with the controls for a host / the minutes editor for a
// recorder, see live.js), plus the participant's own parts: "you have the
// floor" with the countdown, raising a hand / asking a question / a point of
// order, its place in the queue, lowering it, and presence (present, away or
// left, with a reason).
import { h, put, busy, showError, formError, announce, nextId, clearErrors, fieldError } from "./dom.js";
import { t, onLangChange } from "./i18n.js";
import { codes } from "./catalogue.js";
import { mountLive } from "./live.js";
import { act, lock, queueKindLabel, clockTime } from "./live-shared.js";
import { secondsSince, formatClock, onTick } from "./timer.js";

/**
 * mountLiveParticipant(slot, {conn, actor, store, meetingId}, {anchor}) → destroy().
 * While the meeting is live or over, the page's preparation sections (the
 * anchor) step aside: main gets the class "live-active".
 */
export function mountLiveParticipant(slot, ctx, { anchor } = {}) {
  let presenceAsked = false;
  const main = slot.closest("main") || document.getElementById("main");
  // On the first screen, above the meeting card: the floor given to me, my
  // place in the queue, the running item (sticky while the page scrolls).
  const bar = myBar(ctx);
  if (main) main.prepend(bar.el);
  const handle = mountLive(slot, ctx, {
    anchor,
    onMode(m) {
      if (main) main.classList.toggle("live-active", !!m && m.view !== "plan");
      bar.setLive(!!m && m.view === "live");
      if (m && m.view === "live" && !presenceAsked) {
        presenceAsked = true;
        markPresent(ctx);
      }
    },
    extras(full, m) {
      if (m.view !== "live") return {};
      const { store } = full;
      const out = { top: [], left: [], right: [] };
      if (store.may("presence.set")) out.right.push(presenceCard(full));
      // Who runs the meeting (a host) gives the floor rather than asks for it.
      if (m.raise && !m.manage) out.left.push(handCard(full));
      return out;
    },
  });
  return () => { handle.destroy(); bar.destroy(); };
}

// ---------------------------------------------------------------------------

/**
 * The sticky bar at the top of a participant's live page: "you have the
 * floor" (floorBanner), else one line with the running agenda item and my
 * place in the queue. Being given the floor vibrates (where the phone can),
 * plays a short tone once the person has touched the page (browsers allow
 * sound only then), and puts it in the tab's title until the floor ends.
 */
function myBar(ctx) {
  const { store, actor } = ctx;
  const floor = floorBanner(ctx);
  const itemLine = h("span", { class: "mybar-item", id: "mybar-item" });
  const posLine = h("span", { class: "mybar-pos", id: "mybar-pos" });
  const line = h("p", { class: "mybar-line" }, itemLine, posLine);
  const el = h("div", { class: "mybar", id: "mybar", hidden: true, role: "region", "aria-label": t("mybar.label") }, floor.el, line);
  let live = false;
  let hadFloor = null;
  let titleBefore = null;
  let interacted = false;
  const touched = () => { interacted = true; };
  for (const type of ["pointerdown", "keydown", "touchstart"]) window.addEventListener(type, touched, { capture: true, passive: true });

  function render() {
    const me = store.roster.get(actor.id);
    el.hidden = !live || !me;
    if (el.hidden) { endTitle(); return; }
    const running = store.current;
    itemLine.textContent = running ? t("mybar.item", { title: running.title }) : t("mybar.noItem");
    itemLine.dataset.item = running ? running.id : "";
    const mine = store.entryOf(actor.id);
    posLine.hidden = !mine;
    posLine.textContent = mine ? t("queue.position", { n: mine.position }) : "";
    posLine.dataset.position = mine ? String(mine.position) : "";
    const has = !!(store.floor && store.floor.participant === actor.id);
    line.hidden = has;
    el.dataset.floor = String(has);
    if (has && hadFloor === false) alertFloor();
    if (has) setTitle(); else endTitle();
    hadFloor = has;
  }

  function setTitle() {
    if (titleBefore === null) titleBefore = document.title;
    const want = `${t("live.youHaveFloorTitle")} · ${titleBefore}`;
    if (document.title !== want) document.title = want;
  }
  function endTitle() {
    if (titleBefore === null) return;
    const m = store.meeting;
    document.title = m ? `${m.title} · ${t("app.name")}` : titleBefore;
    titleBefore = null;
  }

  function alertFloor() {
    // Browsers allow vibration and sound only after the person has touched the page.
    const active = navigator.userActivation ? navigator.userActivation.hasBeenActive : interacted;
    if (!active && !interacted) return;
    try { if (navigator.vibrate) navigator.vibrate([200, 100, 200]); } catch { /* not on this device */ }
    try {
      const AC = window.AudioContext || window.webkitAudioContext;
      if (!AC) return;
      const ac = new AC();
      const osc = ac.createOscillator();
      const gain = ac.createGain();
      osc.type = "sine";
      osc.frequency.value = 880;
      gain.gain.setValueAtTime(0.0001, ac.currentTime);
      gain.gain.exponentialRampToValueAtTime(0.2, ac.currentTime + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, ac.currentTime + 0.35);
      osc.connect(gain).connect(ac.destination);
      osc.start();
      osc.stop(ac.currentTime + 0.4);
      osc.onended = () => ac.close().catch(() => {});
      el.dataset.toned = String((Number(el.dataset.toned) || 0) + 1);
    } catch { /* no sound, the banner and the title still say it */ }
  }

  const off = store.subscribe((c) => {
    if (["snapshot", "queue", "agenda", "roster", "meeting"].includes(c.kind)) { render(); floor.update(c); }
  });
  const offLang = onLangChange(() => { render(); floor.update({ kind: "lang" }); });
  render();
  return {
    el,
    setLive(v) { if (live !== v) { live = v; if (v && hadFloor === null) hadFloor = !!(store.floor && store.floor.participant === actor.id); render(); floor.update({ kind: "snapshot" }); } },
    destroy() {
      off(); offLang(); floor.destroy(); endTitle();
      for (const type of ["pointerdown", "keydown", "touchstart"]) window.removeEventListener(type, touched, { capture: true });
      el.remove();
    },
  };
}

/** Opening the live meeting counts as joining it, once, if this person never said otherwise. */
function markPresent({ conn, actor, store, meetingId }) {
  const me = store.roster.get(actor.id);
  if (!me || me.presence) return;
  conn.call("presence.set", { meeting: meetingId, status: "present" }).catch(() => { /* the buttons remain */ });
}

// ---------------------------------------------------------------------------

/** "You have the floor": prominent, with the countdown, and "done speaking". */
function floorBanner(ctx) {
  const { conn, meetingId, store, actor } = ctx;
  const clock = h("span", { class: "my-floor-clock", id: "my-floor-timer", role: "timer" });
  const note = h("span", { class: "my-floor-note", id: "my-floor-note" });
  const title = h("p", { class: "my-floor-title", id: "my-floor-title" });
  const done = h("button", { type: "button", class: "btn btn-floor", id: "my-floor-done", i18n: "live.doneSpeaking" });
  done.addEventListener("click", async () => {
    await act(done, conn, "queue.release", { meeting: meetingId });
    // The banner goes away with the floor: keep the keyboard near the hand controls.
    setTimeout(() => {
      if (el.hidden && (document.activeElement === document.body || !document.activeElement)) {
        const next = document.getElementById("raise-speak") || document.getElementById("now-title");
        if (next) { if (!next.matches("button")) next.tabIndex = -1; next.focus({ preventScroll: true }); }
      }
    }, 0);
  });
  const el = h("section", { class: "my-floor", id: "my-floor", hidden: true, "aria-labelledby": "my-floor-title" },
    h("div", { class: "my-floor-main" },
      title,
      h("p", { class: "my-floor-hint", i18n: "live.youHaveFloorHint" })),
    h("div", { class: "my-floor-side" }, h("div", { class: "my-floor-time" }, clock, note), done));
  let had = false;

  function mine() { return store.floor && store.floor.participant === actor.id ? store.floor : null; }

  function render() {
    const f = store.may("queue.release") ? mine() : null;
    el.hidden = !f;
    title.textContent = t("live.youHaveFloor");
    el.dataset.active = f ? "true" : "false";
    if (f && !had) announce(t("live.youHaveFloor"));
    had = !!f;
    tick();
  }

  function tick() {
    const f = mine();
    if (!f) return;
    const spoken = secondsSince(f.grantedAt);
    if (f.limitSeconds) {
      const left = f.limitSeconds - spoken;
      const text = formatClock(Math.abs(left));
      if (clock.textContent !== text) clock.textContent = text;
      note.textContent = t(left >= 0 ? "live.leftShort" : "live.overShort");
      el.dataset.state = left < 0 ? "over" : left <= 15 ? "near" : "ok";
    } else {
      const text = formatClock(spoken);
      if (clock.textContent !== text) clock.textContent = text;
      note.textContent = t("live.speaking");
      el.dataset.state = "ok";
    }
  }

  const offTick = onTick(tick);
  render();
  return {
    el,
    update(change) { if (["snapshot", "queue", "lang"].includes(change.kind)) render(); },
    destroy: offTick,
  };
}

// ---------------------------------------------------------------------------

/** Raise a hand, ask a question, a point of order; or, once raised, the place in the queue and "lower". */
function handCard(ctx) {
  const { conn, meetingId, store, actor } = ctx;
  const el = h("section", { class: "card live-card hand-card", id: "live-hand", "aria-labelledby": "live-hand-h" },
    h("div", { class: "section-head" }, h("h2", { id: "live-hand-h", i18n: "queue.myHand" })));
  const body = h("div", { class: "hand-body" });
  el.append(body);

  // not raised
  const speak = h("button", { type: "button", class: "btn btn-primary", id: "raise-speak", i18n: "queue.raise" });
  const order = h("button", { type: "button", class: "btn btn-secondary", id: "raise-order", i18n: "queue.pointOfOrder" });
  speak.addEventListener("click", () => raise(speak, "speak"));
  order.addEventListener("click", () => raise(order, "point_of_order"));
  const qid = nextId("question");
  const question = h("textarea", { id: qid, rows: "2", maxlength: "500", "data-field": "text", "aria-describedby": `${qid}-err ${qid}-hint` });
  const qForm = h("form", { class: "question-form", id: "question-form", novalidate: true, "data-op": "queue.raise" },
    h("div", { class: "field" },
      h("label", { for: qid, i18n: "queue.question" }),
      question,
      h("p", { class: "hint", id: qid + "-hint", i18n: "queue.questionHint" }),
      h("p", { class: "field-error", id: qid + "-err", role: "alert", hidden: true })),
    formError(),
    h("div", { class: "form-actions form-actions-start" },
      h("button", { type: "submit", class: "btn btn-secondary", id: "raise-question", i18n: "queue.ask" })));
  question.addEventListener("keydown", (e) => {
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) { e.preventDefault(); qForm.requestSubmit(); }
  });
  qForm.addEventListener("submit", async (e) => {
    e.preventDefault();
    clearErrors(qForm);
    const text = question.value.trim();
    if (!text) { fieldError(qForm, "text", t("err.required")); return; }
    await busy(qForm, async () => {
      try {
        await conn.call("queue.raise", { meeting: meetingId, kind: "question", text });
        question.value = "";
        focusLower();
      } catch (err) {
        showError(qForm, err);
      }
    });
  });
  const idle = h("div", { class: "hand-idle" },
    h("p", { class: "muted small", i18n: "queue.handIntro" }),
    h("div", { class: "hand-buttons" }, speak, order),
    qForm);

  // raised
  const position = h("p", { class: "hand-position", id: "my-position", "aria-live": "polite" });
  const mineLine = h("p", { class: "hand-mine" });
  const mineText = h("p", { class: "hand-text" });
  const lower = h("button", { type: "button", class: "btn btn-secondary", id: "lower-hand", i18n: "queue.lower" });
  lower.addEventListener("click", async () => {
    await act(lower, conn, "queue.lower", { meeting: meetingId });
    if (!store.entryOf(actor.id)) speak.focus();
  });
  const raised = h("div", { class: "hand-raised" }, position, mineLine, mineText, h("div", { class: "hand-buttons" }, lower));

  async function raise(btn, kind) {
    const r = await act(btn, conn, "queue.raise", { meeting: meetingId, kind });
    if (r) focusLower();
  }

  function focusLower() {
    // The queue.raised event may come just before or after the reply.
    setTimeout(() => { render(); if (!raised.hidden) lower.focus(); }, 0);
  }

  function render() {
    const mine = store.entryOf(actor.id);
    const isLive = store.phase === "live";
    for (const b of [speak, order]) lock(b, !isLive);
    if (mine) {
      const e = mine.entry;
      el.dataset.state = "raised";
      position.textContent = t("queue.position", { n: mine.position });
      position.dataset.position = String(mine.position);
      const votes = (e.votes || []).length;
      mineLine.textContent = `${t("queue.yours", { kind: queueKindLabel(e.kind) })} · ${t("queue.raisedAt", { time: clockTime(e.raisedAt) })}` +
        (e.kind === "question" ? ` · ${t("queue.votes", { n: votes })}` : "");
      mineText.textContent = e.text || "";
      mineText.hidden = !e.text;
      put(body, raised);
      raised.hidden = false;
    } else {
      el.dataset.state = "idle";
      raised.hidden = true;
      put(body, idle);
    }
  }

  render();
  return {
    el,
    update(change) { if (["snapshot", "queue", "lang", "meeting"].includes(change.kind)) render(); },
    destroy() {},
  };
}

// ---------------------------------------------------------------------------

/** The participant's own presence: present, away or left, with a reason for the last two. */
function presenceCard(ctx) {
  const { conn, meetingId, store, actor } = ctx;
  const status = h("p", { class: "presence-now", id: "presence-status" });
  const buttons = new Map();
  const group = h("div", { class: "presence-buttons", role: "group", "aria-labelledby": "live-presence-h" });
  for (const s of codes("presence")) {
    const b = h("button", { type: "button", class: "seg-btn", "data-status": s, "aria-pressed": "false" }, h("span", { class: `presence-dot presence-${s}`, "aria-hidden": "true" }), h("span", { i18n: "presence.set." + s }));
    b.addEventListener("click", () => choose(s));
    buttons.set(s, b);
    group.append(b);
  }
  const rid = nextId("presence-reason");
  const reason = h("input", { type: "text", id: rid, maxlength: "200", autocomplete: "off", "data-field": "reason", "aria-describedby": rid + "-err" });
  const reasonLabel = h("label", { for: rid });
  const confirm = h("button", { type: "submit", class: "btn btn-primary btn-sm", id: "presence-confirm" });
  const cancel = h("button", { type: "button", class: "btn btn-ghost btn-sm", i18n: "cancel" });
  const form = h("form", { class: "presence-form", id: "presence-form", novalidate: true, hidden: true, "data-op": "presence.set" },
    h("div", { class: "field" }, reasonLabel, reason, h("p", { class: "field-error", id: rid + "-err", role: "alert", hidden: true })),
    formError(),
    h("div", { class: "form-actions form-actions-start" }, confirm, cancel));
  const el = h("section", { class: "card live-card presence-card", id: "live-presence", "aria-labelledby": "live-presence-h" },
    h("div", { class: "section-head" }, h("h2", { id: "live-presence-h", i18n: "presence.title" })),
    status, group, form,
    h("p", { class: "hint", i18n: "presence.etiquette" }));
  let pending = null; // "away" | "left" while asking for the reason

  function me() { return store.roster.get(actor.id) || null; }

  function choose(s) {
    const cur = me() && me().presence;
    if (s === "present") {
      pending = null;
      form.hidden = true;
      if (cur && cur.status === "present") return;
      act(buttons.get("present"), conn, "presence.set", { meeting: meetingId, status: "present" });
      return;
    }
    pending = s;
    form.hidden = false;
    form.dataset.status = s;
    reasonLabel.textContent = t(s === "away" ? "presence.reasonAway" : "presence.reasonLeft");
    confirm.textContent = t(s === "away" ? "presence.confirmAway" : "presence.confirmLeft");
    reason.setAttribute("placeholder", t(s === "away" ? "presence.reasonAwayHint" : "presence.reasonLeftHint"));
    clearErrors(form);
    reason.focus();
    renderButtons();
  }

  cancel.addEventListener("click", () => { pending = null; form.hidden = true; renderButtons(); buttons.get((me() && me().presence && me().presence.status) || "present").focus(); });
  form.addEventListener("keydown", (e) => { if (e.key === "Escape") { e.preventDefault(); cancel.click(); } });
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    clearErrors(form);
    const text = reason.value.trim();
    if (!text) { fieldError(form, "reason", t("presence.reasonRequired")); return; }
    const s = pending;
    await busy(form, async () => {
      try {
        await conn.call("presence.set", { meeting: meetingId, status: s, reason: text });
        reason.value = "";
        pending = null;
        form.hidden = true;
        render();
        buttons.get(s).focus();
      } catch (err) {
        showError(form, err);
      }
    });
  });

  function renderButtons() {
    const cur = me() && me().presence;
    const current = cur ? cur.status : null;
    for (const [s, b] of buttons) {
      const on = pending ? s === pending : s === current;
      b.setAttribute("aria-pressed", on ? "true" : "false");
      b.classList.toggle("is-on", on);
    }
  }

  function render() {
    const cur = me() && me().presence;
    const s = cur ? cur.status : "none";
    el.dataset.status = s;
    put(status,
      h("span", { class: `presence-badge presence-${s}`, dataset: { status: s } }, t("presence." + s)),
      cur ? h("span", { class: "muted small" }, " " + t("presence.since", { time: clockTime(cur.since) })) : null,
      cur && cur.reason && s !== "present" ? h("span", { class: "presence-reason small" }, ` · ${cur.reason}`) : null);
    renderButtons();
  }

  render();
  return {
    el,
    update(change) { if (["snapshot", "roster", "lang"].includes(change.kind)) render(); },
    destroy() {},
  };
}
