// The agenda of the meeting: planned before it, run during it (start, next,
// move, edit), and kept after it with planned against actual time.
import { h, put, busy, showError, formError, confirmDialog, nextId, clearErrors, fieldError, announce } from "./dom.js";
import { t, roleLabel, getLang, meetingKindLabel } from "./i18n.js";
import { secondsSince, formatClock, onTick } from "./timer.js";
import { act, lock, card, setText, syncKeyed, limitLabel, PLAN_PHASES, OPEN_PHASES } from "./live-shared.js";

const LIMITS = [30, 60, 120, 180, 300, 600];

/**
 * The agenda with planned and actual time. editable: this view lets the agenda
 * change (not the record after the meeting); then the controls are those this
 * viewer's ops allow (snapshot.viewer.ops): add, edit, move, remove, start.
 */
export function agendaCard(ctx, { editable, hideEmpty = false }) {
  const { conn, meetingId, store } = ctx;
  const manage = editable && store.may("agenda.update");
  const mayAdd = editable && store.may("agenda.add");
  const summary = h("span", { class: "count", id: "agenda-summary" });
  const el = card("live-agenda", "agenda.title", summary);
  const list = h("ol", { class: "agenda-list", id: "agenda-list" });
  const empty = h("p", { class: "empty", id: "agenda-empty" });
  // The meeting kind's suggested agenda (agenda.suggest), offered while the agenda is empty.
  const maySuggest = editable && store.may("agenda.suggest");
  const suggest = maySuggest ? h("button", { type: "button", class: "btn btn-secondary btn-sm", id: "agenda-suggest", hidden: true }) : null;
  if (suggest) {
    suggest.addEventListener("click", () => act(suggest, conn, "agenda.suggest",
      { meeting: meetingId, language: getLang() === "en" ? "en" : "zh" }, { onDone: () => announce(t("agenda.suggested")) }));
  }
  el.append(list, empty);
  if (suggest) el.append(suggest);
  const els = new Map();
  const editing = new Set();

  // add form
  let addForm = null;
  let addDetails = null;
  if (mayAdd) {
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
    const form = h("form", { class: "agenda-form", novalidate: true, "data-op": "agenda.add" },
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
        const cur = store.agenda.find((x) => x.id === item.id);
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
    } else if (item.status === "running" && store.phase === "live") {
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
    const shownStatus = item.status === "running" && store.phase !== "live" && !PLAN_PHASES.has(store.phase) ? "unfinished" : item.status;
    p.status.className = `agenda-status badge status-${shownStatus}`;
    p.status.textContent = t("agenda.status." + shownStatus);
    if (manage) {
      const n = store.agenda.length;
      const open = OPEN_PHASES.has(store.phase);
      p.actions.hidden = !open;
      p.start.hidden = store.phase !== "live" || item.status === "running" || !store.may("agenda.start");
      p.up.hidden = p.down.hidden = !store.may("agenda.move");
      p.remove.hidden = !store.may("agenda.remove");
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
    const i = store.agenda.findIndex((x) => x.id === id);
    const to = i + delta;
    if (i < 0 || to < 0 || to >= store.agenda.length) return;
    await act(btn, conn, "agenda.move", { meeting: meetingId, item: id, position: to + 1 });
    // Keep the focus on the moved item's button (or its other arrow at an edge).
    const li = els.get(id);
    if (li) {
      const b = li._parts[delta < 0 ? "up" : "down"];
      (b.disabled ? li._parts[delta < 0 ? "down" : "up"] : b).focus();
    }
  }

  async function removeItem(id, btn) {
    const item = store.agenda.find((x) => x.id === id);
    if (!item) return;
    if (!(await confirmDialog(t("agenda.removeConfirm", { title: item.title })))) { btn.focus(); return; }
    await act(btn, conn, "agenda.remove", { meeting: meetingId, item: id });
  }

  function startEdit(id) {
    const item = store.agenda.find((x) => x.id === id);
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
    const items = store.agenda;
    empty.textContent = t(manage ? "agenda.emptyManage" : "agenda.empty");
    empty.hidden = items.length > 0;
    if (suggest) {
      suggest.hidden = items.length > 0 || !OPEN_PHASES.has(store.phase);
      suggest.textContent = `${t("agenda.suggest")}（${meetingKindLabel(store.meeting && store.meeting.kind)}）`;
    }
    if (hideEmpty) el.hidden = !items.length; // a participant sees the agenda once there is one
    const index = new Map(items.map((x, i) => [x.id, i]));
    const lost = syncKeyed(list, items, els, make, (li, item) => fill(li, item, index.get(item.id)));
    if (lost) {
      const target = list.querySelector("[data-action=edit-item]") || (addDetails && addDetails.querySelector("summary"));
      if (target) target.focus({ preventScroll: true });
    }
    if (addDetails) addDetails.hidden = !OPEN_PHASES.has(store.phase);
    tick();
  }

  function renderSummary() {
    const items = store.agenda;
    const planned = items.reduce((s, i) => s + (i.minutes || 0), 0);
    const end = store.phase === "live" ? null : endedAt();
    const until = (i) => i.finishedAt || end;
    const actual = items.reduce((s, i) => s + (i.startedAt ? (until(i) ? Math.max(0, Math.round((Date.parse(until(i)) - Date.parse(i.startedAt)) / 1000)) : (store.phase === "live" ? secondsSince(i.startedAt) : 0)) : 0), 0);
    setText(summary, items.length ? (items.some((i) => i.startedAt)
      ? t("agenda.summaryActual", { planned, actual: formatClock(actual) })
      : t("agenda.summary", { planned })) : "");
  }

  function tick() {
    renderSummary();
    for (const span of list.querySelectorAll(".agenda-running")) {
      const li = span.closest(".agenda-item");
      const item = li && store.agenda.find((x) => x.id === li.dataset.id);
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
