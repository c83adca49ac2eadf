// What the device self-test's steps (selftest-*.js) share: the browser's
// media support, its errors in a few kinds, the device pickers, the test tone
// and the result line under each step.
import { h, put, nextId } from "./dom.js";
import { t } from "./i18n.js";

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

export const canPickSpeaker = () => typeof HTMLMediaElement !== "undefined" && "setSinkId" in HTMLMediaElement.prototype;
export const hasMedia = () => !!(navigator.mediaDevices && navigator.mediaDevices.getUserMedia);

/** A short three-beep test tone as a WAV blob (played through an <audio> element, so setSinkId applies). */
export function toneWav() {
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

/** Fills a result line: a state (data-state), a headline and an optional hint of what to do. */
export function result(el, state, text, hint) {
  el.dataset.state = state;
  const ok = state === "pass";
  const bad = !ok && !["idle", "running"].includes(state);
  el.className = "st-result" + (ok ? " is-pass" : bad ? " is-fail" : "");
  put(el,
    text ? h("p", { class: "st-result-text" }, ok ? h("span", { "aria-hidden": "true" }, "✓ ") : bad ? h("span", { "aria-hidden": "true" }, "✕ ") : null, text) : null,
    hint ? h("p", { class: "st-hint", dataset: { hint: state } }, hint) : null);
  el.hidden = !text;
}

/**
 * The microphone, speaker and camera pickers. isDisposed() stops a late
 * refresh; destroy() stops following device changes.
 */
export function devicePickers({ isDisposed }) {
  const mic = h("select", { id: nextId("st-mic-dev"), "data-field": "mic-device" });
  const speaker = h("select", { id: nextId("st-spk-dev"), "data-field": "speaker-device" });
  const camera = h("select", { id: nextId("st-cam-dev"), "data-field": "camera-device" });
  const devLabel = (sel) => h("label", { for: sel.id });
  const micLabel = devLabel(mic), speakerLabel = devLabel(speaker), cameraLabel = devLabel(camera);
  const speakerHint = h("p", { class: "hint" });
  const el = h("div", { class: "st-devices" },
    h("div", { class: "field" }, micLabel, mic),
    h("div", { class: "field" }, speakerLabel, speaker, speakerHint),
    h("div", { class: "field" }, cameraLabel, camera));

  async function refresh() {
    if (!navigator.mediaDevices || !navigator.mediaDevices.enumerateDevices) {
      fillSelect(mic, [], "audioinput"); fillSelect(speaker, [], "audiooutput"); fillSelect(camera, [], "videoinput");
      return;
    }
    let list = [];
    try { list = await navigator.mediaDevices.enumerateDevices(); } catch { list = []; }
    if (isDisposed()) return;
    fillSelect(mic, list.filter((d) => d.kind === "audioinput"), "audioinput");
    fillSelect(speaker, list.filter((d) => d.kind === "audiooutput"), "audiooutput");
    fillSelect(camera, list.filter((d) => d.kind === "videoinput"), "videoinput");
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

  /** The labels, and whether this browser lets the page pick the speaker. */
  function render() {
    micLabel.textContent = t("selftest.dev.mic");
    cameraLabel.textContent = t("selftest.dev.camera");
    speakerLabel.textContent = t("selftest.dev.speaker");
    speaker.hidden = !canPickSpeaker();
    speakerHint.textContent = canPickSpeaker() ? "" : t("selftest.dev.noSinkId");
    speakerHint.hidden = canPickSpeaker();
  }

  if (navigator.mediaDevices && navigator.mediaDevices.addEventListener) {
    navigator.mediaDevices.addEventListener("devicechange", refresh);
  }
  return {
    el, mic, speaker, camera, refresh, render,
    destroy() {
      if (navigator.mediaDevices && navigator.mediaDevices.removeEventListener) navigator.mediaDevices.removeEventListener("devicechange", refresh);
    },
  };
}
