// One project-dispatch record (D-…): its header (company, project, stage,
// status, handling unit, commissioner with a tel: link, district, what is due),
// the handling unit's feedback form (平台反馈: the server rejects boilerplate
// and copies, and says why: the message shows beside the text, which stays as
// typed), escalation (提级调度) with its 15-day clock, the organizer's answer,
// closing (办结), reopening a shelved record, the reminder notice (催办单), a
// timeline of everything that happened, and what the meeting handed over.
// Live: the record's stream (snapshot, then dispatch.* events).
import { h, put, busy, showError, clearErrors, fieldError, formError, toast, errorText, announce, nextId, field } from "./dom.js";
import { t, formatTime, formatDate, categoryLabel, formatNumber, onLangChange, accountName } from "./i18n.js";
import { RecordStore, followRecord } from "./store.js";
import { minutesKindLabel } from "./minutes.js";
import { mark, investmentText } from "./meetingview.js";
import {
  stageLabel, outcomeLabel, levelLabel, stagesOf, outcomesOf, nextLevel, dueBadge, calendarNotice, localMessage, telLink,
  codeChips, commissionerFields, setCommissioner, readCommissioner, missingCommissioner, todayYMD, stageChip, docToolbar, downloadFile, showFormError,
} from "./dispatch-shared.js";

/** mountRecord(main, ctx, recordId, {focus}) — focus "feedback" puts the keyboard in the feedback form. */
export function mountRecord(main, { conn, actor }, recordId, { focus } = {}) {
  const store = new RecordStore();
  const canManage = actor.kind === "admin" || actor.kind === "organizer";
  const canFeedback = canManage || actor.kind === "unit";
  let calendar = null;
  let focused = false;

  const headSlot = h("div", { id: "record-head-slot" }, h("div", { class: "card loading", "aria-busy": "true" }, h("span", { class: "spinner", "aria-hidden": "true" }), h("span", { i18n: "loading" })));
  const calSlot = h("div", { id: "record-calendar" });
  const body = h("div", { class: "record-body", hidden: true });
  main.append(h("a", { class: "back-link", href: canManage ? "#/d" : "#/", i18n: canManage ? "rec.back" : "rec.backUnit" }), headSlot, calSlot, body);

  const feedback = canFeedback ? feedbackPart({ conn, actor, store, recordId }) : null;
  const actions = actionsPart({ conn, actor, store, recordId, canManage });
  const timeline = timelinePart({ conn, actor, store, recordId, canManage });
  const carried = meetingPart({ store, canManage });
  body.append(...[feedback, actions, timeline, carried].filter(Boolean).map((p) => p.el));

  function renderHead() {
    const r = store.record;
    if (!r) return;
    const c = r.company || {};
    const p = r.project || {};
    const cm = r.commissioner || {};
    const fact = (key, ...value) => h("div", { class: "fact" }, h("dt", { i18n: key }), h("dd", {}, ...value));
    const projectBits = [categoryLabel(r.category || p.category), p.industry, typeof p.investment === "number" ? investmentText(p.investment) : null].filter(Boolean);
    document.title = `${c.name || r.id} · ${t("app.name")}`;
    put(headSlot, h("section", { class: "card rec-head", id: "record-head", "aria-labelledby": "record-title", dataset: { status: r.status || "", stage: r.stage || "" } },
      h("div", { class: "meeting-head-top" },
        h("div", { class: "board-badges" },
          stageChip(r.stage),
          r.status === "closed"
            ? h("span", { class: "badge badge-closed", id: "record-status" }, t("rec.closedAs", { outcome: outcomeLabel(r.closure && r.closure.outcome) }))
            : h("span", { class: "badge badge-open", id: "record-status" }, t("rec.open")),
          r.level ? h("span", { class: "badge badge-level", dataset: { level: r.level } }, t("rec.level", { level: levelLabel(r.level) })) : null),
        h("span", { class: "muted mono small" }, r.id)),
      h("h1", { id: "record-title", class: "meeting-title" }, c.name || r.id),
      h("p", { class: "rec-project" }, h("strong", {}, p.name || ""), projectBits.length ? h("span", { class: "muted" }, " · " + projectBits.join(" · ")) : null),
      h("dl", { class: "facts" },
        fact("rec.due", r.status === "closed" ? h("span", { class: "muted" }, t("due.closed")) : dueBadge(r.due, { long: true }),
          r.due && r.due.next && r.status !== "closed" ? h("span", { class: "muted fact-sub" }, t("rec.dueDay", { kind: t("due.kind." + (r.due.kind || "feedback")), date: formatDate(r.due.next) })) : null),
        fact("rec.handlingUnit", (r.handlingUnit && r.handlingUnit.name) || ""),
        fact("rec.commissioner", cm.name || "", cm.title || cm.unit ? h("span", { class: "muted" }, " · " + [cm.title, cm.unit].filter(Boolean).join(" · ")) : null,
          cm.phone ? h("span", { class: "fact-sub" }, telLink(cm.phone, { id: "record-tel" })) : null),
        fact("rec.district", r.district || t("rec.noDistrict")),
        fact("rec.meeting", canManage && r.meeting ? h("a", { href: `#/m/${encodeURIComponent(r.meeting)}` }, r.meetingTitle || r.meeting) : (r.meetingTitle || r.meeting || ""),
          r.meetingAt ? h("span", { class: "muted fact-sub" }, formatTime(r.meetingAt)) : null),
        fact("rec.owner", accountName(r.ownerName || r.owner || "")))));
    put(calSlot, calendarNotice(calendar, r.due));
  }

  async function readFull() {
    try {
      const r = await conn.call("dispatch.get", { record: recordId });
      calendar = r.calendar || null;
      if (r.record) store.refresh(r.record, r.seq);
      renderHead();
    } catch { /* the stream's snapshot carries the record; only the calendar notice waits */ }
  }

  const off = store.subscribe((change) => {
    if (!store.record) return;
    body.hidden = false;
    renderHead();
    for (const p of [feedback, actions, timeline, carried]) if (p) p.update(change);
    // An event may move what is due into a year the calendar read before did not need.
    const r = store.record;
    if (change.kind === "record" && r.due && r.due.estimated && calendar && !calendar.fallback) readFull();
    if (change.kind === "snapshot" && !focused) {
      focused = true;
      if (focus === "feedback" && feedback) feedback.focus();
      if (calendar === null) readFull();
    }
  });
  const unsubscribe = followRecord(conn, recordId, store, {
    onError: (err) => {
      body.hidden = true;
      put(headSlot, h("section", { class: "card", id: "record-error" },
        h("h1", { i18n: "rec.notFound" }),
        h("p", { class: "muted" }, errorText(err)),
        h("a", { class: "btn btn-secondary", href: canManage ? "#/d" : "#/", i18n: canManage ? "rec.back" : "rec.backUnit" })));
    },
  });
  const onReady = () => readFull();
  conn.addEventListener("ready", onReady);
  const offLang = onLangChange(() => { if (store.record) { renderHead(); for (const p of [feedback, actions, timeline, carried]) if (p) p.update({ kind: "lang" }); } });
  return () => { unsubscribe(); off(); offLang(); conn.removeEventListener("ready", onReady); };
}

