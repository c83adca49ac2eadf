// After the meeting (会后跟进, mechanism 7 §5) on the meeting pages: the
// follow-up checklist with its due days, each attending unit's assessment and
// willingness to host (承接意向), the company's further intent, the report to
// leadership, and the decision: dispatch to a handling unit, or close with a
// reason. What shows follows the server: `followup` is in the snapshot only
// for the government side (a company participant gets none of it), and
// snapshot.viewer.ops says who may assess (a manager: any unit; a unit
// participant: its own), record the intent, read the report, dispatch, close.
import { h, put, busy, showError, clearErrors, fieldError, formError, toast, errorText, announce, nextId, field } from "./dom.js";
import { t, formatTime, formatDate, onLangChange } from "./i18n.js";
import { itemText, progressBar, setProgress, mark } from "./meetingview.js";
import { stagesOf, stageLabel, codeChips, commissionerFields, readCommissioner, missingCommissioner, todayYMD, showFormError } from "./dispatch-shared.js";

/** The phases after the meeting. */
export const AFTER_PHASES = new Set(["ended", "dispatched", "closed"]);
/** Follow-up items the server ticks itself when the work is done (docs/protocol.md, Follow-up). */
const AUTO_KEYS = new Set(["unit_assessments", "company_intent", "dispatch_or_close"]);

/**
 * mountFollowup(slot, {conn, actor, store, meetingId}) fills slot after the
 * meeting and keeps it current; returns the unmount function.
 */
export function mountFollowup(slot, ctx) {
  const { store, actor } = ctx;
  const root = h("div", { class: "followup", id: "followup" });
  slot.append(root);
  let parts = [];
  let key = null;

  function mode() {
    if (!store.loaded || !AFTER_PHASES.has(store.phase)) return null;
    const me = actor.kind === "participant" ? store.roster.get(actor.id) : null;
    if (actor.kind === "participant" && !me) return null;
    const manager = store.may("followup.intent");
    const m = {
      phase: store.phase,
      sees: !!store.followup,
      manager,
      ownUnit: !manager && store.may("followup.assess") && me && me.role === "unit" ? me.unit : null,
      report: store.may("followup.report"),
      dispatch: store.may("dispatch.create"),
      close: store.may("meeting.advance"),
      tick: store.may("checklist.set"),
      company: !!(me && me.role === "company"),
    };
    m.key = JSON.stringify(m);
    return m;
  }

  function build(m) {
    for (const p of parts) { try { p.destroy(); } catch (e) { console.error(e); } }
    parts = [];
    root.textContent = "";
    root.dataset.phase = m ? m.phase : "";
    if (!m) return;
    if (!m.sees) {
      // The company: nothing of the government side's follow-up, not even empty sections.
      if (m.company) parts.push(companyNote());
    } else {
      // Dispatch decisions belong to the organizer's side (managers and the recorder).
      if (m.phase !== "ended" && m.report) parts.push(decidedPart(ctx));
      if (m.ownUnit) parts.push(ownAssessmentPart(ctx, m));
      else {
        parts.push(checklistPart(ctx, m));
        parts.push(assessmentsPart(ctx, m));
        if (m.manager || (store.followup && store.followup.intent)) parts.push(intentPart(ctx, m));
      }
      if (m.report) parts.push(reportPart(ctx));
      if (m.phase === "ended" && (m.dispatch || m.close)) parts.push(decidePart(ctx, m));
    }
    for (const p of parts) root.append(p.el);
  }

  function refresh(change) {
    const m = mode();
    const k = m ? m.key : null;
    if (k !== key) { key = k; build(m); return; }
    for (const p of parts) { try { p.update(change); } catch (e) { console.error(e); } }
  }

  const off = store.subscribe(refresh);
  const offLang = onLangChange(() => refresh({ kind: "lang" }));
  if (store.loaded) refresh({ kind: "snapshot" });
  return () => {
    off();
    offLang();
    for (const p of parts) { try { p.destroy(); } catch (e) { console.error(e); } }
    root.remove();
  };
}

// ---------------------------------------------------------------------------

function card(id, headingKey, ...rest) {
  return h("section", { class: "card fu-card", id, "aria-labelledby": id + "-h" },
    h("div", { class: "section-head" }, h("h2", { id: id + "-h", i18n: headingKey }), ...rest));
}

