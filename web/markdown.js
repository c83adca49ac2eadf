// A small Markdown renderer for the documents the server writes (the monthly
// bulletin, the reports): headings, paragraphs, lists, pipe tables, quotes,
// rules, and bold / italic / code / links inside them. It builds DOM nodes
// (never innerHTML), so nothing in the text can run as markup; links are kept
// only for http(s).
import { h } from "./dom.js";

/** Renders Markdown text into a DocumentFragment. */
export function renderMarkdown(text) {
  const lines = String(text || "").replace(/\r\n?/g, "\n").split("\n");
  const out = document.createDocumentFragment();
  let i = 0;
  let para = [];
  const flush = () => {
    if (!para.length) return;
    const p = h("p");
    para.forEach((line, k) => {
      const hard = /( {2,}|\\)$/.test(line);
      inline(p, line.replace(/( {2,}|\\)$/, "").trim());
      if (k < para.length - 1) p.append(hard ? h("br") : document.createTextNode(" "));
    });
    out.append(p);
    para = [];
  };
  while (i < lines.length) {
    const line = lines[i];
    const trimmed = line.trim();
    if (!trimmed) { flush(); i++; continue; }
    let m;
    if ((m = /^(#{1,6})\s+(.*?)\s*#*\s*$/.exec(trimmed))) {
      flush();
      const el = h("h" + m[1].length);
      inline(el, m[2]);
      out.append(el);
      i++;
      continue;
    }
    if (/^(-{3,}|\*{3,}|_{3,})$/.test(trimmed.replace(/\s/g, ""))) { flush(); out.append(h("hr")); i++; continue; }
    if (trimmed.startsWith(">")) {
      flush();
      const quoted = [];
      while (i < lines.length && lines[i].trim().startsWith(">")) { quoted.push(lines[i].trim().replace(/^>\s?/, "")); i++; }
      const q = h("blockquote");
      q.append(renderMarkdown(quoted.join("\n")));
      out.append(q);
      continue;
    }
    if (trimmed.startsWith("|") && i + 1 < lines.length && /^\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$/.test(lines[i + 1].trim())) {
      flush();
      const head = cells(trimmed);
      const aligns = cells(lines[i + 1].trim()).map((c) => (c.startsWith(":") && c.endsWith(":") ? "center" : c.endsWith(":") ? "right" : null));
      i += 2;
      const rows = [];
      while (i < lines.length && lines[i].trim().startsWith("|")) { rows.push(cells(lines[i].trim())); i++; }
      const cell = (tag, text, k) => { const c = h(tag, aligns[k] ? { style: `text-align:${aligns[k]}` } : null); inline(c, text); return c; };
      out.append(h("div", { class: "md-table" }, h("table", {},
        h("thead", {}, h("tr", {}, head.map((c, k) => cell("th", c, k)))),
        h("tbody", {}, rows.map((r) => h("tr", {}, head.map((_, k) => cell("td", r[k] || "", k))))))));
      continue;
    }
    if ((m = /^(\s*)([-*+]|\d+[.)])\s+/.exec(line))) {
      flush();
      const ordered = /\d/.test(m[2]);
      const list = h(ordered ? "ol" : "ul");
      if (ordered) { const n = parseInt(m[2], 10); if (n !== 1) list.setAttribute("start", String(n)); }
      while (i < lines.length) {
        const mm = /^(\s*)([-*+]|\d+[.)])\s+(.*)$/.exec(lines[i]);
        if (!mm || /\d/.test(mm[2]) !== ordered) break;
        const li = h("li");
        inline(li, mm[3].trim());
        i++;
        // Continuation lines (indented, not a new item) belong to this item.
        while (i < lines.length && /^\s{2,}\S/.test(lines[i]) && !/^\s*([-*+]|\d+[.)])\s+/.test(lines[i])) {
          li.append(h("br"));
          inline(li, lines[i].trim());
          i++;
        }
        list.append(li);
      }
      out.append(list);
      continue;
    }
    para.push(line);
    i++;
  }
  flush();
  return out;
}

function cells(row) {
  let s = row.trim();
  if (s.startsWith("|")) s = s.slice(1);
  if (s.endsWith("|") && !s.endsWith("\\|")) s = s.slice(0, -1);
  const out = [];
  let cur = "";
  for (let k = 0; k < s.length; k++) {
    if (s[k] === "\\" && s[k + 1] === "|") { cur += "|"; k++; continue; }
    if (s[k] === "|") { out.push(cur.trim()); cur = ""; continue; }
    cur += s[k];
  }
  out.push(cur.trim());
  return out;
}

const INLINE_SOURCE = /(`+)([\s\S]*?)\1|\*\*([\s\S]+?)\*\*|__([\s\S]+?)__|\*([^*\s][^*]*?)\*|(?<![\w])_([^_\s][^_]*?)_(?![\w])|\[([^\]]+)\]\(([^)\s]+)\)|\\([\\`*_[\]()#+\-.!|>])/g;

/** Appends the inline content of one line of Markdown to el. */
function inline(el, text) {
  // A regex of its own per call: bold and links recurse into their content.
  const INLINE = new RegExp(INLINE_SOURCE.source, "g");
  let last = 0;
  let m;
  while ((m = INLINE.exec(text))) {
    if (m.index > last) el.append(document.createTextNode(text.slice(last, m.index)));
    if (m[1]) el.append(h("code", {}, m[2]));
    else if (m[3] !== undefined || m[4] !== undefined) { const b = h("strong"); inline(b, m[3] ?? m[4]); el.append(b); }
    else if (m[5] !== undefined || m[6] !== undefined) { const e = h("em"); inline(e, m[5] ?? m[6]); el.append(e); }
    else if (m[7] !== undefined) {
      const href = safeHref(m[8]);
      const a = href ? h("a", { href, rel: "noopener noreferrer", target: "_blank" }) : h("span");
      inline(a, m[7]);
      el.append(a);
    } else if (m[9] !== undefined) el.append(document.createTextNode(m[9]));
    last = INLINE.lastIndex;
  }
  if (last < text.length) el.append(document.createTextNode(text.slice(last)));
}

function safeHref(url) {
  try {
    const u = new URL(url, location.href);
    if (u.protocol === "http:" || u.protocol === "https:") return u.href;
  } catch { /* not a link */ }
  return null;
}
