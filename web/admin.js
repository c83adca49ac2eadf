// The administrator: create organizer and unit accounts (token shown once), list
// them, and give an account a new token when its token was lost.
import { h, field, select, clearErrors, fieldError, busy, showError, formError, copyText, toast, announce, errorText, confirmDialog } from "./dom.js";
import { t, kindLabel, formatTime, onLangChange } from "./i18n.js";

export function mountAdmin(main, { conn }) {
  let accounts = [];
  let loaded = false;

  const nameInput = h("input", { type: "text", autocomplete: "organization", maxlength: "200" });
  const kindSelect = select([["organizer", "kind.organizer"], ["unit", "kind.unit"]], "organizer");
  const form = h("form", { class: "inline-form inline-form-3", novalidate: true, id: "account-form", "data-op": "account.create" },
    field({ label: "admin.name", name: "name", input: nameInput, required: true, placeholderKey: "admin.nameHint" }),
    field({ label: "admin.kind", name: "kind", input: kindSelect, required: true }),
    h("div", { class: "inline-form-submit" },
      h("button", { type: "submit", class: "btn btn-primary", id: "account-submit", i18n: "admin.submit" })),
    formError());

  const tokenSlot = h("div", { id: "token-slot" });
  const list = h("ul", { class: "rows", id: "account-list", "aria-live": "polite" });
  const count = h("span", { class: "count" });

  main.append(
    h("div", { class: "page-head" },
      h("div", {},
        h("h1", { i18n: "admin.title" }),
        h("p", { class: "muted", i18n: "admin.intro" }))),
    h("section", { class: "card", "aria-labelledby": "new-acc-h" },
      h("h2", { id: "new-acc-h", i18n: "admin.create" }),
      form),
    tokenSlot,
    h("section", { class: "card", "aria-labelledby": "acc-list-h" },
      h("div", { class: "section-head" }, h("h2", { id: "acc-list-h", i18n: "admin.list" }), count),
      list));

  function renderList() {
    list.textContent = "";
    count.textContent = accounts.length ? String(accounts.length) : "";
    if (!loaded) {
      list.append(h("li", { class: "empty", i18n: "loading" }));
      return;
    }
    if (!accounts.length) {
      list.append(h("li", { class: "empty", i18n: "admin.empty" }));
      return;
    }
    const sorted = [...accounts].sort((a, b) => String(b.createdAt || "").localeCompare(String(a.createdAt || "")));
    for (const a of sorted) {
      list.append(h("li", { class: "row account-row", dataset: { id: a.id } },
        h("div", { class: "row-main" },
          h("span", { class: "row-title" }, a.name),
          h("span", { class: "badge badge-" + a.kind }, kindLabel(a.kind))),
        h("div", { class: "row-meta muted" },
          h("span", { class: "mono" }, a.id),
          a.createdAt ? h("span", {}, formatTime(a.createdAt)) : null),
        a.kind === "admin" ? null : h("div", { class: "row-actions" },
          h("button", {
            type: "button", class: "btn btn-secondary btn-sm", "data-test": "reissue",
            "aria-label": t("admin.reissueFor", { name: a.name }),
            onclick: (e) => reissue(a, e.currentTarget),
          }, h("span", { i18n: "admin.reissue" })))));
    }
  }

  function showToken(account, token) {
    tokenSlot.textContent = "";
    const tokenId = "new-token";
    const copyBtn = h("button", { type: "button", class: "btn btn-secondary", id: "copy-token" }, h("span", { i18n: "copy" }));
    copyBtn.addEventListener("click", () => copyText(token, copyBtn));
    const panel = h("section", { class: "card card-highlight token-panel", "aria-labelledby": "token-h", tabindex: "-1" },
      h("h2", { id: "token-h", i18n: "admin.tokenTitle", i18nVars: { name: account.name } }),
      h("p", { class: "notice notice-warn" }, h("strong", { i18n: "admin.tokenWarn" })),
      h("div", { class: "copy-row" },
        h("label", { for: tokenId, class: "sr-only", i18n: "signin.token" }),
        h("input", { id: tokenId, class: "mono copy-input", type: "text", readonly: true, value: token, onfocus: (e) => e.target.select() }),
        copyBtn),
      h("div", { class: "form-actions" },
        h("button", { type: "button", class: "btn btn-ghost", id: "token-done", i18n: "admin.tokenDone", onclick: () => { tokenSlot.textContent = ""; nameInput.focus(); } })));
    tokenSlot.append(panel);
    panel.focus();
  }

  // A lost token: the admin issues a new one; the old one stops working at once.
  async function reissue(account, button) {
    if (!(await confirmDialog(t("admin.reissueConfirm", { name: account.name }), { okKey: "admin.reissue" }))) { button.focus(); return; }
    button.disabled = true;
    try {
      const r = await conn.call("account.reissue", { account: account.id });
      if (r.token) showToken(r.account || account, r.token);
      announce(t("admin.reissued", { name: account.name }));
    } catch (err) {
      toast(errorText(err), "error");
      button.disabled = false;
      button.focus();
    }
  }

  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    clearErrors(form);
    const name = nameInput.value.trim();
    if (!name) { fieldError(form, "name", t("err.required")); return; }
    await busy(form, async () => {
      try {
        const r = await conn.call("account.create", { name, kind: kindSelect.value });
        const account = r.account || { id: "?", name, kind: kindSelect.value };
        if (!accounts.some((a) => a.id === account.id)) accounts.push({ name, kind: kindSelect.value, ...account });
        renderList();
        form.reset();
        if (r.token) showToken({ name, ...account }, r.token);
        else toast(t("admin.tokenLost"), "error");
        announce(t("admin.created", { name }));
      } catch (err) {
        showError(form, err);
      }
    });
  });

  // The accounts stream: a snapshot, then account.created events, live.
  const unsubscribe = conn.subscribe("accounts", {
    onSnapshot: (snapshot) => { accounts = (snapshot && snapshot.accounts) || []; loaded = true; renderList(); },
    onEvent: (ev) => {
      const a = ev.data && ev.data.account;
      if (!a || !a.id) return;
      const i = accounts.findIndex((x) => x.id === a.id);
      // account.token_reissued names the account by id only: keep what is known.
      if (i >= 0) accounts[i] = { ...accounts[i], ...a };
      else if (ev.event === "account.created") accounts.push(a);
      else return;
      renderList();
    },
    onError: async () => {
      // Fall back to a plain list.
      try { accounts = (await conn.call("account.list", {})).accounts || []; loaded = true; renderList(); } catch (err) { toast(errorText(err), "error"); }
    },
  });

  renderList();
  const offLang = onLangChange(renderList);
  return () => { unsubscribe(); offLang(); };
}
