#!/usr/bin/python3
"""Browser test of the rehearsal (issue 3) against the real server: the
participant's device self-test, the host's AV roster turning ready live, the
denied-permission hint, the phase bar with the go-live gate (blockers dialog,
force with a reason), invitations and the .ics download.

Runs with Debian's python3 and python3-selenium, chromium and chromium-driver:

    /usr/bin/python3 Tests/browser/test_rehearsal.py
    /usr/bin/python3 Tests/browser/run.py test_rehearsal

Headless Chromium with --use-fake-device-for-media-stream (a fake microphone
that beeps at about −30 dBFS, and a fake camera) and
--use-fake-ui-for-media-stream (permission prompts accepted). The denied run
uses a third browser without the fake-ui flag, with the microphone and camera
permissions set to "denied" through the DevTools protocol
(Browser.setPermission).

Same environment as test_page.py (ROADSHOW_BIN, ROADSHOW_SHOTS, CHROMIUM,
CHROMEDRIVER); the shared helpers are in harness.py.
"""
import glob
import os
import sys
import time

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select
from selenium.webdriver.common.keys import Keys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import (  # noqa: E402
    ADMIN_TOKEN, Session, click, css, element_shot, fill, js, make_driver, overflow, rpc, rpc_raw, run_module, shot, visible, wait,
)


def denied_driver(lang="en-US", extra=("--deny-permission-prompts",)):
    """A browser with fake devices but no auto-accepted prompts; permissions are denied via CDP."""
    return make_driver(lang, fake_ui=False, extra=extra)


def allow_downloads(d, folder):
    os.makedirs(folder, exist_ok=True)
    try:
        d.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": folder, "eventsEnabled": False})
    except Exception:  # noqa: BLE001 — older Chromium
        d.execute_cdp_cmd("Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": folder})


def wait_file(folder, pattern, timeout=15):
    deadline = time.time() + timeout
    while time.time() < deadline:
        done = [p for p in glob.glob(os.path.join(folder, pattern)) if not p.endswith(".crdownload")]
        if done:
            return done[0]
        time.sleep(0.2)
    raise AssertionError("no download matching %s in %s: %s" % (pattern, folder, os.listdir(folder)))


def row(d, pid):
    return css(d, ".av-row[data-id='%s']" % pid)


def mark(d, pid, check, result):
    # One control per check (a select), not a button per result.
    sel = css(d, ".av-row[data-id='%s'] .av-check[data-check='%s'] select[data-action=mark]" % (pid, check))
    js(d, "arguments[0].scrollIntoView({block: 'center'})", sel)
    wait(d, lambda x: sel.is_enabled(), msg="select enabled")
    Select(sel).select_by_value(result)
    wait(d, lambda x: css(x, ".av-row[data-id='%s'] .av-check[data-check='%s']" % (pid, check)).get_attribute("data-result") == result,
         msg="%s %s → %s" % (pid, check, result))


