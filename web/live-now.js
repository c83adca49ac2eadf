// The "now" card of the live meeting: the running agenda item with a large
// timer on the server's clock, and who has the floor with a countdown.
import { h, put } from "./dom.js";
import { t } from "./i18n.js";
import { secondsSince, formatClock, onTick } from "./timer.js";
import { act, card, setText, limitLabel, queueKindLabel } from "./live-shared.js";

/**
 * The "now" card: the running item's timer, and who has the floor, with the
 * controls this viewer's ops allow (snapshot.viewer.ops): start / next and
 * finish the item, and take back the floor it hands out.
 */
export function nowCard(ctx) {
  const { conn, meetingId, store, actor } = ctx;
  const may = { next: store.may("agenda.next"), finish: store.may("agenda.finish"), release: store.may("queue.grant") && store.may("queue.release") };
  const manage = may.next || may.finish;
  const pos = h("span", { class: "count", id: "now-pos" });
  const el = card("live-now", "live.now", pos);
  el.classList.add("live-now");
  const title = h("p", { class: "now-title", id: "now-title" });
  const sub = h("p", { class: "muted now-sub", id: "now-sub" });
  const clock = h("span", { class: "timer-big", id: "agenda-timer", role: "timer", "aria-atomic": "true" });
  const plan = h("span", { class: "timer-plan", id: "agenda-plan" });
  const fill = h("div", { class: "timer-fill" });
  const track = h("div", { class: "timer-track", "aria-hidden": "true" }, fill);
  const over = h("p", { class: "timer-over", id: "agenda-over", hidden: true });
  const timerBox = h("div", { class: "timer-box", id: "agenda-timer-box" },
    h("div", { class: "timer-row" }, clock, plan), track, over);
  const actions = h("div", { class: "now-actions" });
  const floorBox = h("div", { class: "floor", id: "live-floor", "aria-live": "polite" });
  el.append(title, sub, timerBox);
  if (manage) el.append(actions);
  el.append(floorBox);

  const nextBtn = h("button", { type: "button", class: "btn btn-primary", id: "agenda-next" }, h("span", {}), h("span", { "aria-hidden": "true" }, " →"));
  const finishBtn = h("button", { type: "button", class: "btn btn-secondary", id: "agenda-finish", i18n: "live.finish" });
  nextBtn.addEventListener("click", () => act(nextBtn, conn, "agenda.next", { meeting: meetingId }));
  finishBtn.addEventListener("click", () => act(finishBtn, conn, "agenda.finish", { meeting: meetingId }));

  // floor parts, kept across renders so the countdown does not flicker
  const floorWho = h("div", { class: "floor-who" });
  const floorClock = h("span", { class: "floor-clock", id: "floor-timer", role: "timer" });
  const floorNote = h("span", { class: "floor-note muted small", id: "floor-note" });
  const releaseBtn = h("button", { type: "button", class: "btn btn-secondary btn-sm", id: "floor-release", i18n: "live.release" });
  releaseBtn.addEventListener("click", () => act(releaseBtn, conn, "queue.release", { meeting: meetingId }));

  function render() {
    const running = store.current;
    const n = store.agenda.length;
    const idx = running ? store.agenda.indexOf(running) + 1 : 0;
    pos.textContent = running && n ? t("live.itemOf", { n: idx, total: n }) : "";
    el.dataset.running = running ? running.id : "";
    if (running) {
      title.textContent = running.title;
      const speaker = running.speaker && ctx.store.roster.get(running.speaker);
      const bits = [];
      if (speaker) bits.push(t("live.speaker", { name: speaker.displayName || speaker.name }));
      if (running.speakingLimitSeconds) bits.push(t("live.limitEach", { time: limitLabel(running.speakingLimitSeconds) }));
      sub.textContent = bits.join(" · ");
      sub.hidden = !bits.length;
      timerBox.hidden = false;
    } else {
      const anyDone = store.agenda.some((i) => i.status === "done");
      title.textContent = t(n === 0 ? "live.noAgenda" : anyDone && !store.agenda.some((i) => i.status === "planned") ? "live.agendaDone" : "live.noItem");
      sub.hidden = true;
      timerBox.hidden = true;
    }
    if (manage) {
      const planned = store.agenda.some((i) => i.status === "planned");
      nextBtn.firstChild.textContent = t(running ? "live.next" : "live.start");
      nextBtn.hidden = !planned || !may.next;
      finishBtn.hidden = !running || !may.finish;
      put(actions, nextBtn, finishBtn);
      actions.hidden = nextBtn.hidden && finishBtn.hidden;
    }
    renderFloor();
    tick();
  }

  function renderFloor() {
    const f = store.floor;
    floorBox.dataset.participant = f ? f.participant : "";
    if (!f) {
      put(floorBox, h("p", { class: "floor-none muted" }, t("live.floorNone")));
      return;
    }
    const isMe = actor && actor.kind === "participant" && f.participant === actor.id;
    put(floorWho,
      h("span", { class: "floor-label" }, t("live.floor")),
      h("span", { class: "floor-name" }, f.displayName, isMe ? h("span", { class: "muted" }, " " + t("you")) : null),
      h("span", { class: `badge badge-kind kind-${f.kind}` }, queueKindLabel(f.kind)));
    put(floorBox,
      h("div", { class: "floor-main" }, floorWho, h("div", { class: "floor-time" }, floorClock, floorNote)),
      f.text ? h("p", { class: "floor-text" }, f.text) : null,
      may.release ? h("div", { class: "floor-actions" }, releaseBtn) : null);
  }

  function tick() {
    const running = store.current;
    if (running && running.startedAt) {
      const elapsed = secondsSince(running.startedAt);
      const planned = (running.minutes || 0) * 60;
      setText(clock, formatClock(elapsed));
      setText(plan, t("live.planned", { time: formatClock(planned) }));
      // The last fifth (at most the last minute) is "near"; past the plan is "over" (a warning, never a block).
      const state = planned && elapsed > planned ? "over" : planned && planned - elapsed <= Math.min(60, planned / 5) ? "near" : "ok";
      if (timerBox.dataset.state !== state) timerBox.dataset.state = state;
      fill.style.width = (planned ? Math.min(100, (elapsed / planned) * 100) : 0).toFixed(1) + "%";
      over.hidden = state !== "over";
      if (state === "over") setText(over, t("live.over", { time: formatClock(elapsed - planned) }));
      const label = `${t("live.elapsed")} ${formatClock(elapsed)}, ${t("live.planned", { time: formatClock(planned) })}`;
      if (clock.getAttribute("aria-label") !== label) clock.setAttribute("aria-label", label);
    }
    const f = store.floor;
    if (f) {
      const spoken = secondsSince(f.grantedAt);
      if (f.limitSeconds) {
        const left = f.limitSeconds - spoken;
        setText(floorClock, formatClock(Math.abs(left)));
        setText(floorNote, left >= 0 ? t("live.leftShort") : t("live.overShort"));
        floorBox.dataset.state = left < 0 ? "over" : left <= 15 ? "near" : "ok";
      } else {
        setText(floorClock, formatClock(spoken));
        setText(floorNote, t("live.speaking"));
        floorBox.dataset.state = "ok";
      }
    }
  }

  const offTick = onTick(tick);
  render();
  return {
    el,
    update(change) {
      if (["snapshot", "agenda", "queue", "lang", "roster", "meeting"].includes(change.kind)) render();
    },
    destroy: offTick,
  };
}