function companyNote() {
  const el = h("section", { class: "card fu-card", id: "followup-company", "aria-labelledby": "followup-company-h" },
    h("h2", { id: "followup-company-h", i18n: "fu.companyTitle" }),
    h("p", { class: "muted", i18n: "fu.companyNote" }));
  return { el, update() {}, destroy() {} };
}

/** Dispatched or closed: what was decided, with the record for those who may open it. */
function decidedPart({ store, actor }) {
  const el = h("section", { class: "card fu-card fu-decided", id: "followup-decided", role: "status" });
  function render() {
    const m = store.meeting || {};
    if (m.phase === "dispatched") {
      const canOpen = actor.kind === "admin" || actor.kind === "organizer";
      put(el,
        h("h2", { i18n: "fu.dispatchedTitle" }),
        h("p", {}, t("fu.dispatchedText", { id: m.dispatch || "" })),
        canOpen && m.dispatch ? h("a", { class: "btn btn-primary", id: "followup-record-link", href: `#/d/${encodeURIComponent(m.dispatch)}` }, t("fu.openRecord")) : null);
    } else {
      const tr = [...(m.transitions || [])].reverse().find((x) => x.to === "closed");
      put(el,
        h("h2", { i18n: "fu.closedTitle" }),
        tr && tr.reason ? h("p", {}, h("span", { class: "muted" }, t("fu.closedReason")), " ", h("q", { class: "fu-closed-reason" }, tr.reason)) : null,
        tr ? h("p", { class: "muted small" }, formatTime(tr.at)) : null);
    }
    el.dataset.phase = m.phase || "";
  }
  render();
  return { el, update(c) { if (["snapshot", "meeting", "lang"].includes(c.kind)) render(); }, destroy() {} };
}

/** The follow-up checklist (the items of phase `ended`), with due days; managers tick them. */
function checklistPart({ conn, store, meetingId }, m) {
  const bar = progressBar(0, 0, { id: "followup-progress" });
  const list = h("ul", { class: "cl-items fu-items", id: "followup-items" });
  const empty = h("p", { class: "empty", i18n: "fu.checklistEmpty" });
  const el = card("followup-checklist", "fu.checklistTitle", h("div", { class: "section-progress" }, bar));
  el.append(h("p", { class: "muted small fu-intro", i18n: "fu.checklistIntro" }), list, empty);
  const els = new Map();
  const pending = new Set();
  const editable = m.tick && m.phase === "ended";

  function items() { return [...store.checklist.values()].filter((i) => i.phase === "ended"); }

  function render() {
    const all = items();
    const p = store.progress(all);
    setProgress(bar, p.done, p.total);
    empty.hidden = all.length > 0;
    const today = todayYMD();
    let prev = null;
    for (const item of all) {
      let e = els.get(item.id);
      if (!e) {
        const id = nextId("fu-item");
        const cb = h("input", { type: "checkbox", id, class: "cl-check", disabled: !editable });
        cb.addEventListener("change", () => setDone(item.id, cb.checked, cb));
        e = { li: h("li", { class: "cl-item fu-item", dataset: { id: item.id } }), cb, label: h("label", { for: id, class: "cl-text" }), meta: h("div", { class: "cl-meta" }) };
        e.li.append(cb, h("div", { class: "cl-body" }, e.label, e.meta));
        els.set(item.id, e);
      }
      if (!pending.has(item.id)) e.cb.checked = !!item.done;
      e.li.classList.toggle("is-done", !!item.done);
      e.li.dataset.done = String(!!item.done);
      if (item.key) e.li.dataset.key = item.key;
      e.label.textContent = itemText(item);
      const late = item.due && !item.done && item.due < today;
      e.li.dataset.late = String(!!late);
      put(e.meta,
        item.due ? h("span", { class: "fu-due" + (late ? " is-late" : "") }, t("fu.dueBy", { date: formatDate(item.due) }), late ? h("span", { class: "fu-late" }, " · " + t("fu.late")) : null) : null,
        item.done && item.doneAt ? h("span", { class: "muted" }, " · " + t("cl.doneBy", { when: formatTime(item.doneAt) })) : null,
        !item.done && AUTO_KEYS.has(item.key) ? h("span", { class: "muted" }, " · " + t("fu.auto")) : null,
        item.note ? h("span", { class: "muted" }, " · " + item.note) : null);
      const next = prev ? prev.nextSibling : list.firstChild;
      if (next !== e.li) list.insertBefore(e.li, next);
      prev = e.li;
    }
    for (const [id, e] of els) if (!store.checklist.has(id)) { e.li.remove(); els.delete(id); }
  }

  async function setDone(id, done, cb) {
    pending.add(id);
    try {
      await conn.call("checklist.set", { meeting: meetingId, item: id, done });
    } catch (err) {
      toast(errorText(err), "error");
    } finally {
      pending.delete(id);
      const item = store.checklist.get(id);
      if (item) cb.checked = !!item.done;
    }
  }

  render();
  return { el, update(c) { if (["snapshot", "checklist", "lang"].includes(c.kind)) render(); }, destroy() {} };
}