def main():
    st = {}
    # The page opened under a plain-http host name (roadshow.test) is allowed as an
    # origin, as a deployment under a name would configure it (the server does not
    # trust the Host header).
    with Session("roadshow-rehearsal-", server_args=("--allow-origin", "http://roadshow.test:{port}")) as s:
        server, run, shots = s.server, s.run, s.shots
        downloads = os.path.join(s.work, "downloads")
        server.start()
        base = server.url
        a = s.driver("zh-CN")  # the organizer (host of the rehearsal)
        b = s.driver("zh-CN")  # a participant with a working (fake) microphone
        c = None
        allow_downloads(a, downloads)
        allow_downloads(b, downloads)

        def setup():
            a.get(base + "/")
            visible(a, "#signin-form")
            [acc] = rpc(a, ADMIN_TOKEN, ("account.create", {"name": "市投资促进局", "kind": "organizer"}))
            st["org"] = acc["token"]
            [m] = rpc(a, st["org"], ("meeting.create", {
                "title": "新能源电池项目线上路演",
                "company": {"name": "华东新能源科技有限公司", "contact": "李明"},
                "project": {"name": "动力电池生产基地", "category": "industrial", "investment": 12.5},
                "startsAt": "2026-12-01T14:00:00+08:00", "durationMinutes": 90,
                "system": {"name": "腾讯会议", "room": "123 456 789", "link": "https://meeting.example.com/j/123456789"}}))
            st["meeting"] = m["meeting"]["id"]
            js(a, "localStorage.setItem('roadshow.token', arguments[0]); localStorage.setItem('roadshow.kind', 'organizer')", st["org"])
            a.get(base + "/#/m/" + st["meeting"])
            visible(a, "#meeting-title")
            visible(a, "#phasebar")
            cur = css(a, "#phase-steps [aria-current=step]")
            assert cur.get_attribute("data-phase") == "preparing", "current phase preparing"
            assert "会议准备" in cur.text
        run.step("organizer's meeting page shows the phase bar at 会议准备", setup, a)

        def add_people():
            click(a, "#roster-add > summary")
            for name, unit, role in (("张伟", "市发展改革委", "unit"), ("王芳", "华东新能源科技有限公司", "company")):
                fill(a, "#roster-form [data-field=name]", name)
                fill(a, "#roster-form [data-field=unit]", unit)
                a.find_element(By.CSS_SELECTOR, "#roster-form [data-field=role] option[value='%s']" % role).click()
                known = [v for k, v in st.items() if k.startswith("link_")]
                click(a, "#roster-submit")
                # Wait for this person's panel (the previous person's may still be showing).
                wait(a, lambda d, n=name: d.find_elements(By.CSS_SELECTOR, "#invite-link")
                     and css(d, "#invite-link").get_attribute("value") not in known
                     and n in css(d, ".invite-panel h3").text, msg="invite link for " + name)
                link = css(a, "#invite-link").get_attribute("value")
                assert "/#/join/" in link, link
                st["link_" + name] = link
                wait(a, lambda d, n=name: n in css(d, "#av-roster").get_attribute("textContent"), msg="AV row for " + name)
            # Before the joint test the AV roster is one click away (a tab).
            click(a, "#tab-av")
            visible(a, "#av-roster")
            people = {r.find_element(By.CSS_SELECTOR, ".ro-name").text: r.get_attribute("data-id")
                      for r in a.find_elements(By.CSS_SELECTOR, ".av-row")}
            st["zhang"], st["wang"] = people["张伟"], people["王芳"]
            # The roster is grouped by unit, with the expected display name.
            units = [g.get_attribute("data-unit") for g in a.find_elements(By.CSS_SELECTOR, ".av-group")]
            assert units == ["市发展改革委", "华东新能源科技有限公司"], units
            assert "张伟-市发展改革委" in row(a, st["zhang"]).text
            count = css(a, "#av-ready-count")
            assert (count.get_attribute("data-ready"), count.get_attribute("data-total")) == ("0", "2"), count.text
            assert row(a, st["zhang"]).get_attribute("data-ready") == "false"
            click(a, "#tab-prep")
        run.step("organizer adds two people; the AV roster lists them by unit, 0 of 2 ready", add_people, a)

        def invitation_after_add():
            # roster.add's result carries the invitation (zh + en, with the personal link).
            panel = css(a, ".invite-panel")
            areas = panel.find_elements(By.CSS_SELECTOR, "textarea.inv-text")
            assert len(areas) == 2, "invitation texts in the invite panel: %d" % len(areas)
            zh = [x for x in areas if x.get_attribute("data-lang") == "zh"][0].get_attribute("value")
            en = [x for x in areas if x.get_attribute("data-lang") == "en"][0].get_attribute("value")
            link = st["link_王芳"].split("#/join/")[1]
            assert link in zh and link in en, "the personal link is in both texts"
            assert "王芳-华东新能源科技有限公司" in zh, "expected display name in the invitation"
            shot(a, shots, "r01-invitation-after-add")
            # Per participant (without the link), from the roster row.
            rows = [r for r in a.find_elements(By.CSS_SELECTOR, "#roster-list .ro-item") if r.get_attribute("data-id") == st["zhang"]]
            click(a, rows[0].find_element(By.CSS_SELECTOR, "[data-action=invitation]"))
            inv = visible(a, "#invitation-panel")
            zh2 = inv.find_element(By.CSS_SELECTOR, "textarea[data-lang=zh]").get_attribute("value")
            assert "张伟" in zh2 and "腾讯会议" in zh2, zh2[:200]
            assert "/#/join/" in zh2, "roster.invitation carries the current personal link (derived again by the server)"
        run.check("invitations: zh and en with the link after adding, and again from the row", invitation_after_add, a)

        def advance_to_rehearsal():
            click(a, "#phase-advance")
            click(a, "dialog [data-test=dialog-ok]")
            wait(a, lambda d: css(d, "#phase-steps [aria-current=step]").get_attribute("data-phase") == "rehearsal", msg="phase rehearsal")
            assert "会前联调" in css(a, ".meeting-head .phase").text
            # During the joint test the AV roster comes first on the page.
            first = js(a, "return document.querySelector('.prep-body').firstElementChild.id")
            assert first == "av-slot", "AV roster leads during rehearsal: %s" % first
            js(a, "window.__noReload = 'host'")
            mark(a, st["zhang"], "joined", "pass")
            shot(a, shots, "r02-host-roster")
        run.step("organizer moves to 会前联调 and marks 张伟 joined", advance_to_rehearsal, a)

        def participant_selftest():
            b.get(st["link_张伟"])
            visible(b, "#selftest")
            js(b, "window.__noReload = 'participant'")
            # Own row: joined passed by the host, the rest missing.
            wait(b, lambda d: css(d, "#my-checks [data-check=joined]").get_attribute("data-result") == "pass", msg="own joined pass")
            assert css(b, "#my-ready").get_attribute("data-state") == "missing"
            assert "renamed" in css(b, "#my-missing").get_attribute("data-missing")
            # Reminders: install, register, rename with the expected name, mute; etiquette.
            assert css(b, "#rem-display-name").text == "张伟-市发展改革委"
            assert len(b.find_elements(By.CSS_SELECTOR, "#reminders li")) >= 4
            assert len(b.find_elements(By.CSS_SELECTOR, "#etiquette li")) == 6
            assert "腾讯会议" in css(b, "#reminders").text
            name = css(b, "#st-name input[data-field=displayName]")
            assert name.get_attribute("value") == "张伟-市发展改革委", "pre-filled display name"
            click(b, "#mic-test")
            wait(b, lambda d: css(d, "#st-mic").get_attribute("data-state") == "running", timeout=5, msg="mic running")
            time.sleep(1.2)
            level = float(css(b, "#mic-meter").get_attribute("data-level"))
            shot(b, shots, "r03-participant-mic-running")
            wait(b, lambda d: css(d, "#mic-result").get_attribute("data-state") in ("pass", "silent", "denied", "nodevice", "busy", "other"),
                 timeout=10, msg="mic result")
            state = css(b, "#mic-result").get_attribute("data-state")
            peak = float(css(b, "#mic-level").get_attribute("data-peak"))
            assert state == "pass", "mic test: %s (%s), peak %s" % (state, css(b, "#mic-result").text, peak)
            assert peak > -50, "peak above −50 dBFS: %s" % peak
            assert "dBFS" in css(b, "#mic-result").text
            print("     fake microphone: live level %.1f dBFS during the test, peak %.1f dBFS" % (level, peak))
            st["peak"] = peak
            click(b, "#tone-play")
            click(b, "#st-heard input[value=yes]")
            # Camera (optional): a frame arrives from the fake camera.
            click(b, "#cam-test")
            wait(b, lambda d: css(d, "#cam-result").get_attribute("data-state") == "pass", msg="camera frame")
            assert js(b, "return document.getElementById('cam-preview').videoWidth") > 0
            click(b, "#selftest-send")
            wait(b, lambda d: css(d, "#selftest-status").get_attribute("data-sent") == "true", msg="sent")
            wait(b, lambda d: css(d, "#my-ready").get_attribute("data-state") == "ready", msg="participant sees itself ready")
            assert js(b, "return window.__noReload") == "participant"
            shot(b, shots, "r04-participant-ready")
        run.step("participant runs the mic test (level, peak > −50 dBFS), tone, sends av.self", participant_selftest, b)

        def host_sees_ready():
            wait(a, lambda d: row(d, st["zhang"]).get_attribute("data-ready") == "true", msg="host row turns ready")
            r = row(a, st["zhang"])
            assert "dBFS" in r.find_element(By.CSS_SELECTOR, ".av-self").text
            assert r.find_element(By.CSS_SELECTOR, ".av-check[data-check=mic]").get_attribute("data-result") == "pass"
            assert r.find_element(By.CSS_SELECTOR, ".av-check[data-check=renamed]").get_attribute("data-result") == "pass"
            assert r.find_element(By.CSS_SELECTOR, ".av-check[data-check=camera]").get_attribute("data-result") == "pass"
            count = css(a, "#av-ready-count")
            assert (count.get_attribute("data-ready"), count.get_attribute("data-total")) == ("1", "2"), count.text
            assert js(a, "return window.__noReload") == "host", "no reload"
            shot(a, shots, "r05-host-sees-ready")
        run.check("the host's roster shows the row turn ready without a reload (1 of 2)", host_sees_ready, a)

        def host_note_and_retest():
            note = css(a, ".av-row[data-id='%s'] .av-note-input" % st["zhang"])
            note.send_keys("声音断续，请换耳机")
            mark(a, st["zhang"], "mic", "pending")
            wait(a, lambda d: row(d, st["zhang"]).get_attribute("data-ready") == "false", msg="retest → not ready")
            wait(b, lambda d: css(d, "#my-checks [data-check=mic]").get_attribute("data-result") == "pending", msg="participant sees retest")
            assert "声音断续" in css(b, "#my-checks [data-check=mic]").text, "the host's note reaches the participant"
            assert "mic" in css(b, "#my-missing").get_attribute("data-missing")
            # A host's fail stands, and the participant is told to ask for a retest.
            mark(a, st["zhang"], "mic", "fail")
            wait(b, lambda d: css(d, "#my-checks [data-check=mic]").get_attribute("data-result") == "fail", msg="participant sees the host's fail")
            hint = css(b, "#my-checks [data-check=mic] .st-check-note")
            assert hint.get_attribute("data-host-fail") == "1" and "重新测试" in hint.text, "the fail says to ask for a retest: %r" % hint.text
            mark(a, st["zhang"], "mic", "pass")
            wait(a, lambda d: row(d, st["zhang"]).get_attribute("data-ready") == "true", msg="ready again")
            wait(b, lambda d: not d.find_elements(By.CSS_SELECTOR, "#my-checks [data-check=mic] [data-host-fail='1']"), msg="hint gone after the pass")
        run.check("host's retest with a note reaches the participant; a host fail asks for a retest; pass makes it ready again", host_note_and_retest, a, b)

        c = s.track(denied_driver("en-US"))  # a participant whose browser refuses the microphone and camera

        def denied():
            c.get(base + "/")
            for perm in ("microphone", "camera"):
                c.execute_cdp_cmd("Browser.setPermission", {"permission": {"name": perm}, "setting": "denied", "origin": base})
            c.get(st["link_王芳"])
            visible(c, "#selftest")
            click(c, "#mic-test")
            wait(c, lambda d: css(d, "#mic-result").get_attribute("data-state") not in ("running", "idle", None), msg="mic result")
            res = css(c, "#mic-result")
            assert res.get_attribute("data-state") == "denied", "state: %s (%s)" % (res.get_attribute("data-state"), res.text)
            hint = res.find_element(By.CSS_SELECTOR, ".st-hint").text
            assert "site settings" in hint and "phone" in hint, hint
            shot(c, shots, "r06-denied")
            # The failure can still be reported to the host.
            click(c, "#tone-play")
            click(c, "#st-heard input[value=no]")
            click(c, "#selftest-send")
            wait(a, lambda d: row(d, st["wang"]).find_element(By.CSS_SELECTOR, ".av-check[data-check=mic]").get_attribute("data-result") == "fail",
                 msg="host sees the failed mic")
        run.check("with the permission denied the page shows what to do (site settings, phone)", denied, a, c)

        def insecure():
            # Opened under a plain-http host name (not localhost), the page is no secure context:
            # browsers hide the microphone, and the page says so.
            d = denied_driver("zh-CN", extra=("--use-fake-ui-for-media-stream", "--host-resolver-rules=MAP roadshow.test 127.0.0.1"))
            try:
                d.get(st["link_王芳"].replace("127.0.0.1", "roadshow.test").replace("localhost", "roadshow.test"))
                visible(d, "#selftest")
                assert js(d, "return window.isSecureContext") is False
                click(d, "#mic-test")
                wait(d, lambda x: css(x, "#mic-result").get_attribute("data-state") == "insecure", msg="insecure hint")
                assert "https" in css(d, "#mic-result .st-hint").text
            finally:
                d.quit()
        run.check("opened over plain http under a host name, the page says the microphone needs https", insecure, a)

        def gate():
            # Going live with blockers asks once: straight to the gate dialog.
            click(a, "#phase-advance")
            dlg = visible(a, "#gate-dialog")
            assert not a.find_elements(By.CSS_SELECTOR, "dialog [data-test=dialog-ok]"), "no second question before the gate"
            assert js(a, "return document.getElementById('gate-dialog').contains(document.activeElement)"), "focus inside the dialog"
            labelled = dlg.get_attribute("aria-labelledby")
            assert labelled and "会中" in css(a, "#" + labelled).text
            kinds = {li.get_attribute("data-kind") for li in dlg.find_elements(By.CSS_SELECTOR, ".gate-item")}
            assert {"checklist", "participant"} <= kinds, kinds
            people = [li.text for li in dlg.find_elements(By.CSS_SELECTOR, ".gate-item[data-kind=participant]")]
            assert any("王芳" in p and "麦克风" in p for p in people), people
            shot(a, shots, "r07-gate-dialog", full=False)
            a.set_window_size(390, 844)
            time.sleep(0.3)
            shot(a, shots, "r07-gate-dialog-phone", full=False)
            problem = overflow(a, "gate dialog")
            a.set_window_size(1280, 900)
            assert not problem, problem
            # Esc closes it, nothing changes.
            dlg.send_keys(Keys.ESCAPE)
            wait(a, lambda d: not d.find_elements(By.CSS_SELECTOR, "#gate-dialog"), msg="Esc closes")
            assert css(a, "#phase-steps [aria-current=step]").get_attribute("data-phase") == "rehearsal"
            # Again, then force with a reason (required).
            click(a, "#phase-advance")
            visible(a, "#gate-dialog")
            click(a, "#gate-dialog [data-action=gate-force]")
            reason = visible(a, "#gate-dialog textarea")
            click(a, "#gate-dialog [data-action=gate-force]")
            wait(a, lambda d: reason.get_attribute("aria-invalid") == "true", msg="reason required")
            reason.send_keys("企业负责人行程已定，王芳改用电话接入")
            shot(a, shots, "r08-gate-force", full=False)
            click(a, "#gate-dialog [data-action=gate-force]")
            wait(a, lambda d: not d.find_elements(By.CSS_SELECTOR, "#gate-dialog"), msg="dialog closes after forcing")
            wait(a, lambda d: css(d, "#phase-steps [aria-current=step]").get_attribute("data-phase") == "live", msg="phase live")
            assert "会中" in css(a, ".meeting-head .phase").text
            forced = visible(a, "#forced-reason")
            assert "企业负责人行程已定" in forced.text and forced.get_attribute("data-to") == "live"
            # Everyone's page shows it, live.
            wait(b, lambda d: d.find_elements(By.CSS_SELECTOR, "#forced-reason") and "企业负责人行程已定" in css(d, "#forced-reason").text,
                 msg="participant sees the forced reason")
            shot(a, shots, "r09-forced-live")
        run.check("going live blocked → dialog lists blockers → force with a reason → 会中 and the reason shown", gate, a, b)

        def ics():
            click(a, "#meeting-ics")
            path = wait_file(downloads, "*.ics")
            with open(path, "rb") as f:
                text = f.read().decode("utf-8")
            assert text.startswith("BEGIN:VCALENDAR"), text[:80]
            os.remove(path)
            # A participant downloads its own.
            click(b, "#my-ics")
            path = wait_file(downloads, "*.ics")
            with open(path, "rb") as f:
                assert f.read().decode("utf-8").startswith("BEGIN:VCALENDAR")
        run.check("the .ics download (organizer, participant) is a VCALENDAR file", ics, a, b)

        def host_participant():
            # Make 张伟 the host while his invite page is open: the page reads again what he may do
            # (snapshot.viewer.ops) and shows the host's tools without a reload.
            js(b, "window.__noReload = 'b'")
            assert not b.find_elements(By.CSS_SELECTOR, "#queue-next"), "a unit's participant has no queue controls"
            reply = rpc_raw(a, st["org"], "roster.update", {"meeting": st["meeting"], "participant": st["zhang"], "role": "host"})
            assert reply.get("ok"), reply
            visible(b, "#av-roster")
            # Live: the one way on is the console's "end the meeting" (not also the phase bar's advance).
            visible(b, "#live-end")
            assert not b.find_elements(By.CSS_SELECTOR, "#phase-advance") or not css(b, "#phase-advance").is_displayed()
            visible(b, "#queue-next")
            assert js(b, "return window.__noReload") == "b", "no reload"
            # The host's tools come with a new invite link too.
            [r] = rpc(a, st["org"], ("roster.link", {"meeting": st["meeting"], "participant": st["zhang"]}))
            b.get(base + "/" + (r.get("link") or "").lstrip("/"))
            visible(b, "#av-roster")
            assert len(b.find_elements(By.CSS_SELECTOR, "#av-roster .av-row")) == 2
            assert css(b, "#live-end").is_displayed(), "the host may end the meeting"
        run.check("a participant made host sees the AV roster, the advance button and the queue controls at once (re-read viewer.ops), and after a new link", host_participant, a, b)

        def phone_and_desktop():
            problems = []
            for d, name in ((a, "organizer"), (b, "participant-host")):
                d.set_window_size(1280, 900)
                time.sleep(0.3)
                shot(d, shots, "r10-desktop-%s" % name)
                d.set_window_size(390, 844)
                time.sleep(0.4)
                problems.append(overflow(d, name))
                shot(d, shots, "r11-phone-%s" % name)
                for sel in ("#phasebar", "#av-roster", "#selftest", "#reminders-card"):
                    if d.find_elements(By.CSS_SELECTOR, sel) and css(d, sel).is_displayed():
                        element_shot(d, sel, shots, "r12-phone-%s-%s" % (name, sel[1:]))
                d.set_window_size(1280, 900)
                time.sleep(0.3)
                for sel in ("#phasebar", "#av-roster", "#selftest", "#reminders-card"):
                    if d.find_elements(By.CSS_SELECTOR, sel) and css(d, sel).is_displayed():
                        element_shot(d, sel, shots, "r13-desktop-%s-%s" % (name, sel[1:]))
            if c:
                c.set_window_size(390, 844)
                time.sleep(0.4)
                problems.append(overflow(c, "participant-denied"))
                shot(c, shots, "r11-phone-participant-denied")
            # Dark scheme: the sections keep their contrast (screenshots to look at).
            for d, name in ((a, "organizer"), (b, "participant-host")):
                d.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": [{"name": "prefers-color-scheme", "value": "dark"}]})
                time.sleep(0.3)
                for sel in ("#phasebar", "#av-roster", "#selftest"):
                    if d.find_elements(By.CSS_SELECTOR, sel) and css(d, sel).is_displayed():
                        element_shot(d, sel, shots, "r15-dark-%s-%s" % (name, sel[1:]))
                d.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": []})
            # The roster re-labels in English in place (live: the AV roster is a tab away).
            click(a, "#tab-av")
            click(a, "#lang-toggle")
            wait(a, lambda d: "Joint test" in css(d, "#av-h").text, msg="English AV roster")
            assert "Microphone" in css(a, "#av-roster").text and "Retest" in css(a, "#av-roster").text
            assert "Live" in css(a, "#phase-steps [aria-current=step]").text
            element_shot(a, "#av-roster", shots, "r14-desktop-organizer-av-roster-en")
            click(a, "#lang-toggle")
            wait(a, lambda d: "音视频" in css(d, "#av-h").text, msg="back to Chinese")
            problems = [p for p in problems if p]
            assert not problems, "; ".join(problems)
            for d in (a, b):
                d.set_window_size(1280, 900)
        run.check("desktop and 390px phone: nothing overflows sideways", phone_and_desktop, a, b)

        s.check_console(a, b, c)
        s.check_ops(a, b, c)
    return s.result()


if __name__ == "__main__":
    run_module(main)