// ---------------------------------------------------------------------------

function card(id, headingKey, ...rest) {
  return h("section", { class: "card rec-card", id, "aria-labelledby": id + "-h" },
    h("div", { class: "section-head" }, h("h2", { id: id + "-h", i18n: headingKey }), ...rest));
}

/** A name for an actor id on a record. */
function nameOf(r, id) {
  if (!id) return "";
  if (id === r.owner) return r.ownerName ? accountName(r.ownerName) : id;
  if (r.handlingUnit && id === r.handlingUnit.id) return r.handlingUnit.name || id;
  if (id === "A-ADMIN") return t("kind.admin");
  return id;
}

/** Why a feedback was not accepted, in the page's language. */
export function rejectionText(err) {
  const d = (err && err.details) || {};
  const reason = d.reason || "";
  const lead = reason && t("fb.reject." + reason) !== "fb.reject." + reason ? t("fb.reject." + reason) : "";
  // The server's message says why and what to write instead (with the similarity of a copy).
  return localMessage(err && err.message) || lead;
}

/**
 * The feedback form: this period's progress, the current stage, the current
 * commissioner (prefilled from the record), and optionally the entry it corrects.
 */
function feedbackPart({ conn, store, recordId }) {
  const el = card("feedback-card", "fb.title");
  const textId = nextId("fb-text");
  const text = h("textarea", { id: textId, rows: "5", maxlength: "4000", class: "fb-text", "data-field": "text", "aria-describedby": `${textId}-hint ${textId}-err` });
  text.dataset.i18nAttr = "placeholder:fb.textPlaceholder";
  text.setAttribute("placeholder", t("fb.textPlaceholder"));
  const textField = h("div", { class: "field" },
    h("label", { for: textId }, h("span", { i18n: "fb.text" }), h("span", { class: "req", "aria-hidden": "true" }, " *")),
    text,
    h("p", { class: "hint", id: textId + "-hint", i18n: "fb.rule" }),
    h("p", { class: "field-error fb-error", id: textId + "-err", role: "alert", hidden: true }));
  const chipsSlot = h("div", { class: "fb-stage-slot" });
  const cm = commissionerFields();
  const corrects = h("select", {}, h("option", { value: "", i18n: "fb.correctsNone" }));
  const correctsBox = h("details", { class: "add-details", id: "fb-corrects" },
    h("summary", {}, h("span", { i18n: "fb.correctsTitle" })),
    field({ label: "fb.corrects", name: "corrects", input: corrects, optional: true, hintKey: "fb.correctsHint" }));
  const closedNote = h("p", { class: "notice notice-info", id: "feedback-closed", hidden: true, i18n: "fb.closed" });
  const form = h("form", { class: "stack", id: "feedback-form", novalidate: true, "data-op": "dispatch.feedback" },
    textField,
    chipsSlot,
    cm,
    correctsBox,
    formError(),
    h("div", { class: "form-actions form-actions-start" }, h("button", { type: "submit", class: "btn btn-primary", id: "feedback-submit", i18n: "fb.submit" }),
      h("span", { class: "hint", i18n: "fb.keys" })));
  el.append(closedNote, form);
  let chips = null;
  let chipsKey = null;
  let stageTouched = false;
  let cmTouched = false;
  cm.addEventListener("input", () => { cmTouched = true; });

  function update() {
    const r = store.record;
    if (!r) return;
    const open = r.status !== "closed";
    form.hidden = !open;
    closedNote.hidden = open;
    const stages = stagesOf(r.category);
    const key = stages.join(",");
    if (key !== chipsKey) {
      chipsKey = key;
      chips = codeChips({ name: "stage", codes: stages, label: stageLabel, value: r.stage, legendKey: "fb.stage" });
      for (const radio of chips.radios) radio.addEventListener("change", () => { stageTouched = true; });
      put(chipsSlot, chips.el);
    }
    if (!stageTouched) chips.set(r.stage);
    if (!cmTouched) setCommissioner(cm, r.commissioner || {});
    const keep = corrects.value;
    put(corrects, h("option", { value: "", i18n: "fb.correctsNone" }),
      [...(r.feedback || [])].reverse().map((f) => h("option", { value: f.id }, `${f.id} · ${formatDate(f.at.slice(0, 10))} · ${short(f.text, 40)}`)));
    corrects.value = keep;
  }

  text.addEventListener("keydown", (e) => {
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) { e.preventDefault(); form.requestSubmit(); }
  });

  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    clearErrors(form);
    const value = text.value.trim();
    if (!value) { fieldError(form, "text", t("fb.empty")); return; }
    const commissioner = readCommissioner(form);
    const missing = missingCommissioner(commissioner);
    if (missing) { fieldError(form, missing, t("err.required")); return; }
    const stage = chips && chips.value();
    if (!stage) { fieldError(form, "stage", t("fu.chooseOne")); return; }
    const args = { record: recordId, text: value, stage, commissioner };
    if (corrects.value) args.corrects = corrects.value;
    await busy(form, async () => {
      try {
        const res = await conn.call("dispatch.feedback", args);
        text.value = "";
        corrects.value = "";
        correctsBox.open = false;
        stageTouched = false;
        cmTouched = false;
        update();
        const id = res.feedback && res.feedback.id;
        toast(t("fb.sent", { id: id || "" }), "info");
        announce(t("fb.sent", { id: id || "" }));
        text.focus();
      } catch (err) {
        if (err.code === "rejected_feedback") {
          // Beside the text, which stays as typed; the keyboard goes back to it.
          const box = document.getElementById(textId + "-err");
          text.setAttribute("aria-invalid", "true");
          box.textContent = rejectionText(err);
          box.hidden = false;
          box.dataset.reason = (err.details && err.details.reason) || "";
          text.focus();
        } else {
          showFormError(form, err);
        }
      }
    });
  });

  return {
    el,
    update,
    focus() { el.scrollIntoView({ block: "start" }); text.focus({ preventScroll: true }); },
  };
}

