"""What every browser test module shares: the server under test, headless
Chromium, the checks and their report, setup over a WebSocket from the page,
and one teardown (Session).

    def main():
        with Session("roadshow-x-") as s:
            s.server.start()
            a = s.driver("zh-CN")
            s.run.check("…", fn, a)
        return s.result()

    if __name__ == "__main__":
        run_module(main)

Session's teardown quits every browser it made (or was given with track()),
stops the server, prints the server log's tail when something failed, and
removes the work directory unless ROADSHOW_SHOTS is set or something failed.
An exception that escapes the `with` block counts as one failure ("FAIL
setup") and does not stop the other modules.

Environment: ROADSHOW_BIN (server binary, default .build/debug/roadshow),
ROADSHOW_SHOTS (keep screenshots there), CHROMIUM, CHROMEDRIVER.
"""
import base64
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import traceback
import urllib.request

from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
WEB = os.path.join(REPO, "web")
ADMIN_TOKEN = "rs_a_browsertestadmintoken0000000000000"
WAIT = 15


# ---------------------------------------------------------------------------
# The server under test

def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, workdir, extra_args=()):
        self.extra_args = list(extra_args)
        self.bin = os.environ.get("ROADSHOW_BIN") or os.path.join(REPO, ".build", "debug", "roadshow")
        if not os.path.isabs(self.bin):
            self.bin = os.path.join(REPO, self.bin)
        self.port = free_port()
        self.db = os.path.join(workdir, "rs.sqlite")
        self.log_path = os.path.join(workdir, "server.log")
        self.proc = None
        self.url = "http://127.0.0.1:%d" % self.port

    def start(self):
        if not os.path.exists(self.bin):
            raise RuntimeError("server binary not found: %s (run `swift build`, or set ROADSHOW_BIN)" % self.bin)
        env = dict(os.environ, ROADSHOW_ADMIN_TOKEN=ADMIN_TOKEN)
        self.log = open(self.log_path, "ab")
        self.proc = subprocess.Popen(
            # "{port}" in an extra argument is this server's port (e.g. an --allow-origin).
            [self.bin, "serve", "--port", str(self.port), "--db", self.db, "--web", WEB]
            + [a.replace("{port}", str(self.port)) for a in self.extra_args],
            stdout=self.log, stderr=subprocess.STDOUT, env=env, cwd=REPO)
        deadline = time.time() + 60
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("server exited with %s; log:\n%s" % (self.proc.returncode, self.tail()))
            try:
                with urllib.request.urlopen(self.url + "/", timeout=2) as r:
                    if r.status == 200:
                        return
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError("server did not answer on %s within 60 s; log:\n%s" % (self.url, self.tail()))

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None

    def tail(self, n=4000):
        try:
            with open(self.log_path, "rb") as f:
                return f.read()[-n:].decode("utf-8", "replace")
        except OSError:
            return ""

    def get_json(self, path):
        with urllib.request.urlopen(self.url + path, timeout=10) as r:
            return json.loads(r.read().decode("utf-8"))


# ---------------------------------------------------------------------------
# Browsers

# Every page a test browser opens notes the op of each request it sends over a
# WebSocket (sessionStorage, so it survives reloads): the ops check compares
# them with the server's GET /api/ops. The tests' own setup sockets (RPC_JS)
# mark themselves and are left out.
RECORD_OPS_JS = r"""
(() => {
  const send = WebSocket.prototype.send;
  WebSocket.prototype.send = function (data) {
    try {
      if (!this.__testRpc && typeof data === "string") {
        const op = JSON.parse(data).op;
        if (typeof op === "string") {
          const seen = JSON.parse(sessionStorage.getItem("roadshow.test.ops") || "[]");
          if (!seen.includes(op)) { seen.push(op); sessionStorage.setItem("roadshow.test.ops", JSON.stringify(seen)); }
        }
      }
    } catch (e) { /* not JSON, or no storage */ }
    return send.call(this, data);
  };
})();
"""


