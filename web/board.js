// The dispatch board (调度台账) of an organizer or the admin, and a handling
// unit's home (its own records: dispatch.list answers a unit account only
// with those assigned to it). The list is the server's, in its order (overdue
// first by days overdue, then by the next due day, closed last), with filters
// (stage chips with counts, overdue, handling unit, category, district,
// status, text) and a CSV download (export.dispatch, same filters).
// Live: every listed record's stream is followed (stream.subscribe D-…); an
// event on any of them reads the list again (debounced), and so does a
// reconnect, so a unit's new feedback shows on the organizer's open board.
import { h, put, toast, errorText, announce, field, nextId } from "./dom.js";
import { t, formatTime, formatDate, categoryLabel, onLangChange } from "./i18n.js";
import { codes } from "./catalogue.js";
import { stageLabel, outcomeLabel, dueBadge, calendarNotice, downloadFile, telLink, icon } from "./dispatch-shared.js";

const FILTERS = ["q", "stage", "status", "overdue", "category", "unit", "district"];
const REFRESH_DEBOUNCE_MS = 400;
const REFRESH_EVERY_MS = 60000; // due states move with the clock
const MAX_FOLLOWED = 200;

/**
 * mountBoard(main, ctx, {query}) — query: the hash's query string (filters).
 * A unit account gets its home: what is due first, with its feedback form one
 * tap away.
 */
