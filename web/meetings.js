// The organizer's home: its meetings and the form to create one.
import { h, field, select, clearErrors, fieldError, busy, showError, formError, toast, errorText, readForm } from "./dom.js";
import { t, getLang, formatTime, onLangChange, localToZoned, zonedLocalValue, zoneLabel, timeZone } from "./i18n.js";
import { codes } from "./catalogue.js";
import { phaseBadge } from "./meetingview.js";

const SYSTEMS = ["腾讯会议", "Zoom", "企业微信", "钉钉"];

export function mountMeetings(main, { conn, navigate }) {
  let meetings = [];
  let loaded = false;

  const list = h("ul", { class: "meeting-list", id: "meeting-list", "aria-live": "polite", "aria-busy": "true" });
  const count = h("span", { class: "count" });
  const form = meetingForm();
  const toggle = h("button", { type: "button", class: "btn btn-primary", id: "new-meeting", "aria-expanded": "false", "aria-controls": "new-meeting-panel" },
    h("span", { "aria-hidden": "true" }, "＋ "), h("span", { i18n: "meetings.new" }));
  const panel = h("section", { class: "card", id: "new-meeting-panel", "aria-labelledby": "new-meeting-h", hidden: true },
    h("h2", { id: "new-meeting-h", i18n: "meetings.new" }),
    form);

  function setOpen(open) {
    panel.hidden = !open;
    toggle.setAttribute("aria-expanded", String(open));
    if (open) form.querySelector("input").focus();
  }
  toggle.addEventListener("click", () => setOpen(panel.hidden));
  form.querySelector("[data-action=cancel]").addEventListener("click", () => { setOpen(false); toggle.focus(); });

  main.append(
    h("div", { class: "page-head" },
      h("div", {}, h("h1", { i18n: "meetings.title" }), count),
      toggle),
    panel,
    h("section", { "aria-label": t("meetings.title") }, list));

  function render() {
    list.textContent = "";
    list.setAttribute("aria-busy", String(!loaded));
    count.textContent = meetings.length ? t("meetings.count", { n: meetings.length }) : "";
    if (!loaded) { list.append(h("li", { class: "empty muted", i18n: "loading" })); return; }
    if (!meetings.length) { list.append(h("li", { class: "empty card", i18n: "meetings.empty" })); return; }
    const sorted = [...meetings].sort((a, b) => String(a.startsAt).localeCompare(String(b.startsAt)));
    for (const m of sorted) {
      list.append(h("li", { class: "meeting-item", dataset: { id: m.id } },
        h("a", { class: "card meeting-card", href: `#/m/${encodeURIComponent(m.id)}` },
          h("div", { class: "meeting-card-top" },
            h("span", { class: "meeting-card-title" }, m.title),
            phaseBadge(m.phase)),
          h("div", { class: "meeting-card-meta muted" },
            h("span", {}, (m.company && m.company.name) || ""),
            h("time", { datetime: m.startsAt }, formatTime(m.startsAt, { withWeekday: true }))))));
    }
  }

  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    clearErrors(form);
    const args = readMeetingForm(form);
    if (!args) return;
    await busy(form, async () => {
      try {
        const r = await conn.call("meeting.create", args);
        form.reset();
        resetDefaults(form);
        setOpen(false);
        if (r.meeting && !meetings.some((m) => m.id === r.meeting.id)) meetings.push(r.meeting);
        render();
        toast(t("meetings.created"), "info");
        // The server's warnings (a start time in the past): said, not refused.
        for (const w of (Array.isArray(r.warnings) ? r.warnings : [])) {
          const text = (w.text && (w.text[getLang()] || w.text.zh)) || w.message;
          if (text) toast(text, "info", 8000);
        }
        if (r.meeting) navigate(`#/m/${encodeURIComponent(r.meeting.id)}`);
      } catch (err) {
        showError(form, err);
      }
    });
  });

  async function load() {
    try {
      const r = await conn.callAll("meeting.list", {}, "meetings");
      meetings = r.meetings || [];
      loaded = true;
      render();
      if (!meetings.length && panel.hidden) setOpen(true);
    } catch (err) {
      toast(errorText(err), "error");
    }
  }

  render();
  load();
  conn.addEventListener("ready", load);
  const off = onLangChange(render);
  return () => { conn.removeEventListener("ready", load); off(); };
}