/** The units expected to assess, and any other unit that did (in the server's order). */
function unitsOf(store) {
  const f = store.followup || { units: [], assessments: [] };
  const out = f.units.slice();
  for (const a of f.assessments) if (!out.includes(a.unit)) out.push(a.unit);
  return out;
}

/** Every attending unit's assessment; a manager fills any unit's while the meeting is in follow-up. */
function assessmentsPart(ctx, m) {
  const { store } = ctx;
  const count = h("span", { class: "count", id: "assessments-count" });
  const list = h("ul", { class: "assess-list", id: "assessment-list" });
  const empty = h("p", { class: "empty", i18n: "fu.noUnits" });
  const el = card("assessments", "fu.assessTitle", count);
  el.append(h("p", { class: "muted small fu-intro", i18n: "fu.assessIntro" }), list, empty);
  const rows = new Map(); // unit -> {li, body, formSlot, btn, form}
  const editable = m.manager && store.may("followup.assess") && m.phase === "ended";

  function render() {
    const units = unitsOf(store);
    const done = units.filter((u) => store.assessmentOf(u)).length;
    count.textContent = units.length ? t("fu.assessCount", { done, total: units.length }) : "";
    count.dataset.done = String(done);
    empty.hidden = units.length > 0;
    let prev = null;
    for (const unit of units) {
      let r = rows.get(unit);
      if (!r) {
        r = { li: h("li", { class: "assess-row", dataset: { unit } }), body: h("div", { class: "assess-body" }), formSlot: h("div", { class: "assess-form-slot" }), form: null };
        if (editable) {
          r.btn = h("button", { type: "button", class: "btn btn-secondary btn-sm", "data-action": "assess" });
          r.btn.addEventListener("click", () => toggleForm(unit));
        }
        r.li.append(h("div", { class: "assess-head" }, r.body, r.btn || null), r.formSlot);
        rows.set(unit, r);
      }
      fillRow(r, unit);
      const next = prev ? prev.nextSibling : list.firstChild;
      if (next !== r.li) list.insertBefore(r.li, next);
      prev = r.li;
    }
    for (const [u, r] of rows) if (!units.includes(u)) { r.li.remove(); rows.delete(u); }
  }

  function fillRow(r, unit) {
    const a = store.assessmentOf(unit);
    r.li.dataset.state = a ? "done" : "pending";
    put(r.body, assessmentView(unit, a));
    if (r.btn) {
      r.btn.textContent = t(a ? "fu.assessEdit" : "fu.assessFill");
      r.btn.setAttribute("aria-label", `${t(a ? "fu.assessEdit" : "fu.assessFill")}: ${unit}`);
      r.btn.setAttribute("aria-expanded", String(!!r.form));
    }
  }

  function toggleForm(unit) {
    const r = rows.get(unit);
    if (!r) return;
    if (r.form) { r.form = null; r.formSlot.textContent = ""; fillRow(r, unit); r.btn.focus(); return; }
    r.form = assessForm(ctx, unit, store.assessmentOf(unit), {
      onDone: () => { r.form = null; r.formSlot.textContent = ""; fillRow(r, unit); r.btn.focus(); },
      onCancel: () => { r.form = null; r.formSlot.textContent = ""; fillRow(r, unit); r.btn.focus(); },
    });
    r.formSlot.append(r.form.el);
    fillRow(r, unit);
    r.form.focus();
  }

  render();
  return { el, update(c) { if (["snapshot", "followup", "roster", "lang"].includes(c.kind)) render(); }, destroy() {} };
}

