// The meeting's phase (mechanism 7): 会议准备 → 会前联调 → 会中 → 会后跟进, with
// the button to move on, and the gate dialog that lists what still stands in
// the way ("go back and finish" or "force with a reason"). The dialog and
// advancePhase() are generic: the live-meeting view reuses them for live → ended.
import { h, put, toast, errorText, confirmDialog, announce, nextId } from "./dom.js";
import { t, phaseLabel, formatTime, onLangChange, getLang, codeLabel, accountName } from "./i18n.js";
import { codes } from "./catalogue.js";

/**
 * The steps of the bar: the server's phases in order, up to the end of the
 * meeting ("ended"); what follows (dispatch, closing) is not done from here.
 */
export function phaseSteps() {
  const all = codes("phases");
  const end = all.indexOf("ended");
  return end < 0 ? all : all.slice(0, end + 1);
}

/** The phase after `phase` on the bar, or null. */
export function nextPhase(phase) {
  const steps = phaseSteps();
  const i = steps.indexOf(phase);
  return i >= 0 && i + 1 < steps.length ? steps[i + 1] : null;
}

/** An AV check's label: 已入会, 已改名, 麦克风, 扬声器, 摄像头. */
export const checkLabel = codeLabel("av.check.", "avChecks");

/** One blocker in words, in the page's language (store is optional: it names checklist items and people). */
export function blockerText(b, store) {
  if (b.kind === "checklist") {
    const item = store && store.checklist && store.checklist.get(b.id);
    if (item) return getLang() === "en" && item.textEn ? item.textEn : item.text;
    return b.text || b.id || "";
  }
  if (b.kind === "participant") {
    const p = store && store.roster && store.roster.get(b.id);
    const who = p ? (p.displayName || `${p.name}-${p.unit}`) : b.text;
    const missing = (b.missing || []).map(checkLabel).join(t("phase.listSep"));
    return missing ? t("phase.blockerPerson", { who, missing }) : who;
  }
  if (b.kind === "roster") return t("phase.blockerRoster");
  if (b.kind === "minutes") {
    const key = "phase.blockerMinutes." + b.id;
    const s = t(key);
    return s === key ? b.text : s;
  }
  return b.text || "";
}

const KIND_ORDER = ["checklist", "participant", "roster", "minutes"];

/**
 * The gate dialog: what blocks going to `to`, "go back and finish", and "force
 * with a reason". A native modal <dialog> (focus stays inside, Esc closes).
 * onForce(reason) does the forced call; if it throws, the error shows in the
 * dialog and it stays open. Resolves true when forced, false when closed.
 */
export function gateDialog({ to, blockers, store, message, onForce }) {
  return new Promise((resolve) => {
    const titleId = nextId("gate-title");
    const introId = nextId("gate-intro");
    const reasonId = nextId("gate-reason");
    const dlg = h("dialog", { class: "dialog dialog-wide gate-dialog", id: "gate-dialog", "aria-labelledby": titleId, "aria-describedby": introId });
    const groups = new Map();
    for (const b of blockers || []) {
      const k = KIND_ORDER.includes(b.kind) ? b.kind : "other";
      if (!groups.has(k)) groups.set(k, []);
      groups.get(k).push(b);
    }
    const list = h("div", { class: "gate-list", tabindex: "0", role: "region", "aria-label": t("phase.gateListLabel") });
    for (const k of [...KIND_ORDER, "other"]) {
      const items = groups.get(k);
      if (!items) continue;
      list.append(
        h("h3", { class: "gate-group" }, t("phase.blockerKind." + k), h("span", { class: "muted" }, ` (${items.length})`)),
        h("ul", { class: "gate-items" }, items.map((b) =>
          h("li", { class: "gate-item", dataset: { kind: b.kind, id: b.id || "" } }, blockerText(b, store)))));
    }
    const reason = h("textarea", { id: reasonId, class: "gate-reason", rows: "3", maxlength: "500", required: true, "aria-describedby": reasonId + "-err " + reasonId + "-hint" });
    const reasonErr = h("p", { class: "field-error", id: reasonId + "-err", role: "alert", hidden: true });
    const forceBox = h("div", { class: "field gate-force", hidden: true },
      h("label", { for: reasonId }, h("span", {}, t("phase.reasonLabel")), h("span", { class: "req", "aria-hidden": "true" }, " *")),
      reason,
      h("p", { class: "hint", id: reasonId + "-hint" }, t("phase.reasonHint")),
      reasonErr);
    const back = h("button", { type: "button", class: "btn btn-primary", "data-action": "gate-back" }, t("phase.goBack"));
    const force = h("button", { type: "button", class: "btn btn-ghost btn-danger-text", "data-action": "gate-force" }, t("phase.forceStart"));
    let step = 1;
    let settled = false;
    const done = (v) => {
      if (settled) return;
      settled = true;
      dlg.close();
      dlg.remove();
      resolve(v);
    };
    back.addEventListener("click", () => done(false));
    force.addEventListener("click", async () => {
      if (step === 1) {
        step = 2;
        forceBox.hidden = false;
        force.className = "btn btn-danger";
        force.textContent = t("phase.forceConfirm", { phase: phaseLabel(to) });
        back.className = "btn btn-ghost";
        reason.focus();
        return;
      }
      const text = reason.value.trim();
      if (!text) {
        reason.setAttribute("aria-invalid", "true");
        reasonErr.textContent = t("phase.reasonRequired");
        reasonErr.hidden = false;
        reason.focus();
        return;
      }
      reason.removeAttribute("aria-invalid");
      reasonErr.hidden = true;
      force.disabled = true;
      force.setAttribute("aria-busy", "true");
      try {
        if (onForce) await onForce(text);
        done(true);
      } catch (err) {
        reason.setAttribute("aria-invalid", "true");
        reasonErr.textContent = errorText(err, { besideField: true });
        reasonErr.hidden = false;
        reason.focus();
      } finally {
        force.disabled = false;
        force.removeAttribute("aria-busy");
      }
    });
    reason.addEventListener("input", () => { reason.removeAttribute("aria-invalid"); reasonErr.hidden = true; });
    dlg.append(
      h("h2", { id: titleId, class: "dialog-title" }, t("phase.gateTitle", { phase: phaseLabel(to) })),
      h("p", { id: introId, class: "dialog-text" }, message || t("phase.gateIntro", { n: (blockers || []).length, phase: phaseLabel(to) })),
      list,
      forceBox,
      h("div", { class: "dialog-actions" }, force, back));
    dlg.addEventListener("cancel", (e) => { e.preventDefault(); done(false); });
    document.body.append(dlg);
    dlg.showModal();
    back.focus();
  });
}