/**
 * What may be done to the record besides feedback: escalate (handling unit
 * and organizer), close, reopen a shelved record, and the reminder notice
 * (organizer, admin). Rebuilt only when what is possible changes, so typed
 * text survives live updates.
 */
function actionsPart({ conn, store, recordId, canManage }) {
  const el = card("record-actions", "rec.actions");
  const box = h("div", { class: "rec-actions" });
  el.append(box);
  let key = null;

  function update() {
    const r = store.record;
    if (!r) return;
    const open = r.status !== "closed";
    const up = open ? nextLevel(r.level) : null;
    const reopen = canManage && !open && r.closure && r.closure.outcome === "shelved";
    const remind = canManage && open && r.due && r.due.status === "overdue";
    const k = JSON.stringify([open, up, reopen, remind, r.category, canManage]);
    el.hidden = !(up || (canManage && open) || reopen || remind);
    if (k === key) return;
    key = k;
    box.textContent = "";
    if (remind) {
      box.append(h("div", { class: "rec-remind notice notice-warn" },
        h("span", {}, t("rec.remindIntro")),
        h("a", { class: "btn btn-secondary btn-sm", id: "remind-open", href: `#/d/${encodeURIComponent(recordId)}/remind` }, t("rec.remindOpen"))));
    }
    if (up) box.append(escalateForm(up));
    if (canManage && open) box.append(closeForm(r));
    if (reopen) box.append(reopenForm(r));
  }

  function escalateForm(to) {
    const reason = h("textarea", { rows: "3", maxlength: "1000" });
    const problem = h("textarea", { rows: "2", maxlength: "1000" });
    const form = h("form", { class: "stack", id: "escalate-form", novalidate: true, "data-op": "dispatch.escalate" },
      h("p", { class: "muted small", i18n: "esc.intro" }),
      field({ label: "esc.reason", name: "reason", input: reason, required: true }),
      field({ label: "esc.problem", name: "problem", input: problem, optional: true, hintKey: "esc.problemHint" }),
      formError(),
      h("div", { class: "form-actions form-actions-start" }, h("button", { type: "submit", class: "btn btn-primary", id: "escalate-submit" }, t("esc.submit", { level: levelLabel(to) }))));
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      clearErrors(form);
      if (!reason.value.trim()) { fieldError(form, "reason", t("esc.reasonRequired")); return; }
      const args = { record: recordId, to, reason: reason.value.trim() };
      if (problem.value.trim()) args.problem = problem.value.trim();
      await busy(form, async () => {
        try {
          await conn.call("dispatch.escalate", args);
          toast(t("esc.done", { level: levelLabel(to) }), "info");
          announce(t("esc.done", { level: levelLabel(to) }));
        } catch (err) { showError(form, err); }
      });
    });
    return h("details", { class: "rec-action", id: "escalate-details" },
      h("summary", {}, t("esc.title", { level: levelLabel(to) })), form);
  }

  function closeForm(r) {
    const outcomes = outcomesOf(r.category);
    const chips = codeChips({ name: "outcome", codes: outcomes, label: outcomeLabel, value: null, legendKey: "close.outcome" });
    const reason = h("textarea", { rows: "3", maxlength: "1000" });
    const form = h("form", { class: "stack", id: "close-record-form", novalidate: true, "data-op": "dispatch.close" },
      chips.el,
      field({ label: "close.reason", name: "reason", input: reason, optional: true, hintKey: "close.reasonHint" }),
      formError(),
      h("div", { class: "form-actions form-actions-start" }, h("button", { type: "submit", class: "btn btn-secondary", id: "close-record-submit", i18n: "close.submit" })));
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      clearErrors(form);
      const outcome = chips.value();
      if (!outcome) { fieldError(form, "outcome", t("fu.chooseOne")); return; }
      const args = { record: recordId, outcome };
      if (reason.value.trim()) args.reason = reason.value.trim();
      await busy(form, async () => {
        try {
          await conn.call("dispatch.close", args);
          toast(t("close.done", { outcome: outcomeLabel(outcome) }), "info");
          announce(t("close.done", { outcome: outcomeLabel(outcome) }));
        } catch (err) { showError(form, err); }
      });
    });
    return h("details", { class: "rec-action", id: "close-record-details" }, h("summary", {}, t("close.title")), form);
  }

  function reopenForm(r) {
    const reason = h("textarea", { rows: "3", maxlength: "1000" });
    const prev = r.closure && r.closure.previousStage;
    const stage = h("select", {},
      h("option", { value: "" }, prev ? t("reopen.previous", { stage: stageLabel(prev) }) : t("reopen.previousPlain")),
      stagesOf(r.category).filter((s) => s !== r.closure.outcome).map((s) => h("option", { value: s }, stageLabel(s))));
    const form = h("form", { class: "stack", id: "reopen-form", novalidate: true, "data-op": "dispatch.reopen" },
      field({ label: "reopen.reason", name: "reason", input: reason, required: true }),
      field({ label: "reopen.stage", name: "stage", input: stage, optional: true }),
      formError(),
      h("div", { class: "form-actions form-actions-start" }, h("button", { type: "submit", class: "btn btn-primary", id: "reopen-submit", i18n: "reopen.submit" })));
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      clearErrors(form);
      if (!reason.value.trim()) { fieldError(form, "reason", t("reopen.reasonRequired")); return; }
      const args = { record: recordId, reason: reason.value.trim() };
      if (stage.value) args.stage = stage.value;
      await busy(form, async () => {
        try {
          await conn.call("dispatch.reopen", args);
          toast(t("reopen.done"), "info");
          announce(t("reopen.done"));
        } catch (err) { showError(form, err); }
      });
    });
    return h("details", { class: "rec-action", id: "reopen-details", open: true }, h("summary", {}, t("reopen.title")), form);
  }

  return { el, update };
}

