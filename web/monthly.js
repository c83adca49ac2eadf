// The monthly bulletin (每月信息专报, mechanism 6 §3): a month picker, the
// month's counts, a bar chart of projects by stage that the page draws itself
// (inline SVG), and the server's Markdown rendered as the document, with its
// header (issue, issuing unit, date) and distribution. The print stylesheet
// prints only the document, on A4.
import { h, put, busy, showError, clearErrors, fieldError, formError, announce, field } from "./dom.js";
import { t, onLangChange, formatNumber } from "./i18n.js";
import { codes } from "./catalogue.js";
import { renderMarkdown } from "./markdown.js";
import { stageLabel, calendarNotice, thisMonth, downloadFile, docToolbar } from "./dispatch-shared.js";
import { docLang, docxButton, renderDocument } from "./minutes.js";

const SVG = "http://www.w3.org/2000/svg";

export function mountMonthly(main, { conn, actor }, { month: initial } = {}) {
  let data = null;
  let lastArgs = null;
  const month = h("input", { type: "month", max: thisMonth(), value: /^\d{4}-\d{2}$/.test(initial || "") ? initial : thisMonth(), required: true, pattern: "\\d{4}-\\d{2}", placeholder: "YYYY-MM" });
  const issue = h("input", { type: "number", min: "1", max: "999", step: "1", inputmode: "numeric" });
  const issuer = h("input", { type: "text", maxlength: "100", autocomplete: "organization", placeholder: actor.name || "" });
  const form = h("form", { class: "inline-form monthly-form", id: "monthly-form", novalidate: true },
    field({ label: "mr.month", name: "month", input: month, required: true }),
    field({ label: "mr.issue", name: "issue", input: issue, optional: true }),
    field({ label: "mr.issuer", name: "issuer", input: issuer, optional: true }),
    h("div", { class: "inline-form-submit" }, h("button", { type: "submit", class: "btn btn-primary", id: "monthly-submit", i18n: "mr.generate" })),
    formError());
  const counts = h("div", { class: "mr-counts", id: "monthly-counts" });
  const calSlot = h("div", { id: "monthly-calendar" });
  const doc = h("article", { class: "doc doc-bulletin", id: "monthly-doc", "aria-live": "polite" });
  const toolbar = docToolbar({
    backHref: "#/d",
    backKey: "mr.back",
    // The Word file of the bulletin on screen (its month, issue and issuer).
    extra: docxButton(conn, "report.monthly", () => lastArgs || { month: month.value.trim() }, { id: "monthly-docx" }),
    onDownload: () => {
      if (!data) return;
      const name = data.filename || `monthly-${data.month}.md`;
      downloadFile(data.markdown || "", name, "text/markdown;charset=utf-8");
      announce(t("live.downloaded", { file: name }));
    },
  });
  main.append(
    toolbar,
    h("div", { class: "page-head no-print" }, h("div", {}, h("h1", { i18n: "mr.title" }), h("p", { class: "muted", i18n: "mr.intro" }))),
    h("section", { class: "card no-print", "aria-label": t("mr.title") }, form),
    h("div", { class: "no-print" }, counts, calSlot),
    h("div", { class: "doc-page" }, doc));

  async function load() {
    clearErrors(form);
    const m = month.value.trim();
    if (!/^\d{4}-\d{2}$/.test(m)) { fieldError(form, "month", t("mr.monthRequired")); return; }
    const args = { month: m };
    if (issue.value.trim()) {
      const n = Number(issue.value);
      if (!Number.isInteger(n) || n < 1 || n > 999) { fieldError(form, "issue", t("mr.issueRange")); return; }
      args.issue = n;
    }
    if (issuer.value.trim()) args.issuer = issuer.value.trim();
    args.lang = docLang();
    await busy(form, async () => {
      try {
        data = await conn.call("report.monthly", args);
        lastArgs = { ...args };
        delete lastArgs.lang;
        history.replaceState(null, "", "#/monthly/" + m);
        render();
        announce(t("mr.ready", { month: m }));
      } catch (err) {
        showError(form, err);
      }
    });
  }
  form.addEventListener("submit", (e) => { e.preventDefault(); load(); });

  function render() {
    if (!data) return;
    const c = data.counts || {};
    const byStage = c.byStage || {};
    document.title = `${t("mr.title")} ${data.month || ""} · ${t("app.name")}`;
    const tile = (key, value, extra = "") => h("div", { class: "mr-tile" + extra, dataset: { count: key } },
      h("span", { class: "mr-value" }, formatNumber(value ?? 0)), h("span", { class: "mr-label", i18n: "mr.c." + key }));
    put(counts,
      tile("inTalks", c.inTalks), tile("newlySigned", c.newlySigned), tile("newlyStarted", c.newlyStarted),
      tile("roadshowsHeld", c.roadshowsHeld), tile("dispatched", c.dispatched),
      tile("feedbackOverdue", c.feedbackOverdue, c.feedbackOverdue ? " is-warn" : ""),
      tile("openEscalations", c.openEscalations, c.openEscalations ? " is-warn" : ""),
      tile("shelved", c.shelved));
    put(calSlot, calendarNotice(data.calendar));
    const stages = codes("stages").length ? codes("stages") : Object.keys(byStage);
    const chart = barChart(stages.map((s) => ({ code: s, label: stageLabel(s), value: byStage[s] ?? 0 })), {
      title: t("mr.chartTitle", { month: data.month || "" }),
    });
    // The bulletin as the server laid it out (the same Document its Word file is written from).
    const body = h("div", { class: "md-doc", id: "monthly-markdown" }, data.document ? renderDocument(data.document) : renderMarkdown(data.markdown || ""));
    const figure = h("figure", { class: "mr-figure", id: "monthly-chart" }, chart, h("figcaption", {}, t("mr.chartCaption", { month: data.month || "" })));
    // The figure goes with the content, before the distribution (送 / 发 / 抄送) that closes the bulletin after its last rule.
    const rules = body.querySelectorAll(":scope > hr");
    if (rules.length > 1) body.insertBefore(figure, rules[rules.length - 1]); else body.append(figure);
    put(doc, body);
  }

  // One language per document: the page's, asked for again when it changes.
  const offLang = onLangChange(() => (data ? load() : render()));
  load();
  return () => offLang();
}

