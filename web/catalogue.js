// What the server says about itself (GET /api/ops), fetched once before the
// first connection: every op with whether it reads or writes (a write gets an
// args.requestKey), the code lists with their labels (phases, roles,
// categories, minutes kinds, AV checks, queue kinds, presence), and the rules
// the page needs (the self-test's pass threshold), the longest text each
// form field takes (limits); after the meeting the
// dispatch stages, closing outcomes and escalation levels, also grouped by
// project category. The page copies none of them.

let catalogue = null;
let pending = null;

/** Fetches the catalogue (once; later calls get the same). Rejects when the server cannot be reached. */
export function loadCatalogue(url = "/api/ops") {
  if (catalogue) return Promise.resolve(catalogue);
  if (!pending) {
    pending = fetch(url, { cache: "no-store", credentials: "same-origin" })
      .then((r) => {
        if (!r.ok) throw new Error(`GET ${url}: HTTP ${r.status}`);
        return r.json();
      })
      .then((json) => { catalogue = normalise(json); return catalogue; })
      .finally(() => { pending = null; });
  }
  return pending;
}

export const catalogueLoaded = () => !!catalogue;

/** "read", "write", or null for an op the server does not list. */
export function opKind(op) {
  return (catalogue && catalogue.kinds.get(op)) || null;
}

/** Does the op change state (so it is sent with an args.requestKey)? */
export const isWrite = (op) => opKind(op) === "write";

/** The codes of one list of the vocabulary, in the server's order ([] before it is loaded). */
export function codes(list) {
  return catalogue && catalogue.vocabulary[list] ? catalogue.vocabulary[list].map((c) => c.code) : [];
}

/**
 * The codes of one list that belong to a category, from the vocabulary's
 * `<list>ByCategory` ({industrial: [...], non_industrial: [...]}: codes or
 * {code} entries), in the server's order; the whole list when the server
 * gives no such grouping.
 */
export function codesFor(list, category) {
  const groups = catalogue && catalogue.groups[list + "ByCategory"];
  const entries = groups && category && groups[category];
  if (!Array.isArray(entries)) return codes(list);
  return entries.map((e) => (typeof e === "string" ? e : e && e.code)).filter((c) => typeof c === "string");
}

/** The server's own label of a code ("zh" or "en"), for a code the page has no string for. */
export function serverLabel(list, code, lang) {
  const entry = catalogue && catalogue.vocabulary[list] && catalogue.vocabulary[list].find((c) => c.code === code);
  return entry ? entry[lang] || entry.en || entry.zh || null : null;
}

/** The longest text the server takes in `field` ("company.name") of `op`, or null. */
export function fieldLimit(op, field) {
  const ofOp = catalogue && catalogue.limits[op];
  return ofOp && typeof ofOp[field] === "number" ? ofOp[field] : null;
}

/** One of the rules (e.g. selfTestPassAboveDb), or fallback before the catalogue is loaded. */
export function rule(name, fallback = null) {
  return catalogue && name in catalogue.rules ? catalogue.rules[name] : fallback;
}

function normalise(json) {
  const ops = Array.isArray(json && json.ops) ? json.ops : [];
  const vocabulary = {};
  const groups = {};
  for (const [list, entries] of Object.entries((json && json.vocabulary) || {})) {
    if (Array.isArray(entries)) vocabulary[list] = entries.filter((e) => e && typeof e.code === "string");
    else if (entries && typeof entries === "object") groups[list] = entries; // e.g. stagesByCategory
  }
  return {
    kinds: new Map(ops.filter((o) => o && typeof o.op === "string").map((o) => [o.op, o.kind === "write" ? "write" : "read"])),
    vocabulary,
    groups,
    rules: (json && typeof json.rules === "object" && json.rules) || {},
    limits: (json && typeof json.limits === "object" && json.limits) || {},
  };
}
