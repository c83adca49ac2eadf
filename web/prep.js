// One meeting, for its organizer: the preparation checklist grouped by phase
// and the roster with invite links. Live: the meeting stream's events update
// the page in place (keyed by id, so focus and scroll stay put).
import { h, put, field, select, clearErrors, fieldError, busy, showError, formError, toast, errorText, confirmDialog, copyText, announce, readForm } from "./dom.js";
import { t, phaseLabel, roleLabel, formatTime, formatDate, onLangChange, getLang, accountName } from "./i18n.js";
import { codes } from "./catalogue.js";
import { MeetingStore, followMeeting } from "./store.js";
import { meetingHeader, progressBar, setProgress, itemText, mark } from "./meetingview.js";
import { mountPhaseBar } from "./phasebar.js";
import { mountRehearsal } from "./rehearsal.js";
import { invitationBlock, invitationButton, icsButton, resultURL } from "./invite.js";
import { mountLive } from "./live.js";
import { mountFollowup } from "./followup.js";
import { OPEN_PHASES } from "./live-shared.js";
import { mountMeetingEdit } from "./meetingedit.js";
import { mountTabs } from "./phasetabs.js";
import { mountMaterials, unitsOpenedText, MATERIALS_ITEM_KEY } from "./materials.js";

export function mountPrep(main, { conn, actor }, meetingId) {
  const store = new MeetingStore();
  // participant id -> {url, invitation, unavailable}: the current link (from
  // roster.add / roster.link, or derived again by roster.invitation).
  const links = new Map();
  const pendingItems = new Set(); // checklist ids with a checklist.set in flight

  const headSlot = h("div", { id: "meeting-head" }, h("div", { class: "card loading", "aria-busy": "true" }, h("span", { class: "spinner", "aria-hidden": "true" }), h("span", { i18n: "loading" })));
  const body = h("div", { class: "prep-body", hidden: true });
  const phaseSlot = h("div", { id: "phase-slot" }); // phase bar (phasebar.js)
  const avSlot = h("div", { id: "av-slot" }); // AV test roster (rehearsal.js)
  const followSlot = h("div", { id: "followup-slot" }); // after the meeting (followup.js)
  const editSlot = h("div", { id: "meeting-edit-slot" }); // correcting the meeting (meetingedit.js)
  const tabsSlot = h("div", { id: "tabs-slot" }); // what the phase needs first, the rest one click away (phasetabs.js)
  const liveSlot = h("div", { id: "live-slot" }); // agenda, host console, the record (live.js)
  const materialsSlot = h("div", { id: "materials-slot" }); // project materials and who opened them (materials.js)
  main.append(h("a", { class: "back-link", href: "#/", i18n: "nav.back" }), headSlot, editSlot, phaseSlot, tabsSlot, followSlot, body);

  // ---------- checklist ----------
  const clBar = progressBar(0, 0);
  const clProgress = h("div", { class: "section-progress", id: "checklist-progress" }, clBar);
  const groupsBox = h("div", { class: "cl-groups", id: "checklist-groups" });
  const groupEls = new Map(); // phase -> {section, ul, head}
  const itemEls = new Map(); // id -> {li, cb, label, meta, removeBtn}

  const clText = h("input", { type: "text", maxlength: "200", autocomplete: "off" });
  // The checklist covers the time before the meeting: preparation and the joint test.
  const clPhase = select([["preparing", "phase.preparing"], ["rehearsal", "phase.rehearsal"]], "preparing");
  const clDue = h("input", { type: "date" });
  const clForm = h("form", { class: "inline-form", novalidate: true, id: "checklist-add", "data-op": "checklist.add" },
    field({ label: "cl.text", name: "text", input: clText, required: true, placeholderKey: "cl.textHint" }),
    field({ label: "cl.phase", name: "phase", input: clPhase }),
    field({ label: "cl.due", name: "due", input: clDue, optional: true }),
    h("div", { class: "inline-form-submit" }, h("button", { type: "submit", class: "btn btn-secondary", id: "checklist-add-submit", i18n: "cl.add" })),
    formError());

  const clClosed = h("p", { class: "notice notice-info", id: "checklist-closed", hidden: true, i18n: "cl.closed" });
  const clAddHead = h("h3", { class: "subhead", i18n: "cl.add" });
  const checklistSection = h("section", { class: "card", id: "checklist", "aria-labelledby": "cl-h" },
    h("div", { class: "section-head" }, h("h2", { id: "cl-h", i18n: "cl.title" }), clProgress),
    clClosed,
    groupsBox,
    clAddHead,
    clForm);

  // ---------- roster ----------
  const roSummary = h("span", { class: "count", id: "roster-summary" });
  const inviteSlot = h("div", { id: "invite-slot" });
  const roList = h("ul", { class: "ro-list", id: "roster-list" });
  const roEmpty = h("p", { class: "empty", i18n: "ro.empty" });
  const rowEls = new Map(); // id -> {li, info, marks, linkBtn, linkLabel, removeBtn}

  const roName = h("input", { type: "text", maxlength: "60", autocomplete: "off" });
  const roForm = h("form", { class: "form-grid", novalidate: true, id: "roster-form", "data-op": "roster.add" },
    field({ label: "ro.name", name: "name", input: roName, required: true }),
    field({ label: "ro.unit", name: "unit", required: true, attrs: { maxlength: "100", autocomplete: "off" } }),
    field({ label: "ro.role", name: "role", required: true, input: select(codes("roles").map((r) => [r, "role." + r]), "unit") }),
    field({ label: "ro.jobTitle", name: "title", optional: true, attrs: { maxlength: "60", autocomplete: "off" } }),
    field({ label: "ro.phone", name: "phone", type: "tel", optional: true, attrs: { autocomplete: "off" } }),
    field({ label: "ro.email", name: "email", type: "email", optional: true, attrs: { autocomplete: "off" } }),
    formError(),
    h("div", { class: "form-actions" }, h("button", { type: "submit", class: "btn btn-primary", id: "roster-submit", i18n: "ro.add" })));

  const roClosed = h("p", { class: "notice notice-info", id: "roster-closed", hidden: true, i18n: "ro.closed" });
  const roAdd = h("details", { class: "add-details", id: "roster-add" },
      h("summary", {}, h("span", { "aria-hidden": "true" }, "＋ "), h("span", { i18n: "ro.add" })),
      roForm);
  const rosterSection = h("section", { class: "card", id: "roster", "aria-labelledby": "ro-h" },
    h("div", { class: "section-head" }, h("h2", { id: "ro-h", i18n: "ro.title" }), roSummary),
    roClosed,
    inviteSlot,
    roList,
    roEmpty,
    roAdd);

  body.append(checklistSection, rosterSection, materialsSlot, avSlot);

  // ---------- rendering ----------
  function renderHead() {
    if (!store.meeting) return;
    headSlot.textContent = "";
    if (!headIcs) headIcs = icsButton({ conn, meetingId, id: "meeting-ics", store });
    headSlot.append(meetingHeader(store.meeting, { extra: h("div", { class: "head-actions" }, edit.button, headIcs), compact: store.meeting.phase === "live" }));
    edit.render();
    document.title = `${store.meeting.title} · ${t("app.name")}`;
  }

  let headIcs = null;

  /** Before and during the meeting the checklist and the roster change; afterwards they are a record. */
  function renderOpenState() {
    const open = rosterOpen();
    const checkOpen = open && store.may("checklist.set");
    clClosed.hidden = open;
    clForm.hidden = !open || !store.may("checklist.add");
    clAddHead.hidden = clForm.hidden;
    roClosed.hidden = open;
    roAdd.hidden = !open || !store.may("roster.add");
    for (const [, el] of itemEls) {
      el.cb.disabled = !checkOpen;
      el.removeBtn.hidden = !open || !store.may("checklist.remove");
    }
  }

  function renderChecklist() {
    // The follow-up items (phase ended) are listed with the follow-up (followup.js).
    const all = [...store.checklist.values()].filter((i) => i.phase !== "ended");
    const p = store.progress(all);
    setProgress(clBar, p.done, p.total);
    const groups = store.checklistByPhase();
    groups.delete("ended");
    const phases = codes("phases");
    const order = [...phases, ...[...groups.keys()].filter((k) => !phases.includes(k))];
    let prevGroup = null;
    for (const phase of order) {
      const items = groups.get(phase);
      let g = groupEls.get(phase);
      if (!items || !items.length) {
        if (g) { g.section.remove(); groupEls.delete(phase); }
        continue;
      }
      if (!g) {
        const ul = h("ul", { class: "cl-items" });
        const head = h("div", { class: "cl-group-head" });
        g = { section: h("section", { class: "cl-group", dataset: { phase }, "aria-label": phaseLabel(phase) }, head, ul), ul, head };
        groupEls.set(phase, g);
      }
      const expected = prevGroup ? prevGroup.section.nextSibling : groupsBox.firstChild;
      if (expected !== g.section) groupsBox.insertBefore(g.section, expected);
      prevGroup = g;
      const gp = store.progress(items);
      g.section.setAttribute("aria-label", phaseLabel(phase));
      put(g.head, h("h3", {}, phaseLabel(phase)), h("span", { class: "cl-group-count", dataset: { done: String(gp.done), total: String(gp.total) } }, `${gp.done}/${gp.total}`));
      let prev = null;
      for (const item of items) {
        let el = itemEls.get(item.id);
        if (!el) { el = makeItem(item); itemEls.set(item.id, el); }
        updateItem(el, item);
        el.cb.disabled = !(rosterOpen() && store.may("checklist.set"));
        el.removeBtn.hidden = !rosterOpen() || !store.may("checklist.remove");
        const next = prev ? prev.nextSibling : g.ul.firstChild;
        if (next !== el.li) g.ul.insertBefore(el.li, next);
        prev = el.li;
      }
    }
    for (const [id, el] of itemEls) {
      if (!store.checklist.has(id) || store.checklist.get(id).phase === "ended") {
        const hadFocus = el.li.contains(document.activeElement);
        const neighbour = el.li.nextElementSibling || el.li.previousElementSibling;
        el.li.remove();
        itemEls.delete(id);
        if (hadFocus) (neighbour ? neighbour.querySelector("input") : clText).focus();
      }
    }
  }

  function makeItem(item) {
    const id = "cl-" + item.id;
    const cb = h("input", { type: "checkbox", id, class: "cl-check" });
    const label = h("label", { for: id, class: "cl-text" });
    const meta = h("div", { class: "cl-meta muted" });
    const removeBtn = h("button", { type: "button", class: "icon-btn", "data-action": "remove-item" }, h("span", { "aria-hidden": "true" }, "×"));
    // C-7 (send the materials to every unit): how many units have opened them, and the way to the materials.
    const materials = item.key === MATERIALS_ITEM_KEY ? materialsLine() : null;
    const li = h("li", { class: "cl-item", dataset: { id: item.id } }, cb, h("div", { class: "cl-body" }, label, meta, materials ? materials.el : null), removeBtn);
    cb.addEventListener("change", () => setDone(item.id, cb.checked, cb));
    removeBtn.addEventListener("click", () => removeItem(item.id));
    return { li, cb, label, meta, removeBtn, materials };
  }

  function materialsLine() {
    const text = h("span", { class: "cl-materials-text", id: "cl-materials-progress" });
    const go = h("button", { type: "button", class: "btn-link small", dataset: { action: "go-materials" } }, h("span", { i18n: "materials.goTo" }), h("span", { "aria-hidden": "true" }, " →"));
    go.addEventListener("click", () => {
      const tab = document.getElementById("tab-materials");
      if (tab) tab.click();
      const panel = document.getElementById("materials");
      if (panel) { panel.scrollIntoView({ block: "start" }); (panel.querySelector("#materials-h") || panel).focus({ preventScroll: true }); }
    });
    return { el: h("div", { class: "cl-materials small" }, text, " ", go), text };
  }

  function updateMaterialsLine(el) {
    if (!el || !el.materials) return;
    const progress = store.materialsProgress();
    const counted = progress.files.length > 0 && progress.of > 0;
    el.materials.text.textContent = unitsOpenedText(progress);
    el.materials.text.dataset.opened = String(progress.opened);
    el.materials.text.dataset.of = String(progress.of);
    el.materials.el.dataset.state = !counted ? "none" : progress.opened === progress.of ? "all" : "some";
  }

  function updateItem(el, item) {
    if (!pendingItems.has(item.id)) el.cb.checked = !!item.done;
    el.li.classList.toggle("is-done", !!item.done);
    el.li.dataset.done = String(!!item.done);
    const text = itemText(item);
    el.label.textContent = text;
    el.removeBtn.setAttribute("aria-label", t("cl.removeLabel", { text }));
    el.removeBtn.title = t("remove");
    const bits = [];
    if (item.owner) bits.push(`${t("cl.owner")}: ${item.owner}`);
    if (item.due) bits.push(`${t("cl.due")}: ${formatDate(item.due)}`);
    if (item.done && item.doneAt) {
      const who = actorName(item.doneBy);
      bits.push(who ? t("cl.doneByWho", { who, when: formatTime(item.doneAt) }) : t("cl.doneBy", { when: formatTime(item.doneAt) }));
    }
    if (item.note) bits.push(item.note);
    el.meta.textContent = bits.join(" · ");
    el.meta.hidden = !bits.length;
    updateMaterialsLine(el);
  }

  /** A name for an actor id: the organizer, someone on the roster, or nothing. */
  function actorName(id) {
    if (!id) return null;
    if (store.meeting && id === store.meeting.owner) return store.meeting.ownerName ? accountName(store.meeting.ownerName) : null;
    if (actor && id === actor.id) return actor.name;
    const p = store.roster.get(id);
    return p ? p.name : null;
  }

  async function setDone(itemId, done, cb) {
    pendingItems.add(itemId);
    const el = itemEls.get(itemId);
    el && el.li.classList.add("is-pending");
    try {
      await conn.call("checklist.set", { meeting: meetingId, item: itemId, done });
    } catch (err) {
      toast(errorText(err), "error");
    } finally {
      pendingItems.delete(itemId);
      el && el.li.classList.remove("is-pending");
      const item = store.checklist.get(itemId);
      if (item && cb) cb.checked = !!item.done;
      if (item) updateItem(el, item);
    }
  }

  async function removeItem(itemId) {
    const item = store.checklist.get(itemId);
    if (!item) return;
    const el = itemEls.get(itemId);
    if (!(await confirmDialog(t("cl.removeConfirm", { text: itemText(item) })))) { el && el.removeBtn.focus(); return; }
    try {
      await conn.call("checklist.remove", { meeting: meetingId, item: itemId });
    } catch (err) {
      toast(errorText(err), "error");
    }
  }

  clForm.addEventListener("submit", async (e) => {
    e.preventDefault();
    clearErrors(clForm);
    const text = clText.value.trim();
    if (!text) { fieldError(clForm, "text", t("err.required")); return; }
    await busy(clForm, async () => {
      try {
        const args = { meeting: meetingId, text, phase: clPhase.value };
        if (clDue.value) args.due = clDue.value;
        await conn.call("checklist.add", args);
        clText.value = "";
        clDue.value = "";
        clText.focus();
      } catch (err) {
        showError(clForm, err);
      }
    });
  });

  // ---------- roster rendering ----------
  function renderRoster() {
    const people = [...store.roster.values()];
    const attending = people.filter((p) => p.attending === true).length;
    roSummary.textContent = people.length ? t("ro.summary", { attending, total: people.length }) : "";
    roEmpty.hidden = people.length > 0;
    let prev = null;
    for (const p of people) {
      let el = rowEls.get(p.id);
      if (!el) { el = makeRow(p); rowEls.set(p.id, el); }
      updateRow(el, p);
      const next = prev ? prev.nextSibling : roList.firstChild;
      if (next !== el.li) roList.insertBefore(el.li, next);
      prev = el.li;
    }
    for (const [id, el] of rowEls) {
      if (!store.roster.has(id)) {
        const hadFocus = el.li.contains(document.activeElement);
        el.li.remove();
        rowEls.delete(id);
        links.delete(id);
        if (hadFocus) roName.focus();
      }
    }
  }

  function makeRow(p) {
    const info = h("div", { class: "ro-who" });
    const display = h("div", { class: "ro-display" });
    const marks = h("div", { class: "ro-marks" });
    const linkNote = h("p", { class: "ro-link-note small", role: "status", hidden: true });
    const editSlot = h("div", { class: "ro-edit-slot" });
    const name = () => (store.roster.get(p.id) || p).name;
    const copyLinkBtn = h("button", { type: "button", class: "btn btn-secondary btn-sm", dataset: { action: "copy-link" } }, h("span", { i18n: "ro.copyLink" }));
    const copyInvBtn = h("button", { type: "button", class: "btn btn-secondary btn-sm", dataset: { action: "copy-invitation" } }, h("span", { i18n: "ro.copyInvitation" }));
    const invBtn = invitationButton({ conn, meetingId, participantId: p.id, slot: inviteSlot, name, store });
    const editBtn = h("button", { type: "button", class: "btn btn-ghost btn-sm", dataset: { action: "edit-person" }, "aria-expanded": "false" }, h("span", { i18n: "ro.edit" }));
    const linkBtn = h("button", { type: "button", class: "btn btn-ghost btn-sm", dataset: { action: "new-link" } }, h("span", { i18n: "ro.newLink" }));
    const removeBtn = h("button", { type: "button", class: "btn btn-ghost btn-sm btn-danger-text", "data-action": "remove" }, h("span", { i18n: "remove" }));
    const li = h("li", { class: "ro-item", dataset: { id: p.id } }, info, display, marks,
      h("div", { class: "ro-actions" }, copyLinkBtn, copyInvBtn, invBtn, editBtn, linkBtn, removeBtn),
      linkNote, editSlot);
    copyLinkBtn.addEventListener("click", () => copyLink(p.id, copyLinkBtn));
    copyInvBtn.addEventListener("click", () => copyInvitation(p.id, copyInvBtn));
    linkBtn.addEventListener("click", () => newLink(p.id, linkBtn));
    editBtn.addEventListener("click", () => toggleEdit(p.id));
    removeBtn.addEventListener("click", () => removeParticipant(p.id, removeBtn));
    return { li, info, display, marks, linkNote, editSlot, copyLinkBtn, copyInvBtn, invBtn, editBtn, linkBtn, removeBtn, editing: null };
  }

  function updateRow(el, p) {
    put(el.info,
      h("div", { class: "ro-name-line" }, h("span", { class: "ro-name" }, p.name), h("span", { class: `badge badge-role badge-${p.role}` }, roleLabel(p.role))),
      h("div", { class: "ro-unit muted" }, [p.unit, p.title].filter(Boolean).join(" · ")),
      p.phone || p.email ? h("div", { class: "ro-contact muted small" }, [p.phone, p.email].filter(Boolean).join(" · ")) : null);
    put(el.display, h("span", { class: "ro-display-label muted small" }, t("ro.displayName")), h("span", { class: "ro-display-name" }, p.displayName || `${p.name}-${p.unit}`));
    put(el.marks,
      mark(p.attending, "ro.attending"),
      mark(p.clientInstalled, "ro.client"),
      mark(p.accountRegistered, "ro.account"),
      p.confirmedAt ? h("span", { class: "ro-confirmed muted small" }, t("ro.confirmedAt", { when: formatTime(p.confirmedAt) })) : null);
    el.li.dataset.attending = p.attending === true ? "yes" : p.attending === false ? "no" : "unknown";
    const info = links.get(p.id);
    const unavailable = !!(info && info.unavailable);
    el.li.dataset.link = unavailable ? "unavailable" : info && info.url ? "known" : "unknown";
    el.linkNote.hidden = !unavailable;
    el.linkNote.textContent = unavailable ? t("ro.linkUnavailable") : "";
    el.copyLinkBtn.hidden = unavailable;
    const label = (key) => `${t(key)}: ${p.name}`;
    el.copyLinkBtn.setAttribute("aria-label", label("ro.copyLink"));
    el.copyInvBtn.setAttribute("aria-label", label("ro.copyInvitation"));
    el.editBtn.setAttribute("aria-label", label("ro.edit"));
    el.linkBtn.setAttribute("aria-label", label("ro.newLink"));
    el.linkBtn.className = "btn btn-sm " + (unavailable ? "btn-secondary" : "btn-ghost");
    el.removeBtn.setAttribute("aria-label", t("ro.removeLabel", { name: p.name }));
    // After the meeting the roster can no longer change; links and invitations stay at hand.
    const open = rosterOpen();
    el.editBtn.hidden = !open || !store.may("roster.update");
    el.removeBtn.hidden = !open || !store.may("roster.remove");
    el.linkBtn.hidden = !store.may("roster.link");
    if (!open && el.editing) closeEdit(p.id);
  }

  const rosterOpen = () => !!store.meeting && OPEN_PHASES.has(store.meeting.phase);

  function showInvite(p, url, invitation) {
    inviteSlot.textContent = "";
    const copyBtn = h("button", { type: "button", class: "btn btn-primary", id: "copy-invite" }, h("span", { i18n: "ro.copyLink" }));
    copyBtn.addEventListener("click", () => copyText(url, copyBtn));
    const panel = h("div", { class: "invite-panel", role: "region", "aria-labelledby": "invite-h", tabindex: "-1" },
      h("div", { class: "invite-head" },
        h("h3", { id: "invite-h", i18n: "ro.linkTitle", i18nVars: { name: p.name } }),
        h("button", { type: "button", class: "icon-btn", "aria-label": t("cancel"), onclick: () => { inviteSlot.textContent = ""; } }, h("span", { "aria-hidden": "true" }, "×"))),
      h("div", { class: "copy-row" },
        h("label", { for: "invite-link", class: "sr-only", i18n: "ro.linkLabel" }),
        h("input", { id: "invite-link", class: "mono copy-input", type: "text", readonly: true, value: url, dataset: { participant: p.id }, onfocus: (e) => e.target.select() }),
        copyBtn),
      h("p", { class: "hint", i18n: "ro.linkWarn" }),
      invitation ? h("h4", { class: "inv-subhead", i18n: "invite.withLinkTitle" }) : null,
      invitation ? invitationBlock(invitation) : null,
      invitation ? h("div", { class: "inv-actions" }, icsButton({ conn, meetingId, participant: p.id, store })) : null);
    inviteSlot.append(panel);
  }

  function inviteURL(r) {
    if (r.url) return resultURL(r); // absolute, from the server's public address
    const rel = r.link || (r.token ? `/#/join/${encodeURIComponent(r.token)}` : null);
    return rel ? new URL(rel, location.origin).href : null;
  }

  /**
   * The person's current link and invitation, from roster.invitation (the
   * server derives the link again: nothing is revoked). A link issued before
   * links could be derived comes back as linkUnavailable.
   */
  async function currentInvite(pid) {
    const known = links.get(pid);
    if (known && known.url && known.invitation) return known;
    const r = await conn.call("roster.invitation", { meeting: meetingId, participant: pid });
    const url = r.link || r.url ? inviteURL(r) : null;
    const info = { url: url || (known && known.url) || null, invitation: r.invitation || null, unavailable: !url && !(known && known.url) };
    links.set(pid, info);
    const el = rowEls.get(pid);
    const p = store.roster.get(pid);
    if (el && p) updateRow(el, p);
    return info;
  }

  async function copyLink(pid, btn) {
    const p = store.roster.get(pid);
    if (!p) return;
    btn.disabled = true;
    try {
      const info = await currentInvite(pid);
      if (!info.url) {
        announce(t("ro.linkUnavailable"));
        const el = rowEls.get(pid);
        if (el) el.linkBtn.focus();
        return;
      }
      showInvite(p, info.url);
      await copyText(info.url, btn);
    } catch (err) {
      toast(errorText(err), "error");
    } finally {
      btn.disabled = false;
      if (btn.isConnected && !btn.hidden && (document.activeElement === document.body || !document.activeElement)) btn.focus();
    }
  }

  async function copyInvitation(pid, btn) {
    const p = store.roster.get(pid);
    if (!p) return;
    btn.disabled = true;
    try {
      const info = await currentInvite(pid);
      const inv = info.invitation || {};
      const text = inv[getLang()] || inv.zh || inv.en || "";
      if (!text) { toast(t("invite.unavailable"), "error"); return; }
      await copyText(text, btn);
      if (!info.url) toast(t("ro.invitationWithoutLink"), "info", 6000);
    } catch (err) {
      toast(errorText(err), "error");
    } finally {
      btn.disabled = false;
    }
  }

  async function newLink(pid, btn) {
    const p = store.roster.get(pid);
    if (!p) return;
    if (!(await confirmDialog(t("ro.newLinkConfirm", { name: p.name }), { okKey: "ro.newLinkOk" }))) { btn.focus(); return; }
    try {
      const r = await conn.call("roster.link", { meeting: meetingId, participant: pid });
      const url = inviteURL(r);
      if (url) {
        links.set(pid, { url, invitation: r.invitation || null, unavailable: false });
        const el = rowEls.get(pid);
        if (el) updateRow(el, store.roster.get(pid) || p);
        showInvite(r.participant || p, url, r.invitation);
      }
      if (btn.isConnected) btn.focus();
    } catch (err) {
      toast(errorText(err), "error");
    }
  }

  // ---------- editing a roster entry in place ----------
  const EDIT_FIELDS = ["name", "unit", "role", "title", "phone", "email"];

  function toggleEdit(pid) {
    const el = rowEls.get(pid);
    if (!el) return;
    if (el.editing) { closeEdit(pid); el.editBtn.focus(); return; }
    const p = store.roster.get(pid);
    if (!p) return;
    const form = h("form", { class: "form-grid ro-edit", novalidate: true, dataset: { participant: pid, op: "roster.update" } },
      field({ label: "ro.name", name: "name", required: true, attrs: { maxlength: String(60), autocomplete: "off" } }),
      field({ label: "ro.unit", name: "unit", required: true, attrs: { maxlength: String(100), autocomplete: "off" } }),
      field({ label: "ro.role", name: "role", required: true, input: select(codes("roles").map((r) => [r, "role." + r]), p.role) }),
      field({ label: "ro.jobTitle", name: "title", optional: true, attrs: { maxlength: String(60), autocomplete: "off" } }),
      field({ label: "ro.phone", name: "phone", type: "tel", optional: true, attrs: { autocomplete: "off" } }),
      field({ label: "ro.email", name: "email", type: "email", optional: true, attrs: { autocomplete: "off" } }),
      h("p", { class: "hint field-wide", i18n: "ro.editHint" }),
      formError(),
      h("div", { class: "form-actions" },
        h("button", { type: "button", class: "btn btn-ghost", dataset: { action: "cancel-edit" }, i18n: "cancel", onclick: () => { closeEdit(pid); el.editBtn.focus(); } }),
        h("button", { type: "submit", class: "btn btn-primary", dataset: { action: "save-person" }, i18n: "save" })));
    for (const k of EDIT_FIELDS) {
      const input = form.querySelector(`[data-field="${k}"]`);
      if (input && k !== "role") input.value = p[k] || "";
    }
    form.addEventListener("keydown", (e) => { if (e.key === "Escape") { e.preventDefault(); closeEdit(pid); el.editBtn.focus(); } });
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      clearErrors(form);
      const cur = store.roster.get(pid) || p;
      const args = { meeting: meetingId, participant: pid };
      const missing = [];
      for (const k of EDIT_FIELDS) {
        const v = form.querySelector(`[data-field="${k}"]`).value.trim();
        if ((k === "name" || k === "unit") && !v) { missing.push(k); continue; }
        if (v !== (cur[k] || "")) args[k] = v; // "" clears an optional field
      }
      // Every empty required field is marked at once; the keyboard goes to the first.
      if (missing.length) { for (const k of missing.reverse()) fieldError(form, k, t("err.required")); return; }
      if (Object.keys(args).length === 2) { closeEdit(pid); el.editBtn.focus(); return; }
      await busy(form, async () => {
        try {
          const r = await conn.call("roster.update", args);
          if (r && r.participant) store.roster.set(pid, r.participant);
          closeEdit(pid);
          renderRoster();
          announce(t("ro.updated", { name: (r && r.participant && r.participant.name) || cur.name }));
          el.editBtn.focus();
        } catch (err) {
          showError(form, err);
        }
      });
    });
    el.editing = form;
    el.editBtn.setAttribute("aria-expanded", "true");
    el.li.classList.add("is-editing");
    put(el.editSlot, form);
    form.querySelector("[data-field=name]").focus();
  }

  function closeEdit(pid) {
    const el = rowEls.get(pid);
    if (!el || !el.editing) return;
    el.editing = null;
    el.editBtn.setAttribute("aria-expanded", "false");
    el.li.classList.remove("is-editing");
    el.editSlot.textContent = "";
  }

  async function removeParticipant(pid, btn) {
    const p = store.roster.get(pid);
    if (!p) return;
    if (!(await confirmDialog(t("ro.removeConfirm", { name: p.name })))) { btn.focus(); return; }
    try {
      await conn.call("roster.remove", { meeting: meetingId, participant: pid });
      const panelInput = document.getElementById("invite-link");
      if (panelInput && panelInput.dataset.participant === pid) inviteSlot.textContent = "";
    } catch (err) {
      toast(errorText(err), "error");
    }
  }

  roForm.addEventListener("submit", async (e) => {
    e.preventDefault();
    clearErrors(roForm);
    const v = readForm(roForm);
    for (const name of ["name", "unit"]) if (!v[name]) { fieldError(roForm, name, t("err.required")); return; }
    await busy(roForm, async () => {
      try {
        const r = await conn.call("roster.add", { meeting: meetingId, ...v });
        const p = r.participant || { id: "?", name: v.name };
        const url = inviteURL(r);
        if (url && p.id) links.set(p.id, { url, invitation: r.invitation || null, unavailable: false });
        // The roster.added event may come before or after this reply.
        if (p.id && !store.roster.has(p.id) && r.participant) store.roster.set(p.id, r.participant);
        renderRoster();
        if (url) showInvite(p, url, r.invitation);
        else toast(t("ro.linkLost"), "error");
        const role = roForm.querySelector("[data-field=role]").value;
        roForm.reset();
        roForm.querySelector("[data-field=role]").value = role;
        announce(t("ro.added", { name: p.name }));
        roName.focus();
      } catch (err) {
        showError(roForm, err);
      }
    });
  });

  // ---------- live ----------
  // Events can come by the thousand (a resume from far behind is read 500 at a
  // time): the checklist is drawn once per frame, from the store as it is then.
  let checklistFrame = 0;
  function scheduleChecklist() {
    if (!checklistFrame) checklistFrame = requestAnimationFrame(() => { checklistFrame = 0; renderChecklist(); });
  }

  function renderAll() {
    renderHead();
    renderChecklist();
    renderRoster();
    renderOpenState();
  }

  const offStore = store.subscribe((change) => {
    // The seq the page has applied, for tests (a resume from far behind must reach the server's).
    body.dataset.seq = String(store.seq);
    if (change.kind === "snapshot") {
      body.hidden = false;
      // Default the new item's phase to the meeting's current phase.
      if (store.meeting && store.meeting.phase === "rehearsal") clPhase.value = "rehearsal";
      renderAll();
      return;
    }
    if (change.kind === "meeting") { renderHead(); renderOpenState(); renderRoster(); }
    if (change.kind === "viewer") { renderOpenState(); renderRoster(); }
    if (change.kind === "checklist") scheduleChecklist();
    // A file added or removed, a unit that opened one, a unit added or declining: C-7's count.
    if (change.kind === "materials" || change.kind === "roster") for (const el of itemEls.values()) updateMaterialsLine(el);
    if (change.kind === "roster") {
      const ev0 = change.event;
      // A new link issued elsewhere replaces the one known here.
      if (ev0 && ev0.event === "roster.link_reissued" && ev0.data.participant) links.delete(ev0.data.participant.id);
      // A changed name or unit changes the invitation text: fetch it again when asked.
      if (ev0 && ev0.event === "roster.updated" && ev0.data.participant) {
        const known = links.get(ev0.data.participant.id);
        if (known) known.invitation = null;
      }
      renderRoster();
      const ev = change.event;
      if (ev && ev.event === "roster.confirmed" && ev.data.participant) {
        const p = ev.data.participant;
        const el = rowEls.get(p.id);
        if (el) flash(el.li);
        announce(`${p.name}: ${t("ro.confirmedAt", { when: formatTime(p.confirmedAt) })}`);
      }
    }
  });

  const edit = mountMeetingEdit(editSlot, { conn, meetingId, store });
  const offPhase = mountPhaseBar(phaseSlot, { conn, meetingId, store });
  const offAv = mountRehearsal(avSlot, { conn, meetingId, store, actor, lead: true });
  const offFollowup = mountFollowup(followSlot, { conn, actor, store, meetingId });
  // The live meeting (host console) before the prep sections; agenda planning after them (live.js).
  const liveView = mountLive(liveSlot, { conn, actor, store, meetingId }, { anchor: body });
  // The meeting's invitation text changes with the meeting: fetch it again when asked.
  const offInv = store.subscribe((c) => { if (c.kind === "meeting" && c.event && c.event.event === "meeting.updated") for (const v of links.values()) v.invitation = null; });
  const materials = mountMaterials(materialsSlot, { conn, actor, store, meetingId });
  const offTabs = mountTabs(tabsSlot, { store, panels: {
    prep: [checklistSection, rosterSection],
    materials: [materialsSlot],
    agenda: [liveSlot],
    av: [avSlot],
    live: [liveSlot],
    followup: [followSlot],
    record: [liveSlot],
  } });

  const unsubscribe = followMeeting(conn, meetingId, store, {
    actor,
    onError: (err) => {
      headSlot.textContent = "";
      body.hidden = true;
      headSlot.append(h("section", { class: "card" },
        h("h1", { i18n: "m.notFound" }),
        h("p", { class: "muted" }, errorText(err)),
        h("a", { class: "btn btn-secondary", href: "#/", i18n: "nav.back" })));
    },
  });

  const offLang = onLangChange(() => { if (store.loaded) renderAll(); });
  return () => { cancelAnimationFrame(checklistFrame); unsubscribe(); offStore(); offLang(); offPhase(); offAv(); offFollowup(); liveView.destroy(); edit.destroy(); offInv(); offTabs(); materials.destroy(); };
}

function flash(el) {
  el.classList.remove("flash");
  void el.offsetWidth;
  el.classList.add("flash");
}
