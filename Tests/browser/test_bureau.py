#!/usr/bin/python3
"""Browser test of the bureau-ready pages (issue 9, the page's part) against
the real server, at phone (390×844) and laptop (1366×768) size:

- corrections: the organizer reschedules the meeting from its page (a start
  time in the past is warned about, not refused); an invitee page already
  open shows the new time live, and its .ics has the new DTSTART and a
  higher SEQUENCE; a roster entry edited in place keeps its invite link;
- invite links at hand: after a reload every row copies the person's current
  link and invitation; the copied link signs in as that person in a second
  browser; a copy button returns to its own label; "new link" asks first;
- the phone in the meeting: when the host grants the floor, "您正在发言" is
  in the first viewport at 390×844 (sticky bar above the meeting card) and
  in the tab title;
- pages that fit the phase: tabs with the phase's part first; a compact AV
  roster (one select per check); the live console in the first viewport at
  1366×768; after the meeting the organizer's controls are read-only;
- who sees what: the company's page shows no force reason, internal minute
  or AV note, while a unit's page does;
- a bad invite link lands on a clear page (zh and en), not the sign-in form;
- smaller points: no meeting code on an invitee's page, the header names the
  role, investment "12.5 亿元" / "CNY 1.25 billion", .ics named after the
  meeting, "Administrator" shown as 管理员, going live asks once.

    /usr/bin/python3 Tests/browser/run.py test_bureau
"""
import os
import re
import sys
import time
from datetime import datetime, timedelta, timezone

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import (  # noqa: E402
    ADMIN_TOKEN, Session, click, css, js, overflow, rpc, rpc_raw, run_module, set_value, shot, visible, wait,
)

MEETING = "储能电池项目线上路演"
FORCE_REASON = "内部：李娜麦克风待会中解决"
INTERNAL_MINUTE = "内部研判：企业资金压力较大，需谨慎"
SHARED_MINUTE = "企业介绍了储能电池生产基地的建设计划"
AV_NOTE_COMPANY = "内部备注：王芳耳机有杂音"
AV_NOTE_UNIT = "内部备注：张伟网络较慢"

CN = timezone(timedelta(hours=8))


def shown(d, sel):
    els = d.find_elements(By.CSS_SELECTOR, sel)
    return bool(els) and els[0].is_displayed()


def in_first_viewport(d, sel):
    """[top, bottom, innerHeight] of the element, scrolled to the top of the page."""
    js(d, "window.scrollTo(0, 0)")
    time.sleep(0.2)
    return js(d, "const r = document.querySelector(arguments[0]).getBoundingClientRect(); return [r.top, r.bottom, innerHeight]", sel)


def viewport(d, w, h):
    """The page's viewport exactly w×h CSS px (a window size would include the browser's own bars)."""
    d.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {"width": w, "height": h, "deviceScaleFactor": 1, "mobile": w < 600})
    time.sleep(0.2)


def ics_field(text, name):
    unfolded = text.replace("\r\n ", "")
    m = re.search(r"^%s[;:]([^\r\n]*)" % name, unfolded, re.M)
    return m.group(1) if m else None


def sign_in_as(d, base, token, kind, path):
    d.get(base + "/")
    js(d, "localStorage.setItem('roadshow.token', arguments[0]); localStorage.setItem('roadshow.kind', arguments[1])", token, kind)
    d.get(base + path)


def row(d, pid):
    return css(d, "#roster-list .ro-item[data-id='%s']" % pid)


