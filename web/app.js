// The router and the session: which token is signed in, which view shows.
//   #/             sign-in, or the signed-in actor's home
//   #/join/<token> a participant's invite link
//   #/m/<id>       one meeting (after it: the follow-up, followup.js)
//   #/m/<id>/report  the report to leadership, printable (report.js)
//   #/d[?filters]  the dispatch board (organizer, admin; board.js)
//   #/d/<id>       one dispatch record; …/feedback puts the keyboard in its
//                  feedback form; …/remind the reminder notice (record.js)
//   #/monthly[/YYYY-MM]  the monthly bulletin (monthly.js)
// A unit account's home is its own records (board.js, unit mode).
import { Connection } from "./connection.js";
import { t, getLang, setLang, applyI18n, kindLabel, roleLabel, onLangChange, setTimeZone } from "./i18n.js";
import { h, toast } from "./dom.js";
import { mountSignin } from "./signin.js";
import { mountAdmin } from "./admin.js";
import { mountMeetings } from "./meetings.js";
import { mountPrep } from "./prep.js";
import { mountParticipant } from "./participant.js";
import { mountBoard } from "./board.js";
import { mountRecord, mountReminder } from "./record.js";
import { mountLeaderReport } from "./report.js";
import { mountMonthly } from "./monthly.js";

const TOKEN_KEY = "roadshow.token";

const session = {
  conn: null,
  token: null,
  actor: null,
  result: null, // the auth result
  role: null, // a participant's roster role, once its page knows it (主持人 / 记录员 … in the header)
};

let unmount = null;
let routeSerial = 0;

const KIND_KEY = "roadshow.kind";

function storedToken() {
  try { return localStorage.getItem(TOKEN_KEY); } catch { return null; }
}
function storedKind() {
  try { return localStorage.getItem(KIND_KEY); } catch { return null; }
}
function storeToken(token, kind) {
  try {
    if (token) { localStorage.setItem(TOKEN_KEY, token); localStorage.setItem(KIND_KEY, kind || ""); }
    else { localStorage.removeItem(TOKEN_KEY); localStorage.removeItem(KIND_KEY); }
  } catch { /* ignore */ }
}
/** Forget the stored token only if it is this one (an invite link never evicts an account's token). */
function forgetToken(token) {
  if (storedToken() === token) storeToken(null);
}
/**
 * Keep a token for the next visit. An invite link opened in a browser where an
 * organizer (or admin, or unit) is signed in does not replace that account's
 * token: it was shown only once.
 */
function keepToken(token, kind) {
  const current = storedToken();
  if (kind === "participant" && current && current !== token && storedKind() && storedKind() !== "participant") return;
  storeToken(token, kind);
}

/** Signs in with a token (reusing the open connection when it is the same). */
async function ensureSession(token) {
  if (session.conn && session.token === token && session.actor) return session;
  endSession();
  const conn = new Connection(token);
  session.conn = conn;
  session.token = token;
  conn.addEventListener("status", (e) => showStatus(e.detail));
  conn.addEventListener("ready", (e) => {
    session.actor = e.detail.actor;
    session.result = e.detail.result;
    setTimeZone(e.detail.result && e.detail.result.timeZone);
    showWho();
  });
  conn.addEventListener("authfailed", () => {
    // During start() the caller handles it; later it means the token was revoked or replaced.
    if (session.conn !== conn || !session.actor) return;
    const wasParticipant = session.actor.kind === "participant";
    endSession();
    forgetToken(conn.token);
    if (wasParticipant) renderBadLink(); else renderSignin("signin.bad");
  });
  try {
    const result = await conn.start();
    session.actor = result.actor;
    session.result = result;
    keepToken(token, result.actor.kind);
    showWho();
    return session;
  } catch (err) {
    if (session.conn === conn) endSession();
    throw err;
  }
}

function endSession() {
  if (session.conn) session.conn.close();
  session.conn = null;
  session.token = null;
  session.actor = null;
  session.result = null;
  session.role = null;
  showWho();
  showStatus({ state: "closed" });
}

function signOut() {
  const token = session.token;
  endSession();
  forgetToken(token);
  if (location.hash === "#/" || location.hash === "") route();
  else location.hash = "#/";
}

// --- header ---

/** The main navigation: what this kind of actor works with (none for a participant's single page). */
const NAV = {
  organizer: [["#/", "nav.meetings", "home"], ["#/d", "nav.board", "board"], ["#/monthly", "nav.monthly", "monthly"]],
  admin: [["#/", "nav.accounts", "home"], ["#/d", "nav.board", "board"], ["#/monthly", "nav.monthly", "monthly"]],
  unit: [["#/", "nav.unitHome", "home"]],
};

