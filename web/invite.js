// Invitations and reminders: each participant's invitation text in Chinese
// and English (roster.invitation; roster.add / roster.link results carry it
// with the personal link), the .ics calendar file (export.ics), and the
// pre-meeting reminders and etiquette of mechanism 7 (§2, §3, §6) on the
// participant's page.
import { h, put, toast, errorText, copyText, announce, nextId } from "./dom.js";
import { t, onLangChange, timeZone } from "./i18n.js";

const LANGS = [["zh", "invite.zh", "zh-CN"], ["en", "invite.en", "en"]];

const LOOPBACK = new Set(["127.0.0.1", "localhost", "::1", "[::1]"]);

/**
 * The absolute invite link of a roster.add / roster.link result. Without
 * --public-url the server can only name itself as 127.0.0.1; when this page
 * was opened under another address, that address is used instead, in the link
 * and in the invitation texts alike (r.invitation is updated in place).
 */
export function resultURL(r) {
  if (!r || !r.url) return null;
  let u;
  try { u = new URL(r.url); } catch { return r.url; }
  if (!LOOPBACK.has(u.hostname) || LOOPBACK.has(location.hostname)) return r.url;
  const better = location.origin + u.pathname + u.search + u.hash;
  if (r.invitation) for (const k of Object.keys(r.invitation)) {
    if (typeof r.invitation[k] === "string") r.invitation[k] = r.invitation[k].split(r.url).join(better);
  }
  r.url = better;
  return better;
}

/**
 * The invitation texts with a copy button each. invitation: {zh, en}.
 * Used inside the invite-link panel after adding / reissuing, and on its own.
 */
export function invitationBlock(invitation, { withLink = true } = {}) {
  const box = h("div", { class: "inv-texts", dataset: { withLink: String(withLink) } });
  for (const [code, labelKey, langAttr] of LANGS) {
    const text = invitation && invitation[code];
    if (!text) continue;
    const id = nextId("inv-" + code);
    const area = h("textarea", { id, class: "inv-text", readonly: true, rows: "7", lang: langAttr, dataset: { lang: code }, onfocus: (e) => e.target.select() });
    area.value = text;
    const copyBtn = h("button", { type: "button", class: "btn btn-secondary btn-sm", dataset: { action: "copy-invitation", lang: code } }, h("span", { i18n: "invite.copy" }));
    copyBtn.setAttribute("aria-label", `${t("invite.copy")}: ${t(labelKey)}`);
    copyBtn.addEventListener("click", () => copyText(area.value, copyBtn));
    box.append(h("div", { class: "inv-lang" },
      h("div", { class: "inv-lang-head" }, h("label", { for: id, class: "inv-lang-label", i18n: labelKey }), copyBtn),
      area));
  }
  if (!withLink) box.append(h("p", { class: "hint", i18n: "invite.noLink" }));
  return box;
}

/** A panel with a title, a close button and the invitation texts (replaces what `slot` held). */
export function showInvitationPanel(slot, { name, invitation, withLink = false, extra = null }) {
  const titleId = nextId("inv-h");
  const close = h("button", { type: "button", class: "icon-btn", "aria-label": t("cancel"), onclick: () => { slot.textContent = ""; } }, h("span", { "aria-hidden": "true" }, "×"));
  const panel = h("div", { class: "invite-panel inv-panel", id: "invitation-panel", role: "region", "aria-labelledby": titleId, tabindex: "-1" },
    h("div", { class: "invite-head" }, h("h3", { id: titleId, i18n: "invite.title", i18nVars: { name } }), close),
    invitationBlock(invitation, { withLink }),
    extra);
  put(slot, panel);
  panel.focus({ preventScroll: false });
  return panel;
}

/** A button that fetches a participant's invitation (roster.invitation) and shows it in `slot`. */
export function invitationButton({ conn, meetingId, participantId, slot, name, store }) {
  const label = h("span", { i18n: "invite.button" });
  const btn = h("button", { type: "button", class: "btn btn-ghost btn-sm", dataset: { action: "invitation" } }, label);
  const updateLabel = () => btn.setAttribute("aria-label", `${t("invite.button")}: ${name()}`);
  updateLabel();
  btn.addEventListener("click", async () => {
    btn.disabled = true;
    try {
      const r = await conn.call("roster.invitation", { meeting: meetingId, participant: participantId });
      showInvitationPanel(slot, {
        name: name(),
        invitation: r.invitation || {},
        withLink: false,
        extra: h("div", { class: "inv-actions" }, icsButton({ conn, meetingId, participant: participantId, store })),
      });
    } catch (err) {
      toast(err.code === "unknown_op" ? t("invite.unavailable") : errorText(err), "error");
    } finally {
      btn.disabled = false;
      updateLabel();
    }
  });
  return btn;
}

