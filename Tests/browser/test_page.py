#!/usr/bin/python3
"""End-to-end test of the browser page against the real server.

Runs with Debian's python3 and python3-selenium, chromium and chromium-driver:

    /usr/bin/python3 Tests/browser/test_page.py

Environment:
    ROADSHOW_BIN        server binary (default .build/debug/roadshow); it is run as
                        `$ROADSHOW_BIN serve --port P --db DIR/rs.sqlite --web REPO/web`
    ROADSHOW_SHOTS      directory for screenshots (default: a new temp dir, printed)
    CHROMIUM, CHROMEDRIVER  paths (default /usr/bin/chromium, /usr/bin/chromedriver)

Prints one line per check and closes with `N passed, N failed`; exits non-zero
when anything failed. Tests/browser/run.py runs this and every other
Tests/browser/test_*.py module the same way and adds up the counts.
"""
import base64
import json
import os
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
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
ADMIN_TOKEN = "rs_a_browsertestadmintoken0000000000000"
WAIT = 15


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
            [self.bin, "serve", "--port", str(self.port), "--db", self.db, "--web", os.path.join(REPO, "web")] + self.extra_args,
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


def make_driver(lang="zh-CN"):
    opts = webdriver.ChromeOptions()
    opts.binary_location = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    for a in ("--headless=new", "--no-sandbox", "--use-fake-device-for-media-stream",
              "--use-fake-ui-for-media-stream", "--window-size=1280,900", "--disable-gpu",
              "--disable-dev-shm-usage", "--lang=" + lang):
        opts.add_argument(a)
    opts.add_experimental_option("prefs", {"intl.accept_languages": lang})
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    service = Service(os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver"))
    d = webdriver.Chrome(options=opts, service=service)
    d.set_page_load_timeout(30)
    return d


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


def main():
    work = tempfile.mkdtemp(prefix="roadshow-browser-")
    shots = os.environ.get("ROADSHOW_SHOTS") or os.path.join(work, "shots")
    os.makedirs(shots, exist_ok=True)
    print("screenshots: %s" % shots, flush=True)
    server = Server(work)
    run = Run(shots)
    a = b = None
    state = {}
    try:
        server.start()
        base = server.url
        a = make_driver("zh-CN")
        b = make_driver("en-US")

        # ---- admin ----
        def signin_page():
            a.get(base + "/")
            visible(a, "#signin-form")
            assert js(a, "return document.documentElement.lang") == "zh-CN", "default language should follow navigator.language (zh)"
            # An empty submit is caught next to the field.
            click(a, "#signin-submit")
            err = visible(a, "#signin-form .field-error")
            assert err.text.strip(), "an empty token shows an error"
            shot(a, shots, "01-signin")
        run.step("sign-in page loads", signin_page, a)

        def bad_token():
            fill(a, "#signin-form input[name=token]", "rs_o_notarealtoken")
            click(a, "#signin-submit")
            err = visible(a, "#signin-form .field-error")
            wait(a, lambda d: "令牌" in err.text or "token" in err.text.lower(), msg="bad token message")
        run.check("a wrong token is refused with advice", bad_token, a)

        def admin_signin():
            fill(a, "#signin-form input[name=token]", ADMIN_TOKEN)
            click(a, "#signin-submit")
            visible(a, "#account-form")
            assert css(a, "#signout").is_displayed()
            assert js(a, "return localStorage.getItem('roadshow.token')") == ADMIN_TOKEN
        run.step("admin signs in", admin_signin, a)

        def admin_creates_organizer():
            fill(a, "#account-form [data-field=name]", "市投资促进局")
            Select(css(a, "#account-form [data-field=kind]")).select_by_value("organizer")
            click(a, "#account-submit")
            tok = visible(a, "#new-token").get_attribute("value")
            assert tok and len(tok) >= 20, "token shown: %r" % tok
            panel = css(a, ".token-panel").text
            assert "不会再次显示" in panel, "the once-only warning is shown"
            assert css(a, "#copy-token").is_displayed()
            wait(a, lambda d: "市投资促进局" in css(d, "#account-list").text, msg="account listed")
            state["organizer_token"] = tok
            shot(a, shots, "02-admin-token")
        run.step("admin creates an organizer account and sees its token once", admin_creates_organizer, a)

        def admin_creates_unit():
            click(a, "#token-done")
            fill(a, "#account-form [data-field=name]", "经济技术开发区")
            Select(css(a, "#account-form [data-field=kind]")).select_by_value("unit")
            click(a, "#account-submit")
            state["unit_token"] = visible(a, "#new-token").get_attribute("value")
            wait(a, lambda d: len(d.find_elements(By.CSS_SELECTOR, "#account-list .account-row")) >= 2, msg="two accounts listed")
        run.check("admin creates a unit account; both are listed", admin_creates_unit, a)

        def admin_reissues_token():
            click(a, "#token-done")
            row = wait(a, lambda d: next((r for r in d.find_elements(By.CSS_SELECTOR, "#account-list .account-row")
                                          if "经济技术开发区" in r.text), None), msg="unit row")
            row.find_element(By.CSS_SELECTOR, "[data-test=reissue]").click()
            dlg = visible(a, "dialog[open]")
            assert "旧令牌立即失效" in dlg.text, "the dialog says the old token stops working: %r" % dlg.text
            dlg.find_element(By.CSS_SELECTOR, "[data-test=dialog-ok]").click()
            tok = visible(a, "#new-token").get_attribute("value")
            assert tok and tok.startswith("rs_u_") and tok != state.get("unit_token"), "a new unit token is shown: %r" % tok
            assert "经济技术开发区" in css(a, ".token-panel").text
            shot(a, shots, "02b-admin-new-token")
            # The list keeps the account's name and kind after the token_reissued event.
            wait(a, lambda d: sum(1 for r in d.find_elements(By.CSS_SELECTOR, "#account-list .account-row")
                                  if "经济技术开发区" in r.text) == 1, msg="unit row still named")
            assert all(r.find_element(By.CSS_SELECTOR, ".row-title").text.strip()
                       for r in a.find_elements(By.CSS_SELECTOR, "#account-list .account-row")), "every row keeps its name"
            # The admin account itself has no such button.
            admin_rows = [r for r in a.find_elements(By.CSS_SELECTOR, "#account-list .account-row") if "A-ADMIN" in r.text]
            assert all(not r.find_elements(By.CSS_SELECTOR, "[data-test=reissue]") for r in admin_rows)
            click(a, "#token-done")
        run.check("admin gives a unit account a new token after a confirmation", admin_reissues_token, a)

        # ---- organizer ----
        def organizer_signin():
            click(a, "#signout")
            visible(a, "#signin-form")
            assert js(a, "return localStorage.getItem('roadshow.token')") is None, "sign-out forgets the token"
            fill(a, "#signin-form input[name=token]", state["organizer_token"])
            click(a, "#signin-submit")
            visible(a, "#meeting-list")
            visible(a, "#meeting-form")  # opens by itself while there are no meetings
        run.step("organizer signs in and sees an empty meeting list", organizer_signin, a)

        def client_side_error():
            css(a, "#meeting-form [data-field=title]").clear()
            click(a, "#meeting-submit")
            title = css(a, "#meeting-form [data-field=title]")
            wait(a, lambda d: title.get_attribute("aria-invalid") == "true", msg="title marked invalid")
            err = css(a, "#" + title.get_attribute("id") + "-err")
            assert err.is_displayed() and err.text, "error text next to the title"
        run.check("a missing title is shown next to the title field", client_side_error, a)

        def create_meeting():
            fill(a, "#meeting-form [data-field=title]", "新能源电池项目线上路演")
            set_value(a, "#meeting-form [data-field=startsAt]", "2026-12-01T14:00")
            fill_fields(a, "#meeting-form", {
                "durationMinutes": "90", "company.name": "华东新能源科技有限公司", "company.contact": "李明",
                "company.phone": "13800000000", "project.name": "动力电池生产基地"})
            Select(css(a, "#meeting-form [data-field='project.category']")).select_by_value("industrial")
            fill_fields(a, "#meeting-form", {
                "project.industry": "新能源", "project.investment": "12.5", "system.name": "腾讯会议",
                "system.room": "123 456 789", "system.link": "https://meeting.example.com/j/123456789"})
            # A server-side check: a bad phone number comes back with field args.company.phone
            # and is shown under that input.
            fill(a, "#meeting-form [data-field='company.phone']", "call me")
            click(a, "#meeting-submit")
            phone = css(a, "#meeting-form [data-field='company.phone']")
            wait(a, lambda d: phone.get_attribute("aria-invalid") == "true", msg="phone marked invalid by the server")
            err = css(a, "#" + phone.get_attribute("id") + "-err")
            assert err.is_displayed() and "phone" in err.text, "server message under the phone field: %r" % err.text
            assert "修改" in err.text, "says what to do next: %r" % err.text
            shot(a, shots, "03-meeting-form-error")
            fill(a, "#meeting-form [data-field='company.phone']", "13800000000")
            assert not err.is_displayed(), "editing the field clears its error"
            shot(a, shots, "03-meeting-form")
            click(a, "#meeting-submit")
            wait(a, lambda d: "#/m/" in d.current_url, msg="opens the new meeting")
            state["meeting"] = a.current_url.split("#/m/")[1]
            head = visible(a, "#meeting-title")
            assert head.text == "新能源电池项目线上路演"
            wait(a, lambda d: len(d.find_elements(By.CSS_SELECTOR, "#checklist-groups .cl-item")) > 0, msg="default checklist")
            facts = css(a, ".meeting-head").text
            assert "14:00" in facts, "start time shown in China time: %s" % facts
            assert "会议准备" in css(a, ".meeting-head .phase").text
        run.step("organizer creates a meeting and opens it", create_meeting, a)

        def checklist_live():
            js(a, "window.__noReload = 'organizer'")
            label = css(a, "#checklist-progress .progress-label")
            total = int(label.get_attribute("data-total"))
            assert label.get_attribute("data-done") == "0", "nothing done yet"
            click(a, "#checklist-groups .cl-item .cl-check")
            wait(a, lambda d: css(d, "#checklist-progress .progress-label").get_attribute("data-done") == "1", msg="progress 1/N")
            assert css(a, "#checklist-progress .progress-label").text == "1/%d" % total
            # add an item
            fill(a, "#checklist-add [data-field=text]", "提前发送项目路演PPT")
            click(a, "#checklist-add-submit")
            wait(a, lambda d: "提前发送项目路演PPT" in css(d, "#checklist-groups").text, msg="added item shown")
            wait(a, lambda d: css(d, "#checklist-progress .progress-label").get_attribute("data-total") == str(total + 1))
            # untick the first again, then remove the new item
            click(a, "#checklist-groups .cl-item .cl-check")
            wait(a, lambda d: css(d, "#checklist-progress .progress-label").get_attribute("data-done") == "0", msg="untick")
            items = a.find_elements(By.CSS_SELECTOR, "#checklist-groups .cl-item")
            target = [i for i in items if "提前发送项目路演PPT" in i.text][0]
            click(a, target.find_element(By.CSS_SELECTOR, "[data-action=remove-item]"))
            click(a, "dialog [data-test=dialog-ok]")
            wait(a, lambda d: "提前发送项目路演PPT" not in css(d, "#checklist-groups").text, msg="removed")
            click(a, "#checklist-groups .cl-item .cl-check")
            wait(a, lambda d: css(d, "#checklist-progress .progress-label").get_attribute("data-done") == "1")
        run.check("checklist: tick, untick, add, remove, with live progress", checklist_live, a)

        def roster_add():
            click(a, "#roster-add > summary")
            fill(a, "#roster-form [data-field=name]", "张伟")
            fill(a, "#roster-form [data-field=unit]", "市发展改革委")
            Select(css(a, "#roster-form [data-field=role]")).select_by_value("unit")
            fill(a, "#roster-form [data-field=title]", "副主任")
            fill(a, "#roster-form [data-field=phone]", "13900000000")
            click(a, "#roster-submit")
            link = visible(a, "#invite-link").get_attribute("value")
            assert "/#/join/" in link, "invite link: %r" % link
            state["link"] = link
            wait(a, lambda d: "张伟" in css(d, "#roster-list").text, msg="roster row")
            row = css(a, "#roster-list .ro-item")
            assert "参会单位" in row.text, "role label"
            assert row.get_attribute("data-attending") == "unknown"
            shot(a, shots, "04-meeting-organizer")
        run.step("organizer adds a roster entry and gets its invite link", roster_add, a)

        def second_person():
            fill(a, "#roster-form [data-field=name]", "王芳")
            fill(a, "#roster-form [data-field=unit]", "华东新能源科技有限公司")
            Select(css(a, "#roster-form [data-field=role]")).select_by_value("company")
            click(a, "#roster-submit")
            wait(a, lambda d: len(d.find_elements(By.CSS_SELECTOR, "#roster-list .ro-item")) == 2, msg="two rows")
        run.check("organizer adds a second person", second_person, a)

        def duplicate_person():
            fill(a, "#roster-form [data-field=name]", "王芳")
            fill(a, "#roster-form [data-field=unit]", "华东新能源科技有限公司")
            click(a, "#roster-submit")
            name = css(a, "#roster-form [data-field=name]")
            wait(a, lambda d: name.get_attribute("aria-invalid") == "true", msg="name marked by the server's conflict")
            assert css(a, "#" + name.get_attribute("id") + "-err").is_displayed()
            assert len(a.find_elements(By.CSS_SELECTOR, "#roster-list .ro-item")) == 2
            css(a, "#roster-form [data-field=name]").clear()
            css(a, "#roster-form [data-field=unit]").clear()
        run.check("a duplicate roster entry is refused next to the name", duplicate_person, a)

        # ---- participant ----
        def participant_opens_link():
            url = state["link"].replace("http://localhost", base).replace("http://127.0.0.1:%d" % server.port, base)
            b.get(url)
            visible(b, "#meeting-title")
            assert css(b, "#meeting-title").text == "新能源电池项目线上路演"
            visible(b, "#confirm-form")
            assert "张伟" in css(b, ".greet").text
            assert js(b, "return document.documentElement.lang") == "en", "en browser defaults to English"
            assert "Preparing" in css(b, ".meeting-head .phase").text
            assert "张伟" in css(b, "#participant-roster").text and "王芳" in css(b, "#participant-roster").text
            assert css(b, "#overall-progress .progress-label").text.startswith("1/")
            shot(b, shots, "05-participant")
        run.step("participant opens the invite link and sees the meeting", participant_opens_link, b)

        def participant_sees_live_checklist():
            js(b, "window.__noReload = 'participant'")
            items = a.find_elements(By.CSS_SELECTOR, "#checklist-groups .cl-item .cl-check")
            click(a, items[1])
            wait(b, lambda d: css(d, "#overall-progress .progress-label").text.startswith("2/"), msg="participant progress 2/N")
            assert js(b, "return window.__noReload") == "participant"
        run.check("participant sees checklist progress change live", participant_sees_live_checklist, a, b)

        def participant_confirms():
            click(b, "#confirm-form input[value=yes]")
            click(b, "#confirm-form [data-field=clientInstalled]")
            click(b, "#confirm-submit")
            wait(b, lambda d: css(d, "#confirm-status").get_attribute("data-confirmed") == "true", msg="confirmed status")
            shot(b, shots, "06-participant-confirmed")
        run.step("participant confirms attending and client installed", participant_confirms, b)

        def organizer_sees_confirmation():
            def row_state(d):
                for r in d.find_elements(By.CSS_SELECTOR, "#roster-list .ro-item"):
                    if "张伟" in r.text:
                        return r
                return None
            wait(a, lambda d: row_state(d) is not None and row_state(d).get_attribute("data-attending") == "yes",
                 msg="organizer sees attending")
            row = row_state(a)
            marks = [m.get_attribute("data-state") for m in row.find_elements(By.CSS_SELECTOR, ".mark")]
            assert marks == ["yes", "yes", "no"], "attending, client, account: %s" % marks
            assert js(a, "return window.__noReload") == "organizer", "the organizer's page was not reloaded"
            shot(a, shots, "07-organizer-sees-confirmation")
        run.check("organizer sees the confirmation without a reload", organizer_sees_confirmation, a)

        def language_toggle():
            click(b, "#lang-toggle")
            wait(b, lambda d: js(d, "return document.documentElement.lang") == "zh-CN")
            assert "会议准备" in css(b, ".meeting-head .phase").text
            assert js(b, "return localStorage.getItem('roadshow.lang')") == "zh"
            click(b, "#lang-toggle")
            wait(b, lambda d: "Preparing" in css(d, ".meeting-head .phase").text)
            # The organizer's page re-labels in place: checklist texts, roles, marks.
            click(a, "#lang-toggle")
            wait(a, lambda d: "Preparing" in css(d, ".meeting-head .phase").text)
            assert "Attending unit" in css(a, "#roster-list").text
            first = css(a, "#checklist-groups .cl-text").text
            assert first and not any("\u4e00" <= ch <= "\u9fff" for ch in first), \
                "default items show their English text: %r" % first
            shot(a, shots, "07b-organizer-en")
            click(a, "#lang-toggle")
            wait(a, lambda d: "会议准备" in css(d, ".meeting-head .phase").text)
        run.check("language toggle switches labels and is remembered", language_toggle, a, b)

        def relink():
            # Re-issue the link: confirm dialog names the consequence; the old link stops working.
            rows = [r for r in a.find_elements(By.CSS_SELECTOR, "#roster-list .ro-item") if "王芳" in r.text]
            btn = rows[0].find_element(By.CSS_SELECTOR, "[data-action=copy-link], [data-action=new-link]")
            # In this session the link is still known: first a plain copy.
            assert btn.get_attribute("data-action") == "copy-link"
            a.refresh()  # a fresh page no longer knows any link
            visible(a, "#roster-list .ro-item")
            rows = [r for r in a.find_elements(By.CSS_SELECTOR, "#roster-list .ro-item") if "张伟" in r.text]
            btn = rows[0].find_element(By.CSS_SELECTOR, "[data-action=new-link]")
            click(a, btn)
            dlg = visible(a, "dialog")
            assert "失效" in dlg.text, "the confirm says the old link stops working"
            click(a, "dialog [data-test=dialog-ok]")
            new = visible(a, "#invite-link").get_attribute("value")
            assert "/#/join/" in new and new != state["link"], "a new link"
            state["new_link"] = new
            js(a, "window.__noReload = 'organizer'")
            # The participant's open page learns its old link stopped working.
            visible(b, ".signin-card .notice", timeout=20)
            assert js(b, "return localStorage.getItem('roadshow.token')") is None
        run.check("organizer re-issues an invite link; the old one stops working at once", relink, a, b)

        def phone_width():
            problems = []
            b.get(state["new_link"])  # the new link works
            visible(b, "#confirm-form")
            pages = [(a, "organizer-meeting"), (b, "participant")]
            for d, name in pages:
                d.set_window_size(390, 844)
                time.sleep(0.4)
                shot(d, shots, "phone-%s" % name, full=False)
                problems.append(overflow(d, name))
                shot(d, shots, "phone-%s-full" % name)
            a.get(base + "/#/")
            visible(a, "#meeting-list .meeting-card")
            time.sleep(0.3)
            problems.append(overflow(a, "meeting list"))
            shot(a, shots, "phone-organizer-list")
            click(a, "#new-meeting")
            visible(a, "#meeting-form")
            problems.append(overflow(a, "meeting form"))
            shot(a, shots, "phone-organizer-form")
            problems = [p for p in problems if p]
            assert not problems, "; ".join(problems)
            for d in (a, b):
                d.set_window_size(1280, 900)
        run.check("phone width (390px): nothing overflows horizontally", phone_width, a, b)

        def reconnect():
            a.get(base + "/#/m/" + state["meeting"])
            visible(a, "#roster-list .ro-item")
            js(a, "window.__noReload = 'organizer'")
            server.stop()
            banner = visible(a, "#conn-banner", timeout=20)
            assert banner.text.strip(), "the reconnecting banner says so"
            shot(a, shots, "08-reconnecting", full=False)
            # A change made while the server is away waits, and is sent once it is back.
            done_before = int(css(a, "#checklist-progress .progress-label").get_attribute("data-done"))
            boxes = [c for c in a.find_elements(By.CSS_SELECTOR, "#checklist-groups .cl-check") if not c.is_selected()]
            click(a, boxes[0])
            server.start()
            wait(a, lambda d: not css(d, "#conn-banner").is_displayed(), timeout=40, msg="banner hides after reconnect")
            wait(a, lambda d: css(d, "#checklist-progress .progress-label").get_attribute("data-done") == str(done_before + 1),
                 msg="the tick made while offline arrives once")
            time.sleep(0.5)
            assert css(a, "#checklist-progress .progress-label").get_attribute("data-done") == str(done_before + 1)
            # The organizer's page resumed its subscription: a change from elsewhere arrives live.
            b.get(state["new_link"])
            visible(b, "#confirm-form")
            wait(b, lambda d: css(d, "#confirm-status").get_attribute("data-confirmed") == "true", msg="state survived restart")
            click(b, "#confirm-form input[value=no]")
            click(b, "#confirm-submit")
            def attending_no(d):
                for r in d.find_elements(By.CSS_SELECTOR, "#roster-list .ro-item"):
                    if "张伟" in r.text:
                        return r.get_attribute("data-attending") == "no"
                return False
            wait(a, attending_no, timeout=20, msg="organizer sees the change after reconnecting")
            assert js(a, "return window.__noReload") == "organizer"
        run.check("after a server restart the page reconnects, sends what waited, and resumes live updates", reconnect, a, b)

        def dark_and_reduced_motion():
            for d, name in ((a, "organizer"), (b, "participant")):
                d.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": [
                    {"name": "prefers-color-scheme", "value": "dark"},
                    {"name": "prefers-reduced-motion", "value": "reduce"}]})
                time.sleep(0.3)
                bg = js(d, "return getComputedStyle(document.body).backgroundColor")
                assert bg not in ("rgb(255, 255, 255)", "rgb(244, 246, 249)"), "dark scheme: body %s" % bg
                dur = js(d, "const el = document.querySelector('.btn'); return el ? getComputedStyle(el).transitionDuration : '0s'")
                assert all(float(x.strip().rstrip("s")) < 0.01 for x in dur.split(",")), "reduced motion: %s" % dur
                shot(d, shots, "09-dark-%s" % name)
                d.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": []})
        run.check("dark colour scheme and reduced motion are honoured", dark_and_reduced_motion, a, b)

        def console_clean():
            bad = []
            for d in (a, b):
                for e in d.get_log("browser"):
                    msg = e.get("message", "")
                    if e.get("level") == "SEVERE" and "WebSocket" not in msg and "ERR_CONNECTION_REFUSED" not in msg:
                        bad.append(msg[:300])
            assert not bad, "console errors: %s" % bad
        run.check("no errors in the browser console", console_clean, a, b)
    except Exception as e:  # noqa: BLE001
        print("FAIL setup: %s" % e, flush=True)
        traceback.print_exc()
        run.failed += 1
    finally:
        for d in (a, b):
            if d:
                try:
                    d.quit()
                except Exception:  # noqa: BLE001
                    pass
        server.stop()
        if run.failed:
            print("server log (tail):\n" + server.tail())
    if not os.environ.get("ROADSHOW_SHOTS") and not run.failed:
        # keep screenshots only when asked for, or when something failed
        shutil.rmtree(os.path.join(work), ignore_errors=True)
    return run.passed, run.failed


if __name__ == "__main__":
    passed, failed = main()
    print("%d passed, %d failed" % (passed, failed), flush=True)
    sys.exit(1 if failed else 0)
