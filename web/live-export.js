// Exporting the minutes: a Word document, Markdown, and a print-ready preview
// (the document laid out on A4, see minutes.js) that follows the minutes.
import { h, toast, announce } from "./dom.js";
import { t } from "./i18n.js";
import { act, card } from "./live-shared.js";
import { docLang, docxButton, openMinutesPreview } from "./minutes.js";

export function exportCard(ctx) {
  const { conn, meetingId } = ctx;
  const el = card("live-export", "live.export");
  const word = docxButton(conn, "export.minutes", { meeting: meetingId }, { id: "export-docx" });
  const download = h("button", { type: "button", class: "btn btn-ghost", id: "export-download" }, h("span", { "aria-hidden": "true" }, "↓ "), h("span", { i18n: "live.download" }));
  const previewBtn = h("button", { type: "button", class: "btn btn-ghost", id: "export-preview-toggle", "aria-haspopup": "dialog" }, h("span", { i18n: "live.preview" }));
  el.append(h("p", { class: "muted small", i18n: "docx.hint" }), h("div", { class: "export-actions" }, word, download, previewBtn));
  let preview = null;

  download.addEventListener("click", async () => {
    const r = await act(download, conn, "export.minutes", { meeting: meetingId, lang: docLang() });
    if (!r || typeof r.text !== "string") return;
    const name = r.filename || "minutes.md";
    const url = URL.createObjectURL(new Blob([r.text], { type: "text/markdown;charset=utf-8" }));
    const a = h("a", { href: url, download: name, hidden: true });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 4000);
    el.dataset.filename = name;
    announce(t("live.downloaded", { file: name }));
    toast(t("live.downloaded", { file: name }));
  });

  previewBtn.addEventListener("click", () => {
    if (preview && preview.isOpen()) return;
    preview = openMinutesPreview(conn, meetingId, { onClose: () => previewBtn.focus() });
  });

  return {
    el,
    update(change) {
      // An open preview follows the minutes (fetched again, at most every 2 s).
      if (!preview || !preview.isOpen() || !["minutes", "agenda", "queue", "roster", "meeting"].includes(change.kind)) return;
      clearTimeout(el._refresh);
      el._refresh = setTimeout(() => { if (preview && preview.isOpen()) preview.refresh(); }, 2000);
    },
    destroy() { clearTimeout(el._refresh); if (preview) preview.close(); },
  };
}