/** One unit's assessment in words (or "not yet"). */
function assessmentView(unit, a) {
  return h("div", { class: "assess-view" },
    h("div", { class: "assess-unit-line" },
      h("span", { class: "assess-unit" }, unit),
      h("span", { class: "badge " + (a ? "badge-done" : "badge-pending") }, t(a ? "fu.assessed" : "fu.notAssessed"))),
    a ? h("div", { class: "assess-marks" }, mark(a.feasible, "fu.feasible"), mark(a.willingToHost, "fu.willing")) : null,
    a ? h("p", { class: "assess-comment" }, a.comment) : null,
    a ? h("p", { class: "muted small" }, t("fu.assessedBy", { who: a.byName || a.by || "", when: formatTime(a.at) })) : null);
}

/** A yes/no question as two radio "segments"; the first radio carries data-field. */
function yesNo(name, legendKey, value) {
  const base = nextId("yn-" + name);
  const yes = h("input", { type: "radio", name: base, value: "yes", id: base + "-y", "data-field": name, "aria-describedby": base + "-y-err" });
  const no = h("input", { type: "radio", name: base, value: "no", id: base + "-n" });
  if (value === true) yes.checked = true;
  if (value === false) no.checked = true;
  const el = h("fieldset", { class: "choice-group", dataset: { question: name } },
    h("legend", {}, h("span", { i18n: legendKey }), h("span", { class: "req", "aria-hidden": "true" }, " *")),
    h("div", { class: "segmented" },
      h("label", { for: yes.id, class: "seg" }, yes, h("span", { i18n: "yes" })),
      h("label", { for: no.id, class: "seg" }, no, h("span", { i18n: "no" }))),
    h("p", { class: "field-error", id: base + "-y-err", role: "alert", hidden: true }));
  return { el, value: () => (yes.checked ? true : no.checked ? false : null), yes };
}

/** The assessment form for one unit (feasible, willing to host, comment). */
function assessForm({ conn, meetingId }, unit, current, { onDone, onCancel, submitKey = "fu.assessSubmit" } = {}) {
  const feasible = yesNo("feasible", "fu.feasibleQ", current ? current.feasible : null);
  const willing = yesNo("willingToHost", "fu.willingQ", current ? current.willingToHost : null);
  const comment = h("textarea", { rows: "4", maxlength: "1000", class: "assess-text" });
  if (current) comment.value = current.comment || "";
  const form = h("form", { class: "stack assess-form", novalidate: true, dataset: { unit, op: "followup.assess" } },
    h("div", { class: "assess-questions" }, feasible.el, willing.el),
    field({ label: "fu.comment", name: "comment", input: comment, required: true, hintKey: "fu.commentHint" }),
    formError(),
    h("div", { class: "form-actions form-actions-start" },
      h("button", { type: "submit", class: "btn btn-primary", "data-action": "assess-submit", i18n: submitKey }),
      onCancel ? h("button", { type: "button", class: "btn btn-ghost", i18n: "cancel", onclick: onCancel }) : null));
  form.addEventListener("keydown", (e) => {
    if (e.key === "Escape" && onCancel) { e.preventDefault(); onCancel(); }
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) { e.preventDefault(); form.requestSubmit(); }
  });
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    clearErrors(form);
    const f = feasible.value();
    const w = willing.value();
    const text = comment.value.trim();
    if (f === null) { fieldError(form, "feasible", t("fu.chooseOne")); return; }
    if (w === null) { fieldError(form, "willingToHost", t("fu.chooseOne")); return; }
    if (!text) { fieldError(form, "comment", t("fu.commentRequired")); return; }
    await busy(form, async () => {
      try {
        await conn.call("followup.assess", { meeting: meetingId, unit, feasible: f, willingToHost: w, comment: text });
        toast(t("fu.assessSaved", { unit }), "info");
        announce(t("fu.assessSaved", { unit }));
        if (onDone) onDone();
      } catch (err) {
        showError(form, err);
      }
    });
  });
  return { el: form, focus: () => feasible.yes.focus() };
}

