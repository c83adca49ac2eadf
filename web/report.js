// The report to leadership (向领导汇报, mechanism 7 §5.1) as a printable A4
// document: the meeting's facts, attendance, the company's intent, needs and
// prospects, decisions and actions, each unit's assessment and willingness to
// host, the company's further intent, the recommendation, and an empty space
// for the leader's instruction (领导批示). followup.report gives it; the page
// follows the meeting stream and reads it again when the follow-up changes.
import { h, put, toast, errorText, announce } from "./dom.js";
import { t, formatTime, formatDate, categoryLabel, formatNumber, onLangChange, zoneLabel } from "./i18n.js";
import { MeetingStore, followMeeting } from "./store.js";
import { docToolbar, downloadFile } from "./dispatch-shared.js";
import { docLang, docxButton } from "./minutes.js";

export function mountLeaderReport(main, { conn }, meetingId) {
  let data = null;
  const doc = h("article", { class: "doc doc-report", id: "leader-report", "aria-busy": "true" },
    h("div", { class: "loading" }, h("span", { class: "spinner", "aria-hidden": "true" }), h("span", { i18n: "loading" })));
  const toolbar = docToolbar({
    backHref: `#/m/${encodeURIComponent(meetingId)}`,
    backKey: "doc.backMeeting",
    extra: docxButton(conn, "followup.report", { meeting: meetingId }, { id: "report-docx" }),
    onDownload: () => {
      if (!data) return;
      const name = data.filename || "report.md";
      downloadFile(data.markdown || "", name, "text/markdown;charset=utf-8");
      announce(t("live.downloaded", { file: name }));
    },
  });
  main.append(toolbar, h("div", { class: "doc-page" }, doc));

  let serial = 0;
  async function load() {
    const mine = ++serial;
    try {
      const r = await conn.call("followup.report", { meeting: meetingId, lang: docLang() });
      if (mine !== serial) return;
      data = r;
      render();
    } catch (err) {
      if (mine !== serial) return;
      data = null;
      doc.removeAttribute("aria-busy");
      put(doc, h("h1", { i18n: "doc.reportUnavailable" }), h("p", { class: "muted" }, errorText(err)));
    }
  }

  function render() {
    if (!data) return;
    const r = data.report || {};
    const m = r.meeting || {};
    const c = m.company || {};
    const p = m.project || {};
    const s = m.system || {};
    doc.removeAttribute("aria-busy");
    document.title = `${r.title || t("doc.reportTitle")} · ${t("app.name")}`;
    const projectBits = [p.name, categoryLabel(p.category), p.industry, typeof p.investment === "number" ? t("m.investment", { n: formatNumber(p.investment) }) : null].filter(Boolean);
    const att = r.attendance || {};
    const sep = t("phase.listSep");
    const n = numberer();
    const list = (items) => (items && items.length ? h("ol", { class: "doc-list" }, items.map((x) => h("li", {}, x))) : h("p", { class: "doc-none", i18n: "doc.none" }));
    const section = (key, ...body) => h("section", { class: "doc-section" }, h("h2", {}, `${n()}${t(key)}`), ...body);
    const intent = r.companyIntent;
    put(doc,
      h("header", { class: "doc-head" },
        h("p", { class: "doc-kicker", i18n: "doc.reportKicker" }),
        h("h1", { class: "doc-title", id: "report-title" }, r.title || t("doc.reportTitle")),
        h("p", { class: "doc-sub" }, [m.ownerName, r.generatedAt ? formatDateOf(r.generatedAt) : null].filter(Boolean).join(" · "))),
      section("doc.facts",
        h("table", { class: "doc-table doc-facts" }, h("tbody", {},
          factRow("doc.meeting", m.title),
          factRow("doc.time", m.startsAt ? `${formatTime(m.startsAt, { withWeekday: true })}（${zoneLabel(new Date(m.startsAt))}）` : ""),
          factRow("doc.system", [s.name, s.room].filter(Boolean).join(" ")),
          factRow("doc.chair", r.chair || "—"),
          factRow("doc.company", [c.name, c.contact].filter(Boolean).join(" · ")),
          factRow("doc.project", projectBits.join(" · "))))),
      section("doc.attendance",
        h("p", {}, h("strong", { i18n: "doc.present" }), (att.present || []).join(sep) || t("doc.none")),
        att.absent && att.absent.length ? h("p", {}, h("strong", { i18n: "doc.absent" }), att.absent.join(sep)) : null,
        att.leftEarly && att.leftEarly.length ? h("p", {}, h("strong", { i18n: "doc.leftEarly" }),
          att.leftEarly.map((x) => (x.reason ? `${x.name}（${x.reason}）` : x.name)).join(sep)) : null),
      section("doc.intent", list(r.intent)),
      section("doc.needs", list(r.needs)),
      section("doc.prospects", list(r.prospects)),
      section("doc.decisions",
        r.decisions && r.decisions.length ? list(r.decisions) : r.actions && r.actions.length ? null : list([]),
        r.actions && r.actions.length ? h("table", { class: "doc-table" },
          h("thead", {}, h("tr", {}, h("th", { i18n: "doc.action" }), h("th", { i18n: "doc.owner" }), h("th", { i18n: "doc.due" }))),
          h("tbody", {}, r.actions.map((a) => h("tr", {}, h("td", {}, a.text), h("td", {}, a.owner || "—"), h("td", { class: "nowrap" }, a.due ? formatDate(a.due) : "—"))))) : null),
      section("doc.assessments",
        r.assessments && r.assessments.length ? h("table", { class: "doc-table", id: "report-assessments" },
          h("thead", {}, h("tr", {}, h("th", { i18n: "doc.unit" }), h("th", { i18n: "doc.feasible" }), h("th", { i18n: "doc.willing" }), h("th", { i18n: "doc.comment" }))),
          h("tbody", {}, r.assessments.map((a) => h("tr", {},
            h("td", { class: "nowrap" }, a.unit),
            h("td", { class: "nowrap" }, t(a.feasible ? "yes" : "no")),
            h("td", { class: "nowrap" }, t(a.willingToHost ? "doc.willingYes" : "doc.willingNo")),
            h("td", {}, a.comment))))) : h("p", { class: "doc-none", i18n: "doc.noAssessments" }),
        r.pendingUnits && r.pendingUnits.length ? h("p", { class: "doc-pending" }, h("strong", { i18n: "doc.pending" }), r.pendingUnits.join(sep)) : null),
      section("doc.furtherIntent",
        intent ? h("table", { class: "doc-table doc-facts" }, h("tbody", {},
          factRow("doc.furtherTalks", t(intent.furtherTalks ? "yes" : "no")),
          factRow("doc.district", intent.district || "—"),
          factRow("doc.unitsNeeded", (intent.unitsNeeded || []).join(sep) || "—"),
          intent.comment ? factRow("doc.intentComment", intent.comment) : null)) : h("p", { class: "doc-none", i18n: "doc.noIntent" })),
      section("doc.recommendation", h("p", { class: "doc-recommendation" }, r.recommendation || "—"),
        r.dispatch ? h("p", { class: "muted" }, t("doc.dispatchedAs", { id: r.dispatch })) : null),
      h("section", { class: "doc-instruction", id: "leader-instruction", "aria-labelledby": "instr-h" },
        h("h2", { id: "instr-h", i18n: "doc.instruction" }),
        h("div", { class: "doc-instruction-box" }),
        h("p", { class: "doc-sign" }, h("span", { i18n: "doc.signature" }), h("span", { i18n: "doc.signDate" }))),
      h("footer", { class: "doc-foot" },
        h("p", {}, m.ownerName || ""),
        h("p", {}, r.generatedAt ? formatDateOf(r.generatedAt) : "")));
  }

  // The report follows the meeting: read it again (at most every 1.5 s) when the follow-up changes.
  const store = new MeetingStore();
  let timer = null;
  const offStore = store.subscribe((change) => {
    if (change.kind === "snapshot") { load(); return; }
    if (["followup", "minutes", "meeting", "roster"].includes(change.kind)) {
      clearTimeout(timer);
      timer = setTimeout(load, 1500);
    }
  });
  const unsubscribe = followMeeting(conn, meetingId, store, {
    onError: (err) => { toast(errorText(err), "error"); load(); },
  });
  // The report is written in one language: the page's (asked for again when it changes).
  const offLang = onLangChange(() => { render(); load(); });
  return () => { clearTimeout(timer); unsubscribe(); offStore(); offLang(); };
}

function factRow(key, value) {
  return h("tr", {}, h("th", { scope: "row", i18n: key }), h("td", {}, value || "—"));
}

/** 一、二、三… in Chinese, 1. 2. 3. in English. */
function numberer() {
  let i = 0;
  return () => t("doc.num." + ++i);
}

/** The calendar day of an instant in the server's zone. */
function formatDateOf(iso) {
  const s = formatTime(iso);
  return s.replace(/\s*\d{1,2}:\d{2}\s*$/, "").replace(/,\s*$/, "");
}