function meetingForm() {
  const datalist = h("datalist", { id: "systems-list" }, SYSTEMS.map((s) => h("option", { value: s })));
  const section = (key, ...fields) => h("fieldset", { class: "form-section" },
    h("legend", { i18n: key }),
    h("div", { class: "form-grid" }, ...fields));
  const form = h("form", { class: "stack", novalidate: true, id: "meeting-form", "data-op": "meeting.create" },
    section("form.section.meeting",
      field({ label: "form.title", name: "title", required: true, placeholderKey: "form.titleHint", wide: true, attrs: { maxlength: "200" } }),
      // China time by default; the server's zone when it is configured otherwise.
      timeZone() === "Asia/Shanghai"
        ? field({ label: "form.startsAt", name: "startsAt", type: "datetime-local", required: true })
        : field({ label: "form.startsAtZone", labelVars: { zone: zoneLabel() }, name: "startsAt", type: "datetime-local", required: true }),
      field({ label: "form.duration", name: "durationMinutes", type: "number", required: true, attrs: { min: "10", max: "1440", step: "5", inputmode: "numeric" } }),
      field({ label: "form.kind", name: "kind", required: true, input: select(codes("meetingKinds").map((c) => [c, "mkind." + c]), "project_pitch") })),
    section("form.section.company",
      field({ label: "form.company.name", name: "company.name", required: true, wide: true, attrs: { autocomplete: "organization" } }),
      field({ label: "form.company.contact", name: "company.contact", optional: true, attrs: { autocomplete: "name" } }),
      field({ label: "form.company.phone", name: "company.phone", type: "tel", optional: true, attrs: { autocomplete: "tel" } })),
    section("form.section.project",
      field({ label: "form.project.name", name: "project.name", required: true, wide: true }),
      field({ label: "form.project.category", name: "project.category", required: true, input: select(codes("categories").map((c) => [c, "category." + c]), "industrial") }),
      field({ label: "form.project.industry", name: "project.industry", optional: true }),
      field({ label: "form.project.investment", name: "project.investment", type: "number", optional: true, attrs: { min: "0", step: "0.01", inputmode: "decimal" } })),
    section("form.section.system",
      field({ label: "form.system.name", name: "system.name", required: true, hintKey: "form.system.nameHint", attrs: { list: "systems-list", autocomplete: "off" } }),
      field({ label: "form.system.room", name: "system.room", optional: true, attrs: { autocomplete: "off" } }),
      field({ label: "form.system.link", name: "system.link", type: "url", optional: true, wide: true, attrs: { placeholder: "https://", autocomplete: "off" } })),
    datalist,
    formError(),
    h("div", { class: "form-actions" },
      h("button", { type: "button", class: "btn btn-ghost", "data-action": "cancel", i18n: "cancel" }),
      h("button", { type: "submit", class: "btn btn-primary", id: "meeting-submit", i18n: "form.create" })));
  resetDefaults(form);
  return form;
}

function resetDefaults(form) {
  const tomorrow = new Date(Date.now() + 24 * 3600 * 1000);
  form.querySelector("[data-field=startsAt]").value = zonedLocalValue(tomorrow).slice(0, 11) + "14:00";
  form.querySelector("[data-field=durationMinutes]").value = "90";
  form.querySelector("[data-field='system.name']").value = SYSTEMS[0];
}

/** Reads and checks the form; returns the args of meeting.create, or null after marking a field. */
function readMeetingForm(form) {
  const v = readForm(form);
  for (const name of ["title", "startsAt", "durationMinutes", "company.name", "project.name", "system.name"]) {
    const input = form.querySelector(`[data-field="${name}"]`);
    if (!input.value.trim()) { fieldError(form, name, name === "startsAt" ? t("err.invalidTime") : t("err.required")); return null; }
  }
  const startsAt = localToZoned(v.startsAt);
  if (!startsAt) { fieldError(form, "startsAt", t("err.invalidTime")); return null; }
  const duration = Number(v.durationMinutes);
  if (!Number.isInteger(duration) || duration <= 0) { fieldError(form, "durationMinutes", t("err.number")); return null; }
  const project = { name: v.project.name, category: v.project.category };
  if (v.project.industry) project.industry = v.project.industry;
  if (v.project.investment !== undefined) {
    const n = Number(v.project.investment);
    if (!Number.isFinite(n) || n < 0) { fieldError(form, "project.investment", t("err.number")); return null; }
    project.investment = n;
  }
  const investmentInput = form.querySelector("[data-field='project.investment']");
  if (investmentInput.validity.badInput) { fieldError(form, "project.investment", t("err.number")); return null; }
  return {
    title: v.title,
    kind: v.kind || "project_pitch",
    company: v.company,
    project,
    startsAt,
    durationMinutes: duration,
    system: v.system,
  };
}
