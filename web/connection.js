// The WebSocket to the server: auth as the first request, one promise per call,
// automatic reconnect with backoff, resuming every subscription from its last
// seen seq, and retrying unacknowledged calls (mutating ones keep their
// args.requestKey, so the server applies each at most once). Which ops mutate
// is the server's word: GET /api/ops (catalogue.js), fetched before the first
// socket opens.
import { loadCatalogue, catalogueLoaded, isWrite } from "./catalogue.js";

const PROTOCOL = "roadshow.v1";

const BACKOFF_MS = [300, 1000, 2000, 4000, 8000, 15000];
const PING_EVERY_MS = 20000;
const PING_TIMEOUT_MS = 10000;

export class ServerError extends Error {
  constructor(error) {
    super(error && error.message ? error.message : "error");
    this.code = (error && error.code) || "internal";
    this.field = error && error.field;
    this.details = error && error.details;
    // The error in the reader's language and every faulty field at once
    // (docs/protocol.md, Errors): dom.js errorText / showError read these.
    this.reason = error && error.reason;
    this.params = error && error.params;
    this.text = error && error.text;
    this.errors = error && Array.isArray(error.errors) ? error.errors : undefined;
  }
}

export function requestKey() {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return "k" + Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

export function wsURL() {
  const scheme = location.protocol === "https:" ? "wss:" : "ws:";
  return `${scheme}//${location.host}/ws`;
}

/**
 * Events dispatched (EventTarget): "status" {state: connecting|open|down|closed, everOpen},
 * "ready" {actor, result} after every successful auth, "authfailed" {error}.
 */
export class Connection extends EventTarget {
  constructor(token, { url = wsURL(), opsUrl = "/api/ops" } = {}) {
    super();
    this.token = token;
    this.url = url;
    this.opsUrl = opsUrl;
    this.ws = null;
    this.state = "idle";
    this.everOpen = false;
    this.nextId = 1;
    this.pending = new Map(); // id -> {op, args, resolve, reject, retry}
    this.subs = new Map(); // stream -> {stream, lastSeq, buffer, handlers, active}
    this.attempt = 0;
    this.retryTimer = null;
    this.pingTimer = null;
    this.closedByUs = false;
    this.authResult = null;
    this._onOnline = () => { if (this.state === "down") this._reconnectNow(); };
    window.addEventListener("online", this._onOnline);
  }

  /** Opens the socket; resolves with the auth result, rejects with the auth error. */
  start() {
    this._firstAuth = new Promise((resolve, reject) => { this._resolveFirst = resolve; this._rejectFirst = reject; });
    this._open();
    return this._firstAuth;
  }

  close() {
    this.closedByUs = true;
    clearTimeout(this.retryTimer);
    clearInterval(this.pingTimer);
    window.removeEventListener("online", this._onOnline);
    if (this.ws) { try { this.ws.close(1000, "bye"); } catch { /* ignore */ } }
    this._failAll(new ServerError({ code: "unauthenticated", message: "signed out" }), () => true);
    this.subs.clear();
    this._setState("closed");
  }

  /**
   * Calls an op; resolves with its result, rejects with a ServerError. While the
   * connection is down the call waits and is sent (again) after reconnecting.
   */
  call(op, args = {}, { retry = true } = {}) {
    const a = { ...args };
    return new Promise((resolve, reject) => {
      const id = "c" + this.nextId++;
      const entry = { op, args: a, resolve, reject, retry };
      this.pending.set(id, entry);
      if (this.state === "open") this._send(id, entry);
    });
  }

  /**
   * A paged list op (meeting.list, dispatch.list) with every page: follows
   * `next` and resolves with the last page's result holding all pages' rows
   * under `rows`.
   */
  async callAll(op, args = {}, rows) {
    let all = [];
    let a = { ...args };
    for (;;) {
      const r = await this.call(op, a);
      all = all.concat(r[rows] || []);
      if (!r.next) return { ...r, [rows]: all };
      a = { ...args, cursor: r.next };
    }
  }

  /**
   * Subscribes to a stream. handlers: onSnapshot(snapshot, seq), onEvent(event),
   * onError(ServerError). Survives reconnects: resumes with `since`.
   */
  subscribe(stream, handlers) {
    const sub = { stream, lastSeq: null, buffer: [], handlers, active: true, inFlight: false };
    this.subs.set(stream, sub);
    if (this.state === "open") this._subscribe(sub);
    return () => {
      sub.active = false;
      if (this.subs.get(stream) === sub) this.subs.delete(stream);
      if (this.state === "open") this.call("stream.unsubscribe", { stream }, { retry: false }).catch(() => {});
    };
  }

  // --- internals ---

  _setState(state) {
    if (this.state === state) return;
    this.state = state;
    this.dispatchEvent(new CustomEvent("status", { detail: { state, everOpen: this.everOpen } }));
  }

  _open() {
    clearTimeout(this.retryTimer);
    this._setState(this.everOpen ? "down" : "connecting");
    if (!catalogueLoaded()) {
      // Which ops mutate comes from the server: ask it first (a failure counts as a failed connect).
      if (this._loadingOps) return;
      this._loadingOps = true;
      loadCatalogue(this.opsUrl).then(
        () => { this._loadingOps = false; if (!this.closedByUs) this._open(); },
        () => { this._loadingOps = false; this._scheduleReconnect(); });
      return;
    }
    let ws;
    try { ws = new WebSocket(this.url, PROTOCOL); } catch { this._scheduleReconnect(); return; }
    this.ws = ws;
    ws.onopen = () => {
      if (ws !== this.ws) return;
      this._raw({ id: "auth" + this.nextId++, op: "auth", args: { token: this.token } }, true);
    };
    ws.onmessage = (e) => { if (ws === this.ws) this._receive(e.data); };
    ws.onclose = () => { if (ws === this.ws) this._lost(); };
    ws.onerror = () => { /* onclose follows */ };
  }

  _raw(obj, isAuth = false) {
    if (isAuth) this._authId = obj.id;
    try { this.ws.send(JSON.stringify(obj)); } catch { /* the close handler retries */ }
  }

  _send(id, entry) {
    // A mutating op carries one requestKey, the same on every retry.
    if (entry.args.requestKey === undefined && isWrite(entry.op)) entry.args.requestKey = requestKey();
    entry.sent = true;
    this._raw({ id, op: entry.op, args: entry.args });
  }

  _receive(text) {
    let msg;
    try { msg = JSON.parse(text); } catch { return; }
    this._lastHeard = Date.now();
    if (msg.event) { this._event(msg); return; }
    if (msg.re === this._authId && this._authId) { this._authReply(msg); return; }
    const entry = this.pending.get(msg.re);
    if (!entry) return;
    this.pending.delete(msg.re);
    if (msg.ok) entry.resolve(msg.result || {});
    else entry.reject(new ServerError(msg.error));
  }

  _authReply(msg) {
    this._authId = null;
    if (!msg.ok) {
      const err = new ServerError(msg.error);
      if (err.code === "unauthenticated" || err.code === "forbidden" || err.code === "bad_request") {
        this.closedByUs = true;
        try { this.ws.close(1000, "auth failed"); } catch { /* ignore */ }
        this._failAll(err, () => true);
        this._setState("closed");
        if (this._rejectFirst) { this._rejectFirst(err); this._rejectFirst = this._resolveFirst = null; }
        this.dispatchEvent(new CustomEvent("authfailed", { detail: { error: err } }));
        return;
      }
      // rate_limited / internal: try again later.
      try { this.ws.close(); } catch { /* ignore */ }
      return;
    }
    this.attempt = 0;
    this.everOpen = true;
    this.authResult = msg.result;
    this._setState("open");
    this._startPing();
    if (this._resolveFirst) { this._resolveFirst(msg.result); this._resolveFirst = this._rejectFirst = null; }
    this.dispatchEvent(new CustomEvent("ready", { detail: { actor: msg.result.actor, result: msg.result } }));
    for (const sub of this.subs.values()) this._subscribe(sub);
    // The calls that waited (the resubscribes just made were sent already: a
    // second resume of a stream still being read from the database is refused).
    for (const [id, entry] of this.pending) if (!entry.sent) this._send(id, entry);
  }

  _subscribe(sub) {
    if (!sub.active) return;
    sub.inFlight = true;
    const resume = sub.lastSeq !== null;
    const args = resume ? { stream: sub.stream, since: sub.lastSeq } : { stream: sub.stream };
    this.call("stream.subscribe", args, { retry: false }).then((result) => {
      sub.inFlight = false;
      if (!sub.active) return;
      if (!resume || result.snapshot) {
        sub.lastSeq = result.seq ?? 0;
        sub.handlers.onSnapshot?.(result.snapshot, sub.lastSeq);
        const buffered = sub.buffer.sort((a, b) => a.seq - b.seq);
        sub.buffer = [];
        for (const ev of buffered) this._deliver(sub, ev);
      }
    }, (err) => {
      sub.inFlight = false;
      if (!sub.active || err.code === "network") return; // resubscribed after reconnect
      // Another resume of this stream is on its way on this connection, or ours was
      // ended by an unsubscribe (a gap): its events still count; nothing to redo here.
      if (resume && err.code === "conflict" && err.field === "args.stream") return;
      if (resume && (err.code === "conflict" || err.code === "bad_request")) {
        // The server cannot resume from our seq (e.g. restored from a backup): start fresh.
        sub.lastSeq = null;
        sub.buffer = [];
        this._subscribe(sub);
        return;
      }
      sub.handlers.onError?.(err);
    });
  }

  _event(ev) {
    const sub = this.subs.get(ev.stream);
    if (!sub || !sub.active) return;
    if (sub.lastSeq === null) { sub.buffer.push(ev); return; }
    this._deliver(sub, ev);
  }

  _deliver(sub, ev) {
    if (typeof ev.seq !== "number" || ev.seq <= sub.lastSeq) return; // duplicate
    if (ev.seq > sub.lastSeq + 1) {
      // A gap should not happen; fetch a fresh snapshot rather than guess.
      console.warn(`roadshow: gap in ${sub.stream}: had ${sub.lastSeq}, got ${ev.seq}; resubscribing`);
      sub.lastSeq = null;
      sub.buffer = [ev];
      this.call("stream.unsubscribe", { stream: sub.stream }, { retry: false }).catch(() => {})
        .finally(() => this._subscribe(sub));
      return;
    }
    sub.lastSeq = ev.seq;
    try { sub.handlers.onEvent?.(ev); } catch (e) { console.error(e); }
  }

  _failAll(err, which) {
    for (const [id, entry] of this.pending) {
      if (which(entry)) { this.pending.delete(id); entry.reject(err); }
    }
  }

  _lost() {
    clearInterval(this.pingTimer);
    this.ws = null;
    this._authId = null;
    if (this.closedByUs) return;
    // Calls that are not retried (subscribe/unsubscribe) are redone on reconnect.
    this._failAll(new ServerError({ code: "network", message: "" }), (e) => !e.retry);
    for (const entry of this.pending.values()) entry.sent = false;
    for (const sub of this.subs.values()) sub.inFlight = false;
    this._setState(this.everOpen ? "down" : "connecting");
    this._scheduleReconnect();
  }

  _scheduleReconnect() {
    if (this.closedByUs) return;
    const base = BACKOFF_MS[Math.min(this.attempt, BACKOFF_MS.length - 1)];
    this.attempt++;
    const delay = base / 2 + Math.random() * base;
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => this._open(), delay);
  }

  _reconnectNow() {
    clearTimeout(this.retryTimer);
    this.attempt = 0;
    if (!this.ws) this._open();
  }

  _startPing() {
    clearInterval(this.pingTimer);
    this._lastHeard = Date.now();
    this.pingTimer = setInterval(() => {
      if (this.state !== "open" || !this.ws) return;
      if (Date.now() - this._lastHeard > PING_EVERY_MS + PING_TIMEOUT_MS) {
        // Nothing heard, not even the last ping's reply: the link is dead.
        try { this.ws.close(); } catch { /* ignore */ }
        this._lost();
        return;
      }
      this.call("ping", {}, { retry: false }).catch(() => {});
    }, PING_EVERY_MS);
  }
}