/** Everything that happened, newest first: creation, feedback (with corrections), escalations and answers, closure, reopenings. */
function timelinePart({ conn, store, recordId, canManage }) {
  const count = h("span", { class: "count", id: "timeline-count" });
  const el = card("timeline", "tl.title", count);
  const list = h("ol", { class: "timeline", id: "timeline-list" });
  el.append(list);
  const els = new Map(); // entry key -> {li, content, formSlot, form}
  let seen = null;

  function entries(r) {
    const out = [];
    out.push({ key: "created", kind: "created", at: r.createdAt });
    for (const f of r.feedback || []) out.push({ key: f.id, kind: "feedback", at: f.at, f });
    for (const e of r.escalations || []) {
      out.push({ key: e.id, kind: "escalation", at: e.at, e });
    }
    for (const [i, x] of (r.reopenings || []).entries()) out.push({ key: "R-" + (i + 1), kind: "reopened", at: x.at, x });
    if (r.closure) out.push({ key: "closure-" + r.closure.at, kind: "closed", at: r.closure.at, x: r.closure });
    // Newest first; the same instant keeps the record's order.
    return out.map((x, i) => ({ ...x, i })).sort((a, b) => String(b.at).localeCompare(String(a.at)) || b.i - a.i);
  }

  function update() {
    const r = store.record;
    if (!r) return;
    const list_ = entries(r);
    count.textContent = t("tl.count", { n: (r.feedback || []).length });
    const correctedBy = new Map();
    for (const f of r.feedback || []) if (f.corrects) correctedBy.set(f.corrects, f.id);
    let prev = null;
    const keys = new Set();
    for (const x of list_) {
      keys.add(x.key);
      let e = els.get(x.key);
      if (!e) {
        e = { li: h("li", { class: "tl-item", id: "tl-" + x.key, tabindex: "-1", dataset: { kind: x.kind, id: x.key } }), content: h("div", { class: "tl-content" }), formSlot: h("div", { class: "tl-form-slot" }), form: null };
        e.li.append(h("span", { class: "tl-dot", "aria-hidden": "true" }), h("div", { class: "tl-body" }, e.content, e.formSlot));
        els.set(x.key, e);
        if (seen && !seen.has(x.key)) flash(e.li);
      }
      fill(e, x, r, correctedBy);
      const next = prev ? prev.nextSibling : list.firstChild;
      if (next !== e.li) list.insertBefore(e.li, next);
      prev = e.li;
    }
    for (const [k, e] of els) if (!keys.has(k)) { e.li.remove(); els.delete(k); }
    seen = keys;
  }

  const goto = (key) => (ev) => {
    ev.preventDefault();
    const target = document.getElementById("tl-" + key);
    if (target) { target.scrollIntoView({ block: "center" }); target.focus({ preventScroll: true }); flash(target); }
  };

  function fill(e, x, r, correctedBy) {
    const head = (title, at, by) => h("div", { class: "tl-head" },
      h("span", { class: "tl-title" }, title),
      h("span", { class: "muted small" }, [by, at ? formatTime(at) : ""].filter(Boolean).join(" · ")));
    if (x.kind === "created") {
      const first = r.stages && r.stages[0] ? r.stages[0].stage : r.stage;
      put(e.content, head(t("tl.created"), r.createdAt, nameOf(r, r.createdBy)),
        h("p", {}, t("tl.createdText", { unit: (r.handlingUnit && r.handlingUnit.name) || "", stage: stageLabel(first) })));
      return;
    }
    if (x.kind === "feedback") {
      const f = x.f;
      const cm = f.commissioner || {};
      const similar = canManage && Array.isArray(f.similarTo) && f.similarTo.length;
      e.li.dataset.similar = similar ? "true" : "false";
      put(e.content,
        head(t("tl.feedback", { id: f.id }), f.at, f.byName || nameOf(r, f.by)),
        h("div", { class: "tl-tags" },
          stageChip(f.stage, { small: true }),
          f.corrects ? h("a", { href: "#", class: "tl-link", dataset: { action: "goto", target: f.corrects }, onclick: goto(f.corrects) }, t("tl.corrects", { id: f.corrects })) : null,
          correctedBy.has(f.id) ? h("a", { href: "#", class: "tl-link muted", onclick: goto(correctedBy.get(f.id)) }, t("tl.correctedBy", { id: correctedBy.get(f.id) })) : null),
        h("p", { class: "tl-text" }, f.text),
        cm.name ? h("p", { class: "muted small" }, `${t("rec.commissioner")}：${[cm.name, cm.title, cm.unit].filter(Boolean).join(" · ")} `, cm.phone ? telLink(cm.phone) : null) : null,
        similar ? h("p", { class: "flag flag-warn tl-similar", dataset: { flag: "similar" } },
          t("tl.similar"), " ",
          f.similarTo.map((s, i) => [i ? t("phase.listSep") : "", h("a", { href: `#/d/${encodeURIComponent(s.record)}` }, s.record), ` (${Number(s.similarity).toFixed(2)})`])) : null);
      return;
    }
    if (x.kind === "escalation") {
      const esc = x.e;
      const answered = !!esc.answer;
      e.li.dataset.answered = String(answered);
      const today = todayYMD();
      const left = esc.due ? daysBetween(today, esc.due) : null;
      put(e.content,
        head(t("tl.escalation", { id: esc.id, from: levelLabel(esc.from), to: levelLabel(esc.to) }), esc.at, esc.byName || nameOf(r, esc.by)),
        h("p", { class: "tl-text" }, h("span", { class: "muted" }, t("tl.reason")), esc.reason),
        esc.problem && esc.problem !== esc.reason ? h("p", { class: "tl-text" }, h("span", { class: "muted" }, t("tl.problem")), esc.problem) : null,
        answered
          ? h("div", { class: "tl-answer" }, h("p", { class: "tl-answer-head" }, t("tl.answered", { who: esc.answer.byName || nameOf(r, esc.answer.by), when: formatTime(esc.answer.at) })), h("p", { class: "tl-text" }, esc.answer.text))
          : h("p", { class: "tl-clock " + (left !== null && left < 0 ? "is-late" : "") , dataset: { due: esc.due || "" } },
            t("tl.clock", { date: formatDate(esc.due) }), " · ",
            left === null ? "" : left < 0 ? t("tl.clockLate", { n: -left }) : t("tl.clockLeft", { n: left })));
      if (canManage && !answered && !e.form) {
        e.form = answerForm(esc.id);
        e.formSlot.append(e.form);
      }
      if (answered && e.form) { e.form.remove(); e.form = null; }
      return;
    }
    if (x.kind === "closed") {
      const c = x.x;
      put(e.content, head(t("tl.closed", { outcome: outcomeLabel(c.outcome) }), c.at, nameOf(r, c.by)),
        c.reason ? h("p", { class: "tl-text" }, c.reason) : null);
      return;
    }
    if (x.kind === "reopened") {
      const o = x.x;
      put(e.content, head(t("tl.reopened"), o.at, nameOf(r, o.by)),
        h("div", { class: "tl-tags" }, o.stage ? stageChip(o.stage, { small: true }) : null),
        h("p", { class: "tl-text" }, o.reason));
    }
  }

  function answerForm(escalation) {
    const text = h("textarea", { rows: "2", maxlength: "2000" });
    const form = h("form", { class: "stack answer-form", novalidate: true, dataset: { escalation, op: "dispatch.answer" } },
      field({ label: "ans.text", name: "text", input: text, required: true }),
      formError(),
      h("div", { class: "form-actions form-actions-start" }, h("button", { type: "submit", class: "btn btn-secondary btn-sm", "data-action": "answer", i18n: "ans.submit" })));
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      clearErrors(form);
      if (!text.value.trim()) { fieldError(form, "text", t("ans.required")); return; }
      await busy(form, async () => {
        try {
          await conn.call("dispatch.answer", { record: recordId, escalation, text: text.value.trim() });
          toast(t("ans.done", { id: escalation }), "info");
          announce(t("ans.done", { id: escalation }));
        } catch (err) { showError(form, err); }
      });
    });
    return form;
  }

  return { el, update };
}

