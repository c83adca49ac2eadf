// Step 2 of the device self-test: a test tone and the microphone's recording
// played through the chosen speaker, and "did you hear it?".
import { h, nextId } from "./dom.js";
import { t } from "./i18n.js";
import { toneWav, result } from "./selftest-media.js";

/**
 * The speaker step. st: the self-test's state (played, heard, recordingUrl);
 * devices: devicePickers(); onAnswer() when "heard" changes.
 */
export function makeSpeakerStep({ st, devices, onAnswer }) {
  let toneUrl = null;
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

  async function play(url) {
    // The question opens at once: if nothing is heard (or nothing plays), "no" is the answer.
    st.played = true;
    if (spkResult.dataset.state === "playfail") spkResult.dataset.state = "idle";
    renderSpeaker();
    player.pause();
    player.src = url;
    if (devices.speaker.value && typeof player.setSinkId === "function") {
      try { await player.setSinkId(devices.speaker.value); } catch { /* default output */ }
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
      onAnswer();
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
  }

  return {
    el: spkStep,
    render: renderSpeaker,
    /** Where to send the keyboard when the answer is missing. */
    focusTarget: () => (st.played ? heardYes : toneBtn),
    destroy() {
      player.pause();
      if (toneUrl) URL.revokeObjectURL(toneUrl);
    },
  };
}
