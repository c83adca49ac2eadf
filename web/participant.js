// The invite-link view: a participant sees its meeting, the preparation
// progress and the roster, and confirms attendance and readiness.
import { h, put, busy, showError, formError, errorText, toast, announce, nextId } from "./dom.js";
import { t, phaseLabel, roleLabel, formatTime, onLangChange } from "./i18n.js";
import { codes } from "./catalogue.js";
import { MeetingStore, followMeeting } from "./store.js";
import { meetingHeader, progressBar, mark } from "./meetingview.js";
import { mountPhaseBar } from "./phasebar.js";
import { mountRehearsal } from "./rehearsal.js";
import { mountSelfTest } from "./selftest.js";
import { mountReminders } from "./invite.js";
import { mountLiveParticipant } from "./liveparticipant.js";
import { mountFollowup, AFTER_PHASES } from "./followup.js";
import { mountMaterials } from "./materials.js";

export function mountParticipant(main, { conn, actor }, meetingId) {
  const store = new MeetingStore();
  const headSlot = h("div", { id: "meeting-head" }, h("div", { class: "card loading", "aria-busy": "true" }, h("span", { class: "spinner", "aria-hidden": "true" }), h("span", { i18n: "loading" })));
  const greet = h("div", { class: "greet" });
  const body = h("div", { class: "participant-body", hidden: true });
  const phaseSlot = h("div", { id: "phase-slot" }); // phase bar (phasebar.js)
  const followSlot = h("div", { id: "followup-slot" }); // after the meeting (followup.js)
  main.append(greet, headSlot, phaseSlot, followSlot, body);

  if (!meetingId) {
    headSlot.textContent = "";
    headSlot.append(h("section", { class: "card" }, h("h1", { i18n: "p.gone" })));
    return () => {};
  }

  // ---------- confirmation form ----------
  const yesId = nextId("attend-yes");
  const noId = nextId("attend-no");
  const clientId = nextId("client");
  const accountId = nextId("account");
  const yes = h("input", { type: "radio", name: "attending", value: "yes", id: yesId, "data-field": "attending" });
  const no = h("input", { type: "radio", name: "attending", value: "no", id: noId });
  const client = h("input", { type: "checkbox", id: clientId, "data-field": "clientInstalled" });
  const account = h("input", { type: "checkbox", id: accountId, "data-field": "accountRegistered" });
  const status = h("p", { class: "confirm-status", id: "confirm-status", "aria-live": "polite" });
  const submit = h("button", { type: "submit", class: "btn btn-primary", id: "confirm-submit" });
  const attendErr = h("p", { class: "field-error", id: yesId + "-err", role: "alert", hidden: true });
  yes.setAttribute("aria-describedby", attendErr.id);
  const form = h("form", { class: "stack", id: "confirm-form", novalidate: true },
    h("fieldset", { class: "choice-group" },
      h("legend", { i18n: "p.attendQ" }),
      h("div", { class: "segmented" },
        h("label", { for: yesId, class: "seg" }, yes, h("span", { i18n: "p.attendYes" })),
        h("label", { for: noId, class: "seg" }, no, h("span", { i18n: "p.attendNo" }))),
      attendErr),
    h("div", { class: "checks" },
      h("label", { for: clientId, class: "check" }, client, h("span", { i18n: "ro.clientLong" })),
      h("label", { for: accountId, class: "check" }, account, h("span", { i18n: "ro.accountLong" }))),
    formError(),
    h("div", { class: "form-actions form-actions-start" }, submit),
    status);
  const displayBox = h("div", { class: "display-callout" });

  const confirmSection = h("section", { class: "card card-highlight", id: "confirm", "aria-labelledby": "confirm-h" },
    h("h2", { id: "confirm-h", i18n: "p.confirm" }),
    h("p", { class: "muted", i18n: "p.confirmIntro" }),
    displayBox,
    form);

  const progressBox = h("div", { id: "participant-progress" });
  const progressSection = h("section", { class: "card", "aria-labelledby": "pp-h" },
    h("div", { class: "section-head" }, h("h2", { id: "pp-h", i18n: "p.progress" })),
    progressBox);

  const rosterList = h("ul", { class: "ro-list ro-list-compact", id: "participant-roster" });
  const rosterCount = h("span", { class: "count" });
  const rosterSection = h("section", { class: "card", "aria-labelledby": "pr-h" },
    h("div", { class: "section-head" }, h("h2", { id: "pr-h", i18n: "p.roster" }), rosterCount),
    rosterList);

  const selfSlot = h("div", { id: "selftest-slot" }); // device self-test and own AV status (selftest.js)
  const remindSlot = h("div", { id: "reminders-slot" }); // reminders, etiquette, .ics (invite.js)
  const avSlot = h("div", { id: "av-slot" }); // AV roster, for a participant with the host role (rehearsal.js)
  const materialsSlot = h("div", { id: "materials-slot" }); // the project materials this participant may see (materials.js)
  body.append(confirmSection, materialsSlot, selfSlot, remindSlot, progressSection, rosterSection, avSlot);

  let formTouched = false;
  for (const el of [yes, no, client, account]) el.addEventListener("change", () => { formTouched = true; });

  function me() {
    return store.roster.get(actor.id) || null;
  }

  function renderGreet() {
    const p = me();
    document.dispatchEvent(new CustomEvent("roadshow:role", { detail: p ? p.role : null }));
    put(greet,
      h("p", { class: "greet-hello" }, t("p.hello", { name: (p && p.name) || actor.name })),
      p ? h("p", { class: "muted" }, t("p.yourRole", { role: roleLabel(p.role), unit: p.unit })) : null);
  }

  function renderHead() {
    if (!store.meeting) return;
    headSlot.textContent = "";
    // The meeting code (M-…) is the organizer side's handle: only who runs the meeting or keeps its minutes sees it.
    const showId = store.may("meeting.update") || store.may("minutes.add");
    headSlot.append(meetingHeader(store.meeting, { showId, compact: store.meeting.phase === "live" }));
    if (changedNote) headSlot.append(changedNote);
    document.title = `${store.meeting.title} · ${t("app.name")}`;
  }

  /** Attendance and preparation are settled before the meeting; afterwards the follow-up takes their place. */
  function after() { return AFTER_PHASES.has(store.phase); }

  function renderConfirm() {
    const p = me();
    if (!p || after()) {
      confirmSection.hidden = true;
      return;
    }
    confirmSection.hidden = false;
    put(displayBox, h("span", { class: "muted" }, t("ro.displayNameHint")), " ", h("strong", { class: "display-name", id: "my-display-name" }, p.displayName || `${p.name}-${p.unit}`));
    if (!formTouched) {
      yes.checked = p.attending === true;
      no.checked = p.attending === false;
      client.checked = p.clientInstalled === true;
      account.checked = p.accountRegistered === true;
    }
    submit.textContent = t(p.confirmedAt ? "p.update" : "p.submit");
    status.textContent = p.confirmedAt ? t("p.status", { when: formatTime(p.confirmedAt) }) : t("p.statusNone");
    status.dataset.confirmed = p.confirmedAt ? "true" : "false";
  }

  function renderProgress() {
    progressSection.hidden = after();
    selfSlot.hidden = after(); // the joint test is over

    progressBox.textContent = "";
    const all = [...store.checklist.values()];
    const total = store.progress(all);
    progressBox.append(progressBar(total.done, total.total, { id: "overall-progress" }));
    const groups = store.checklistByPhase();
    const list = h("ul", { class: "phase-progress" });
    for (const phase of codes("phases")) {
      const items = groups.get(phase);
      if (!items || !items.length) continue;
      const p = store.progress(items);
      list.append(h("li", { class: "phase-progress-row" },
        h("span", { class: "phase-progress-name" }, phaseLabel(phase)),
        progressBar(p.done, p.total)));
    }
    progressBox.append(list);
  }

  function renderRoster() {
    rosterList.textContent = "";
    const people = [...store.roster.values()];
    rosterCount.textContent = people.length ? t("ro.count", { n: people.length }) : "";
    for (const p of people) {
      const isMe = p.id === actor.id;
      rosterList.append(h("li", { class: "ro-item ro-item-compact" + (isMe ? " is-me" : ""), dataset: { id: p.id } },
        h("div", { class: "ro-who" },
          h("div", { class: "ro-name-line" },
            h("span", { class: "ro-name" }, p.name, isMe ? h("span", { class: "muted" }, " " + t("you")) : null),
            h("span", { class: `badge badge-role badge-${p.role}` }, roleLabel(p.role))),
          h("div", { class: "ro-unit muted" }, p.unit)),
        h("div", { class: "ro-marks" }, mark(p.attending, "ro.attending"))));
    }
  }

  function renderAll() {
    renderGreet();
    renderHead();
    renderConfirm();
    renderProgress();
    renderRoster();
    if (store.loaded && !me()) {
      body.hidden = true;
      headSlot.append(h("p", { class: "notice notice-warn", role: "alert", i18n: "p.gone" }));
    }
  }

  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    attendErr.hidden = true;
    if (!yes.checked && !no.checked) {
      attendErr.textContent = t("err.required");
      attendErr.hidden = false;
      yes.setAttribute("aria-invalid", "true");
      yes.focus();
      return;
    }
    yes.removeAttribute("aria-invalid");
    await busy(form, async () => {
      try {
        await conn.call("roster.confirm", {
          meeting: meetingId,
          attending: yes.checked,
          clientInstalled: client.checked,
          accountRegistered: account.checked,
        });
        formTouched = false;
        renderConfirm();
        toast(t("p.sent"), "info");
        announce(t("p.sent"));
      } catch (err) {
        showError(form, err);
      }
    });
  });

  // The organizer corrected the meeting (time, room, link …): the card shows it
  // at once, and a note says so until the page is reloaded.
  let changedNote = null;
  // Checklist events can come by the thousand (a resume from far behind): the
  // progress is drawn, and said to a screen reader, once per frame.
  let progressFrame = 0;
  function scheduleProgress() {
    if (progressFrame) return;
    progressFrame = requestAnimationFrame(() => {
      progressFrame = 0;
      renderProgress();
      const p = store.progress();
      if (!after()) announce(`${t("p.progress")}: ${p.done}/${p.total}`);
    });
  }
  const offStore = store.subscribe((change) => {
    if (change.kind === "snapshot") { body.hidden = false; renderAll(); return; }
    if (change.kind === "meeting" && change.event && change.event.event === "meeting.updated" && !(change.event.by && change.event.by === actor.id)) {
      changedNote = h("p", { class: "notice notice-info meeting-changed", id: "meeting-changed", role: "status", i18n: "medit.changed" });
      announce(t("medit.changed"));
    }
    if (change.kind === "meeting") { renderHead(); renderConfirm(); renderProgress(); }
    if (change.kind === "checklist") scheduleProgress();
    if (change.kind === "roster") {
      renderRoster();
      renderConfirm();
      renderGreet();
      if (!me()) renderAll();
    }
  });

  const offRehearsal = [
    mountPhaseBar(phaseSlot, { conn, meetingId, store }), // the host's tools, if viewer.ops allow them
    mountSelfTest(selfSlot, { conn, meetingId, store, actor, lead: true }),
    mountReminders(remindSlot, { conn, meetingId, store, actor }),
    mountRehearsal(avSlot, { conn, meetingId, store, actor, lead: true }),
    mountLiveParticipant(h("div", { id: "live-slot" }), { conn, actor, store, meetingId }, { anchor: body }), // live.js, liveparticipant.js
    mountFollowup(followSlot, { conn, actor, store, meetingId }),
  ];
  const materials = mountMaterials(materialsSlot, { conn, actor, store, meetingId });
  offRehearsal.push(() => materials.destroy());

  const unsubscribe = followMeeting(conn, meetingId, store, {
    actor,
    onError: (err) => {
      headSlot.textContent = "";
      headSlot.append(h("section", { class: "card" }, h("h1", { i18n: "m.notFound" }), h("p", { class: "muted" }, errorText(err))));
    },
  });
  const offLang = onLangChange(() => { if (store.loaded) renderAll(); });
  return () => { cancelAnimationFrame(progressFrame); unsubscribe(); offStore(); offLang(); for (const off of offRehearsal) off(); document.dispatchEvent(new CustomEvent("roadshow:role", { detail: null })); };
}