def make_driver(lang="zh-CN", fake_ui=True, extra=()):
    """Headless Chromium with fake media devices; fake_ui=False leaves permission prompts to the test."""
    opts = webdriver.ChromeOptions()
    opts.binary_location = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    args = ["--headless=new", "--no-sandbox", "--use-fake-device-for-media-stream", "--window-size=1280,900",
            "--disable-gpu", "--disable-dev-shm-usage", "--lang=" + lang]
    if fake_ui:
        args.append("--use-fake-ui-for-media-stream")
    for a in args + list(extra):
        opts.add_argument(a)
    opts.add_experimental_option("prefs", {"intl.accept_languages": lang})
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    service = Service(os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver"))
    d = webdriver.Chrome(options=opts, service=service)
    d.set_page_load_timeout(30)
    d.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": RECORD_OPS_JS})
    return d


def ops_sent(d):
    """The ops this browser's pages sent (on the origin it is on now)."""
    try:
        return js(d, "return JSON.parse(sessionStorage.getItem('roadshow.test.ops') || '[]')") or []
    except Exception:  # noqa: BLE001 — a page that cannot run scripts sent nothing we can see
        return []


def quit_driver(d):
    try:
        d.quit()
    except Exception:  # noqa: BLE001
        pass


# ---------------------------------------------------------------------------
# Checks and their report

class Run:
    def __init__(self, shots):
        self.passed = 0
        self.failed = 0
        self.shots = shots
        self.aborted = False

    def check(self, name, fn, *drivers):
        if self.aborted:
            print("FAIL %s (not run: an earlier step failed)" % name, flush=True)
            self.failed += 1
            return False
        t0 = time.time()
        try:
            fn()
            print("ok   %s (%.1fs)" % (name, time.time() - t0), flush=True)
            self.passed += 1
            return True
        except Exception as e:  # noqa: BLE001 — report every failure the same way
            print("FAIL %s: %s" % (name, e), flush=True)
            traceback.print_exc()
            for i, d in enumerate(drivers):
                try:
                    shot(d, self.shots, "FAIL-%s-%d" % (name.replace(" ", "_")[:40], i))
                    print("     url: %s" % d.current_url)
                    for entry in d.get_log("browser")[-10:]:
                        print("     console:", entry.get("level"), entry.get("message")[:300])
                except Exception:  # noqa: BLE001
                    pass
            self.failed += 1
            return False

    def step(self, name, fn, *drivers):
        """A step the rest depends on: a failure stops the remaining steps."""
        if not self.check(name, fn, *drivers):
            self.aborted = True


class Session:
    """One test module's work directory, server, browsers, report and teardown."""

    def __init__(self, prefix, server=True, server_args=()):
        self.work = tempfile.mkdtemp(prefix=prefix)
        self.shots = os.environ.get("ROADSHOW_SHOTS") or os.path.join(self.work, "shots")
        os.makedirs(self.shots, exist_ok=True)
        self.server = Server(self.work, extra_args=server_args) if server else None
        self.run = Run(self.shots)
        self.drivers = []
        self.cleanups = []
        if server:
            print("screenshots: %s" % self.shots, flush=True)

    def driver(self, lang="zh-CN", **kw):
        """A new browser, quit at teardown."""
        return self.track(make_driver(lang, **kw))

    def track(self, d):
        self.drivers.append(d)
        return d

    def forget(self, d):
        """A browser the test quit itself."""
        if d in self.drivers:
            self.drivers.remove(d)

    def on_close(self, fn):
        self.cleanups.append(fn)

    def result(self):
        return self.run.passed, self.run.failed

    def __enter__(self):
        return self

    def __exit__(self, kind, err, tb):
        if err is not None:
            print("FAIL setup: %s" % err, flush=True)
            traceback.print_exception(kind, err, tb)
            self.run.failed += 1
        for d in self.drivers:
            quit_driver(d)
        self.drivers = []
        for fn in self.cleanups:
            try:
                fn()
            except Exception:  # noqa: BLE001
                traceback.print_exc()
        if self.server:
            self.server.stop()
            if self.run.failed:
                print("server log (tail):\n" + self.server.tail())
        if not os.environ.get("ROADSHOW_SHOTS") and not self.run.failed:
            # keep screenshots only when asked for, or when something failed
            shutil.rmtree(self.work, ignore_errors=True)
        return True  # counted above; the other modules still run

    # --- checks every module with a server and a page runs last ---

    def check_console(self, *drivers, ignore=("WebSocket",)):
        """No SEVERE console message in these browsers (apart from the ignored kinds)."""
        def console_clean():
            bad = []
            for d in drivers:
                if d is None:
                    continue
                for e in d.get_log("browser"):
                    msg = e.get("message", "")
                    if e.get("level") == "SEVERE" and not any(x in msg for x in ignore):
                        bad.append(msg[:300])
            assert not bad, "console errors: %s" % bad
        self.run.check("no errors in the browser console", console_clean, *drivers)

    def check_ops(self, *drivers):
        """Every op the page sent during this module is one the server's GET /api/ops lists."""
        def page_ops_known():
            listed = {o["op"] for o in self.server.get_json("/api/ops")["ops"]}
            sent = set()
            for d in drivers:
                if d is not None:
                    sent.update(ops_sent(d))
            assert sent, "the page sent no op at all (is the recorder installed?)"
            unknown = sorted(sent - listed)
            assert not unknown, "the page sent ops the server does not list in /api/ops: %s" % unknown
        self.run.check("every op the page sent is one the server lists in GET /api/ops", page_ops_known, *drivers)


def run_module(main):
    """The `if __name__ == "__main__"` of a test module."""
    passed, failed = main()
    print("%d passed, %d failed" % (passed, failed), flush=True)
    sys.exit(1 if failed else 0)


# ---------------------------------------------------------------------------
# Op names in the page's source

# A call of an op with a string literal: conn.call("x.y", …), this.call(…),
# act(btn, conn, "x.y", …), and the auth frame the connection writes itself.
OP_LITERAL = re.compile(r"""\.call(?:All)?\(\s*"([a-z]+(?:\.[a-z_]+)?)"|\bact\([^,()]+,[^,()]+,\s*"([a-z]+(?:\.[a-z_]+)?)"|\bop:\s*"([a-z]+(?:\.[a-z_]+)?)\"""")


def page_op_literals():
    """{op: [file, …]} for every op named as a literal in a call in web/*.js."""
    out = {}
    for name in sorted(os.listdir(WEB)):
        if not name.endswith(".js"):
            continue
        with open(os.path.join(WEB, name), encoding="utf-8") as f:
            text = f.read()
        for m in OP_LITERAL.finditer(text):
            op = next(g for g in m.groups() if g)
            out.setdefault(op, []).append(name)
    return out


# ---------------------------------------------------------------------------
# Setup over a WebSocket opened in the page (same origin; no extra package)

# A list of ops over a fresh WebSocket, in order, as the page itself would speak them.
RPC_JS = """
const token = arguments[0], calls = arguments[1], done = arguments[arguments.length - 1];
const ws = new WebSocket((location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/ws', 'roadshow.v1');
ws.__testRpc = true;
const out = []; let i = 0;
const next = () => {
  if (i >= calls.length) { ws.close(); done(out); return; }
  const [op, args] = calls[i];
  ws.send(JSON.stringify({ id: 'c' + (i++), op, args }));
};
ws.onopen = () => ws.send(JSON.stringify({ id: 'auth', op: 'auth', args: { token } }));
ws.onmessage = (e) => {
  const m = JSON.parse(e.data);
  if (m.event) return;
  if (m.re === 'auth') { if (!m.ok) { ws.close(); done([m]); return; } next(); return; }
  out.push(m); next();
};
ws.onerror = () => done([{ ok: false, error: { code: 'network', message: 'websocket error' } }]);
"""


def js_async(d, script, *args):
    return d.execute_async_script(script, *args)


def rpc(d, token, *calls):
    """Runs ops over a WebSocket from the page's origin; returns the results, raising on the first error."""
    d.set_script_timeout(20)
    replies = js_async(d, RPC_JS, token, [list(c) for c in calls])
    results = []
    for (op, _), r in zip(calls, replies):
        if not r.get("ok"):
            raise AssertionError("%s failed: %s" % (op, r.get("error")))
        results.append(r.get("result") or {})
    if len(replies) < len(calls):
        raise AssertionError("rpc stopped early: %s" % replies)
    return results


def rpc_raw(d, token, op, args):
    """One op; returns the whole reply ({ok, result} or {ok: false, error})."""
    d.set_script_timeout(20)
    return js_async(d, RPC_JS, token, [[op, args]])[0]


# ---------------------------------------------------------------------------
# Page helpers

def shot(d, folder, name, full=True):
    path = os.path.join(folder, name + ".png")
    if full:
        try:
            js(d, "window.scrollTo(0, 0)")
            data = d.execute_cdp_cmd("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True})["data"]
            with open(path, "wb") as f:
                f.write(base64.b64decode(data))
            return path
        except Exception:  # noqa: BLE001
            pass
    d.save_screenshot(path)
    return path


def wait(d, cond, timeout=WAIT, msg=""):
    # The page re-renders parts of itself on live events: retry on stale elements.
    return WebDriverWait(d, timeout, ignored_exceptions=(StaleElementReferenceException,)).until(cond, msg)


def css(d, sel):
    return d.find_element(By.CSS_SELECTOR, sel)


def visible(d, sel, timeout=WAIT):
    return wait(d, EC.visibility_of_element_located((By.CSS_SELECTOR, sel)), timeout, "not visible: " + sel)


def fill(d, sel, text):
    el = visible(d, sel)
    el.clear()
    el.send_keys(text)
    return el


def fill_fields(d, form, values):
    """Types each value into the form's input with that data-field."""
    for name, text in values.items():
        fill(d, "%s [data-field='%s']" % (form, name), text)


def js(d, script, *args):
    return d.execute_script(script, *args)


def set_value(d, sel, value):
    """Sets an input's value the way a user's edit would (for datetime-local)."""
    js(d, "const el=document.querySelector(arguments[0]); el.value=arguments[1];"
          "el.dispatchEvent(new Event('input',{bubbles:true})); el.dispatchEvent(new Event('change',{bubbles:true}));",
       sel, value)


def click(d, el):
    """Scrolls the element to the middle (clear of the sticky header), then clicks it."""
    if isinstance(el, str):
        el = visible(d, el)
    js(d, "arguments[0].scrollIntoView({block: 'center', inline: 'nearest'})", el)
    el.click()
    return el


def overflow(d, name):
    """None when nothing sticks out sideways, else what does (the page's widest offenders)."""
    sw, iw, cw = js(d, "return [document.scrollingElement.scrollWidth, window.innerWidth, document.documentElement.clientWidth]")
    if sw <= iw and sw <= cw:
        return None
    wide = js(d, """
        const out = [];
        for (const el of document.querySelectorAll('body *')) {
          const r = el.getBoundingClientRect();
          if (r.right > document.documentElement.clientWidth + 0.5 && r.width > 0)
            out.push((el.id ? '#' + el.id : el.tagName.toLowerCase() + '.' + el.className) + ' right=' + Math.round(r.right));
        }
        return out.slice(0, 5);""")
    return "%s: scrollWidth %d > innerWidth %d / clientWidth %d (%s)" % (name, sw, iw, cw, ", ".join(wide))


def element_shot(d, sel, folder, name, height=None):
    """Screenshots of one element, all of it (beyond the viewport); with height, in slices of that many px."""
    r = js(d, "const r = document.querySelector(arguments[0]).getBoundingClientRect();"
              "return [r.left + scrollX, r.top + scrollY, r.width, r.height]", sel)
    x, y, w, h = r
    step = height or max(1, h)
    top, i = y, 0
    while True:
        data = d.execute_cdp_cmd("Page.captureScreenshot", {
            "format": "png", "captureBeyondViewport": True,
            "clip": {"x": x, "y": top, "width": max(1, w), "height": max(1, min(step, y + h - top)), "scale": 1}})["data"]
        path = os.path.join(folder, (name if height is None else "%s-%d" % (name, i)) + ".png")
        with open(path, "wb") as f:
            f.write(base64.b64decode(data))
        top += step
        i += 1
        if height is None or top >= y + h:
            return