/**
 * Moves the meeting to `to`: asks first (phases do not go back), then calls
 * meeting.advance; a `conflict` with blockers opens the gate dialog, whose
 * "force" calls again with force and a reason. Resolves {ok, forced?}.
 */
export async function advancePhase(conn, meetingId, to, { store, confirm = true } = {}) {
  const from = store && store.meeting ? store.meeting.phase : null;
  // Going live with something still open asks once: the server's gate dialog
  // (force with a reason) is the question, without a plain "are you sure?" first.
  const expectBlocked = to === "live" && store && predictLiveBlockers(store) > 0;
  if (confirm && !expectBlocked) {
    let text = t("phase.advanceConfirm", { from: phaseLabel(from), to: phaseLabel(to) });
    // Moving on with checklist items still open is allowed, and said.
    const items = store ? [...store.checklist.values()].filter((i) => i.phase !== "ended") : [];
    const open = items.filter((i) => !i.done).length;
    if (open && (to === "rehearsal" || to === "live")) text += "\n\n" + t("phase.openItems", { open, total: items.length });
    if (!(await confirmDialog(text, { okKey: "phase.advanceOk", danger: false }))) {
      return { ok: false };
    }
  }
  try {
    await conn.call("meeting.advance", { meeting: meetingId, to });
    announce(t("phase.advanced", { phase: phaseLabel(to) }));
    return { ok: true };
  } catch (err) {
    const blockers = err && err.details && Array.isArray(err.details.blockers) ? err.details.blockers : null;
    if (err.code === "conflict" && blockers && blockers.length) {
      const forced = await gateDialog({
        to, blockers, store,
        onForce: (reason) => conn.call("meeting.advance", { meeting: meetingId, to, force: true, reason }),
      });
      if (forced) announce(t("phase.advanced", { phase: phaseLabel(to) }));
      return { ok: forced, forced, blockers };
    }
    toast(errorText(err), "error");
    return { ok: false, error: err };
  }
}

/**
 * How many things the server will name as blocking the go-live (docs/protocol.md,
 * meeting.advance): open checklist items, nobody expected, expected people not ready.
 */
export function predictLiveBlockers(store) {
  let n = [...store.checklist.values()].filter((i) => i.phase !== "ended" && !i.done).length;
  const expected = [...store.roster.values()].filter((p) => p.attending !== false);
  if (!expected.length) n += 1;
  n += expected.filter((p) => !(p.readiness && p.readiness.ready)).length;
  return n;
}

/** The last forced phase change of a meeting (its `transitions`), or null. */
export function lastForced(meeting) {
  const list = (meeting && meeting.transitions) || [];
  for (let i = list.length - 1; i >= 0; i--) if (list[i] && list[i].forced) return list[i];
  return null;
}

/** A name for the actor id that made a change: the organizer, someone on the roster, or the id. */
function actorName(store, id) {
  if (!id) return "";
  const m = store.meeting || {};
  if (id === m.owner && m.ownerName) return accountName(m.ownerName);
  const p = store.roster && store.roster.get(id);
  return p ? p.name : id;
}