/** A unit participant's page after the meeting: its own unit's assessment, nothing else to fill. */
function ownAssessmentPart(ctx, m) {
  const { store } = ctx;
  const unit = m.ownUnit;
  const status = h("p", { class: "confirm-status", id: "my-assessment-status", "aria-live": "polite" });
  const slot = h("div", { id: "my-assessment-slot" });
  const el = h("section", { class: "card card-highlight fu-card", id: "my-assessment", "aria-labelledby": "my-assessment-h", dataset: { unit } },
    h("h2", { id: "my-assessment-h", i18n: "fu.myTitle" }),
    h("p", { class: "muted" }, t("fu.myIntro", { unit })),
    status,
    slot);
  let form = null;

  function render() {
    const a = store.assessmentOf(unit);
    status.textContent = a ? t("fu.mySent", { when: formatTime(a.at) }) : t("fu.myNone");
    status.dataset.confirmed = a ? "true" : "false";
    if (m.phase !== "ended") {
      form = null;
      put(slot, a ? assessmentView(unit, a) : h("p", { class: "muted", i18n: "fu.closedForAssess" }));
      return;
    }
    if (!form) {
      form = assessForm(ctx, unit, a, { submitKey: "fu.mySubmit", onDone: () => { form = null; render(); } });
      put(slot, form.el);
    }
  }
  render();
  // A form being filled keeps what was typed; only the status line follows the events.
  return { el, update(c) { if (["snapshot", "followup", "lang"].includes(c.kind)) render(); }, destroy() {} };
}

/** The company's further intent (mechanism 7 §5.3): a form for managers, the record for others. */
function intentPart({ conn, store, meetingId }, m) {
  const summary = h("div", { class: "intent-summary", id: "intent-summary" });
  const el = card("intent", "fu.intentTitle");
  el.append(h("p", { class: "muted small fu-intro", i18n: "fu.intentIntro" }), summary);
  let form = null;
  let touched = false;
  if (m.manager && m.phase === "ended") {
    const talks = yesNo("furtherTalks", "fu.furtherTalksQ", null);
    const district = h("input", { type: "text", maxlength: "60", autocomplete: "off" });
    const units = h("textarea", { rows: "2", maxlength: "2100" });
    const comment = h("textarea", { rows: "2", maxlength: "1000" });
    const rec = h("textarea", { rows: "2", maxlength: "1000" });
    form = h("form", { class: "stack", id: "intent-form", novalidate: true, "data-op": "followup.intent" },
      talks.el,
      h("div", { class: "form-grid" },
        field({ label: "fu.district", name: "district", input: district, optional: true, hintKey: "fu.districtHint" }),
        field({ label: "fu.unitsNeeded", name: "unitsNeeded", input: units, optional: true, hintKey: "fu.unitsNeededHint" }),
        field({ label: "fu.intentComment", name: "comment", input: comment, optional: true, wide: true }),
        field({ label: "fu.recommendation", name: "recommendation", input: rec, optional: true, wide: true, hintKey: "fu.recommendationHint" })),
      formError(),
      h("div", { class: "form-actions form-actions-start" }, h("button", { type: "submit", class: "btn btn-primary", id: "intent-submit", i18n: "fu.intentSubmit" })));
    form.addEventListener("input", () => { touched = true; });
    form.addEventListener("change", () => { touched = true; });
    form._fill = (i) => {
      talks.yes.checked = i ? i.furtherTalks === true : false;
      form.querySelector(`input[value=no][name="${talks.yes.name}"]`).checked = i ? i.furtherTalks === false : false;
      district.value = (i && i.district) || "";
      units.value = ((i && i.unitsNeeded) || []).join("\n");
      comment.value = (i && i.comment) || "";
      rec.value = (i && i.recommendation) || "";
    };
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      clearErrors(form);
      const ft = talks.value();
      if (ft === null) { fieldError(form, "furtherTalks", t("fu.chooseOne")); return; }
      const args = { meeting: meetingId, furtherTalks: ft };
      if (district.value.trim()) args.district = district.value.trim();
      const list = units.value.split(/[\n,，、;；]+/).map((s) => s.trim()).filter(Boolean);
      if (list.length) args.unitsNeeded = list;
      if (comment.value.trim()) args.comment = comment.value.trim();
      if (rec.value.trim()) args.recommendation = rec.value.trim();
      await busy(form, async () => {
        try {
          await conn.call("followup.intent", args);
          touched = false;
          toast(t("fu.intentSaved"), "info");
          announce(t("fu.intentSaved"));
        } catch (err) {
          showError(form, err);
        }
      });
    });
    el.append(form);
  }

  function render() {
    const i = store.followup && store.followup.intent;
    if (!i) {
      put(summary, h("p", { class: "muted", i18n: m.manager ? "fu.intentNoneManager" : "fu.intentNone" }));
    } else {
      const row = (k, v) => (v ? h("div", { class: "fact" }, h("dt", { i18n: k }), h("dd", {}, v)) : null);
      put(summary,
        h("dl", { class: "facts intent-facts" },
          row("fu.furtherTalks", t(i.furtherTalks ? "yes" : "no")),
          row("fu.district", i.district),
          row("fu.unitsNeeded", (i.unitsNeeded || []).join(t("phase.listSep"))),
          row("fu.intentComment", i.comment),
          row("fu.recommendation", i.recommendation)),
        h("p", { class: "muted small" }, t("fu.recordedAt", { when: formatTime(i.at) })));
    }
    if (form && !touched) form._fill(i);
  }
  render();
  return { el, update(c) { if (["snapshot", "followup", "lang"].includes(c.kind)) render(); }, destroy() {} };
}

