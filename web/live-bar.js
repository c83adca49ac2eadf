// The host console's bar in the live meeting: ending the meeting.
import { h, confirmDialog } from "./dom.js";
import { t } from "./i18n.js";
import { advancePhase } from "./phasebar.js";

export function consoleBar(ctx) {
  const { conn, meetingId, store } = ctx;
  const endBtn = h("button", { type: "button", class: "btn btn-secondary", id: "live-end" }, h("span", { i18n: "live.end" }));
  const el = h("div", { class: "live-bar", id: "live-bar" },
    h("div", { class: "live-bar-title" },
      h("span", { class: "live-dot", "aria-hidden": "true" }),
      h("span", { class: "live-bar-name", i18n: "live.console" })),
    endBtn);
  endBtn.addEventListener("click", async () => {
    endBtn.disabled = true;
    try {
      // Ending the meeting also ends the running item and the current speech (the
      // server does both on live → ended): the confirmation says so.
      const running = store.current;
      const floor = store.floor;
      if (running || floor) {
        const what = [running ? t("live.endRunning", { title: running.title }) : null, floor ? t("live.endFloor", { name: floor.displayName }) : null].filter(Boolean).join(t("live.listSep"));
        if (!(await confirmDialog(t("live.endConfirm", { what }), { okKey: "live.end", danger: false }))) return;
        await advancePhase(conn, meetingId, "ended", { store, confirm: false });
      } else {
        await advancePhase(conn, meetingId, "ended", { store });
      }
    } finally {
      endBtn.disabled = false;
      if (endBtn.isConnected) endBtn.focus();
    }
  });
  return { el, update() {}, destroy() {} };
}