/** The forced-transition notice (reason, who, when); null when nothing was forced. */
export function forcedNotice(store) {
  const tr = lastForced(store.meeting);
  if (!tr) return null;
  return h("div", { class: "notice notice-warn forced-note", id: "forced-reason", role: "note", dataset: { to: tr.to } },
    h("p", { class: "forced-title" }, t("phase.forcedTitle", { phase: phaseLabel(tr.to) })),
    h("p", { class: "forced-reason" }, h("span", { class: "forced-label" }, t("phase.forcedReason")), " ", h("q", { class: "forced-text" }, tr.reason || "")),
    h("p", { class: "small" }, t("phase.forcedBy", { who: actorName(store, tr.by), when: formatTime(tr.at) }),
      tr.blockers && tr.blockers.length ? " · " + t("phase.forcedOverrode", { n: tr.blockers.length }) : ""));
}

/**
 * The phase bar on a meeting page. canManage() says whether this viewer may
 * advance: by default, whether meeting.advance is among the ops the snapshot
 * says it may call (the organizer, a participant with the host role).
 */
export function mountPhaseBar(slot, { conn, meetingId, store, canManage = () => store.may("meeting.advance") }) {
  const steps = h("ol", { class: "phase-steps", id: "phase-steps" });
  const stepEls = new Map();
  const STEPS = phaseSteps();
  for (const [i, p] of STEPS.entries()) {
    const li = h("li", { class: "phase-step", dataset: { phase: p } },
      h("span", { class: "phase-step-dot", "aria-hidden": "true" }, String(i + 1)),
      h("span", { class: "phase-step-label" }),
      h("span", { class: "sr-only phase-step-state" }));
    stepEls.set(p, li);
    steps.append(li);
  }
  const advanceLabel = h("span", {});
  const advanceBtn = h("button", { type: "button", class: "btn btn-secondary", id: "phase-advance" }, advanceLabel, h("span", { "aria-hidden": "true" }, " →"));
  const final = h("span", { class: "phase-final muted small", id: "phase-final" });
  const forcedSlot = h("div", { class: "forced-slot" });
  const heading = h("h2", { class: "sr-only", id: "phasebar-h" });
  const section = h("section", { class: "card phasebar", id: "phasebar", "aria-labelledby": "phasebar-h", hidden: true },
    heading,
    h("div", { class: "phasebar-row" }, steps, h("div", { class: "phasebar-actions" }, advanceBtn, final)),
    forcedSlot);
  slot.append(section);

  let inFlight = false;
  advanceBtn.addEventListener("click", async () => {
    const to = advanceBtn.dataset.to;
    if (!to || inFlight) return;
    inFlight = true;
    advanceBtn.disabled = true;
    try {
      await advancePhase(conn, meetingId, to, { store });
    } finally {
      inFlight = false;
      advanceBtn.disabled = false;
      render();
      // After the dialogs, keep the keyboard where it was: on the button, or on the bar when it is gone.
      if (!document.activeElement || document.activeElement === document.body) {
        if (!advanceBtn.hidden) advanceBtn.focus();
        else { section.tabIndex = -1; section.focus({ preventScroll: true }); }
      }
    }
  });

  function render() {
    const m = store.meeting;
    if (!m) return;
    section.hidden = false;
    heading.textContent = t("phase.barTitle");
    const phase = m.phase || "preparing";
    const beyond = !STEPS.includes(phase); // dispatched / closed
    const at = beyond ? STEPS.length : STEPS.indexOf(phase);
    for (const [i, p] of STEPS.entries()) {
      const li = stepEls.get(p);
      const state = i < at ? "done" : i === at ? "current" : "todo";
      li.dataset.state = state;
      li.className = "phase-step is-" + state;
      if (state === "current") li.setAttribute("aria-current", "step"); else li.removeAttribute("aria-current");
      li.querySelector(".phase-step-dot").textContent = state === "done" ? "✓" : String(i + 1);
      li.querySelector(".phase-step-label").textContent = phaseLabel(p);
      li.querySelector(".phase-step-state").textContent = `: ${t("phase.state." + state)}`;
    }
    steps.setAttribute("aria-label", t("phase.barTitle"));
    const next = nextPhase(phase);
    // While live, the console's "end the meeting" is the one way on: not both buttons.
    const mayAdvance = !!next && canManage() && phase !== "live";
    advanceBtn.hidden = !mayAdvance;
    if (next) {
      advanceBtn.dataset.to = next;
      advanceLabel.textContent = t("phase.advanceTo", { phase: phaseLabel(next) });
    } else {
      delete advanceBtn.dataset.to;
    }
    final.textContent = beyond ? t("phase.now", { phase: phaseLabel(phase) }) : "";
    final.hidden = !beyond;
    section.dataset.phase = phase;
    put(forcedSlot, forcedNotice(store));
  }

  const off = store.subscribe((change) => {
    if (["snapshot", "meeting", "roster", "viewer"].includes(change.kind)) render();
  });
  const offLang = onLangChange(() => render());
  if (store.loaded) render();
  return () => { off(); offLang(); section.remove(); };
}
