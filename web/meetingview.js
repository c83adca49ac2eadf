// Pieces shared by the organizer's meeting page and the participant's page.
import { h } from "./dom.js";
import { t, phaseLabel, categoryLabel, meetingKindLabel, formatTime, formatNumber, getLang, zoneLabel } from "./i18n.js";

export function phaseBadge(phase) {
  return h("span", { class: `phase phase-${phase || "preparing"}`, dataset: { phase: phase || "" } }, phaseLabel(phase));
}

function safeLink(url) {
  try {
    const u = new URL(url, location.href);
    if (u.protocol === "https:" || u.protocol === "http:") return u.href;
  } catch { /* not a URL */ }
  return null;
}

/** Planned investment, given in 亿元: "12.5 亿元" in Chinese, "CNY 1.25 billion" in English. */
export function investmentText(n) {
  if (typeof n !== "number" || !Number.isFinite(n)) return "";
  if (getLang() === "zh") return t("m.investment", { n: formatNumber(n) });
  // 1 亿元 = 100 million: below 10 亿元 (1 billion) say millions.
  return n >= 10 ? t("m.investmentBn", { n: formatNumber(Math.round(n * 1000) / 10000) }) : t("m.investmentM", { n: formatNumber(Math.round(n * 1000) / 10) });
}

/**
 * The meeting's title, phase and facts. showId: the meeting code (M-…) is the
 * organizer side's handle; the company and the units do not need it.
 * compact: during the live meeting the facts take one line under the title.
 */
export function meetingHeader(m, { extra, showId = true, compact = false } = {}) {
  const c = m.company || {};
  const p = m.project || {};
  const s = m.system || {};
  const link = s.link ? safeLink(s.link) : null;
  const fact = (labelKey, ...value) => h("div", { class: "fact" }, h("dt", { i18n: labelKey }), h("dd", {}, ...value));
  const projectBits = [categoryLabel(p.category), p.industry, typeof p.investment === "number" ? investmentText(p.investment) : null].filter(Boolean);
  return h("section", { class: "card meeting-head" + (compact ? " meeting-head-compact" : ""), "aria-labelledby": "meeting-title" },
    h("div", { class: "meeting-head-top" },
      phaseBadge(m.phase),
      h("span", { class: "meeting-kind", dataset: { kind: m.kind || "project_pitch" } }, meetingKindLabel(m.kind)),
      showId ? h("span", { class: "muted mono small meeting-code" }, m.id) : null,
      compact && extra ? extra : null),
    h("h1", { id: "meeting-title", class: "meeting-title" }, m.title),
    h("dl", { class: "facts" },
      fact("m.when",
        h("time", { datetime: m.startsAt }, formatTime(m.startsAt, { withWeekday: true })),
        h("span", { class: "muted fact-sub" }, `${zoneLabel(new Date(m.startsAt))} · ${t("m.duration", { n: m.durationMinutes })}`)),
      fact("m.company", c.name || "", c.contact || c.phone ? h("span", { class: "muted" }, " · " + [c.contact, c.phone].filter(Boolean).join(" ")) : null),
      fact("m.project", p.name || "", projectBits.length ? h("span", { class: "muted" }, " · " + projectBits.join(" · ")) : null),
      fact("m.system", s.name || "",
        s.room ? h("span", {}, ` · ${t("m.room")} ${s.room}`) : null,
        link ? h("span", {}, " · ", h("a", { href: link, target: "_blank", rel: "noopener noreferrer", class: "ext-link" }, t("m.link"))) : null)),
    compact ? null : extra || null);
}

/** A thin progress bar with a visible "N/M" label; update it with setProgress. */
export function progressBar(done, total, { labelKey = "cl.progress", id } = {}) {
  const el = h("div", { class: "progress", id, dataset: { labelKey } },
    h("div", { class: "progress-track", role: "progressbar", "aria-valuemin": "0" },
      h("div", { class: "progress-fill" })),
    h("span", { class: "progress-label" }));
  setProgress(el, done, total);
  return el;
}

export function setProgress(el, done, total) {
  const pct = total ? Math.round((done / total) * 100) : 0;
  const track = el.querySelector(".progress-track");
  track.setAttribute("aria-valuemax", String(total));
  track.setAttribute("aria-valuenow", String(done));
  track.setAttribute("aria-label", t(el.dataset.labelKey, { done, total }));
  el.querySelector(".progress-fill").style.width = pct + "%";
  const label = el.querySelector(".progress-label");
  label.textContent = `${done}/${total}`;
  label.dataset.done = String(done);
  label.dataset.total = String(total);
}

/** Checklist text in the page's language. */
export function itemText(item) {
  return getLang() === "en" && item.textEn ? item.textEn : item.text;
}

/** A confirmation mark: yes / no / not answered. */
export function mark(value, labelKey) {
  const state = value === true ? "yes" : value === false ? "no" : "unknown";
  const symbol = state === "yes" ? "✓" : state === "no" ? "✕" : "○";
  const word = state === "yes" ? t("yes") : state === "no" ? t("no") : t("notYet");
  return h("span", { class: `mark mark-${state}`, title: `${t(labelKey)}: ${word}`, dataset: { state } },
    h("span", { class: "mark-sym", "aria-hidden": "true" }, symbol),
    h("span", { class: "mark-label" }, t(labelKey)),
    h("span", { class: "sr-only" }, `: ${word}`));
}
