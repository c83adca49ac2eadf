// The speaker queue of the live meeting, in the server's order.
import { h, put, confirmDialog } from "./dom.js";
import { t } from "./i18n.js";
import { act, lock, card, syncKeyed, queueKindLabel, clockTime } from "./live-shared.js";

/**
 * The queue in the server's order, with the controls this viewer's ops allow
 * (snapshot.viewer.ops): next / next by votes, grant, remove; or upvotes.
 */
export function queueCard(ctx) {
  const { conn, meetingId, store, actor } = ctx;
  const me = actor && actor.kind === "participant" ? actor.id : null;
  const may = { next: store.may("queue.next"), grant: store.may("queue.grant"), remove: store.may("queue.remove") };
  const manage = may.grant || may.remove; // who hands out the floor does not vote
  const mayVote = !manage && store.may("queue.upvote");
  const count = h("span", { class: "count", id: "queue-count" });
  const el = card("live-queue", "queue.title", count);
  const list = h("ol", { class: "queue-list", id: "queue-list" });
  const empty = h("p", { class: "empty", id: "queue-empty", i18n: "queue.empty" });
  const nextBtn = h("button", { type: "button", class: "btn btn-primary btn-sm", id: "queue-next", i18n: "queue.next" });
  const votesBtn = h("button", { type: "button", class: "btn btn-secondary btn-sm", id: "queue-next-votes", i18n: "queue.nextByVotes" });
  nextBtn.addEventListener("click", () => act(nextBtn, conn, "queue.next", { meeting: meetingId }));
  votesBtn.addEventListener("click", () => act(votesBtn, conn, "queue.next", { meeting: meetingId, by: "votes" }));
  if (may.next) el.append(h("div", { class: "queue-controls" }, nextBtn, votesBtn));
  el.append(list, empty);
  const els = new Map();

  function make(e) {
    const li = h("li", { class: "queue-item", dataset: { id: e.id } });
    li._parts = {
      pos: h("span", { class: "queue-pos", "aria-hidden": "true" }),
      body: h("div", { class: "queue-body" }),
      actions: h("div", { class: "queue-actions" }),
    };
    li.append(li._parts.pos, li._parts.body, li._parts.actions);
    if (may.grant) {
      const grant = h("button", { type: "button", class: "btn btn-secondary btn-sm", "data-action": "grant" }, t("queue.grant"));
      grant.addEventListener("click", () => act(grant, conn, "queue.grant", { meeting: meetingId, entry: e.id }));
      li._parts.grant = grant;
      li._parts.actions.append(grant);
    }
    if (may.remove) {
      const remove = h("button", { type: "button", class: "icon-btn", "data-action": "remove-entry", title: t("queue.remove") }, h("span", { "aria-hidden": "true" }, "×"));
      remove.addEventListener("click", async () => {
        const cur = store.queue.find((x) => x.id === e.id);
        if (!cur) return;
        if (!(await confirmDialog(t("queue.removeConfirm", { name: cur.displayName })))) { remove.focus(); return; }
        act(remove, conn, "queue.remove", { meeting: meetingId, entry: e.id });
      });
      li._parts.remove = remove;
      li._parts.actions.append(remove);
    }
    if (mayVote && me) {
      const vote = h("button", { type: "button", class: "btn btn-secondary btn-sm vote-btn", "data-action": "upvote" });
      vote.addEventListener("click", () => act(vote, conn, "queue.upvote", { meeting: meetingId, entry: e.id }));
      li._parts.vote = vote;
      li._parts.actions.append(vote);
    }
    return li;
  }

  function fill(li, e, i) {
    const p = li._parts;
    const mine = me && e.participant === me;
    li.dataset.kind = e.kind;
    li.classList.toggle("is-me", !!mine);
    p.pos.textContent = String(i + 1);
    const votes = (e.votes || []).length;
    put(p.body,
      h("div", { class: "queue-line" },
        h("span", { class: "queue-name" }, e.displayName, mine ? h("span", { class: "muted" }, " " + t("you")) : null),
        h("span", { class: `badge badge-kind kind-${e.kind}` }, queueKindLabel(e.kind))),
      e.text ? h("p", { class: "queue-text" }, e.text) : null,
      h("p", { class: "queue-meta muted small" },
        h("span", { class: "sr-only" }, t("queue.place", { n: i + 1 }) + " "),
        t("queue.raisedAt", { time: clockTime(e.raisedAt) }),
        e.kind === "question" ? h("span", { class: "queue-votes", dataset: { votes: String(votes) } }, " · ", t("queue.votes", { n: votes })) : null));
    if (p.grant) p.grant.setAttribute("aria-label", t("queue.grantLabel", { name: e.displayName }));
    if (p.remove) p.remove.setAttribute("aria-label", t("queue.removeLabel", { name: e.displayName }));
    if (p.vote) {
      const voted = (e.votes || []).includes(me);
      const can = e.kind === "question" && !mine;
      p.vote.hidden = !can;
      lock(p.vote, voted);
      p.vote.setAttribute("aria-pressed", voted ? "true" : "false");
      p.vote.textContent = `${voted ? "✓ " : "▲ "}${t(voted ? "queue.upvoted" : "queue.upvote")} ${votes}`;
      p.vote.setAttribute("aria-label", t(voted ? "queue.upvotedLabel" : "queue.upvoteLabel", { name: e.displayName, n: votes }));
    }
  }

  function render() {
    const q = store.queue;
    count.textContent = q.length ? t("queue.count", { n: q.length }) : "";
    empty.hidden = q.length > 0;
    const index = new Map(q.map((e, i) => [e.id, i]));
    const lost = syncKeyed(list, q, els, make, (li, e) => fill(li, e, index.get(e.id)));
    if (lost) {
      // The focused entry left the queue (granted, lowered, removed): stay in the queue.
      const first = list.querySelector("button:not([hidden]):not(:disabled)");
      const target = first || (may.next && !nextBtn.disabled ? nextBtn : null) || el.querySelector("h2");
      if (target === el.querySelector("h2")) target.tabIndex = -1;
      target.focus({ preventScroll: true });
    }
    const isLive = store.phase === "live";
    lock(nextBtn, !q.length || !isLive);
    lock(votesBtn, !q.some((e) => e.kind === "question") || !isLive);
  }

  render();
  return {
    el,
    update(change) {
      if (["snapshot", "queue", "lang", "meeting"].includes(change.kind)) {
        if (change.kind === "lang") { els.forEach((li) => li.remove()); els.clear(); }
        render();
      }
    },
    destroy() {},
  };
}
