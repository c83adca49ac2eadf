// The participant's own device test before the meeting (会前联调): choose the
// microphone, speaker and camera; a 3-second microphone capture with a live
// level meter and its peak in dBFS; a test tone and the recording played back
// ("did you hear it?"); an optional camera frame; the display name used in the
// video meeting. The result goes to the server with av.self. Above it, the
// participant's own row: each check with pass / fail / pending, the host's
// notes, and what is still missing.
import { h, put, errorText, announce, nextId } from "./dom.js";
import { t, formatTime, onLangChange } from "./i18n.js";
import { checkLabel } from "./phasebar.js";
import { CHECKS, AV_PHASES, checkState, readinessOf, formatDb, stateLabel } from "./rehearsal.js";

/** MicrophoneLevel.passAboveDb in the server's core: a peak above this counts as heard. */
export const PASS_ABOVE_DB = -50;
const MIC_SECONDS = 3;
const METER_FLOOR_DB = -60;
const SYMBOL = { pass: "✓", fail: "✕", pending: "↻", none: "○" };

/** Peak sample (0…1) → dBFS, clamped to what the server accepts (−200…0). */
export function toDb(peak) {
  if (!(peak > 0)) return -200;
  return Math.max(-200, Math.min(0, Math.round(20 * Math.log10(peak) * 10) / 10));
}

/** Why getUserMedia failed, as one of: denied, nodevice, busy, unsupported, other. */
export function mediaErrorKind(err) {
  const name = err && err.name;
  if (name === "NotAllowedError" || name === "PermissionDeniedError" || name === "SecurityError") return "denied";
  if (name === "NotFoundError" || name === "DevicesNotFoundError" || name === "OverconstrainedError") return "nodevice";
  if (name === "NotReadableError" || name === "TrackStartError" || name === "AbortError") return "busy";
  if (name === "TypeError") return "unsupported";
  return "other";
}

const canPickSpeaker = () => typeof HTMLMediaElement !== "undefined" && "setSinkId" in HTMLMediaElement.prototype;
const hasMedia = () => !!(navigator.mediaDevices && navigator.mediaDevices.getUserMedia);