function navSection(hash) {
  if (/^#\/d(\/|\?|$)/.test(hash)) return "board";
  if (/^#\/monthly(\/|$)/.test(hash)) return "monthly";
  return "home";
}

function showNav() {
  const nav = document.getElementById("topnav");
  if (!nav) return;
  const a = session.actor;
  const items = (a && NAV[a.kind]) || [];
  nav.hidden = items.length < 2;
  nav.setAttribute("aria-label", t("nav.label"));
  const here = navSection(location.hash || "#/");
  nav.textContent = "";
  if (nav.hidden) return;
  for (const [href, key, section] of items) {
    const link = h("a", { href, class: "topnav-link", i18n: key, dataset: { nav: section } });
    if (section === here) link.setAttribute("aria-current", "page");
    nav.append(link);
  }
}

function showWho() {
  showNav();
  const who = document.getElementById("who");
  const out = document.getElementById("signout");
  const a = session.actor;
  who.hidden = !a;
  out.hidden = !a;
  who.textContent = "";
  if (a) {
    // The one administrator's account name is "Administrator": the page says it in its own language.
    const name = a.kind === "admin" && a.name === "Administrator" ? t("kind.admin") : a.name;
    // A participant is named by its role in the meeting (主持人, 记录员, 企业 …), once known.
    const kind = a.kind === "participant" && session.role ? roleLabel(session.role) : kindLabel(a.kind);
    who.append(h("span", { class: "who-name" }, name), a.kind === "admin" && name === t("kind.admin") ? null : h("span", { class: "who-kind" }, kind));
    who.title = `${name} · ${kind}`;
  }
}

let statusTimer = null;
let lastStatus = { state: "closed" };
function showStatus(detail) {
  lastStatus = detail;
  const banner = document.getElementById("conn-banner");
  clearTimeout(statusTimer);
  if (detail.state === "down") {
    banner.dataset.state = "down";
    banner.textContent = t("conn.reconnecting");
    banner.hidden = false;
  } else if (detail.state === "connecting") {
    // Only say "connecting" when it takes a noticeable time.
    statusTimer = setTimeout(() => {
      banner.dataset.state = "connecting";
      banner.textContent = t("conn.connecting");
      banner.hidden = false;
    }, 700);
  } else {
    banner.hidden = true;
    banner.textContent = "";
  }
}

function renderLangToggle() {
  const b = document.getElementById("lang-toggle");
  b.textContent = t("lang.toggle");
  b.lang = getLang() === "zh" ? "en" : "zh-CN";
  b.setAttribute("aria-label", t("lang.toggleLabel"));
}

// --- views ---

function mount(fn, ...args) {
  if (unmount) { try { unmount(); } catch (e) { console.error(e); } unmount = null; }
  const main = document.getElementById("main");
  main.textContent = "";
  main.setAttribute("aria-busy", "false");
  document.title = `${t("app.name")} · Roadshow`;
  unmount = fn(main, ...args) || null;
  const heading = main.querySelector("h1");
  if (heading && document.activeElement && !main.contains(document.activeElement)) {
    heading.tabIndex = -1;
    heading.focus({ preventScroll: true });
  }
}

function renderLoading() {
  if (unmount) { try { unmount(); } catch (e) { console.error(e); } unmount = null; }
  const main = document.getElementById("main");
  main.textContent = "";
  main.append(h("div", { class: "loading", "aria-busy": "true" }, h("span", { class: "spinner", "aria-hidden": "true" }), h("span", { i18n: "loading" })));
}

function renderSignin(messageKey) {
  mount(mountSignin, {
    messageKey,
    onSubmit: async (token) => {
      await ensureSession(token);
      if (location.hash === "#/" || location.hash === "") route();
      else location.hash = "#/";
    },
  });
}

/**
 * A bad or revoked invite link: a page that says so and what to do (ask the
 * organizer for a new link), not the token sign-in form.
 */
function renderBadLink() {
  mount((main) => {
    main.append(h("div", { class: "signin" },
      h("section", { class: "card signin-card join-bad", id: "join-bad", "aria-labelledby": "join-bad-h" },
        h("h1", { id: "join-bad-h", i18n: "join.badTitle" }),
        h("p", { class: "notice notice-warn", role: "alert", i18n: "join.badText" }),
        h("p", { class: "muted small" }, h("a", { href: "#/", id: "join-bad-signin", i18n: "join.haveToken", onclick: (e) => { if (!location.hash || location.hash === "#/") { e.preventDefault(); renderSignin(); } } })))));
  });
  document.title = `${t("join.badTitle")} · ${t("app.name")}`;
}

function ctx() {
  return {
    conn: session.conn,
    actor: session.actor,
    result: session.result,
    navigate: (hash) => { location.hash = hash; },
  };
}

function homeFor(actor) {
  switch (actor.kind) {
    case "admin": mount(mountAdmin, ctx()); break;
    case "organizer": mount(mountMeetings, ctx()); break;
    case "participant": mount(mountParticipant, ctx(), participantMeeting()); break;
    default: mount(mountBoard, ctx(), {}); // a unit account: its own records
  }
}

function participantMeeting() {
  const r = session.result || {};
  return (session.actor && session.actor.meeting) || (r.meetings && r.meetings[0] && r.meetings[0].id) || null;
}

async function route() {
  const serial = ++routeSerial;
  const hash = location.hash || "#/";
  const join = /^#\/join\/([^/?#]+)/.exec(hash);
  const meeting = /^#\/m\/([^/?#]+)/.exec(hash);
  const report = /^#\/m\/([^/?#]+)\/report\/?$/.exec(hash);
  const record = /^#\/d\/(D-[^/?#]+)(?:\/(feedback|remind))?\/?$/.exec(hash);
  const board = /^#\/d\/?(?:\?(.*))?$/.exec(hash);
  const monthly = /^#\/monthly(?:\/(\d{4}-\d{2}))?\/?$/.exec(hash);

  if (join) {
    const token = decodeURIComponent(join[1]);
    if (session.token !== token || !session.actor) renderLoading();
    try {
      await ensureSession(token);
    } catch (err) {
      if (serial !== routeSerial) return;
      forgetToken(token);
      if (err.code === "unauthenticated" || err.code === "bad_request") { renderBadLink(); return; }
      renderSignin(null);
      toast(err.message || t("err.generic"), "error");
      return;
    }
    if (serial !== routeSerial) return;
    if (session.actor.kind === "participant") mount(mountParticipant, ctx(), participantMeeting());
    else homeFor(session.actor);
    return;
  }

  const token = session.token || storedToken();
  if (!token) { renderSignin(); return; }
  if (!session.actor || session.token !== token) {
    renderLoading();
    try {
      await ensureSession(token);
    } catch (err) {
      if (serial !== routeSerial) return;
      forgetToken(token);
      renderSignin(err.code === "unauthenticated" ? "signin.bad" : null);
      return;
    }
    if (serial !== routeSerial) return;
  }
  const actor = session.actor;
  showNav();
  if (report && actor.kind !== "unit") { mount(mountLeaderReport, ctx(), decodeURIComponent(report[1])); return; }
  if (actor.kind !== "participant") {
    if (record) {
      const id = decodeURIComponent(record[1]);
      if (record[2] === "remind") mount(mountReminder, ctx(), id);
      else mount(mountRecord, ctx(), id, { focus: record[2] === "feedback" ? "feedback" : null });
      return;
    }
    if (board) { mount(mountBoard, ctx(), { query: board[1] || "" }); return; }
    if (monthly && actor.kind !== "unit") { mount(mountMonthly, ctx(), { month: monthly[1] }); return; }
  }
  if (meeting && actor.kind !== "unit") {
    if (actor.kind === "participant") mount(mountParticipant, ctx(), participantMeeting());
    else mount(mountPrep, ctx(), decodeURIComponent(meeting[1]));
    return;
  }
  homeFor(actor);
}

function init() {
  document.documentElement.lang = getLang() === "zh" ? "zh-CN" : "en";
  applyI18n(document);
  renderLangToggle();
  document.getElementById("lang-toggle").addEventListener("click", () => {
    setLang(getLang() === "zh" ? "en" : "zh");
  });
  onLangChange(() => {
    renderLangToggle();
    showWho();
    showStatus(lastStatus);
  });
  document.getElementById("signout").addEventListener("click", signOut);
  // The participant's page tells the header its role in the meeting.
  document.addEventListener("roadshow:role", (e) => {
    const role = e.detail || null;
    if (role !== session.role) { session.role = role; showWho(); }
  });
  window.addEventListener("hashchange", route);
  route();
}

init();
