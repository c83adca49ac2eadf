// The live meeting's clock: server time (corrected for the skew between this
// machine's clock and the server's), one shared ticker for every running
// timer on the page, and duration formatting.

let skew = 0; // serverTime − Date.now(), in ms

/** Now, on the server's clock (ms since the epoch). */
export function serverNow() { return Date.now() + skew; }

export function getSkew() { return skew; }

/** Takes the skew from a result's serverTime that was produced between sentAt and receivedAt. */
export function skewFrom(serverTime, sentAt, receivedAt = Date.now()) {
  const st = Date.parse(serverTime || "");
  if (Number.isNaN(st)) return skew;
  const local = sentAt === undefined ? receivedAt : (sentAt + receivedAt) / 2;
  skew = st - local;
  return skew;
}

/**
 * Measures the skew with a ping (its result carries serverTime), taking the
 * middle of the round trip as the moment the server stamped it.
 */
export async function syncClock(conn) {
  const sentAt = Date.now();
  try {
    const r = await conn.call("ping", {}, { retry: false });
    if (r && r.serverTime) skewFrom(r.serverTime, sentAt, Date.now());
  } catch { /* keep the last skew */ }
  return skew;
}

/** Whole seconds from an RFC 3339 instant until now (server clock); never negative. */
export function secondsSince(iso) {
  const t = Date.parse(iso || "");
  if (Number.isNaN(t)) return 0;
  return Math.max(0, Math.floor((serverNow() - t) / 1000));
}

/** 75 → "01:15", 3725 → "1:02:05"; negative values get a leading "−". */
export function formatClock(seconds) {
  const neg = seconds < 0;
  let s = Math.abs(Math.trunc(seconds));
  const hours = Math.floor(s / 3600);
  s -= hours * 3600;
  const m = Math.floor(s / 60);
  const sec = s - m * 60;
  const two = (n) => String(n).padStart(2, "0");
  const body = hours ? `${hours}:${two(m)}:${two(sec)}` : `${two(m)}:${two(sec)}`;
  return (neg ? "−" : "") + body;
}

// ---------- one ticker for the page ----------

const tickers = new Set();
let interval = null;

/** Calls fn about four times a second until the returned function is called. */
export function onTick(fn) {
  tickers.add(fn);
  if (!interval) interval = setInterval(tick, 250);
  try { fn(); } catch (e) { console.error(e); }
  return () => {
    tickers.delete(fn);
    if (!tickers.size && interval) { clearInterval(interval); interval = null; }
  };
}

function tick() {
  for (const fn of tickers) {
    try { fn(); } catch (e) { console.error(e); }
  }
}
