// The participant's own device test before the meeting (会前联调): choose the
// microphone, speaker and camera (selftest-media.js); a 3-second microphone
// capture with a live level meter and its peak in dBFS (selftest-mic.js); a
// test tone and the recording played back, "did you hear it?"
// (selftest-speaker.js); an optional camera frame (selftest-camera.js); the
// display name used in the video meeting. The result goes to the server with
// av.self. Above it, the participant's own row (selftest-status.js): each
// check with pass / fail / pending, the host's notes, and what is still missing.
import { h, errorText, announce, nextId } from "./dom.js";
import { t, formatTime, onLangChange } from "./i18n.js";
import { AV_PHASES, readinessOf } from "./rehearsal.js";
import { rule } from "./catalogue.js";
import { devicePickers } from "./selftest-media.js";
import { makeMicStep } from "./selftest-mic.js";
import { makeSpeakerStep } from "./selftest-speaker.js";
import { makeCameraStep } from "./selftest-camera.js";
import { myStatus } from "./selftest-status.js";

/**
 * The self-test in `slot`. lead: during the joint test (rehearsal) the slot
 * moves just before the element that preceded it (the confirmation), and back
 * after it otherwise.
 */
export function mountSelfTest(slot, { conn, meetingId, store, actor, lead = false }) {
  const leadBefore = lead ? slot.previousElementSibling : null;
  // ---------- state ----------
  const st = {
    mic: null, // {ok, peakDb} | {ok: false, error: kind}
    micRunning: false,
    level: null, // live dB while running
    peak: null,
    recordingUrl: null,
    played: false,
    heard: null, // true | false | null
    cam: null, // {ok, width, height} | {ok: false, error}
    camRunning: false,
    sending: false,
    sentAt: null,
    nameTouched: false,
  };
  let disposed = false;
  const isDisposed = () => disposed;

  // ---------- elements ----------
  const heading = h("h2", { id: "st-h" });
  const intro = h("p", { class: "muted st-intro" });
  const status = myStatus();
  const devices = devicePickers({ isDisposed });
  const mic = makeMicStep({
    st, devices, isDisposed,
    passAboveDb: () => rule("selfTestPassAboveDb"), // the server's rule (GET /api/ops)
    onStart: () => { sendErr.hidden = true; },
    onRunning: () => { setTestsOpen(true); },
    onMeasured: () => speaker.render(),
  });
  const speaker = makeSpeakerStep({ st, devices, onAnswer: () => { sendErr.hidden = true; } });
  const camera = makeCameraStep({ st, devices, isDisposed });

  // step 4: display name
  const nameTitle = h("h3", {});
  const nameId = nextId("st-display");
  const nameInput = h("input", { type: "text", id: nameId, maxlength: "100", autocomplete: "off", "data-field": "displayName", "aria-describedby": nameId + "-hint" });
  const nameLabel = h("label", { for: nameId });
  const nameHint = h("p", { class: "hint", id: nameId + "-hint" });
  const nameStep = h("div", { class: "st-step", id: "st-name", dataset: { step: "name" } },
    h("div", { class: "st-step-head" }, h("span", { class: "st-num", "aria-hidden": "true" }, "4"), nameTitle),
    h("div", { class: "field" }, nameLabel, nameInput, nameHint));
  nameInput.addEventListener("input", () => { st.nameTouched = true; });

  // send
  const sendLabel = h("span", {});
  const sendBtn = h("button", { type: "button", class: "btn btn-primary", id: "selftest-send" }, sendLabel);
  const sendErr = h("p", { class: "form-error", id: "selftest-error", role: "alert", hidden: true });
  const sendStatus = h("p", { class: "confirm-status", id: "selftest-status", "aria-live": "polite" });
  const closedNote = h("p", { class: "notice notice-warn", id: "selftest-closed", hidden: true });

  // "开始自测" is a heading, not a toggle: clicking it never hides the tests.
  // Only once they matter less (live, and ready) do they fold away behind a
  // button that says what it does; the person can open them again.
  const testsTitle = h("h3", { class: "st-tests-title", id: "st-tests-title" });
  const testsBody = h("div", { class: "st-tests-body", id: "st-tests-body" },
    devices.el,
    h("div", { class: "st-steps" }, mic.el, speaker.el, camera.el, nameStep),
    sendErr,
    h("div", { class: "form-actions form-actions-start st-send" }, sendBtn),
    sendStatus);
  const testsToggle = h("button", { type: "button", class: "btn btn-secondary btn-sm", id: "st-tests-toggle", "aria-controls": "st-tests-body", hidden: true });
  const tests = h("div", { class: "st-tests", id: "st-tests" },
    h("div", { class: "st-tests-head" }, testsTitle, testsToggle),
    testsBody);
  let testsOpen = true;
  let collapsible = false;
  function setTestsOpen(v) {
    testsOpen = v;
    testsBody.hidden = !v;
    tests.dataset.open = String(v);
    testsToggle.setAttribute("aria-expanded", String(v));
    testsToggle.textContent = t(v ? "selftest.testsHide" : "selftest.testsAgain");
    renderSend();
  }
  testsToggle.addEventListener("click", () => { setTestsOpen(!testsOpen); if (testsOpen) testsBody.querySelector("button, select, input")?.focus(); });
  let autoOpen = null; // the last open state chosen for the phase, so a person's own toggle is kept
  const section = h("section", { class: "card st-card", id: "selftest", "aria-labelledby": "st-h", hidden: true },
    h("div", { class: "section-head" }, heading, status.readyBadge),
    intro,
    status.el,
    closedNote,
    tests);
  slot.append(section);

  const me = () => store.roster.get(actor.id) || null;
  const isOpen = () => !!store.meeting && AV_PHASES.includes(store.meeting.phase);


  // ---------- send ----------
  sendBtn.addEventListener("click", async () => {
    sendErr.hidden = true;
    if (!st.mic) { showSendError(t("selftest.needMic"), mic.button); return; }
    if (st.heard === null) { showSendError(t("selftest.needSpeaker"), speaker.focusTarget()); return; }
    const args = { meeting: meetingId, mic: { ok: !!st.mic.ok }, speaker: { ok: st.heard === true } };
    if (typeof st.mic.peakDb === "number") args.mic.peakDb = st.mic.peakDb;
    if (st.cam) args.camera = { ok: !!st.cam.ok };
    const shown = nameInput.value.trim();
    if (shown) args.displayName = shown;
    st.sending = true;
    sendBtn.disabled = true;
    sendBtn.setAttribute("aria-busy", "true");
    try {
      await conn.call("av.self", args);
      st.sentAt = new Date().toISOString();
      st.nameTouched = false;
      announce(t("selftest.sent"));
      if (st.camRunning) { camera.stop(); camera.render(); }
    } catch (err) {
      showSendError(errorText(err), sendBtn);
    } finally {
      st.sending = false;
      sendBtn.disabled = !isOpen();
      sendBtn.removeAttribute("aria-busy");
      renderSend();
    }
  });

  function showSendError(text, focusEl) {
    sendErr.textContent = text;
    sendErr.hidden = false;
    if (focusEl && !focusEl.disabled) focusEl.focus();
  }

  function renderSend() {
    const p = me();
    const last = p && p.av && p.av.selfTest;
    sendLabel.textContent = t(last ? "selftest.sendAgain" : "selftest.send");
    sendBtn.disabled = st.sending || !isOpen();
    // The last self-test's time shows in the status box above; here only what this page sent.
    if (st.sentAt && last) sendStatus.textContent = t("selftest.sentAt", { when: formatTime(last.at) });
    else sendStatus.textContent = last ? "" : t("selftest.notSent");
    sendStatus.hidden = !sendStatus.textContent;
    sendStatus.dataset.sent = String(!!last);
    closedNote.hidden = isOpen() || !store.meeting;
    closedNote.textContent = t("selftest.closed");
    tests.hidden = !isOpen();
    const ready = !!p && readinessOf(p).ready;
    const want = !(store.meeting && store.meeting.phase === "live" && ready);
    collapsible = !want;
    testsToggle.hidden = !collapsible && testsOpen;
    if (want !== autoOpen && !(tests.contains(document.activeElement) && !want)) {
      autoOpen = want;
      if (testsOpen !== want) { setTestsOpen(want); return; }
    }
    testsTitle.textContent = t(testsOpen ? "selftest.tests" : "selftest.testsFolded");
  }

  // ---------- my row ----------
  function renderStatus() {
    const p = me();
    if (!p) return;
    status.render(p);
    const last = p.av && p.av.selfTest;
    if (!st.nameTouched) nameInput.value = (last && last.displayName) || p.displayName || "";
  }

  function renderStatic() {
    heading.textContent = t("selftest.title");
    intro.textContent = t("selftest.intro");
    testsTitle.textContent = t("selftest.tests");
    devices.render();
    nameTitle.textContent = t("selftest.name.title");
    nameLabel.textContent = t("selftest.name.label");
    const p = me();
    nameHint.textContent = t("selftest.name.hint", { name: p ? p.displayName : "", system: (store.meeting && store.meeting.system && store.meeting.system.name) || t("selftest.name.system") });
  }

  function place() {
    const parent = slot.parentNode;
    if (!leadBefore || !parent || leadBefore.parentNode !== parent || !store.meeting) return;
    if (store.meeting.phase === "rehearsal") { if (slot.nextElementSibling !== leadBefore) parent.insertBefore(slot, leadBefore); }
    else if (slot.previousElementSibling !== leadBefore) leadBefore.after(slot);
  }

  function renderAll() {
    if (!store.loaded) return;
    const p = me();
    section.hidden = !p;
    if (!p) return;
    place();
    renderStatic();
    renderStatus();
    mic.render();
    speaker.render();
    camera.render();
    renderSend();
  }

  const off = store.subscribe((change) => {
    if (change.kind === "snapshot") { renderAll(); devices.refresh(); return; }
    if (change.kind === "roster" || change.kind === "meeting") {
      if (section.hidden) { renderAll(); return; }
      place();
      renderStatic();
      renderStatus();
      renderSend();
      const ev = change.event;
      if (ev && ev.event === "av.marked" && ev.data && ev.data.participant && ev.data.participant.id === actor.id) {
        status.hostMarked();
      }
    }
  });
  const offLang = onLangChange(() => { devices.refresh(); renderAll(); });
  if (store.loaded) { renderAll(); devices.refresh(); }

  return () => {
    disposed = true;
    off();
    offLang();
    mic.destroy();
    camera.stop();
    speaker.destroy();
    devices.destroy();
    if (st.recordingUrl) URL.revokeObjectURL(st.recordingUrl);
    section.remove();
  };
}