def main():
    st = {}
    with Session("roadshow-bureau-") as s:
        server, run, shots = s.server, s.run, s.shots
        server.start()
        base = server.url
        org = s.driver("zh-CN")   # the organizer, on a laptop
        viewport(org, 1366, 768)
        unit = s.driver("zh-CN")  # 张伟, an attending unit, on a phone
        viewport(unit, 390, 844)
        # The phone's vibration, recorded (headless Chromium has no vibrator).
        unit.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source":
            "window.__vibrations = []; navigator.vibrate = (p) => { window.__vibrations.push(p); return true; };"})
        comp = s.driver("zh-CN")  # 王芳, the company, on a phone
        viewport(comp, 390, 844)

        def link(token):
            return base + "/#/join/" + token

        # ------------------------------------------------------------ setup
        def setup():
            org.get(base + "/")
            visible(org, "#signin-form")
            [acc] = rpc(org, ADMIN_TOKEN, ("account.create", {"name": "黄山市投资促进局", "kind": "organizer"}))
            st["org"] = tok = acc["token"]
            start = (datetime.now(CN) + timedelta(days=3)).replace(hour=14, minute=0, second=0, microsecond=0)
            [m] = rpc(org, tok, ("meeting.create", {
                "title": MEETING,
                "company": {"name": "皖南新能源科技有限公司", "contact": "李明", "phone": "138 0000 0000"},
                "project": {"name": "储能电池生产基地", "category": "industrial", "investment": 12.5},
                "startsAt": start.isoformat(), "durationMinutes": 90,
                "system": {"name": "腾讯会议", "room": "123-456-789"}}))
            st["m"] = mid = m["meeting"]["id"]
            people = rpc(org, tok,
                         ("roster.add", {"meeting": mid, "name": "周主持", "unit": "黄山市投资促进局", "role": "host"}),
                         ("roster.add", {"meeting": mid, "name": "吴记录", "unit": "黄山市投资促进局", "role": "recorder"}),
                         ("roster.add", {"meeting": mid, "name": "张伟", "unit": "市发展改革委", "role": "unit"}),
                         ("roster.add", {"meeting": mid, "name": "王芳", "unit": "皖南新能源科技有限公司", "role": "company"}),
                         ("roster.add", {"meeting": mid, "name": "李四", "unit": "黄山高新区", "role": "unit"}))
            for key, r in zip(("host", "rec", "zhang", "wang", "li"), people):
                st[key] = r["participant"]["id"]
                st[key + "_tok"] = r["token"]
            # Five of the twelve checklist items done.
            rpc(org, tok, *[("checklist.set", {"meeting": mid, "item": "C-%d" % i, "done": True}) for i in range(1, 6)])
        run.step("setup: organizer, meeting in preparation with five people, 5 of 12 items done", setup, org)

        # ------------------------------------------------------------ preparation
        def prep_page():
            sign_in_as(org, base, st["org"], "organizer", "/#/m/" + st["m"])
            visible(org, "#phase-tabs")
            assert css(org, "#tab-prep").get_attribute("aria-selected") == "true", "preparation opens on checklist and roster"
            visible(org, "#checklist")
            visible(org, "#roster")
            assert not shown(org, "#av-roster"), "the AV roster is one click away, not underneath"
            assert not shown(org, "#live-agenda"), "the agenda is one click away"
            click(org, "#tab-agenda")
            visible(org, "#live-agenda")
            assert not shown(org, "#checklist")
            click(org, "#tab-prep")
            visible(org, "#checklist")
            # The organizer sees the meeting code; investment in Chinese.
            assert css(org, ".meeting-head .meeting-code").text == st["m"]
            assert "12.5 亿元" in css(org, ".meeting-head").text
            shot(org, shots, "B01-organizer-prep-1366", full=False)
            shot(org, shots, "B01-organizer-prep-1366-full")
        run.check("preparation: checklist and roster first, the rest in tabs", prep_page, org)

        def limits_from_server():
            # The inputs stop where the server does: maxlength comes from GET /api/ops limits.
            import json
            import urllib.request
            with urllib.request.urlopen(s.server.url + "/api/ops") as r:
                limits = json.load(r)["limits"]
            for field_name in ("name", "unit", "title", "phone", "email"):
                got = css(org, "#roster-form [data-field='%s']" % field_name).get_attribute("maxlength")
                assert got == str(limits["roster.add"][field_name]), "roster %s: maxlength %r, the server %r" % (field_name, got, limits["roster.add"][field_name])
            assert css(org, "#roster-form [data-field='name']").get_attribute("maxlength") == "60"
            assert css(org, "#checklist-add [data-field='text']").get_attribute("maxlength") == str(limits["checklist.add"]["text"])
        run.check("the page's input limits are the server's (roster and checklist forms)", limits_from_server)

        def invitee_page():
            unit.get(link(st["zhang_tok"]))
            visible(unit, "#confirm")
            assert not unit.find_elements(By.CSS_SELECTOR, ".meeting-code"), "no meeting code for an attending unit"
            assert st["m"] not in css(unit, "#main").text, "the meeting code is not shown to a unit"
            wait(unit, lambda d: css(d, "#who .who-kind").text == "参会单位", msg="header names the role: %r" % css(unit, "#who").text)
            assert "12.5 亿元" in css(unit, ".meeting-head").text
            problem = overflow(unit, "invitee page at 390")
            assert not problem, problem
            js(unit, "window.__noReload = 'unit'")
            shot(unit, shots, "B02-unit-phone-390", full=False)
        run.check("an invitee's page: no meeting code, its role in the header, investment in 亿元", invitee_page, unit)

        def reschedule():
            before = rpc(org, st["org"], ("export.ics", {"meeting": st["m"], "participant": st["zhang"]}))[0]["text"]
            st["seq_before"] = int(ics_field(before, "SEQUENCE") or 0)
            click(org, "#meeting-edit")
            visible(org, "#meeting-edit-form")
            # Three bad fields: three messages, in Chinese, each beside its input, in one round trip.
            for name, bad in (("durationMinutes", "5"), ("company.phone", "12"), ("system.link", "ftp://example.com")):
                el = css(org, "#meeting-edit-form [data-field='%s']" % name)
                el.clear()
                el.send_keys(bad)
            click(org, "#meeting-edit-submit")
            wait(org, lambda d: len([e for e in d.find_elements(By.CSS_SELECTOR, "#meeting-edit-form .field-error") if e.is_displayed()]) == 3,
                 msg="three field errors")
            for name in ("durationMinutes", "company.phone", "system.link"):
                el = css(org, "#meeting-edit-form [data-field='%s']" % name)
                assert el.get_attribute("aria-invalid") == "true", name
                text = css(org, "#" + el.get_attribute("id") + "-err").text
                assert re.search(r"[\u4e00-\u9fff]", text) and not re.search(r"\b(must|should|args)\b", text), "%s: %r" % (name, text)
            shot(org, shots, "B03a-three-errors-1366", full=False)
            css(org, "#meeting-edit-form [data-field=durationMinutes]").clear()
            css(org, "#meeting-edit-form [data-field=durationMinutes]").send_keys("90")
            css(org, "#meeting-edit-form [data-field='company.phone']").clear()
            css(org, "#meeting-edit-form [data-field='company.phone']").send_keys("138 0000 0000")
            css(org, "#meeting-edit-form [data-field='system.link']").clear()
            # A start time in the past is said, not refused.
            set_value(org, "#meeting-edit-form [data-field=startsAt]", "2020-01-02T10:00")
            warn = visible(org, "#meeting-edit-past")
            assert "早于现在" in warn.text, warn.text
            new = (datetime.now(CN) + timedelta(days=5)).replace(hour=15, minute=30, second=0, microsecond=0)
            st["new_start"] = new.astimezone(timezone.utc)
            set_value(org, "#meeting-edit-form [data-field=startsAt]", new.strftime("%Y-%m-%dT%H:%M"))
            wait(org, lambda d: not shown(d, "#meeting-edit-past"), msg="warning goes with a future time")
            room = css(org, "#meeting-edit-form [data-field='system.room']")
            room.clear()
            room.send_keys("987-654-321")
            shot(org, shots, "B03-edit-meeting-1366", full=False)
            click(org, "#meeting-edit-submit")
            wait(org, lambda d: not d.find_elements(By.CSS_SELECTOR, "#meeting-edit-form"), msg="form closes after saving")
            want = st["new_start"].strftime("%Y-%m-%dT%H:%M:%S")
            # The invitee's open page shows it live, without a reload.
            wait(unit, lambda d: css(d, ".meeting-head time").get_attribute("datetime").startswith(want), msg="invitee sees the new time")
            assert "987-654-321" in css(unit, ".meeting-head").text
            visible(unit, "#meeting-changed")
            assert js(unit, "return window.__noReload") == "unit", "no reload"
            shot(unit, shots, "B04-unit-sees-reschedule-390", full=False)
        run.step("the organizer reschedules from the page; the open invitee page shows it live", reschedule, org, unit)

        def ics_after():
            text = rpc(org, st["org"], ("export.ics", {"meeting": st["m"], "participant": st["zhang"]}))[0]["text"]
            assert ics_field(text, "DTSTART") == st["new_start"].strftime("%Y%m%dT%H%M%SZ"), ics_field(text, "DTSTART")
            seq = int(ics_field(text, "SEQUENCE") or 0)
            assert seq > st["seq_before"], "the .ics after a reschedule has a higher SEQUENCE: %s → %s" % (st["seq_before"], seq)
        run.check("the .ics after the reschedule: new DTSTART, higher SEQUENCE", ics_after, org)

        def ics_name():
            # The invitee's own .ics button names the file after the meeting and its date.
            click(unit, "#my-ics")
            wait(unit, lambda d: css(d, "#my-ics").get_attribute("data-downloaded"), msg="downloaded")
            name = css(unit, "#my-ics").get_attribute("data-downloaded")
            day = st["new_start"].astimezone(CN).strftime("%Y-%m-%d")
            assert name.startswith(MEETING + "-" + day) and name.endswith(".ics"), name
            assert "M-" not in name and "P-" not in name, name
        run.check("a downloaded .ics is named after the meeting title and date", ics_name, unit)

        def edit_person():
            r = row(org, st["li"])
            click(org, r.find_element(By.CSS_SELECTOR, "[data-action=edit-person]"))
            form = visible(org, ".ro-edit[data-participant='%s']" % st["li"])
            title = form.find_element(By.CSS_SELECTOR, "[data-field=title]")
            title.clear()
            title.send_keys("招商科科长")
            phone = form.find_element(By.CSS_SELECTOR, "[data-field=phone]")
            phone.clear()
            phone.send_keys("139 0559 1234")
            Select(form.find_element(By.CSS_SELECTOR, "[data-field=role]")).select_by_value("observer")
            click(org, form.find_element(By.CSS_SELECTOR, "[data-action=save-person]"))
            wait(org, lambda d: not d.find_elements(By.CSS_SELECTOR, ".ro-edit"), msg="edit closes")
            wait(org, lambda d: "招商科科长" in row(d, st["li"]).text and "139 0559 1234" in row(d, st["li"]).text, msg="row updated")
            assert "列席" in row(org, st["li"]).text
            # The link stays valid.
            res = rpc_raw(org, st["li_tok"], "meeting.get", {"meeting": st["m"]})
            assert res.get("ok"), "the edited person's token still works: %s" % res
        run.check("a roster entry edited in place; its invite link stays valid", edit_person, org)

        # ------------------------------------------------------------ invite links at hand
        second = s.driver("zh-CN")
        viewport(second, 390, 844)

        def links_after_reload():
            org.refresh()
            visible(org, "#roster-list .ro-item")
            r = row(org, st["zhang"])
            assert r.get_attribute("data-link") != "unavailable", "links made by this server can be shown again"
            btn = r.find_element(By.CSS_SELECTOR, "[data-action=copy-link]")
            assert btn.text == "复制链接", btn.text
            click(org, btn)
            wait(org, lambda d: row(d, st["zhang"]).get_attribute("data-link") in ("known", "unavailable"), msg="link fetched")
            assert row(org, st["zhang"]).get_attribute("data-link") == "known", \
                "after a reload the row offers the current link (roster.invitation gives link/url): %s" % row(org, st["zhang"]).text
            url = visible(org, "#invite-link").get_attribute("value")
            assert url.startswith(base + "/#/join/"), url
            # The button says "copied", then its own label again.
            btn = row(org, st["zhang"]).find_element(By.CSS_SELECTOR, "[data-action=copy-link]")
            wait(org, lambda d: btn.text == "复制链接", timeout=5, msg="back to its own label: %r" % btn.text)
            # The copied link signs in as 张伟 in a second browser, and the first stays signed in.
            second.get(url)
            wait(second, lambda d: "张伟" in css(d, ".greet").text, msg="signed in as 张伟")
            # The invitation to copy carries the personal link.
            inv = row(org, st["zhang"]).find_element(By.CSS_SELECTOR, "[data-action=copy-invitation]")
            click(org, inv)
            wait(org, lambda d: inv.get_attribute("data-copied") == "true" or inv.text == "已复制", timeout=5, msg="invitation copied")
            text = js(org, "return navigator.clipboard.readText().catch(() => null)") if False else None  # noqa: F841
            info = rpc(org, st["org"], ("roster.invitation", {"meeting": st["m"], "participant": st["zhang"]}))[0]
            assert url.split("/#/join/")[1] in (info.get("invitation") or {}).get("zh", ""), "the invitation has the personal link"
            shot(org, shots, "B05-links-after-reload-1366", full=False)
            viewport(org, 390, 844)
            time.sleep(0.3)
            problem = overflow(org, "organizer at 390")
            shot(org, shots, "B05b-organizer-roster-390")
            viewport(org, 1366, 768)
            assert not problem, problem
        run.check("after a reload a row copies the current link; it signs in as that person elsewhere", links_after_reload, org, second)

        def new_link_asks():
            r = row(org, st["li"])
            click(org, r.find_element(By.CSS_SELECTOR, "[data-action=new-link]"))
            dlg = visible(org, "dialog")
            assert "失效" in dlg.text, dlg.text
            click(org, "dialog [data-test=dialog-cancel]")
            wait(org, lambda d: not d.find_elements(By.CSS_SELECTOR, "dialog"), msg="dialog closes")
            res = rpc_raw(org, st["li_tok"], "meeting.get", {"meeting": st["m"]})
            assert res.get("ok"), "cancelled: the old link still works"
        run.check("'new link' asks first and says the old link stops working", new_link_asks, org)

        # ------------------------------------------------------------ rehearsal
        def to_rehearsal():
            click(org, "#tab-prep")
            click(org, "#phase-advance")
            dlg = visible(org, "dialog")
            assert "7 项未完成" in dlg.text and "共 12 项" in dlg.text, "the confirm names the open items: %r" % dlg.text
            shot(org, shots, "B06-advance-open-items", full=False)
            click(org, "dialog [data-test=dialog-ok]")
            wait(org, lambda d: css(d, "#phase-steps [aria-current=step]").get_attribute("data-phase") == "rehearsal", msg="rehearsal")
            wait(org, lambda d: css(d, "#tab-av").get_attribute("aria-selected") == "true", msg="the AV roster tab comes first")
            visible(org, "#av-roster")
            rows = org.find_elements(By.CSS_SELECTOR, ".av-row")
            assert len(rows) == 5
            for r in rows:
                assert len(r.find_elements(By.CSS_SELECTOR, "select[data-action=mark]")) == 5, "one control per check"
                assert not r.find_elements(By.CSS_SELECTOR, "button[data-action=mark]"), "no button per result"
            sel = css(org, ".av-row[data-id='%s'] .av-check[data-check=joined] select" % st["zhang"])
            Select(sel).select_by_value("pass")
            wait(org, lambda d: css(d, ".av-row[data-id='%s'] .av-check[data-check=joined]" % st["zhang"]).get_attribute("data-result") == "pass")
            note = css(org, ".av-row[data-id='%s'] .av-check[data-check=joined] .av-check-note" % st["zhang"]).text
            assert "组织方" in note and "主持人" not in note, "the organizer's mark is credited to 组织方: %r" % note
            shot(org, shots, "B07-av-roster-1366", full=False)
            height = js(org, "return document.getElementById('av-roster').getBoundingClientRect().height")
            assert height < 1400, "compact AV roster for five people: %d px" % height
        run.step("moving to rehearsal says 7 of 12 are open; compact AV roster, one select per check", to_rehearsal, org)

        def av_notes():
            rpc(org, st["org"],
                ("av.mark", {"meeting": st["m"], "participant": st["wang"], "check": "mic", "result": "fail", "note": AV_NOTE_COMPANY}),
                ("av.mark", {"meeting": st["m"], "participant": st["zhang"], "check": "mic", "result": "fail", "note": AV_NOTE_UNIT}))
        run.check("the organizer marks AV checks with notes", av_notes, org)

        # ------------------------------------------------------------ live
        def go_live():
            rpc(org, st["org"], ("meeting.advance", {"meeting": st["m"], "to": "live", "force": True, "reason": FORCE_REASON}),
                ("agenda.add", {"meeting": st["m"], "title": "参会单位提问交流", "minutes": 30}),
                ("agenda.next", {"meeting": st["m"]}),
                ("minutes.add", {"meeting": st["m"], "kind": "note", "text": INTERNAL_MINUTE}),
                ("minutes.add", {"meeting": st["m"], "kind": "intent", "text": SHARED_MINUTE, "visibility": "everyone"}))
            visible(org, "#live-bar")
            wait(org, lambda d: css(d, "#tab-live").get_attribute("aria-selected") == "true", msg="live console tab first")
            top, bottom, ih = in_first_viewport(org, "#live-bar")
            assert 0 <= top and bottom <= ih, "the console bar is in the first viewport at 1366×768: %s" % [top, bottom, ih]
            top, bottom, ih = in_first_viewport(org, "#live-now")
            assert top < ih - 120, "the running item starts in the first viewport: %s" % [top, bottom, ih]
            assert not shown(org, "#phase-advance"), "live: only 结束会议, not also 进入下一阶段"
            visible(org, "#live-end")
            shot(org, shots, "B08-live-console-1366", full=False)
        run.step("live: the console is in the first viewport at 1366×768, one way to end", go_live, org)

        def floor_on_phone():
            unit.refresh()
            visible(unit, "#live-hand")
            click(unit, "#raise-speak")
            wait(unit, lambda d: shown(d, "#mybar-pos"), msg="my place in the queue in the bar")
            top, bottom, ih = in_first_viewport(unit, "#mybar")
            assert 0 <= top and bottom <= ih, "the bar is on the first screen: %s" % [top, bottom, ih]
            assert "参会单位提问交流" in css(unit, "#mybar-item").text
            # The bar comes before the meeting card.
            assert js(unit, "return !!(document.getElementById('mybar').compareDocumentPosition(document.querySelector('.meeting-head')) & Node.DOCUMENT_POSITION_FOLLOWING)")
            snap = rpc(org, st["org"], ("meeting.get", {"meeting": st["m"]}))[0]["snapshot"]
            entry = [q for q in snap["queue"] if q["participant"] == st["zhang"]][0]
            js(unit, "window.scrollTo(0, document.body.scrollHeight)")  # reading further down the page
            rpc(org, st["org"], ("queue.grant", {"meeting": st["m"], "entry": entry["id"]}))
            visible(unit, "#my-floor")
            top, bottom, ih = js(unit, "const r = document.getElementById('my-floor').getBoundingClientRect(); return [r.top, r.bottom, innerHeight]")
            assert 0 <= top and bottom <= ih, "the floor banner stays in sight while scrolled: %s" % [top, bottom, ih]
            top, bottom, ih = in_first_viewport(unit, "#my-floor")
            assert 0 <= top and bottom <= ih, "the floor banner is in the first viewport at 390×844: %s" % [top, bottom, ih]
            assert "您正在发言" in css(unit, "#my-floor").text
            assert unit.title.startswith("🎤"), "the tab title says it: %r" % unit.title
            assert js(unit, "return window.__vibrations.length") == 1, "the phone vibrates once"
            assert css(unit, "#mybar").get_attribute("data-toned") == "1", "a short tone, after the person touched the page"
            shot(unit, shots, "B09-floor-phone-390", full=False)
            rpc(org, st["org"], ("queue.release", {"meeting": st["m"]}))
            wait(unit, lambda d: not shown(d, "#my-floor"), msg="banner goes with the floor")
            wait(unit, lambda d: not d.title.startswith("🎤"), msg="title restored: %r" % unit.title)
            # In English too.
            click(unit, "#lang-toggle")
            wait(unit, lambda d: css(d, "#mybar-item").text.startswith("Now: "), msg="the bar in English")
            assert css(unit, "#mybar-pos").is_displayed() is False, "no longer in the queue"
            shot(unit, shots, "B09b-bar-phone-390-en", full=False)
            click(unit, "#lang-toggle")
            wait(unit, lambda d: css(d, "#mybar-item").text.startswith("正在进行："))
        run.check("the floor banner is in the first viewport at 390×844, and in the tab title", floor_on_phone, unit, org)

        def who_sees_what():
            comp.get(link(st["wang_tok"]))
            visible(comp, "#live-now")
            wait(comp, lambda d: SHARED_MINUTE in css(d, "#main").text, msg="the shared minute reaches the company")
            text = css(comp, "#main").text
            for secret in (FORCE_REASON, INTERNAL_MINUTE, AV_NOTE_COMPANY):
                assert secret not in text, "the company's page shows %r" % secret
            assert comp.find_elements(By.CSS_SELECTOR, "#forced-reason") == [], "no forced notice for the company"
            wait(comp, lambda d: css(d, "#who .who-kind").text == "企业", msg="header: 企业")
            assert st["m"] not in text, "no meeting code for the company"
            shot(comp, shots, "B10-company-phone-390", full=False)
            utext = css(unit, "#main").text
            assert FORCE_REASON in utext, "a unit's page shows the force reason"
            wait(unit, lambda d: INTERNAL_MINUTE in css(d, "#main").text, msg="a unit's page shows the internal minute")
            # The unit's own AV note, on its own check.
            js(unit, "document.querySelectorAll('details').forEach(d => d.open = true)")
            assert "组织方备注：" + AV_NOTE_UNIT in css(unit, "#main").get_attribute("textContent"), "a unit sees its AV note, credited to 组织方"
        run.check("the company's page shows no force reason, internal minute or AV note; a unit's does", who_sees_what, comp, unit)

        # ------------------------------------------------------------ after the meeting
        def after():
            rpc(org, st["org"], ("meeting.advance", {"meeting": st["m"], "to": "ended", "force": True, "reason": "测试结束"}))
            wait(org, lambda d: css(d, ".meeting-head .phase").get_attribute("data-phase") == "ended", msg="ended")
            wait(org, lambda d: css(d, "#tab-followup").get_attribute("aria-selected") == "true", msg="follow-up first")
            assert not shown(org, "#meeting-edit"), "no edit after the meeting"
            click(org, "#tab-prep")
            visible(org, "#checklist-closed")
            visible(org, "#roster-closed")
            assert all(not cb.is_enabled() for cb in org.find_elements(By.CSS_SELECTOR, "#checklist .cl-check")), "checklist read-only"
            assert not shown(org, "#checklist-add"), "no adding after the meeting"
            assert not shown(org, "#roster-add"), "no adding people after the meeting"
            for sel in ("[data-action=edit-person]", "[data-action=remove]", "#checklist [data-action=remove-item]"):
                assert not [e for e in org.find_elements(By.CSS_SELECTOR, sel) if e.is_displayed()], "%s hidden after the meeting" % sel
            # Links and invitations stay at hand.
            assert row(org, st["zhang"]).find_element(By.CSS_SELECTOR, "[data-action=copy-link]").is_displayed()
            assert not shown(org, "#av-roster"), "the AV roster is gone after the meeting"
            shot(org, shots, "B11-after-readonly-1366", full=False)
        run.check("after the meeting the organizer's controls are read-only, links still at hand", after, org)

        def english():
            click(org, "#lang-toggle")
            wait(org, lambda d: "CNY 1.25 billion" in css(d, ".meeting-head").text, msg="investment in English: %r" % css(org, ".meeting-head").text)
            assert "亿元" not in css(org, ".meeting-head").text
            click(org, "#lang-toggle")
            wait(org, lambda d: "12.5 亿元" in css(d, ".meeting-head").text)
        run.check("investment: 12.5 亿元 in zh, CNY 1.25 billion in en", english, org)

        # ------------------------------------------------------------ a bad link
        bad = s.driver("zh-CN")
        viewport(bad, 390, 844)

        def bad_link():
            bad.get(base + "/#/join/rs_p_thisisnotarealtoken000000000000000")
            page = visible(bad, "#join-bad")
            assert "邀请链接无效" in page.text and "新的邀请链接" in page.text, page.text
            assert not bad.find_elements(By.CSS_SELECTOR, "#signin-form"), "not the token sign-in form"
            shot(bad, shots, "B12-bad-link-390", full=False)
            click(bad, "#lang-toggle")
            wait(bad, lambda d: "not valid" in css(d, "#join-bad").text, msg="in English too")
            assert "Ask the meeting's organizer for a new invite link" in css(bad, "#join-bad").text
            # A revoked link (the organizer issued a new one) lands there too.
            rpc(org, st["org"], ("roster.link", {"meeting": st["m"], "participant": st["li"]}))
            bad.get(link(st["li_tok"]))
            bad.refresh()
            visible(bad, "#join-bad")
        run.check("a bad or revoked invite link shows a clear page (zh, en), not the sign-in form", bad_link, bad)

        def admin_name():
            a = s.driver("zh-CN")
            sign_in_as(a, base, ADMIN_TOKEN, "admin", "/#/")
            wait(a, lambda d: css(d, "#who").text.strip() != "", msg="signed in")
            assert "Administrator" not in css(a, "#who").text and "管理员" in css(a, "#who").text, css(a, "#who").text
            click(a, "#signout")
            hint = visible(a, "#signin-form .hint").text
            assert "rs_" not in hint, hint
        run.check("the admin is 管理员 in the Chinese page; the sign-in hint promises no rs_ prefix", admin_name)

        def host_header():
            for key, label in (("host", "主持人"), ("rec", "记录员")):
                second.get(link(st[key + "_tok"]))
                wait(second, lambda d, w=label: css(d, "#who .who-kind").text == w, msg="header names the role %s: %r" % (label, css(second, "#who").text))
                assert "参会人" not in css(second, "#who").text
        run.check("the host's and the recorder's headers name their roles, not 参会人", host_header, second)

        def link_unavailable():
            # A link that can no longer be derived (the invite key file was replaced): the row says
            # so and offers a new link; the old link still signs in until then.
            server.stop()
            key = server.db[:-len(".sqlite")] + ".invite-key"
            assert os.path.exists(key), "the invite key beside the database: %s" % key
            os.remove(key)
            server.start()
            org.refresh()
            click(org, "#tab-prep")  # after the meeting the page opens on the follow-up
            visible(org, "#roster-list .ro-item")
            r = row(org, st["wang"])
            click(org, r.find_element(By.CSS_SELECTOR, "[data-action=copy-link]"))
            wait(org, lambda d: row(d, st["wang"]).get_attribute("data-link") == "unavailable", msg="the row says the link cannot be shown")
            r = row(org, st["wang"])
            note = r.find_element(By.CSS_SELECTOR, ".ro-link-note")
            assert note.is_displayed() and "无法再次显示" in note.text and "新链接" in note.text, note.text
            assert not r.find_element(By.CSS_SELECTOR, "[data-action=copy-link]").is_displayed(), "no copy of a link it cannot show"
            assert org.switch_to.active_element == r.find_element(By.CSS_SELECTOR, "[data-action=new-link]"), "the keyboard goes to 新链接"
            shot(org, shots, "B13-link-unavailable-1366", full=False)
            click(org, r.find_element(By.CSS_SELECTOR, "[data-action=new-link]"))
            click(org, "dialog [data-test=dialog-ok]")
            url = visible(org, "#invite-link").get_attribute("value")
            assert url.startswith(base + "/#/join/") and st["wang_tok"] not in url, url
            wait(org, lambda d: row(d, st["wang"]).get_attribute("data-link") == "known", msg="the row has the new link")
            second.get(url)
            wait(second, lambda d: "王芳" in css(d, ".greet").text, msg="the new link signs in as 王芳")
        run.check("a link that cannot be derived any more: the row says so and offers a new link, which works", link_unavailable, org, second)

        s.check_console(org, unit, comp, second, bad)
        s.check_ops(org, unit, comp, second, bad)
    return s.result()


if __name__ == "__main__":
    run_module(main)
