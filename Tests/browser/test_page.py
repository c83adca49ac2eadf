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
import os
import sys
import time

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import (  # noqa: E402
    ADMIN_TOKEN, Session, click, css, fill, fill_fields, js, overflow, page_op_literals, run_module, set_value, shot, visible, wait,
)


def main():
    state = {}
    with Session("roadshow-browser-") as s:
        server, run, shots = s.server, s.run, s.shots
        server.start()
        base = server.url
        a = s.driver("zh-CN")
        b = s.driver("en-US")

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
            # In the page's language (the server's text.zh), without the English message.
            assert err.is_displayed() and "电话号码" in err.text and "must" not in err.text, "server message under the phone field: %r" % err.text
            assert "138 0000 0000" in err.text, "says what to write instead (the server's example): %r" % err.text
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

        def page_names_known_ops():
            # Every op named in a call anywhere in web/*.js, exercised by a test or not.
            listed = {o["op"] for o in server.get_json("/api/ops")["ops"]}
            named = page_op_literals()
            assert len(named) > 30, "found only %s in web/*.js: is the pattern still right?" % sorted(named)
            unknown = {op: files for op, files in named.items() if op not in listed}
            assert not unknown, "web/*.js calls ops the server does not list in /api/ops: %s" % unknown
        run.check("every op named in web/*.js is one the server lists in GET /api/ops", page_names_known_ops)

        s.check_console(a, b, ignore=("WebSocket", "ERR_CONNECTION_REFUSED"))
        s.check_ops(a, b)
    return s.result()


if __name__ == "__main__":
    run_module(main)
