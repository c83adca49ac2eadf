// The participant's own row in the device self-test: each check with pass /
// fail / pending (and the host's notes), "ready" or what is still missing,
// and when the last self-test was sent.
import { h, put, announce } from "./dom.js";
import { t, formatTime } from "./i18n.js";
import { checkLabel } from "./phasebar.js";
import { avChecks, checkState, readinessOf, stateLabel } from "./rehearsal.js";

const SYMBOL = { pass: "✓", fail: "✕", pending: "↻", none: "○" };

/** readyBadge goes beside the card's heading, el under it; render(p) shows participant p. */
export function myStatus() {
  const readyBadge = h("span", { class: "av-ready", id: "my-ready" });
  const myChecks = h("ul", { class: "st-checks", id: "my-checks" });
  const myMissing = h("p", { class: "st-missing", id: "my-missing" });
  const myLast = h("p", { class: "muted small", id: "my-last-test" });
  const statusBox = h("div", { class: "st-status", id: "my-av", role: "group" }, myChecks, myMissing, myLast);

  function render(p) {
    const r = readinessOf(p);
    readyBadge.className = "av-ready " + (r.ready ? "av-ready-yes" : "av-ready-no");
    readyBadge.dataset.state = r.ready ? "ready" : "missing";
    put(readyBadge, r.ready ? h("span", { "aria-hidden": "true" }, "✓ ") : null, t(r.ready ? "av.ready" : "av.notReady"));
    myChecks.textContent = "";
    for (const kind of avChecks()) {
      const state = checkState(p, kind);
      const c = p.av && p.av.checks ? p.av.checks[kind] : null;
      // A host's fail stands until the host retests: say so, or a new self-test looks ignored.
      const hostFail = c && c.source === "host" && c.result === "fail";
      const noteText = [c && c.note ? `${c.source === "host" ? t(String(c.by || "").startsWith("A-") ? "selftest.organizerNote" : "selftest.hostNote") : ""}${c.note}` : "", hostFail ? t("selftest.hostFailHint") : ""]
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
  }

  /** The host just marked one of this person's checks: show it and say it. */
  function hostMarked() {
    statusBox.classList.remove("flash"); void statusBox.offsetWidth; statusBox.classList.add("flash");
    announce(t("selftest.hostMarked"));
  }

  return { el: statusBox, readyBadge, render, hostMarked };
}
