// The contact exchange with consent (mechanism 7 §4(2): 互留联系方式): a
// participant's share-card dialog (with whom: the government side, everyone,
// or not at all), the host's prompt (and the organizer's "share the
// company's card with the units"), and the contact sheet (通讯录) as this
// viewer may see it — the server cuts it (snapshot.contacts, contacts.*
// events); the company never gets a card shared with the government side.
import { h, put, busy, showError, formError, announce, toast, clearErrors } from "./dom.js";
import { t, roleLabel } from "./i18n.js";
import { act, card, setText } from "./live-shared.js";

const AUDIENCES = ["government", "everyone", "none"];

export function contactsCard(ctx) {
  const { conn, meetingId, store, actor } = ctx;
  const el = card("live-contacts", "contacts.title");
  const mayShare = store.may("contacts.share") && actor && actor.kind === "participant";
  const mayPrompt = store.may("contacts.prompt");
  const isCompany = () => { const me = actor && store.roster.get(actor.id); return !!me && me.role === "company"; };

  // The host's prompt and the company card.
  let promptBtn = null, companyBox = null;
  if (mayPrompt) {
    promptBtn = h("button", { type: "button", class: "btn btn-secondary btn-sm", id: "contacts-prompt", i18n: "contacts.prompt" });
    companyBox = h("input", { type: "checkbox", id: "contacts-company-card" });
    promptBtn.addEventListener("click", () => act(promptBtn, conn, "contacts.prompt", { meeting: meetingId }, { onDone: () => announce(t("contacts.prompted")) }));
    companyBox.addEventListener("change", () => act(null, conn, "contacts.prompt", { meeting: meetingId, prompt: false, companyCard: companyBox.checked }));
    el.append(h("div", { class: "contacts-host" }, promptBtn,
      h("label", { class: "check" }, companyBox, " ", h("span", { i18n: "contacts.companyCard" }))));
  }

  // The share-card dialog: opened by the host's prompt, or at any time.
  let shareBox = null, form = null, status = null, lastPrompt = null;
  if (mayShare) {
    status = h("p", { class: "muted small", id: "contacts-mine", role: "status" });
    const input = (name, type, max) => h("input", { type, name, id: `contacts-${name}`, maxlength: String(max), autocomplete: "off", dataset: { field: name } });
    const row = (key, control) => h("div", { class: "field" }, h("label", { for: control.id, i18n: key }), control,
      h("p", { class: "field-error", id: control.id + "-err", role: "alert", hidden: true }));
    const audience = h("fieldset", { class: "contacts-audience" }, h("legend", { i18n: "contacts.audience" }),
      AUDIENCES.map((a) => h("label", { class: "check" },
        h("input", { type: "radio", name: "audience", value: a, dataset: { field: "audience" } }), " ", h("span", { i18n: "contacts.audience." + a }))));
    form = h("form", { class: "form-grid", id: "contacts-share-form", novalidate: true, "data-op": "contacts.share" },
      h("p", { class: "hint field-wide", i18n: "contacts.shareHint" }),
      audience,
      row("contacts.name", input("name", "text", 60)), row("contacts.unit", input("unit", "text", 100)),
      row("contacts.jobTitle", input("title", "text", 60)), row("contacts.phone", input("phone", "tel", 30)),
      row("contacts.email", input("email", "email", 120)),
      formError(),
      h("div", { class: "form-actions" }, h("button", { type: "submit", class: "btn btn-primary", id: "contacts-share-submit", i18n: "contacts.save" })));
    shareBox = h("details", { class: "add-details", id: "contacts-share" },
      h("summary", {}, h("span", { i18n: "contacts.share" })), form);
    el.append(status, shareBox);
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      clearErrors(form);
      const val = (k) => form.querySelector(`[name="${k}"]`).value.trim();
      const chosen = form.querySelector("input[name=audience]:checked");
      const args = { meeting: meetingId, audience: chosen ? chosen.value : "none" };
      if (args.audience !== "none") for (const k of ["name", "unit", "title", "phone", "email"]) args[k] = val(k);
      if (!args.name) delete args.name;
      if (!args.unit) delete args.unit;
      await busy(form, async () => {
        try {
          await conn.call("contacts.share", args);
          shareBox.open = false;
          const text = t(args.audience === "none" ? "contacts.withdrawnToast" : "contacts.sharedToast");
          toast(text, "info");
          announce(text);
        } catch (err) {
          showError(form, err);
        }
      });
    });
  }

  function fillForm() {
    if (!form) return;
    const mine = store.cardOf(actor.id);
    const me = store.roster.get(actor.id) || {};
    const src = mine || me;
    for (const k of ["name", "unit", "title", "phone", "email"]) form.querySelector(`[name="${k}"]`).value = src[k] || "";
    const current = mine ? mine.audience : "none";
    for (const r of form.querySelectorAll("input[name=audience]")) r.checked = r.value === current;
    // The company may share with the government side or everyone, like anyone else.
  }

  // The contact sheet.
  const list = h("ul", { class: "contacts-list", id: "contacts-list" });
  const empty = h("p", { class: "empty", id: "contacts-empty" });
  const vcf = h("button", { type: "button", class: "btn btn-ghost btn-sm", id: "contacts-vcf" }, h("span", { "aria-hidden": "true" }, "↓ "), h("span", { i18n: "contacts.vcf" }));
  const csv = h("button", { type: "button", class: "btn btn-ghost btn-sm", id: "contacts-csv" }, h("span", { "aria-hidden": "true" }, "↓ "), h("span", { i18n: "contacts.csv" }));
  for (const [btn, format] of [[vcf, "vcf"], [csv, "csv"]]) {
    btn.addEventListener("click", async () => {
      const r = await act(btn, conn, "contacts.sheet", { meeting: meetingId, format });
      if (!r || typeof r.text !== "string") return;
      const url = URL.createObjectURL(new Blob([r.text], { type: r.contentType || "text/plain;charset=utf-8" }));
      const a = h("a", { href: url, download: r.filename || `contacts.${format}`, hidden: true });
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 4000);
      announce(t("live.downloaded", { file: r.filename }));
    });
  }
  el.append(h("h3", { class: "small", i18n: "contacts.sheet" }), list, empty, h("div", { class: "export-actions" }, vcf, csv));

  function render() {
    const { exchange, cards } = store.contacts;
    put(list, cards.map((c) => h("li", { class: "contacts-row", dataset: { participant: c.participant || "", source: c.source || "", audience: c.audience || "" } },
      h("strong", {}, c.name || ""), " ",
      h("span", { class: "muted" }, [c.unit, c.title].filter(Boolean).join(" · ")),
      h("span", { class: "contacts-reach" }, [c.phone, c.email].filter(Boolean).join(" · ")),
      h("span", { class: "muted small" }, c.source === "company" ? t("contacts.companySource") : `${roleLabel(c.role)} · ${t("contacts.audience." + c.audience)}`))));
    setText(empty, t(isCompany() ? "contacts.emptyCompany" : "contacts.empty"));
    empty.hidden = cards.length > 0;
    vcf.disabled = csv.disabled = cards.length === 0;
    if (companyBox) companyBox.checked = !!exchange.companyCard;
    if (status) {
      const mine = store.cardOf(actor.id);
      setText(status, mine ? t("contacts.mine." + mine.audience) : t("contacts.mine.none"));
    }
    // A new prompt of the host (after this view was built) opens the dialog, for someone who has not shared yet.
    if (shareBox && exchange.promptedAt && exchange.promptedAt !== lastPrompt) {
      lastPrompt = exchange.promptedAt;
      if (!store.cardOf(actor.id)) {
        fillForm();
        shareBox.open = true;
        announce(t("contacts.promptedYou"));
      }
    }
  }

  // A prompt made before this view was built does not pop the dialog up again.
  lastPrompt = store.contacts.exchange.promptedAt || "";
  if (shareBox) shareBox.addEventListener("toggle", () => { if (shareBox.open && !form.contains(document.activeElement)) fillForm(); });
  fillForm();
  render();
  return {
    el,
    update(change) { if (["snapshot", "contacts", "roster", "lang"].includes(change.kind)) render(); },
    destroy() {},
  };
}