/** A short three-beep test tone as a WAV blob (played through an <audio> element, so setSinkId applies). */
function toneWav() {
  const rate = 44100;
  const beeps = [[0, 0.32, 660], [0.45, 0.32, 880], [0.9, 0.45, 660]];
  const length = Math.ceil(rate * 1.45);
  const data = new Int16Array(length);
  for (const [start, dur, freq] of beeps) {
    const s0 = Math.floor(start * rate);
    const n = Math.floor(dur * rate);
    const fade = Math.floor(0.012 * rate);
    for (let i = 0; i < n && s0 + i < length; i++) {
      const env = Math.min(1, i / fade, (n - i) / fade);
      data[s0 + i] = Math.round(Math.sin((2 * Math.PI * freq * i) / rate) * env * 0.35 * 32767);
    }
  }
  const buf = new ArrayBuffer(44 + data.byteLength);
  const v = new DataView(buf);
  const str = (o, s) => { for (let i = 0; i < s.length; i++) v.setUint8(o + i, s.charCodeAt(i)); };
  str(0, "RIFF"); v.setUint32(4, 36 + data.byteLength, true); str(8, "WAVE");
  str(12, "fmt "); v.setUint32(16, 16, true); v.setUint16(20, 1, true); v.setUint16(22, 1, true);
  v.setUint32(24, rate, true); v.setUint32(28, rate * 2, true); v.setUint16(32, 2, true); v.setUint16(34, 16, true);
  str(36, "data"); v.setUint32(40, data.byteLength, true);
  new Int16Array(buf, 44).set(data);
  return new Blob([buf], { type: "audio/wav" });
}

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
  let audioCtx = null;
  let micStream = null;
  let camStream = null;
  let micTimer = null;
  let toneUrl = null;
  let disposed = false;

  // ---------- elements ----------
  const heading = h("h2", { id: "st-h" });
  const readyBadge = h("span", { class: "av-ready", id: "my-ready" });
  const intro = h("p", { class: "muted st-intro" });

  const myChecks = h("ul", { class: "st-checks", id: "my-checks" });
  const myMissing = h("p", { class: "st-missing", id: "my-missing" });
  const myLast = h("p", { class: "muted small", id: "my-last-test" });
  const statusBox = h("div", { class: "st-status", id: "my-av", role: "group" }, myChecks, myMissing, myLast);

  // devices
  const micSel = h("select", { id: nextId("st-mic-dev"), "data-field": "mic-device" });
  const spkSel = h("select", { id: nextId("st-spk-dev"), "data-field": "speaker-device" });
  const camSel = h("select", { id: nextId("st-cam-dev"), "data-field": "camera-device" });
  const devLabel = (sel) => h("label", { for: sel.id });
  const micSelLabel = devLabel(micSel), spkSelLabel = devLabel(spkSel), camSelLabel = devLabel(camSel);
  const spkHint = h("p", { class: "hint" });
  const devices = h("div", { class: "st-devices" },
    h("div", { class: "field" }, micSelLabel, micSel),
    h("div", { class: "field" }, spkSelLabel, spkSel, spkHint),
    h("div", { class: "field" }, camSelLabel, camSel));

  // step 1: microphone
  const micTitle = h("h3", {});
  const micHelp = h("p", { class: "muted small" });
  const micBtnLabel = h("span", {});
  const micBtn = h("button", { type: "button", class: "btn btn-primary", id: "mic-test" }, micBtnLabel);
  const meterFill = h("div", { class: "meter-fill" });
  const meterMark = h("div", { class: "meter-mark", "aria-hidden": "true" });
  const meter = h("div", { class: "meter", id: "mic-meter", role: "meter", "aria-valuemin": String(METER_FLOOR_DB), "aria-valuemax": "0", "aria-valuenow": String(METER_FLOOR_DB) },
    meterFill, meterMark);
  const levelText = h("span", { class: "meter-text mono", id: "mic-level" }, "—");
  const micResult = h("div", { class: "st-result", id: "mic-result", role: "status", "aria-live": "polite" });
  const micStep = h("div", { class: "st-step", id: "st-mic", dataset: { step: "mic" } },
    h("div", { class: "st-step-head" }, h("span", { class: "st-num", "aria-hidden": "true" }, "1"), micTitle),
    micHelp,
    h("div", { class: "st-row" }, micBtn, h("div", { class: "meter-wrap" }, meter, levelText)),
    micResult);

  // step 2: speaker
  const spkTitle = h("h3", {});
  const spkHelp = h("p", { class: "muted small" });
  const toneLabel = h("span", {});
  const toneBtn = h("button", { type: "button", class: "btn btn-secondary", id: "tone-play" }, h("span", { "aria-hidden": "true" }, "♪ "), toneLabel);
  const recLabel = h("span", {});
  const recBtn = h("button", { type: "button", class: "btn btn-secondary", id: "rec-play", disabled: true }, h("span", { "aria-hidden": "true" }, "▶ "), recLabel);
  const player = h("audio", { preload: "auto", class: "sr-only", "aria-hidden": "true" });
  const heardYesId = nextId("heard-yes"), heardNoId = nextId("heard-no");
  const heardYes = h("input", { type: "radio", name: nextId("heard"), value: "yes", id: heardYesId, "data-field": "heard", disabled: true });
  const heardNo = h("input", { type: "radio", name: heardYes.name, value: "no", id: heardNoId, disabled: true });
  const heardLegend = h("legend", {});
  const heardYesText = h("span", {}), heardNoText = h("span", {});
  const heardBox = h("fieldset", { class: "choice-group st-heard", id: "st-heard" },
    heardLegend,
    h("div", { class: "segmented" },
      h("label", { for: heardYesId, class: "seg" }, heardYes, heardYesText),
      h("label", { for: heardNoId, class: "seg" }, heardNo, heardNoText)));
  const spkResult = h("div", { class: "st-result", id: "speaker-result", role: "status", "aria-live": "polite" });
  const spkStep = h("div", { class: "st-step", id: "st-speaker", dataset: { step: "speaker" } },
    h("div", { class: "st-step-head" }, h("span", { class: "st-num", "aria-hidden": "true" }, "2"), spkTitle),
    spkHelp,
    h("div", { class: "st-row" }, toneBtn, recBtn),
    heardBox,
    spkResult,
    player);

  // step 3: camera (optional)
  const camTitle = h("h3", {});
  const camHelp = h("p", { class: "muted small" });
  const camBtnLabel = h("span", {});
  const camBtn = h("button", { type: "button", class: "btn btn-secondary", id: "cam-test" }, camBtnLabel);
  const video = h("video", { class: "st-video", id: "cam-preview", muted: true, playsinline: true, autoplay: true, hidden: true });
  video.muted = true;
  const camResult = h("div", { class: "st-result", id: "cam-result", role: "status", "aria-live": "polite" });
  const camStep = h("div", { class: "st-step", id: "st-camera", dataset: { step: "camera" } },
    h("div", { class: "st-step-head" }, h("span", { class: "st-num", "aria-hidden": "true" }, "3"), camTitle),
    camHelp,
    h("div", { class: "st-row" }, camBtn),
    video,
    camResult);

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

  const testsTitle = h("span", {});
  // The tests fold away once they matter less (live and ready); the person can open them again.
  const tests = h("details", { class: "st-tests", id: "st-tests", open: true },
    h("summary", { class: "st-tests-summary" }, testsTitle),
    devices,
    h("div", { class: "st-steps" }, micStep, spkStep, camStep, nameStep),
    sendErr,
    h("div", { class: "form-actions form-actions-start st-send" }, sendBtn),
    sendStatus);
  let autoOpen = null; // the last open state chosen for the phase, so a person's own toggle is kept
  const section = h("section", { class: "card st-card", id: "selftest", "aria-labelledby": "st-h", hidden: true },
    h("div", { class: "section-head" }, heading, readyBadge),
    intro,
    statusBox,
    closedNote,
    tests);
  slot.append(section);

  const me = () => store.roster.get(actor.id) || null;
  const isOpen = () => !!store.meeting && AV_PHASES.includes(store.meeting.phase);

  // ---------- devices ----------
  async function refreshDevices() {
    if (!navigator.mediaDevices || !navigator.mediaDevices.enumerateDevices) {
      fillSelect(micSel, [], "audioinput"); fillSelect(spkSel, [], "audiooutput"); fillSelect(camSel, [], "videoinput");
      return;
    }
    let list = [];
    try { list = await navigator.mediaDevices.enumerateDevices(); } catch { list = []; }
    if (disposed) return;
    fillSelect(micSel, list.filter((d) => d.kind === "audioinput"), "audioinput");
    fillSelect(spkSel, list.filter((d) => d.kind === "audiooutput"), "audiooutput");
    fillSelect(camSel, list.filter((d) => d.kind === "videoinput"), "videoinput");
  }

  function fillSelect(sel, devs, kind) {
    const keep = sel.value;
    sel.textContent = "";
    sel.append(h("option", { value: "" }, t("selftest.dev.default")));
    let n = 0;
    for (const d of devs) {
      if (!d.deviceId || d.deviceId === "default" || d.deviceId === "communications") continue;
      n++;
      sel.append(h("option", { value: d.deviceId }, d.label || t("selftest.dev." + kind, { n })));
    }
    if ([...sel.options].some((o) => o.value === keep)) sel.value = keep;
    sel.dataset.count = String(n);
  }

  if (navigator.mediaDevices && navigator.mediaDevices.addEventListener) {
    navigator.mediaDevices.addEventListener("devicechange", refreshDevices);
  }

  function ctx() {
    if (!audioCtx) {
      const AC = window.AudioContext || window.webkitAudioContext;
      if (!AC) return null;
      audioCtx = new AC();
    }
    return audioCtx;
  }

  // ---------- microphone ----------
  function stopMic() {
    clearInterval(micTimer);
    micTimer = null;
    if (micStream) { for (const tr of micStream.getTracks()) tr.stop(); micStream = null; }
  }

  async function runMic() {
    if (st.micRunning) return;
    stopMic();
    sendErr.hidden = true;
    if (!hasMedia()) { st.mic = { ok: false, error: window.isSecureContext === false ? "insecure" : "unsupported" }; renderMic(); return; }
    st.micRunning = true;
    st.mic = null;
    st.level = null;
    st.peak = null;
    renderMic();
    const constraints = { audio: { echoCancellation: false, noiseSuppression: false, autoGainControl: false } };
    if (micSel.value) constraints.audio.deviceId = { exact: micSel.value };
    try {
      micStream = await navigator.mediaDevices.getUserMedia(constraints);
    } catch (err) {
      st.micRunning = false;
      st.mic = { ok: false, error: mediaErrorKind(err), detail: err && err.message };
      renderMic();
      return;
    }
    if (disposed) { stopMic(); return; }
    refreshDevices();
    const ac = ctx();
    if (!ac) { stopMic(); st.micRunning = false; st.mic = { ok: false, error: "unsupported" }; renderMic(); return; }
    try { await ac.resume(); } catch { /* measured anyway */ }
    const source = ac.createMediaStreamSource(micStream);
    const analyser = ac.createAnalyser();
    analyser.fftSize = 4096; // ~85 ms windows, read every 50 ms: no sample is missed
    source.connect(analyser);
    const buf = new Float32Array(analyser.fftSize);
    // Record the same 3 seconds to play back in the speaker step.
    let recorder = null;
    const chunks = [];
    try {
      recorder = new MediaRecorder(micStream);
      recorder.ondataavailable = (e) => { if (e.data && e.data.size) chunks.push(e.data); };
      recorder.start();
    } catch { recorder = null; }
    let peak = 0;
    const started = performance.now();
    await new Promise((resolve) => {
      micTimer = setInterval(() => {
        analyser.getFloatTimeDomainData(buf);
        let m = 0;
        for (let i = 0; i < buf.length; i++) { const a = Math.abs(buf[i]); if (a > m) m = a; }
        if (m > peak) peak = m;
        st.level = toDb(m);
        st.peak = toDb(peak);
        renderMeter((performance.now() - started) / 1000);
        if (performance.now() - started >= MIC_SECONDS * 1000 || disposed) { clearInterval(micTimer); resolve(); }
      }, 50);
    });
    if (recorder && recorder.state !== "inactive") {
      await new Promise((resolve) => { recorder.onstop = resolve; try { recorder.stop(); } catch { resolve(); } });
      if (chunks.length) {
        if (st.recordingUrl) URL.revokeObjectURL(st.recordingUrl);
        st.recordingUrl = URL.createObjectURL(new Blob(chunks, { type: chunks[0].type || "audio/webm" }));
      }
    }
    try { source.disconnect(); } catch { /* ignore */ }
    stopMic();
    if (disposed) return;
    const db = toDb(peak);
    st.micRunning = false;
    st.level = null;
    st.mic = { ok: db > PASS_ABOVE_DB, peakDb: db };
    renderMic();
    renderSpeaker();
    announce(micResult.textContent);
  }

  function renderMeter(elapsed) {
    const db = st.level ?? METER_FLOOR_DB;
    const shown = st.micRunning ? db : (st.mic && typeof st.mic.peakDb === "number" ? st.mic.peakDb : METER_FLOOR_DB);
    const pct = Math.max(0, Math.min(100, ((shown - METER_FLOOR_DB) / -METER_FLOOR_DB) * 100));
    meterFill.style.width = pct + "%";
    meter.dataset.level = String(shown);
    meter.classList.toggle("is-loud", shown > PASS_ABOVE_DB);
    meter.setAttribute("aria-valuenow", String(Math.max(METER_FLOOR_DB, shown)));
    meter.setAttribute("aria-valuetext", formatDb(shown));
    if (st.micRunning) {
      levelText.textContent = `${formatDb(db)} · ${t("selftest.mic.peakSoFar")} ${formatDb(st.peak)}`;
      levelText.dataset.peak = String(st.peak);
      if (typeof elapsed === "number") micBtnLabel.textContent = t("selftest.mic.running", { s: Math.max(0, Math.ceil(MIC_SECONDS - elapsed)) });
    } else if (st.mic && typeof st.mic.peakDb === "number") {
      levelText.textContent = `${t("selftest.mic.peak")} ${formatDb(st.mic.peakDb)}`;
      levelText.dataset.peak = String(st.mic.peakDb);
    } else {
      levelText.textContent = "—";
    }
  }

  function renderMic() {
    micTitle.textContent = t("selftest.mic.title");
    micHelp.textContent = t("selftest.mic.help", { db: formatDb(PASS_ABOVE_DB) });
    micBtn.disabled = st.micRunning;
    if (st.micRunning) tests.open = true;
    micBtn.setAttribute("aria-busy", String(st.micRunning));
    micBtnLabel.textContent = st.micRunning ? t("selftest.mic.running", { s: MIC_SECONDS })
      : st.mic ? t("selftest.mic.again") : t("selftest.mic.start", { s: MIC_SECONDS });
    meterMark.style.left = `${((PASS_ABOVE_DB - METER_FLOOR_DB) / -METER_FLOOR_DB) * 100}%`;
    meter.setAttribute("aria-label", t("selftest.mic.meter"));
    renderMeter();
    const m = st.mic;
    micStep.dataset.state = st.micRunning ? "running" : !m ? "idle" : m.ok ? "pass" : "fail";
    if (st.micRunning) {
      result(micResult, "running", t("selftest.mic.speak"));
    } else if (!m) {
      result(micResult, "idle", "");
    } else if (m.ok) {
      result(micResult, "pass", t("selftest.mic.pass", { db: formatDb(m.peakDb) }));
    } else if (m.error) {
      result(micResult, m.error, t("selftest.mic.err." + m.error), t("selftest.mic.fix." + m.error));
    } else {
      result(micResult, "silent", t("selftest.mic.silent", { db: formatDb(m.peakDb), limit: formatDb(PASS_ABOVE_DB) }), t("selftest.mic.fix.silent"));
    }
  }

  /** Fills a result line: a state (data-state), a headline and an optional hint of what to do. */
  function result(el, state, text, hint) {
    el.dataset.state = state;
    const ok = state === "pass";
    const bad = !ok && !["idle", "running"].includes(state);
    el.className = "st-result" + (ok ? " is-pass" : bad ? " is-fail" : "");
    put(el,
      text ? h("p", { class: "st-result-text" }, ok ? h("span", { "aria-hidden": "true" }, "✓ ") : bad ? h("span", { "aria-hidden": "true" }, "✕ ") : null, text) : null,
      hint ? h("p", { class: "st-hint", dataset: { hint: state } }, hint) : null);
    el.hidden = !text;
  }

  // ---------- speaker ----------
  async function play(url) {
    // The question opens at once: if nothing is heard (or nothing plays), "no" is the answer.
    st.played = true;
    if (spkResult.dataset.state === "playfail") spkResult.dataset.state = "idle";
    renderSpeaker();
    player.pause();
    player.src = url;
    if (spkSel.value && typeof player.setSinkId === "function") {
      try { await player.setSinkId(spkSel.value); } catch { /* default output */ }
    }
    try {
      await player.play();
    } catch (err) {
      result(spkResult, "playfail", t("selftest.spk.playFail"), (err && err.message) || null);
      return false;
    }
    return true;
  }

  toneBtn.addEventListener("click", () => {
    if (!toneUrl) toneUrl = URL.createObjectURL(toneWav());
    play(toneUrl);
  });
  recBtn.addEventListener("click", () => { if (st.recordingUrl) play(st.recordingUrl); });
  for (const r of [heardYes, heardNo]) {
    r.addEventListener("change", () => {
      st.heard = heardYes.checked ? true : heardNo.checked ? false : null;
      sendErr.hidden = true;
      renderSpeaker();
    });
  }

  function renderSpeaker() {
    spkTitle.textContent = t("selftest.spk.title");
    spkHelp.textContent = t("selftest.spk.help");
    toneLabel.textContent = t("selftest.spk.tone");
    recLabel.textContent = t("selftest.spk.recording");
    recBtn.disabled = !st.recordingUrl;
    recBtn.title = st.recordingUrl ? "" : t("selftest.spk.recordingFirst");
    heardLegend.textContent = t("selftest.spk.question");
    heardYesText.textContent = t("selftest.spk.yes");
    heardNoText.textContent = t("selftest.spk.no");
    heardYes.disabled = heardNo.disabled = !st.played;
    heardBox.classList.toggle("is-disabled", !st.played);
    spkStep.dataset.state = st.heard === true ? "pass" : st.heard === false ? "fail" : "idle";
    if (st.heard === true) result(spkResult, "pass", t("selftest.spk.pass"));
    else if (st.heard === false) result(spkResult, "fail", t("selftest.spk.fail"), t("selftest.spk.fix"));
    else if (spkResult.dataset.state !== "playfail") result(spkResult, "idle", st.played ? "" : t("selftest.spk.playFirst"));
    spkSelLabel.textContent = t("selftest.dev.speaker");
    spkSel.hidden = !canPickSpeaker();
    spkHint.textContent = canPickSpeaker() ? "" : t("selftest.dev.noSinkId");
    spkHint.hidden = canPickSpeaker();
  }

  // ---------- camera ----------
  function stopCam() {
    if (camStream) { for (const tr of camStream.getTracks()) tr.stop(); camStream = null; }
    video.srcObject = null;
    video.hidden = true;
    st.camRunning = false;
  }

  async function runCam() {
    if (st.camRunning) { stopCam(); renderCam(); return; }
    if (!hasMedia()) { st.cam = { ok: false, error: window.isSecureContext === false ? "insecure" : "unsupported" }; renderCam(); return; }
    camBtn.disabled = true;
    result(camResult, "running", t("selftest.cam.waiting"));
    const constraints = { video: camSel.value ? { deviceId: { exact: camSel.value } } : true };
    try {
      camStream = await navigator.mediaDevices.getUserMedia(constraints);
    } catch (err) {
      camBtn.disabled = false;
      st.cam = { ok: false, error: mediaErrorKind(err) };
      renderCam();
      return;
    }
    if (disposed) { stopCam(); return; }
    refreshDevices();
    st.camRunning = true;
    video.hidden = false;
    video.srcObject = camStream;
    try { await video.play(); } catch { /* autoplay muted */ }
    const deadline = performance.now() + 6000;
    while (!disposed && video.videoWidth === 0 && performance.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    camBtn.disabled = false;
    st.cam = video.videoWidth > 0 ? { ok: true, width: video.videoWidth, height: video.videoHeight } : { ok: false, error: "noframe" };
    if (!st.cam.ok) stopCam();
    renderCam();
    announce(camResult.textContent);
  }

  function renderCam() {
    camTitle.textContent = `${t("selftest.cam.title")} (${t("optional")})`;
    camHelp.textContent = t("selftest.cam.help");
    camBtnLabel.textContent = st.camRunning ? t("selftest.cam.stop") : st.cam ? t("selftest.cam.again") : t("selftest.cam.start");
    const c = st.cam;
    camStep.dataset.state = !c ? "idle" : c.ok ? "pass" : "fail";
    if (!c) result(camResult, "idle", "");
    else if (c.ok) result(camResult, "pass", t("selftest.cam.pass", { w: c.width, h: c.height }));
    else result(camResult, c.error, t("selftest.cam.err." + (["denied", "nodevice", "busy", "unsupported", "noframe", "insecure"].includes(c.error) ? c.error : "other")), t("selftest.cam.fix"));
  }

  micBtn.addEventListener("click", runMic);
  tests.addEventListener("toggle", () => renderSend());
  camBtn.addEventListener("click", runCam);

  // ---------- send ----------
  sendBtn.addEventListener("click", async () => {
    sendErr.hidden = true;
    if (!st.mic) { showSendError(t("selftest.needMic"), micBtn); return; }
    if (st.heard === null) { showSendError(t("selftest.needSpeaker"), st.played ? heardYes : toneBtn); return; }
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
      if (st.camRunning) { stopCam(); renderCam(); }
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
    if (want !== autoOpen && !(tests.contains(document.activeElement) && !want)) {
      autoOpen = want;
      tests.open = want;
    }
    testsTitle.textContent = t(tests.open || !last ? "selftest.tests" : "selftest.testsAgain");
  }

  // ---------- my row ----------
  function renderStatus() {
    const p = me();
    if (!p) return;
    const r = readinessOf(p);
    readyBadge.className = "av-ready " + (r.ready ? "av-ready-yes" : "av-ready-no");
    readyBadge.dataset.state = r.ready ? "ready" : "missing";
    put(readyBadge, r.ready ? h("span", { "aria-hidden": "true" }, "✓ ") : null, t(r.ready ? "av.ready" : "av.notReady"));
    myChecks.textContent = "";
    for (const kind of CHECKS) {
      const state = checkState(p, kind);
      const c = p.av && p.av.checks ? p.av.checks[kind] : null;
      // A host's fail stands until the host retests: say so, or a new self-test looks ignored.
      const hostFail = c && c.source === "host" && c.result === "fail";
      const noteText = [c && c.note ? `${c.source === "host" ? t("selftest.hostNote") : ""}${c.note}` : "", hostFail ? t("selftest.hostFailHint") : ""]
        .filter(Boolean).join(" ");
      const note = noteText ? h("span", { class: "st-check-note", dataset: { hostFail: hostFail ? "1" : "" } }, noteText) : null;
      myChecks.append(h("li", { class: "st-check av-check-" + state, dataset: { check: kind, result: state } },
        h("span", { class: "st-check-sym", "aria-hidden": "true" }, SYMBOL[state]),
        h("span", { class: "st-check-name" }, checkLabel(kind) + (kind === "camera" ? ` (${t("optional")})` : "")),
        h("span", { class: "st-check-state" }, stateLabel(state)),
        note));
    }
    statusBox.setAttribute("aria-label", t("selftest.myStatus"));
    if (r.ready) {
      myMissing.textContent = t("selftest.allReady");
      myMissing.className = "st-missing is-ready";
    } else {
      const hints = [];
      if (r.missing.includes("joined")) hints.push(t("selftest.joinedHint"));
      if (r.missing.includes("renamed")) hints.push(t("selftest.renamedHint", { name: p.displayName }));
      myMissing.textContent = `${t("selftest.missing", { list: r.missing.map(checkLabel).join(t("phase.listSep")) })} ${hints.join(" ")}`.trim();
      myMissing.className = "st-missing";
    }
    myMissing.dataset.missing = r.missing.join(",");
    const last = p.av && p.av.selfTest;
    myLast.textContent = last ? t("selftest.lastAt", { when: formatTime(last.at) }) : "";
    myLast.hidden = !last;
    if (!st.nameTouched) nameInput.value = (last && last.displayName) || p.displayName || "";
  }

  function renderStatic() {
    heading.textContent = t("selftest.title");
    intro.textContent = t("selftest.intro");
    testsTitle.textContent = t("selftest.tests");
    micSelLabel.textContent = t("selftest.dev.mic");
    camSelLabel.textContent = t("selftest.dev.camera");
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
    renderMic();
    renderSpeaker();
    renderCam();
    renderSend();
  }

  const off = store.subscribe((change) => {
    if (change.kind === "snapshot") { renderAll(); refreshDevices(); return; }
    if (change.kind === "roster" || change.kind === "meeting") {
      if (section.hidden) { renderAll(); return; }
      place();
      renderStatic();
      renderStatus();
      renderSend();
      const ev = change.event;
      if (ev && ev.event === "av.marked" && ev.data && ev.data.participant && ev.data.participant.id === actor.id) {
        statusBox.classList.remove("flash"); void statusBox.offsetWidth; statusBox.classList.add("flash");
        announce(t("selftest.hostMarked"));
      }
    }
  });
  const offLang = onLangChange(() => { refreshDevices(); renderAll(); });
  if (store.loaded) { renderAll(); refreshDevices(); }

  return () => {
    disposed = true;
    off();
    offLang();
    stopMic();
    stopCam();
    player.pause();
    if (navigator.mediaDevices && navigator.mediaDevices.removeEventListener) navigator.mediaDevices.removeEventListener("devicechange", refreshDevices);
    if (audioCtx) audioCtx.close().catch(() => {});
    if (toneUrl) URL.revokeObjectURL(toneUrl);
    if (st.recordingUrl) URL.revokeObjectURL(st.recordingUrl);
    section.remove();
  };
}