/** Save text as a file through a Blob link. */
export function downloadText(text, filename, type = "text/calendar;charset=utf-8") {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = h("a", { href: url, download: filename, class: "sr-only" });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

function calendarIcon() {
  const ns = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(ns, "svg");
  svg.setAttribute("viewBox", "0 0 16 16");
  svg.setAttribute("class", "icon");
  svg.setAttribute("aria-hidden", "true");
  svg.setAttribute("focusable", "false");
  for (const [tag, attrs] of [["rect", { x: "2", y: "3", width: "12", height: "11", rx: "2" }], ["path", { d: "M2 6.5h12M5 1.5v3M11 1.5v3" }]]) {
    const el = document.createElementNS(ns, tag);
    for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
    svg.append(el);
  }
  return svg;
}

/** A button that downloads the meeting's .ics (export.ics; with participant: that person's own). */
/**
 * A calendar file's name a person recognises: the meeting's title and date
 * (in the server's zone), and for a personal file the person's name —
 * "储能电池项目线上路演-2026-12-01-张伟.ics", not "M-FXX9-P-KB28DYA7.ics".
 */
export function icsFilename(meeting, person) {
  if (!meeting || !meeting.title) return null;
  const clean = (x) => String(x).replace(/[\\/:*?"<>|\u0000-\u001f]+/g, " ").replace(/\s+/g, " ").trim().slice(0, 80);
  let day = "";
  try {
    day = new Intl.DateTimeFormat("en-CA", { timeZone: timeZone(), year: "numeric", month: "2-digit", day: "2-digit" }).format(new Date(meeting.startsAt));
  } catch { day = ""; }
  return [clean(meeting.title), day, person ? clean(person) : ""].filter(Boolean).join("-") + ".ics";
}

export function icsButton({ conn, meetingId, participant, id, primary = false, store = null }) {
  const btn = h("button", { type: "button", class: "btn btn-sm " + (primary ? "btn-secondary" : "btn-ghost"), id, dataset: { action: "ics" } },
    calendarIcon(), h("span", { i18n: "invite.ics" }));
  btn.addEventListener("click", async () => {
    btn.disabled = true;
    try {
      const args = { meeting: meetingId };
      if (participant) args.participant = participant;
      const r = await conn.call("export.ics", args);
      const person = store && participant ? store.roster.get(participant) : null;
      // The server names the file after the meeting; an older server's "M-….ics" is named here instead.
      const serverName = r.filename && !/^M-[0-9A-Z]{4}/.test(r.filename) ? r.filename : null;
      const filename = serverName || (store && icsFilename(store.meeting, person && person.name)) || r.filename || `${meetingId}.ics`;
      downloadText(r.text || "", filename);
      btn.dataset.downloaded = filename;
      announce(t("invite.icsDone", { file: filename }));
    } catch (err) {
      toast(err.code === "unknown_op" ? t("invite.unavailable") : errorText(err), "error");
    } finally {
      btn.disabled = false;
    }
  });
  return btn;
}

const REMINDERS = ["install", "register", "network", "rename", "early", "mute"];
const ETIQUETTE = ["online", "camera", "unrelated", "mute", "posture", "phone"];

/**
 * The pre-meeting reminders (install the client, register, rename as
 * name+unit, mute when not speaking ...) and the etiquette list of
 * mechanism 7 §6, for a participant. Re-renders on language change.
 */
export function mountReminders(slot, { store, actor, conn, meetingId }) {
  const heading = h("h2", { id: "rem-h" });
  const list = h("ol", { class: "rem-list", id: "reminders" });
  const etiqHead = h("h3", { class: "subhead" });
  const etiq = h("ul", { class: "rem-etiquette", id: "etiquette" });
  const actions = h("div", { class: "rem-actions" }, icsButton({ conn, meetingId, participant: actor.id, id: "my-ics", primary: true, store }));
  const section = h("section", { class: "card rem-card", id: "reminders-card", "aria-labelledby": "rem-h", hidden: true },
    h("div", { class: "section-head" }, heading, actions),
    list, etiqHead, etiq);
  slot.append(section);

  function render() {
    const me = store.roster.get(actor.id);
    // Before and during the meeting; afterwards the reminders have done their work.
    const phase = store.meeting && store.meeting.phase;
    if (!store.loaded || !me || !["preparing", "rehearsal", "live"].includes(phase)) { section.hidden = true; return; }
    section.hidden = false;
    const system = (store.meeting && store.meeting.system && store.meeting.system.name) || t("invite.system");
    heading.textContent = t("invite.remind.title");
    put(list, REMINDERS.map((k) => {
      if (k === "rename") {
        return h("li", { dataset: { k } }, t("invite.remind.rename"), " ",
          h("strong", { class: "rem-name", id: "rem-display-name" }, me.displayName || `${me.name}-${me.unit}`));
      }
      return h("li", { dataset: { k } }, t("invite.remind." + k, { system }));
    }));
    etiqHead.textContent = t("invite.etiquette.title");
    put(etiq, ETIQUETTE.map((k) => h("li", { dataset: { k } }, t("invite.etiquette." + k))));
  }

  const off = store.subscribe((c) => { if (["snapshot", "meeting", "roster"].includes(c.kind)) render(); });
  const offLang = onLangChange(render);
  render();
  return () => { off(); offLang(); section.remove(); };
}