/** What the meeting handed over: summary, minutes, actions, assessments, the company's intent. */
function meetingPart({ store, canManage }) {
  const el = card("record-meeting", "rm.title");
  const box = h("div", { class: "rm-body" });
  el.append(box);
  function update(change) {
    const r = store.record;
    if (!r || (change && change.kind === "record" && change.event && change.event.event !== "dispatch.created")) return;
    const mins = r.minutes || {};
    const section = (label, items) => (items && items.length ? h("div", { class: "rm-section" }, h("h3", {}, label), h("ul", { class: "rm-list" }, items.map((x) => h("li", {}, x)))) : null);
    const i = r.intent;
    put(box,
      r.meetingTitle ? h("p", { class: "rm-meeting" }, canManage && r.meeting ? h("a", { href: `#/m/${encodeURIComponent(r.meeting)}` }, r.meetingTitle) : r.meetingTitle,
        r.meetingAt ? h("span", { class: "muted" }, " · " + formatTime(r.meetingAt)) : null) : null,
      r.summary ? h("div", { class: "rm-section" }, h("h3", { i18n: "rm.summary" }), h("p", { class: "rm-summary" }, r.summary)) : null,
      section(minutesKindLabel("intent"), mins.intent),
      section(minutesKindLabel("needs"), mins.needs),
      section(minutesKindLabel("prospects"), mins.prospects),
      section(minutesKindLabel("decision"), mins.decisions),
      r.actions && r.actions.length ? h("div", { class: "rm-section" }, h("h3", {}, minutesKindLabel("action")),
        h("ul", { class: "rm-list" }, r.actions.map((a) => h("li", {}, a.text,
          a.owner || a.due ? h("span", { class: "muted" }, ` · ${[a.owner, a.due ? formatDate(a.due) : null].filter(Boolean).join(" · ")}`) : null)))) : null,
      r.assessments && r.assessments.length ? h("div", { class: "rm-section" }, h("h3", { i18n: "fu.assessTitle" }),
        h("ul", { class: "assess-list rm-assessments" }, r.assessments.map((a) => h("li", { class: "assess-row", dataset: { unit: a.unit } },
          h("div", { class: "assess-unit-line" }, h("span", { class: "assess-unit" }, a.unit)),
          h("div", { class: "assess-marks" }, mark(a.feasible, "fu.feasible"), mark(a.willingToHost, "fu.willing")),
          h("p", { class: "assess-comment" }, a.comment))))) : null,
      i ? h("div", { class: "rm-section" }, h("h3", { i18n: "fu.intentTitle" }),
        h("p", {}, t(i.furtherTalks ? "rm.furtherYes" : "rm.furtherNo"),
          i.district ? ` · ${t("fu.district")}：${i.district}` : "",
          i.unitsNeeded && i.unitsNeeded.length ? ` · ${t("fu.unitsNeeded")}：${i.unitsNeeded.join(t("phase.listSep"))}` : ""),
        i.comment ? h("p", { class: "muted" }, i.comment) : null) : null);
    el.hidden = !box.childElementCount;
  }
  return { el, update };
}