function reportPart({ meetingId }) {
  const el = card("report-card", "fu.reportTitle");
  el.append(
    h("p", { class: "muted", i18n: "fu.reportIntro" }),
    h("div", { class: "form-actions form-actions-start" },
      h("a", { class: "btn btn-secondary", id: "report-open", href: `#/m/${encodeURIComponent(meetingId)}/report`, i18n: "fu.reportOpen" })));
  return { el, update() {}, destroy() {} };
}

/**
 * Dispatch (转办) to a handling unit, or close without dispatch with a reason.
 * The handling unit is a unit account: the admin picks it from account.list;
 * an organizer (who may not list accounts) types or pastes its id, helped by
 * the units of its own earlier records.
 */
function decidePart({ conn, actor, store, meetingId }, m) {
  const el = card("decide", "fu.decideTitle");
  el.append(h("p", { class: "muted small fu-intro", i18n: "fu.decideIntro" }));
  const category = store.meeting && store.meeting.project && store.meeting.project.category;
  let districtTouched = false;
  let district = null;
  const cleanups = [];

  if (m.dispatch) {
    const isAdmin = actor.kind === "admin";
    let unitInput;
    const listId = nextId("units-list");
    const datalist = h("datalist", { id: listId });
    if (isAdmin) {
      unitInput = h("select", {}, h("option", { value: "", i18n: "fu.unitPick" }));
    } else {
      unitInput = h("input", { type: "text", maxlength: "20", autocomplete: "off", autocapitalize: "characters", spellcheck: "false", class: "mono", list: listId, placeholder: "A-XXXXXX" });
    }
    const unitField = field({ label: "fu.handlingUnit", name: "handlingUnit", input: unitInput, required: true, hintKey: isAdmin ? "fu.handlingUnitAdminHint" : "fu.handlingUnitHint" });
    const stages = stagesOf(category);
    const chips = codeChips({ name: "stage", codes: stages, label: stageLabel, value: stages[0], legendKey: "fu.stage" });
    district = h("input", { type: "text", maxlength: "60", autocomplete: "off" });
    district.addEventListener("input", () => { districtTouched = true; });
    const summary = h("textarea", { rows: "3", maxlength: "2000" });
    const cm = commissionerFields();
    const form = h("form", { class: "stack", id: "dispatch-form", novalidate: true, "data-op": "dispatch.create" },
      h("h3", { class: "subhead subhead-tight", i18n: "fu.dispatchTitle" }),
      h("div", { class: "form-grid" }, unitField, field({ label: "fu.dispatchDistrict", name: "district", input: district, optional: true, hintKey: "fu.dispatchDistrictHint" })),
      datalist,
      cm,
      chips.el,
      field({ label: "fu.summary", name: "summary", input: summary, optional: true, hintKey: "fu.summaryHint" }),
      formError(),
      h("div", { class: "form-actions form-actions-start" }, h("button", { type: "submit", class: "btn btn-primary", id: "dispatch-submit", i18n: "fu.dispatchSubmit" })));
    el.append(form);

    // The units one may pick: all unit accounts for the admin; the organizer's earlier handling units.
    (async () => {
      try {
        if (isAdmin) {
          const r = await conn.call("account.list", {});
          const units = (r.accounts || []).filter((a) => a.kind === "unit");
          for (const a of units) unitInput.append(h("option", { value: a.id }, `${a.name} (${a.id})`));
          if (!units.length) unitField.querySelector(".hint").textContent = t("fu.noUnitAccounts");
        } else {
          const r = await conn.callAll("dispatch.list", {}, "records");
          const seen = new Map();
          for (const rec of r.records || []) if (rec.handlingUnit && rec.handlingUnit.id) seen.set(rec.handlingUnit.id, rec.handlingUnit.name);
          for (const [id, name] of seen) datalist.append(h("option", { value: id }, name));
        }
      } catch { /* typing the id still works */ }
    })();

    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      clearErrors(form);
      const unit = unitInput.value.trim().toUpperCase();
      if (!unit) { fieldError(form, "handlingUnit", t(isAdmin ? "fu.unitPickRequired" : "fu.unitRequired")); return; }
      if (!/^A-[0-9A-Z]+$/.test(unit)) { fieldError(form, "handlingUnit", t("fu.unitFormat")); return; }
      const commissioner = readCommissioner(form);
      const missing = missingCommissioner(commissioner);
      if (missing) { fieldError(form, missing, t("err.required")); return; }
      const stage = chips.value();
      if (!stage) { fieldError(form, "stage", t("fu.chooseOne")); return; }
      const args = { meeting: meetingId, handlingUnit: unit, commissioner, stage };
      if (district.value.trim()) args.district = district.value.trim();
      if (summary.value.trim()) args.summary = summary.value.trim();
      await busy(form, async () => {
        try {
          const r = await conn.call("dispatch.create", args);
          const id = r.record && r.record.id;
          toast(t("fu.dispatched", { id: id || "" }), "info");
          announce(t("fu.dispatched", { id: id || "" }));
        } catch (err) {
          showFormError(form, err);
        }
      });
    });
  } else {
    el.append(h("p", { class: "notice notice-info", i18n: "fu.dispatchByOrganizer" }));
  }

  if (m.close) {
    const reason = h("textarea", { rows: "3", maxlength: "500" });
    const form = h("form", { class: "stack", id: "close-form", novalidate: true, "data-op": "meeting.advance" },
      field({ label: "fu.closeReason", name: "reason", input: reason, required: true, hintKey: "fu.closeReasonHint" }),
      formError(),
      h("div", { class: "form-actions form-actions-start" }, h("button", { type: "submit", class: "btn btn-secondary btn-danger-text", id: "close-submit", i18n: "fu.closeSubmit" })));
    const details = h("details", { class: "add-details", id: "close-details" },
      h("summary", {}, h("span", { i18n: "fu.closeTitle" })),
      form);
    el.append(details);
    details.addEventListener("toggle", () => { if (details.open) reason.focus(); });
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      clearErrors(form);
      const text = reason.value.trim();
      if (!text) { fieldError(form, "reason", t("fu.closeReasonRequired")); return; }
      await busy(form, async () => {
        try {
          await conn.call("meeting.advance", { meeting: meetingId, to: "closed", reason: text });
          toast(t("fu.closed"), "info");
          announce(t("fu.closed"));
        } catch (err) {
          showError(form, err);
        }
      });
    });
  }

  function prefill() {
    // The district defaults to the company's intended one, until the person types their own.
    const i = store.followup && store.followup.intent;
    if (district && !districtTouched) district.value = (i && i.district) || "";
  }
  prefill();
  return { el, update(c) { if (["snapshot", "followup"].includes(c.kind)) prefill(); }, destroy() { for (const f of cleanups) f(); } };
}