export function mountBoard(main, { conn, actor }, { query = "" } = {}) {
  const unitHome = actor.kind === "unit";
  const filters = Object.fromEntries(FILTERS.map((k) => [k, ""]));
  const params = new URLSearchParams(query);
  for (const k of FILTERS) if (params.get(k)) filters[k] = params.get(k);

  const knownUnits = new Map(); // account id -> name
  const knownDistricts = new Set();
  let last = null; // the last list result
  let serial = 0;
  let timer = null;
  const followed = new Map(); // record id -> unsubscribe
  const rowEls = new Map();
  const lastFeedback = new Map(); // record id -> latest feedback id seen

  // ---------- filters ----------
  const q = h("input", { type: "search", maxlength: "100", autocomplete: "off", value: filters.q });
  const status = h("select", {},
    h("option", { value: "", i18n: "board.statusAll" }), h("option", { value: "open", i18n: "board.statusOpen" }), h("option", { value: "closed", i18n: "board.statusClosed" }));
  const overdue = h("select", {},
    h("option", { value: "", i18n: "board.overdueAll" }), h("option", { value: "true", i18n: "board.overdueOnly" }), h("option", { value: "false", i18n: "board.overdueNot" }));
  const category = h("select", {}, h("option", { value: "", i18n: "board.categoryAll" }),
    codes("categories").map((c) => h("option", { value: c }, categoryLabel(c))));
  const unit = h("select", {}, h("option", { value: "", i18n: "board.unitAll" }));
  const districtList = nextId("districts");
  const district = h("input", { type: "text", maxlength: "60", autocomplete: "off", list: districtList, value: filters.district });
  status.value = filters.status;
  overdue.value = filters.overdue;
  category.value = filters.category;

  const stageBar = h("div", { class: "stage-filters", id: "board-stages", role: "group" });
  const filterForm = h("form", { class: "board-filters", id: "board-filters", role: "search", novalidate: true },
    h("div", { class: "board-filter-grid" },
      field({ label: "board.q", name: "q", input: q, placeholderKey: "board.qHint", wide: true }),
      field({ label: "board.status", name: "status", input: status }),
      field({ label: "board.overdue", name: "overdue", input: overdue }),
      unitHome ? null : field({ label: "board.category", name: "category", input: category }),
      unitHome ? null : field({ label: "board.unit", name: "unit", input: unit }),
      unitHome ? null : field({ label: "board.district", name: "district", input: district })),
    h("datalist", { id: districtList }),
    h("div", { class: "stage-filter-row" }, h("span", { class: "stage-filter-label muted small", id: "board-stages-l", i18n: "board.stages" }), stageBar));
  stageBar.setAttribute("aria-labelledby", "board-stages-l");
  filterForm.addEventListener("submit", (e) => { e.preventDefault(); apply(); });
  let qTimer = null;
  q.addEventListener("input", () => { clearTimeout(qTimer); qTimer = setTimeout(apply, 300); });
  district.addEventListener("change", apply);
  district.addEventListener("input", () => { clearTimeout(qTimer); qTimer = setTimeout(apply, 500); });
  for (const s of [status, overdue, category, unit]) s.addEventListener("change", apply);

  function apply() {
    filters.q = q.value.trim();
    filters.status = status.value;
    filters.overdue = overdue.value;
    filters.category = category.value;
    filters.unit = unit.value;
    filters.district = district.value.trim();
    if (!unitHome) {
      const qs = new URLSearchParams(Object.entries(filters).filter(([, v]) => v)).toString();
      history.replaceState(null, "", "#/d" + (qs ? "?" + qs : ""));
    }
    load();
  }

  function args({ withStage = true } = {}) {
    const a = {};
    if (filters.q) a.q = filters.q;
    if (filters.status) a.status = filters.status;
    if (filters.overdue) a.overdue = filters.overdue === "true";
    if (filters.category) a.category = filters.category;
    if (filters.unit) a.unit = filters.unit;
    if (filters.district) a.district = filters.district;
    if (withStage && filters.stage) a.stage = filters.stage;
    return a;
  }

  // ---------- page ----------
  const csv = h("button", { type: "button", class: "btn btn-secondary", id: "board-csv" }, icon("download"), h("span", { i18n: "board.csv" }));
  const summary = h("p", { class: "board-summary", id: "board-summary", "aria-live": "polite" });
  const calSlot = h("div", { id: "board-calendar" });
  const list = h("ul", { class: "board-rows", id: "board-rows", "aria-busy": "true" });
  const empty = h("p", { class: "empty", id: "board-empty", hidden: true });
  const firstSlot = h("div", { id: "due-first-slot" });

  main.append(
    h("div", { class: "page-head" },
      h("div", {},
        h("h1", {}, unitHome ? actor.name : t("board.title")),
        h("p", { class: "muted", i18n: unitHome ? "unit.intro" : "board.intro" })),
      h("div", { class: "head-buttons" },
        csv)),
    firstSlot,
    h("section", { class: "card board-card", "aria-labelledby": "board-list-h" },
      h("h2", { class: "sr-only", id: "board-list-h", i18n: unitHome ? "unit.records" : "board.title" }),
      filterForm,
      summary,
      calSlot,
      list,
      empty));

  // ---------- data ----------
  async function load() {
    const mine = ++serial;
    clearTimeout(timer);
    try {
      const base = conn.callAll("dispatch.list", args({ withStage: false }), "records");
      const staged = filters.stage ? conn.callAll("dispatch.list", args(), "records") : null;
      const [all, some] = await Promise.all([base, staged]);
      if (mine !== serial) return;
      for (const r of all.records || []) {
        if (r.handlingUnit && r.handlingUnit.id) knownUnits.set(r.handlingUnit.id, r.handlingUnit.name);
        if (r.district) knownDistricts.add(r.district);
      }
      last = { all, shown: some || all };
      render();
      follow((last.shown.records || []).map((r) => r.id));
    } catch (err) {
      if (mine !== serial) return;
      list.removeAttribute("aria-busy");
      if (!last) list.textContent = "";
      empty.hidden = false;
      empty.textContent = errorText(err);
    } finally {
      if (mine === serial) timer = setTimeout(load, REFRESH_EVERY_MS);
    }
  }

  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(load, REFRESH_DEBOUNCE_MS);
  }

  /** Follows exactly the listed records' streams. */
  function follow(ids) {
    const want = new Set(ids.slice(0, MAX_FOLLOWED));
    for (const [id, off] of followed) if (!want.has(id)) { off(); followed.delete(id); }
    for (const id of want) {
      if (followed.has(id)) continue;
      followed.set(id, conn.subscribe(id, {
        onSnapshot: () => {},
        onEvent: () => schedule(),
        onError: () => { const off = followed.get(id); if (off) off(); followed.delete(id); },
      }));
    }
  }

  // ---------- rendering ----------
  function render() {
    if (!last) return;
    const counts = (last.all && last.all.counts) || {};
    const shownCounts = (last.shown && last.shown.counts) || counts;
    const byStage = counts.byStage || {};
    // Stage chips: every stage the server knows, with its count under the other filters.
    const stages = codes("stages").length ? codes("stages") : Object.keys(byStage);
    put(stageBar,
      stageButton("", t("board.stageAll"), counts.total ?? 0),
      stages.map((s) => stageButton(s, stageLabel(s), byStage[s] ?? 0)));
    // The unit filter: the admin's unit accounts, or the units seen on the organizer's records.
    const current = filters.unit;
    put(unit, h("option", { value: "", i18n: "board.unitAll" }),
      [...knownUnits].sort((a, b) => String(a[1]).localeCompare(String(b[1]), "zh")).map(([id, name]) => h("option", { value: id }, `${name}`)));
    if (current && !knownUnits.has(current)) unit.append(h("option", { value: current }, current));
    unit.value = current;
    put(filterForm.querySelector("datalist"), [...knownDistricts].sort().map((d) => h("option", { value: d })));

    put(summary,
      h("span", {}, t("board.count", { n: shownCounts.total ?? 0 })),
      h("span", { class: "muted" }, " · " + t("board.countOpen", { n: shownCounts.open ?? 0 })),
      h("span", { class: "muted" }, " · " + t("board.countClosed", { n: shownCounts.closed ?? 0 })),
      h("span", { class: "sum-overdue", dataset: { n: String(shownCounts.overdue ?? 0) } }, " · " + t("board.countOverdue", { n: shownCounts.overdue ?? 0 })),
      h("span", { class: "sum-soon", dataset: { n: String(shownCounts.dueSoon ?? 0) } }, " · " + t("board.countSoon", { n: shownCounts.dueSoon ?? 0 })));
    const records = (last.shown && last.shown.records) || [];
    put(calSlot, calendarNotice(last.shown.calendar, ...records.map((r) => r.due)));
    list.removeAttribute("aria-busy");
    empty.hidden = records.length > 0;
    if (!records.length) empty.textContent = t(anyFilter() ? "board.emptyFiltered" : unitHome ? "unit.empty" : "board.empty");

    for (const child of [...list.children]) if (!child.classList.contains("board-row")) child.remove();
    const seen = new Set();
    let prev = null;
    for (const r of records) {
      seen.add(r.id);
      let el = rowEls.get(r.id);
      if (!el) { el = h("li", { class: "board-row", dataset: { id: r.id } }); rowEls.set(r.id, el); }
      fillRow(el, r);
      const fb = r.latestFeedback && r.latestFeedback.id;
      if (lastFeedback.has(r.id) && lastFeedback.get(r.id) !== fb) flash(el);
      lastFeedback.set(r.id, fb);
      const next = prev ? prev.nextSibling : list.firstChild;
      if (next !== el) list.insertBefore(el, next);
      prev = el;
    }
    for (const [id, el] of rowEls) if (!seen.has(id)) { el.remove(); rowEls.delete(id); }
    if (unitHome) renderFirst(records);
  }

  function anyFilter() { return FILTERS.some((k) => filters[k]); }

  function stageButton(stage, label, n) {
    const on = filters.stage === stage;
    const b = h("button", { type: "button", class: "stage-filter" + (on ? " is-on" : ""), "aria-pressed": String(on), dataset: { stage, count: String(n) } },
      h("span", {}, label), h("span", { class: "stage-count" }, String(n)));
    b.addEventListener("click", () => {
      filters.stage = stage;
      apply();
      // Keep the keyboard on the chip that was pressed after the chips are redrawn.
      setTimeout(() => stageBar.querySelector(`[data-stage="${CSS.escape(stage)}"]`)?.focus(), 0);
    });
    return b;
  }

  function fillRow(el, r) {
    const due = r.due || {};
    el.dataset.status = r.status || "";
    el.dataset.due = due.status || "";
    el.dataset.stage = r.stage || "";
    el.classList.toggle("is-overdue", due.status === "overdue");
    el.classList.toggle("is-soon", due.status === "due_soon");
    el.classList.toggle("is-closed", r.status === "closed");
    const c = r.commissioner || {};
    const fb = r.latestFeedback;
    const similar = !unitHome && fb && Array.isArray(fb.similarTo) && fb.similarTo.length;
    const href = `#/d/${encodeURIComponent(r.id)}`;
    put(el,
      h("div", { class: "board-row-main" },
        h("a", { class: "board-link", href, dataset: { action: "open-record" } },
          h("span", { class: "board-company" }, (r.company && r.company.name) || ""),
          h("span", { class: "board-project" }, (r.project && r.project.name) || "")),
        h("div", { class: "board-badges" },
          h("span", { class: "stage-chip", dataset: { stage: r.stage || "" } }, stageLabel(r.stage)),
          r.status === "closed"
            ? h("span", { class: "badge badge-closed" }, t("rec.closedAs", { outcome: outcomeLabel(r.closure && r.closure.outcome) }))
            : dueBadge(due))),
      h("div", { class: "board-meta muted small" },
        h("span", { class: "mono" }, r.id),
        unitHome ? null : h("span", {}, (r.handlingUnit && r.handlingUnit.name) || ""),
        c.name ? h("span", {}, `${t("rec.commissioner")}：${c.name}`, c.phone ? " " : "", c.phone ? telLink(c.phone) : null) : null,
        r.district ? h("span", {}, r.district) : null,
        r.category ? h("span", {}, categoryLabel(r.category)) : null),
      h("div", { class: "board-latest" },
        fb ? h("p", { class: "board-fb" },
          h("span", { class: "muted" }, t("board.latest", { when: formatTime(fb.at) }) + " "),
          h("span", { class: "board-fb-text" }, short(fb.text, 120)))
          : h("p", { class: "muted small board-fb-none", i18n: "board.noFeedback" }),
        h("div", { class: "board-flags" },
          r.openEscalations ? h("span", { class: "flag flag-warn", dataset: { flag: "escalations" } }, t("board.openEscalations", { n: r.openEscalations })) : null,
          similar ? h("span", { class: "flag flag-warn", dataset: { flag: "similar" } }, t("board.similar")) : null,
          typeof r.feedbackCount === "number" ? h("span", { class: "muted small" }, t("board.feedbackCount", { n: r.feedbackCount })) : null)),
      unitHome && r.status !== "closed" ? h("div", { class: "board-row-actions" },
        h("a", { class: "btn btn-secondary btn-sm", href: `${href}/feedback`, dataset: { action: "feedback" }, "aria-label": `${t("unit.feedback")}: ${(r.project && r.project.name) || r.id}` }, t("unit.feedback"))) : null);
  }

  /** The handling unit's first record that is due: the one to answer now. */
  function renderFirst(records) {
    const r = records.find((x) => x.status !== "closed");
    if (!r) { firstSlot.textContent = ""; return; }
    const href = `#/d/${encodeURIComponent(r.id)}`;
    put(firstSlot, h("section", { class: "card card-highlight due-first", id: "due-first", "aria-labelledby": "due-first-h", dataset: { id: r.id } },
      h("p", { class: "due-first-kicker muted small", id: "due-first-h", i18n: "unit.dueFirst" }),
      h("h2", { class: "due-first-title" }, h("a", { href }, `${(r.company && r.company.name) || ""} · ${(r.project && r.project.name) || ""}`)),
      h("div", { class: "board-badges" }, h("span", { class: "stage-chip", dataset: { stage: r.stage || "" } }, stageLabel(r.stage)), dueBadge(r.due, { long: true })),
      r.due && r.due.next ? h("p", { class: "muted small" }, t("unit.dueOn", { date: formatDate(r.due.next) })) : null,
      h("div", { class: "form-actions form-actions-start" },
        h("a", { class: "btn btn-primary", href: `${href}/feedback`, id: "due-first-feedback" }, t("unit.feedbackNow")))));
  }

  csv.addEventListener("click", async () => {
    csv.disabled = true;
    try {
      const r = await conn.call("export.dispatch", args());
      const name = r.filename || "dispatch.csv";
      downloadFile(r.text || "", name, "text/csv;charset=utf-8");
      csv.dataset.downloaded = name;
      announce(t("live.downloaded", { file: name }));
      toast(t("live.downloaded", { file: name }));
    } catch (err) {
      toast(errorText(err), "error");
    } finally {
      csv.disabled = false;
    }
  });

  // The admin's handling units come from the accounts.
  if (actor.kind === "admin") {
    conn.call("account.list", {}).then((r) => {
      for (const a of r.accounts || []) if (a.kind === "unit") knownUnits.set(a.id, a.name);
      render();
    }, () => {});
  }

  const onReady = () => schedule(); // reconnected: read the list again
  conn.addEventListener("ready", onReady);
  const offLang = onLangChange(render);
  put(list, h("li", { class: "loading" }, h("span", { class: "spinner", "aria-hidden": "true" }), h("span", { i18n: "loading" })));
  load();
  return () => {
    serial++;
    clearTimeout(timer);
    clearTimeout(qTimer);
    conn.removeEventListener("ready", onReady);
    offLang();
    for (const off of followed.values()) off();
    followed.clear();
  };
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
