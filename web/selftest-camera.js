// Step 3 of the device self-test (optional): a frame from the chosen camera.
import { h, announce } from "./dom.js";
import { t } from "./i18n.js";
import { mediaErrorKind, hasMedia, result } from "./selftest-media.js";

/** The camera step. st: the self-test's state (cam, camRunning); devices: devicePickers(). */
export function makeCameraStep({ st, devices, isDisposed }) {
  let camStream = null;
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
    const constraints = { video: devices.camera.value ? { deviceId: { exact: devices.camera.value } } : true };
    try {
      camStream = await navigator.mediaDevices.getUserMedia(constraints);
    } catch (err) {
      camBtn.disabled = false;
      st.cam = { ok: false, error: mediaErrorKind(err) };
      renderCam();
      return;
    }
    if (isDisposed()) { stopCam(); return; }
    devices.refresh();
    st.camRunning = true;
    video.hidden = false;
    video.srcObject = camStream;
    try { await video.play(); } catch { /* autoplay muted */ }
    const deadline = performance.now() + 6000;
    while (!isDisposed() && video.videoWidth === 0 && performance.now() < deadline) await new Promise((r) => setTimeout(r, 100));
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


  camBtn.addEventListener("click", runCam);
  return { el: camStep, render: renderCam, stop: stopCam };
}