/**
 * A horizontal bar chart as inline SVG: one bar per item, the label on the
 * left, the count at the bar's end. Scales to its container; readable in print.
 */
export function barChart(items, { title }) {
  const W = 640, labelW = 120, valueW = 44, row = 30, top = 8, bar = 18;
  const H = top * 2 + row * items.length;
  const max = Math.max(1, ...items.map((i) => i.value));
  const el = (tag, attrs = {}, text) => {
    const n = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs)) n.setAttribute(k, String(v));
    if (text !== undefined) n.textContent = text;
    return n;
  };
  const titleId = "chart-t-" + Math.random().toString(36).slice(2, 8);
  const svg = el("svg", { viewBox: `0 0 ${W} ${H}`, class: "bar-chart", role: "img", "aria-labelledby": titleId, preserveAspectRatio: "xMinYMin meet" });
  svg.append(el("title", { id: titleId }, `${title}: ${items.map((i) => `${i.label} ${i.value}`).join(", ")}`));
  const span = W - labelW - valueW;
  // Grid lines at quarters of the largest count.
  for (let q = 0; q <= 4; q++) {
    const x = labelW + (span * q) / 4;
    svg.append(el("line", { x1: x, x2: x, y1: top - 2, y2: H - top + 2, class: "chart-grid" }));
  }
  items.forEach((item, i) => {
    const y = top + i * row;
    const w = item.value ? Math.max(3, (span * item.value) / max) : 0;
    const g = el("g", { class: "chart-row", "data-stage": item.code, "data-value": item.value });
    g.append(
      el("text", { x: labelW - 10, y: y + row / 2, class: "chart-label", "text-anchor": "end", "dominant-baseline": "middle" }, item.label),
      el("rect", { x: labelW, y: y + (row - bar) / 2, width: w, height: bar, rx: 3, class: "chart-bar" + (item.value ? "" : " is-zero") }),
      el("text", { x: labelW + w + 8, y: y + row / 2, class: "chart-value", "dominant-baseline": "middle" }, String(item.value)));
    svg.append(g);
  });
  return svg;
}
