// Sign in with an access token.
import { h, field, clearErrors, fieldError, busy, showError, formError } from "./dom.js";
import { t } from "./i18n.js";

export function mountSignin(main, { messageKey, onSubmit }) {
  const input = h("input", { type: "text", autocomplete: "off", autocapitalize: "off", spellcheck: "false", class: "mono" });
  const form = h("form", { class: "stack", novalidate: true, id: "signin-form" },
    field({ label: "signin.token", name: "token", input, required: true, hintKey: "signin.tokenHint" }),
    formError(),
    h("button", { type: "submit", class: "btn btn-primary btn-block", id: "signin-submit", i18n: "signin.submit" }));

  const notice = messageKey ? h("p", { class: "notice notice-warn", role: "alert", i18n: messageKey }) : null;

  main.append(h("div", { class: "signin" },
    h("section", { class: "card signin-card", "aria-labelledby": "signin-h" },
      h("div", { class: "signin-head" },
        h("h1", { id: "signin-h", i18n: "signin.title" }),
        h("p", { class: "muted", i18n: "signin.intro" })),
      notice,
      form),
    h("p", { class: "signin-foot muted", i18n: "app.tagline" })));

  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    clearErrors(form);
    if (notice) notice.remove();
    const token = input.value.trim();
    if (!token) { fieldError(form, "token", t("signin.empty")); return; }
    await busy(form, async () => {
      try {
        await onSubmit(token);
      } catch (err) {
        if (err.code === "unauthenticated" || err.code === "bad_request") fieldError(form, "token", t("signin.bad"));
        else showError(form, err);
      }
    });
  });
  input.focus();
}