/** Calendar days from a to b (YYYY-MM-DD, no zone). */
function daysBetween(a, b) {
  const d = (s) => { const [y, m, day] = s.split("-").map(Number); return Date.UTC(y, m - 1, day); };
  return Math.round((d(b) - d(a)) / 86400000);
}

function short(s, n) {
  const x = String(s || "").replace(/\s+/g, " ").trim();
  return x.length > n ? x.slice(0, n - 1) + "…" : x;
}

function flash(el) {
  el.classList.remove("flash");
  void el.offsetWidth;
  el.classList.add("flash");
}

// ---------------------------------------------------------------------------
// The reminder notice (催办单) of an overdue record, printable on A4.

export function mountReminder(main, { conn }, recordId) {
  let data = null;
  const doc = h("article", { class: "doc doc-notice", id: "reminder-notice", "aria-busy": "true" },
    h("div", { class: "loading" }, h("span", { class: "spinner", "aria-hidden": "true" }), h("span", { i18n: "loading" })));
  main.append(docToolbar({
    backHref: `#/d/${encodeURIComponent(recordId)}`,
    backKey: "doc.backRecord",
    onDownload: () => { if (data) downloadFile(data.markdown || "", data.filename || `${recordId}-reminder.md`, "text/markdown;charset=utf-8"); },
  }), h("div", { class: "doc-page" }, doc));

  function render() {
    if (!data) return;
    const n = data.notice || {};
    const name = (x) => (x && typeof x === "object" ? x.name || x.id || "" : x || "");
    const due = n.due || {};
    const cm = n.commissioner || {};
    const row = (key, ...v) => h("tr", {}, h("th", { scope: "row", i18n: key }), h("td", {}, ...v));
    doc.removeAttribute("aria-busy");
    put(doc,
      h("header", { class: "doc-head" },
        h("h1", { class: "doc-title", id: "reminder-title", i18n: "rem.title" }),
        h("p", { class: "doc-sub" }, [typeof n.record === "string" ? n.record : name(n.record) || recordId, n.issuedAt ? formatTime(n.issuedAt) : ""].filter(Boolean).join(" · "))),
      h("p", {}, t("rem.to", { unit: name(n.handlingUnit) })),
      h("table", { class: "doc-table doc-facts" }, h("tbody", {},
        row("rem.record", typeof n.record === "string" ? n.record : name(n.record) || recordId),
        row("rem.company", name(n.company)),
        row("rem.project", name(n.project)),
        row("rem.unit", name(n.handlingUnit)),
        row("rem.commissioner", [cm.name, cm.title, cm.unit].filter(Boolean).join(" · "), cm.phone ? ` ${cm.phone}` : ""),
        row("rem.what", n.what || t("due.kind." + (due.kind || "feedback"))),
        row("rem.dueDay", due.next ? formatDate(due.next) : "—"),
        row("rem.overdue", h("strong", {}, t("rem.overdueDays", { w: due.workingDaysOverdue ?? 0, n: due.daysOverdue ?? 0 }))))),
      n.overdueEscalations && n.overdueEscalations.length ? h("section", { class: "doc-section" }, h("h2", { i18n: "rem.escalations" }),
        h("ol", { class: "doc-list" }, n.overdueEscalations.map((e) => h("li", {}, `${e.id}：${e.problem || e.reason || ""}（${t("tl.clock", { date: formatDate(e.due) })}）`)))) : null,
      h("p", { class: "doc-ask" }, t("rem.ask")),
      due.estimated ? h("p", { class: "doc-note" }, t("cal.fallback")) : null,
      h("footer", { class: "doc-foot" }, h("p", {}, n.issuer || ""), h("p", {}, n.issuedAt ? formatTime(n.issuedAt) : "")));
  }

  (async () => {
    try {
      data = await conn.call("dispatch.remind", { record: recordId });
      render();
    } catch (err) {
      doc.removeAttribute("aria-busy");
      put(doc, h("h1", { i18n: "rem.unavailable" }), h("p", { class: "muted" }, errorText(err)),
        h("a", { class: "btn btn-secondary no-print", href: `#/d/${encodeURIComponent(recordId)}`, i18n: "doc.backRecord" }));
    }
  })();
  const offLang = onLangChange(render);
  return () => offLang();
}
