// Step 1 of the device self-test: a 3-second microphone capture with a live
// level meter and its peak in dBFS (recorded, to play back in step 2).
import { h, announce } from "./dom.js";
import { t } from "./i18n.js";
import { formatDb } from "./rehearsal.js";
import { toDb, mediaErrorKind, hasMedia, result } from "./selftest-media.js";

const MIC_SECONDS = 3;
const METER_FLOOR_DB = -60;

/**
 * The microphone step. st: the self-test's state (mic, micRunning, level, peak,
 * recordingUrl); devices: devicePickers(); passAboveDb(): the peak a working
 * microphone passes; onStart() when a test begins, onRunning() while it runs,
 * onMeasured() once the result (and the recording) is there.
 */
export function makeMicStep({ st, devices, passAboveDb, isDisposed, onStart, onRunning, onMeasured }) {
  let audioCtx = null;
  let micStream = null;
  let micTimer = null;
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

  function ctx() {
    if (!audioCtx) {
      const AC = window.AudioContext || window.webkitAudioContext;
      if (!AC) return null;
      audioCtx = new AC();
    }
    return audioCtx;
  }

  function stopMic() {
    clearInterval(micTimer);
    micTimer = null;
    if (micStream) { for (const tr of micStream.getTracks()) tr.stop(); micStream = null; }
  }

  async function runMic() {
    if (st.micRunning) return;
    stopMic();
    onStart();
    if (!hasMedia()) { st.mic = { ok: false, error: window.isSecureContext === false ? "insecure" : "unsupported" }; renderMic(); return; }
    st.micRunning = true;
    st.mic = null;
    st.level = null;
    st.peak = null;
    renderMic();
    const constraints = { audio: { echoCancellation: false, noiseSuppression: false, autoGainControl: false } };
    if (devices.mic.value) constraints.audio.deviceId = { exact: devices.mic.value };
    try {
      micStream = await navigator.mediaDevices.getUserMedia(constraints);
    } catch (err) {
      st.micRunning = false;
      st.mic = { ok: false, error: mediaErrorKind(err), detail: err && err.message };
      renderMic();
      return;
    }
    if (isDisposed()) { stopMic(); return; }
    devices.refresh();
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
        if (performance.now() - started >= MIC_SECONDS * 1000 || isDisposed()) { clearInterval(micTimer); resolve(); }
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
    if (isDisposed()) return;
    const db = toDb(peak);
    st.micRunning = false;
    st.level = null;
    st.mic = { ok: db > passAboveDb(), peakDb: db };
    renderMic();
    onMeasured();
    announce(micResult.textContent);
  }

  function renderMeter(elapsed) {
    const db = st.level ?? METER_FLOOR_DB;
    const shown = st.micRunning ? db : (st.mic && typeof st.mic.peakDb === "number" ? st.mic.peakDb : METER_FLOOR_DB);
    const pct = Math.max(0, Math.min(100, ((shown - METER_FLOOR_DB) / -METER_FLOOR_DB) * 100));
    meterFill.style.width = pct + "%";
    meter.dataset.level = String(shown);
    meter.classList.toggle("is-loud", shown > passAboveDb());
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
    micHelp.textContent = t("selftest.mic.help", { db: ruleDb(passAboveDb()) });
    micBtn.disabled = st.micRunning;
    if (st.micRunning) onRunning();
    micBtn.setAttribute("aria-busy", String(st.micRunning));
    micBtnLabel.textContent = st.micRunning ? t("selftest.mic.running", { s: MIC_SECONDS })
      : st.mic ? t("selftest.mic.again") : t("selftest.mic.start", { s: MIC_SECONDS });
    meterMark.style.left = `${((passAboveDb() - METER_FLOOR_DB) / -METER_FLOOR_DB) * 100}%`;
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
      result(micResult, "silent", t("selftest.mic.silent", { db: formatDb(m.peakDb), limit: ruleDb(passAboveDb()) }), t("selftest.mic.fix.silent"));
    }
  }


  micBtn.addEventListener("click", runMic);
  return {
    el: micStep,
    button: micBtn,
    render: renderMic,
    stop: stopMic,
    destroy() {
      stopMic();
      if (audioCtx) audioCtx.close().catch(() => {});
    },
  };
}

/** The pass rule's level in plain figures: "−50 dBFS" (no ".0"). */
function ruleDb(db) {
  if (typeof db !== "number" || !Number.isFinite(db)) return "—";
  return `${db < 0 ? "−" : ""}${Number.isInteger(db) ? Math.abs(db) : Math.abs(db).toFixed(1)} dBFS`;
}
