// Exporting the minutes as Markdown: download, and a preview that follows them.
import { h, toast, announce } from "./dom.js";
import { t } from "./i18n.js";
import { act, card } from "./live-shared.js";

export function exportCard(ctx) {
  const { conn, meetingId } = ctx;
  const el = card("live-export", "live.export");
  const download = h("button", { type: "button", class: "btn btn-secondary", id: "export-download" }, h("span", { "aria-hidden": "true" }, "↓ "), h("span", { i18n: "live.download" }));
  const previewBtn = h("button", { type: "button", class: "btn btn-ghost", id: "export-preview-toggle", "aria-expanded": "false", "aria-controls": "export-preview" }, h("span", { i18n: "live.preview" }));
  const pre = h("pre", { class: "export-preview", id: "export-preview", tabindex: "0", hidden: true, "aria-label": t("live.previewLabel") });
  el.append(h("p", { class: "muted small", i18n: "live.exportHint" }), h("div", { class: "export-actions" }, download, previewBtn), pre);

  async function fetchText(btn) {
    return act(btn, conn, "export.minutes", { meeting: meetingId });
  }

  download.addEventListener("click", async () => {
    const r = await fetchText(download);
    if (!r || typeof r.text !== "string") return;
    const name = r.filename || `${meetingId}-minutes.md`;
    const url = URL.createObjectURL(new Blob([r.text], { type: "text/markdown;charset=utf-8" }));
    const a = h("a", { href: url, download: name, hidden: true });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 4000);
    pre.textContent = r.text;
    el.dataset.filename = name;
    announce(t("live.downloaded", { file: name }));
    toast(t("live.downloaded", { file: name }));
  });

  previewBtn.addEventListener("click", async () => {
    if (!pre.hidden) {
      pre.hidden = true;
      previewBtn.setAttribute("aria-expanded", "false");
      previewBtn.firstChild.dataset.i18n = "live.preview";
      previewBtn.firstChild.textContent = t("live.preview");
      return;
    }
    const r = await fetchText(previewBtn);
    if (!r || typeof r.text !== "string") return;
    pre.textContent = r.text;
    pre.hidden = false;
    previewBtn.setAttribute("aria-expanded", "true");
    previewBtn.firstChild.dataset.i18n = "live.hidePreview";
    previewBtn.firstChild.textContent = t("live.hidePreview");
    pre.focus();
  });

  return {
    el,
    update(change) {
      // An open preview follows the minutes (fetched again, at most every 2 s).
      if (pre.hidden || !["minutes", "agenda", "queue", "roster"].includes(change.kind)) return;
      clearTimeout(el._refresh);
      el._refresh = setTimeout(async () => {
        try { const r = await conn.call("export.minutes", { meeting: meetingId }); if (r && !pre.hidden) pre.textContent = r.text; } catch { /* keep the old text */ }
      }, 2000);
    },
    destroy() { clearTimeout(el._refresh); },
  };
}
