// Correcting a meeting (meeting.update): title, start time, duration, the
// meeting system with its room and link, the company's contact. Only what
// changed is sent; an emptied optional field is cleared (""). A start time in
// the past is said beside the field, and still allowed (the meeting may have
// started already). Every open page of the meeting hears meeting.updated.
import { h, field, select, clearErrors, fieldError, busy, showError, formError, announce, toast } from "./dom.js";
import { t, getLang, localToZoned, zonedLocalValue, zoneLabel, timeZone } from "./i18n.js";
import { OPEN_PHASES } from "./live-shared.js";
import { codes } from "./catalogue.js";

/** The kind of meeting (project_pitch 企业项目路演, exchange 线上交流, symposium 线上座谈), from the server's list. */
function kindSelect() {
  const list = codes("meetingKinds");
  return select((list.length ? list : ["project_pitch", "exchange", "symposium"]).map((c) => [c, "mkind." + c]), "project_pitch");
}

/**
 * mountMeetingEdit(slot, {conn, meetingId, store}) → {button, destroy}.
 * `button` opens the form in `slot`; it is hidden when this viewer may not
 * update the meeting or the meeting is no longer open.
 */
export function mountMeetingEdit(slot, { conn, meetingId, store }) {
  const button = h("button", { type: "button", class: "btn btn-secondary btn-sm", id: "meeting-edit", "aria-expanded": "false", "aria-controls": "meeting-edit-panel" },
    h("span", { "aria-hidden": "true" }, "✎ "), h("span", { i18n: "medit.button" }));
  let panel = null;

  const canEdit = () => !!store.meeting && store.may("meeting.update") && OPEN_PHASES.has(store.meeting.phase);

  function close() {
    if (panel) { panel.remove(); panel = null; }
    button.setAttribute("aria-expanded", "false");
  }

  function open() {
    const m = store.meeting;
    if (!m) return;
    const startLabel = timeZone() === "Asia/Shanghai" ? { label: "form.startsAt" } : { label: "form.startsAtZone", labelVars: { zone: zoneLabel() } };
    const pastNote = h("p", { class: "notice notice-warn medit-past field-wide", id: "meeting-edit-past", role: "status", hidden: true });
    const form = h("form", { class: "form-grid", novalidate: true, id: "meeting-edit-form", "data-op": "meeting.update" },
      field({ label: "form.title", name: "title", required: true, wide: true, attrs: { maxlength: "200", autocomplete: "off" } }),
      field({ ...startLabel, name: "startsAt", type: "datetime-local", required: true }),
      field({ label: "form.duration", name: "durationMinutes", type: "number", required: true, attrs: { min: "10", max: "1440", step: "5", inputmode: "numeric" } }),
      field({ label: "form.kind", name: "kind", required: true, input: kindSelect() }),
      pastNote,
      field({ label: "form.system.name", name: "system.name", required: true, attrs: { maxlength: "60", list: "systems-list-edit", autocomplete: "off" } }),
      field({ label: "form.system.room", name: "system.room", optional: true, attrs: { maxlength: "60", autocomplete: "off" } }),
      field({ label: "form.system.link", name: "system.link", type: "url", optional: true, wide: true, attrs: { placeholder: "https://", autocomplete: "off" } }),
      field({ label: "form.company.contact", name: "company.contact", optional: true, attrs: { maxlength: "100", autocomplete: "off" } }),
      field({ label: "form.company.phone", name: "company.phone", type: "tel", optional: true, attrs: { autocomplete: "off" } }),
      h("datalist", { id: "systems-list-edit" }, ["腾讯会议", "Zoom", "企业微信", "钉钉"].map((s) => h("option", { value: s }))),
      h("p", { class: "hint field-wide", i18n: "medit.hint" }),
      formError(),
      h("div", { class: "form-actions" },
        h("button", { type: "button", class: "btn btn-ghost", dataset: { action: "cancel" }, i18n: "cancel", onclick: () => { close(); button.focus(); } }),
        h("button", { type: "submit", class: "btn btn-primary", id: "meeting-edit-submit", i18n: "medit.save" })));
    const initial = {
      title: m.title || "",
      startsAt: m.startsAt ? zonedLocalValue(new Date(m.startsAt)) : "",
      durationMinutes: String(m.durationMinutes || ""),
      kind: m.kind || "project_pitch",
      "system.name": (m.system && m.system.name) || "",
      "system.room": (m.system && m.system.room) || "",
      "system.link": (m.system && m.system.link) || "",
      "company.contact": (m.company && m.company.contact) || "",
      "company.phone": (m.company && m.company.phone) || "",
    };
    for (const [k, v] of Object.entries(initial)) form.querySelector(`[data-field="${k}"]`).value = v;
    const startInput = form.querySelector("[data-field=startsAt]");
    const checkPast = () => {
      const iso = localToZoned(startInput.value);
      const past = !!iso && new Date(iso).getTime() < Date.now();
      pastNote.hidden = !past;
      pastNote.textContent = past ? t("medit.past") : "";
      return past;
    };
    startInput.addEventListener("input", checkPast);
    startInput.addEventListener("change", checkPast);
    checkPast();

    form.addEventListener("keydown", (e) => { if (e.key === "Escape") { e.preventDefault(); close(); button.focus(); } });
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      clearErrors(form);
      const val = (k) => form.querySelector(`[data-field="${k}"]`).value.trim();
      // Every required field checked at once; the first wrong one gets the keyboard.
      const wrong = [];
      for (const k of ["title", "startsAt", "durationMinutes", "system.name"]) if (!val(k)) wrong.push([k, k === "startsAt" ? t("err.invalidTime") : t("err.required")]);
      const startsAt = val("startsAt") ? localToZoned(val("startsAt")) : null;
      if (val("startsAt") && !startsAt) wrong.push(["startsAt", t("err.invalidTime")]);
      const duration = Number(val("durationMinutes"));
      // The range is the server's rule: it answers with every faulty field at once.
      if (val("durationMinutes") && !Number.isFinite(duration)) wrong.push(["durationMinutes", t("medit.duration")]);
      if (wrong.length) {
        for (const [k, text] of wrong.reverse()) fieldError(form, k, text);
        return;
      }
      const cur = store.meeting || m;
      const args = { meeting: meetingId };
      if (val("title") !== cur.title) args.title = val("title");
      if (startsAt && new Date(startsAt).getTime() !== new Date(cur.startsAt).getTime()) args.startsAt = startsAt;
      if (duration !== cur.durationMinutes) args.durationMinutes = duration;
      if (val("kind") && val("kind") !== (cur.kind || "project_pitch")) args.kind = val("kind");
      const part = (obj, keys, from) => {
        const out = {};
        for (const k of keys) {
          const v = val(obj + "." + k);
          if (v !== ((from && from[k]) || "")) out[k] = v; // "" clears
        }
        return Object.keys(out).length ? out : null;
      };
      const system = part("system", ["name", "room", "link"], cur.system);
      if (system) args.system = system;
      const company = part("company", ["contact", "phone"], cur.company);
      if (company) args.company = company;
      if (Object.keys(args).length === 1) { close(); button.focus(); return; }
      await busy(form, async () => {
        try {
          const r = await conn.call("meeting.update", args);
          close();
          toast(t("medit.saved"), "info");
          announce(t("medit.saved"));
          // The server's warnings (a start time in the past): said, not refused.
          for (const w of (r && Array.isArray(r.warnings) ? r.warnings : [])) {
            const text = (w.text && (w.text[getLang()] || w.text.zh)) || w.message;
            if (text) toast(text, "info", 8000);
          }
          button.focus();
        } catch (err) {
          showError(form, err);
        }
      });
    });
    panel = h("section", { class: "card medit-card", id: "meeting-edit-panel", "aria-labelledby": "meeting-edit-h" },
      h("div", { class: "section-head" }, h("h2", { id: "meeting-edit-h", i18n: "medit.title" })),
      form);
    slot.append(panel);
    button.setAttribute("aria-expanded", "true");
    form.querySelector("[data-field=title]").focus();
  }

  button.addEventListener("click", () => { if (panel) { close(); button.focus(); } else open(); });

  function render() {
    button.hidden = !canEdit();
    if (!canEdit()) close();
  }
  const off = store.subscribe((c) => { if (["snapshot", "meeting", "viewer"].includes(c.kind)) render(); });
  render();
  return { button, render, destroy() { off(); close(); } };
}
