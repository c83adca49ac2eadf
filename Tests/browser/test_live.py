#!/usr/bin/python3
"""Browser test of the live meeting (issue 4) against the real server: the
host console (agenda with a large timer, queue, floor, minutes, attendance,
speaking time, export, ending the meeting through the gate dialog), the
participant's live view (raise hand, question, upvote, "you have the floor"
with the countdown, presence, minutes arriving live), the recorder's rights,
and 390 px phone width.

Runs with Debian's python3 and python3-selenium, chromium and chromium-driver:

    /usr/bin/python3 Tests/browser/test_live.py
    /usr/bin/python3 Tests/browser/run.py test_live

Setup goes over a WebSocket opened inside a loaded page (no extra Python
package): the admin creates an organizer, the organizer a meeting with a
roster, and moves it to live (forced, with a reason). Everything checked is
then done through the pages, in three browsers:
    a  the host (a participant with the host role, on its invite link), later the organizer
    b  an attending unit's participant, whose clock is set two hours wrong (the
       timers must follow the server's clock, not the machine's)
    c  the recorder

Same environment as test_page.py (ROADSHOW_BIN, ROADSHOW_SHOTS, CHROMIUM,
CHROMEDRIVER); the shared helpers are in harness.py.
"""
import base64
import os
import re
import subprocess
import sys
import time

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.support.ui import Select

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import (  # noqa: E402
    ADMIN_TOKEN, Session, click, css, element_shot, fill, js, overflow, rpc, run_module, shot, visible, wait,
)

MEETING = "新能源电池项目线上路演"

# The machine's clock two hours behind the server's: Date.now() only (the page's timers
# must take the skew from the server's serverTime, not trust this clock).
SKEWED_CLOCK_JS = """
(() => { const real = Date.now.bind(Date); Date.now = () => real() - 2 * 3600 * 1000; })();
"""


def clock_seconds(text):
    """'01:05' → 65, '1:02:05' → 3725, with an optional leading '−'."""
    text = text.strip().lstrip("−-")
    parts = [int(p) for p in text.split(":")]
    s = 0
    for p in parts:
        s = s * 60 + p
    return s


def text_of(d, sel):
    els = d.find_elements(By.CSS_SELECTOR, sel)
    return els[0].text if els else ""


def shown(d, sel):
    els = d.find_elements(By.CSS_SELECTOR, sel)
    return bool(els) and els[0].is_displayed()


def part_shots(d, sel, folder, name, height=1000):
    """Screenshots of one element in slices of `height` px (for looking at long sections closely)."""
    element_shot(d, sel, folder, name, height=height)


def alt_digit(d, digit):
    """Alt+<digit> as a keyboard user presses it (keydown with code DigitN)."""
    ActionChains(d).key_down(Keys.ALT).send_keys(str(digit)).key_up(Keys.ALT).perform()


def ctrl_enter(d):
    ActionChains(d).key_down(Keys.CONTROL).send_keys(Keys.ENTER).key_up(Keys.CONTROL).perform()


def main():
    st = {}
    with Session("roadshow-live-") as s:
        server, run, shots = s.server, s.run, s.shots
        server.start()
        base = server.url
        a = s.driver("zh-CN")
        b = s.driver("zh-CN")
        c = s.driver("zh-CN")
        b.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": SKEWED_CLOCK_JS})

        def link(token):
            return base + "/#/join/" + token

        # ---------------------------------------------------------------- setup
        def setup():
            a.get(base + "/")
            visible(a, "#signin-form")
            [acc] = rpc(a, ADMIN_TOKEN, ("account.create", {"name": "市投资促进局", "kind": "organizer"}))
            st["org"] = org = acc["token"]
            [m] = rpc(a, org, ("meeting.create", {
                "title": MEETING,
                "company": {"name": "华东新能源科技有限公司", "contact": "李明"},
                "project": {"name": "动力电池生产基地", "category": "industrial", "investment": 12.5},
                "startsAt": "2026-12-01T14:00:00+08:00", "durationMinutes": 90,
                "system": {"name": "腾讯会议", "room": "123 456 789"}}))
            st["m"] = mid = m["meeting"]["id"]
            people = rpc(a, org,
                         ("roster.add", {"meeting": mid, "name": "周主持", "unit": "市投资促进局", "role": "host"}),
                         ("roster.add", {"meeting": mid, "name": "吴记录", "unit": "市投资促进局", "role": "recorder"}),
                         ("roster.add", {"meeting": mid, "name": "张伟", "unit": "市发展改革委", "role": "unit"}),
                         ("roster.add", {"meeting": mid, "name": "王芳", "unit": "华东新能源科技有限公司", "role": "company"}),
                         ("roster.add", {"meeting": mid, "name": "李四", "unit": "黄山高新区", "role": "unit"}))
            for key, r in zip(("host", "rec", "zhang", "wang", "li"), people):
                st[key] = r["participant"]["id"]
                st[key + "_tok"] = r["token"]
            rpc(a, org, ("meeting.advance", {"meeting": mid, "to": "rehearsal"}))
        run.step("setup: organizer, meeting with host, recorder and three participants, in rehearsal", setup, a)

        # ---------------------------------------------------------------- before the meeting
        def plan_agenda():
            # A participant's page is open before there is an agenda: nothing to show yet.
            b.get(link(st["zhang_tok"]))
            visible(b, "#confirm")
            assert not shown(b, "#live-agenda"), "no empty agenda for participants"
            c.get(base + "/")
            js(c, "localStorage.setItem('roadshow.token', arguments[0]); localStorage.setItem('roadshow.kind', 'organizer')", st["org"])
            c.get(base + "/#/m/" + st["m"])
            # The joint test's page opens on the AV roster; the agenda is one click away.
            click(c, "#tab-agenda")
            visible(c, "#live-agenda")
            # Planning comes after the page's own preparation sections; no live controls yet.
            assert js(c, "return !!(document.querySelector('.prep-body').compareDocumentPosition(document.getElementById('live-agenda')) & Node.DOCUMENT_POSITION_FOLLOWING)")
            for sel in ("#live-bar", "#live-now", "#live-queue", "#minutes-form", "[data-action=start-item]"):
                assert not [e for e in c.find_elements(By.CSS_SELECTOR, sel) if e.is_displayed()], "no %s before the meeting" % sel
            click(c, "#agenda-add > summary")
            fill(c, "#agenda-form [data-field=title]", "主持人开场")
            fill(c, "#agenda-form [data-field=minutes]", "5")
            click(c, "#agenda-form [data-action=add-item]")
            wait(c, lambda d: len(d.find_elements(By.CSS_SELECTOR, "#agenda-list .agenda-item")) == 1, msg="one item")
            fill(c, "#agenda-form [data-field=title]", "企业项目推介")
            fill(c, "#agenda-form [data-field=minutes]", "20")
            Select(css(c, "#agenda-form [data-field=speaker]")).select_by_value(st["wang"])
            click(c, "#agenda-form [data-action=add-item]")
            wait(c, lambda d: len(d.find_elements(By.CSS_SELECTOR, "#agenda-list .agenda-item")) == 2, msg="two items")
            assert "计划 25 分钟" in css(c, "#agenda-summary").text
            # The participant sees the agenda shared in advance, live and read-only.
            visible(b, "#live-agenda")
            wait(b, lambda d: len(d.find_elements(By.CSS_SELECTOR, "#agenda-list .agenda-item")) == 2, msg="participant sees the agenda")
            assert not b.find_elements(By.CSS_SELECTOR, "#agenda-form, [data-action=edit-item]")
            assert shown(b, "#confirm"), "the confirmation stays before the meeting"
            shot(c, shots, "L00-organizer-plans-agenda")
            js(c, "window.__noReload = 'c'")
            js(b, "window.__noReload = 'b'")
        run.step("before the meeting the organizer plans the agenda; a participant sees it read-only", plan_agenda, c, b)

        def go_live():
            rpc(a, st["org"], ("meeting.advance", {"meeting": st["m"], "to": "live", "force": True, "reason": "浏览器测试"}))
            # Open pages turn into the live views without a reload.
            visible(c, "#live-bar")
            visible(b, "#live-hand")
            assert not shown(b, "#confirm"), "the confirmation steps aside"
            assert js(c, "return window.__noReload") == "c" and js(b, "return window.__noReload") == "b"
            assert js(c, "return !!(document.getElementById('live-bar').compareDocumentPosition(document.querySelector('.prep-body')) & Node.DOCUMENT_POSITION_FOLLOWING)"), \
                "the console comes before the preparation sections"
        run.step("going live turns open pages into the live views, without a reload", go_live, c, b)

        # ---------------------------------------------------------------- host console
        def host_console():
            a.get(link(st["host_tok"]))
            visible(a, "#live-bar")
            visible(a, "#live-now")
            assert css(a, "#live-end").is_displayed(), "the host may end the meeting"
            items = a.find_elements(By.CSS_SELECTOR, "#agenda-list .agenda-item")
            assert [i.find_element(By.CSS_SELECTOR, ".agenda-title").text for i in items] == ["主持人开场", "企业项目推介"]
            assert all(i.get_attribute("data-status") == "planned" for i in items)
            assert "议程尚未开始" in css(a, "#now-title").text
            # The pre-meeting confirmation steps aside while the meeting runs.
            assert not shown(a, "#confirm"), "no attendance confirmation while live"
            shot(a, shots, "L01-host-console-start")
        run.step("the host's invite page shows the host console", host_console, a)

        def agenda_edit():
            click(a, "#agenda-add > summary")
            fill(a, "#agenda-form [data-field=title]", "参会单位提问交流")
            fill(a, "#agenda-form [data-field=minutes]", "1")
            Select(css(a, "#agenda-form [data-field=speakingLimitSeconds]")).select_by_value("60")
            click(a, "#agenda-form [data-action=add-item]")
            wait(a, lambda d: len(d.find_elements(By.CSS_SELECTOR, "#agenda-list .agenda-item")) == 3, msg="three items")
            # An empty title is caught next to the field.
            click(a, "#agenda-form [data-action=add-item]")
            wait(a, lambda d: css(d, "#agenda-form [data-field=title]").get_attribute("aria-invalid") == "true", msg="title required")
            # Move the new item up one place (keyboard focus stays on the moved item).
            last = a.find_elements(By.CSS_SELECTOR, "#agenda-list .agenda-item")[2]
            st["qa_item"] = last.get_attribute("data-id")
            click(a, last.find_element(By.CSS_SELECTOR, "[data-action=move-up]"))
            wait(a, lambda d: d.find_elements(By.CSS_SELECTOR, "#agenda-list .agenda-item")[1].get_attribute("data-id") == st["qa_item"],
                 msg="moved up")
            focused = js(a, "return document.activeElement.closest('.agenda-item') && document.activeElement.closest('.agenda-item').dataset.id")
            assert focused == st["qa_item"], "focus follows the moved item: %r" % focused
            # Edit it: the title changes everywhere.
            row = css(a, "#agenda-list .agenda-item[data-id='%s']" % st["qa_item"])
            click(a, row.find_element(By.CSS_SELECTOR, "[data-action=edit-item]"))
            title = visible(a, "#agenda-list .agenda-edit [data-field=title]")
            title.clear()
            title.send_keys("参会单位提问")
            click(a, "#agenda-list .agenda-edit [data-action=save-item]")
            wait(a, lambda d: "参会单位提问" == css(d, "#agenda-list .agenda-item[data-id='%s'] .agenda-title" % st["qa_item"]).text,
                 msg="title updated")
            # Move it back to the end, then remove the first item (confirm dialog).
            click(a, "#agenda-list .agenda-item[data-id='%s'] [data-action=move-down]" % st["qa_item"])
            wait(a, lambda d: d.find_elements(By.CSS_SELECTOR, "#agenda-list .agenda-item")[2].get_attribute("data-id") == st["qa_item"])
            first = a.find_elements(By.CSS_SELECTOR, "#agenda-list .agenda-item")[0]
            click(a, first.find_element(By.CSS_SELECTOR, "[data-action=remove-item]"))
            click(a, "dialog [data-test=dialog-ok]")
            wait(a, lambda d: len(d.find_elements(By.CSS_SELECTOR, "#agenda-list .agenda-item")) == 2, msg="removed")
        run.check("agenda: add (with a limit per speech), refuse an empty title, move up/down, edit, remove", agenda_edit, a)

        def agenda_start():
            click(a, "#agenda-next")
            wait(a, lambda d: css(d, "#live-now").get_attribute("data-running") != "", msg="an item runs")
            assert css(a, "#now-title").text == "企业项目推介"
            assert "王芳" in css(a, "#now-sub").text, "the speaker is named"
            visible(a, "#agenda-timer")
            first = clock_seconds(css(a, "#agenda-timer").text)
            assert first <= 3, "starts near zero: %s" % first
            assert "20:00" in css(a, "#agenda-plan").text
            wait(a, lambda d: clock_seconds(css(d, "#agenda-timer").text) >= first + 1, msg="the timer counts")
            assert css(a, "#agenda-list .agenda-item[data-status=running] .agenda-title").text == "企业项目推介"
        run.step("the host starts the agenda: the running item with a large timer that counts", agenda_start, a)

        # ---------------------------------------------------------------- participant
        def participant_live():
            b.get(link(st["zhang_tok"]))
            visible(b, "#live-now")
            assert css(b, "#now-title").text == "企业项目推介"
            secs = clock_seconds(css(b, "#agenda-timer").text)
            # b's machine clock is two hours behind: the timer still shows seconds, not −2 h or 0 forever.
            assert secs < 60, "timer follows the server's clock, not the machine's: %s" % css(b, "#agenda-timer").text
            wait(b, lambda d: clock_seconds(css(d, "#agenda-timer").text) > secs, msg="participant's timer counts")
            # No host controls for a participant.
            for sel in ("#live-bar", "#agenda-next", "#queue-next", "#agenda-form", "[data-action=grant]"):
                assert not b.find_elements(By.CSS_SELECTOR, sel), "participant has no %s" % sel
            visible(b, "#live-hand")
            visible(b, "#live-presence")
            # Opening the live meeting counts as joining it.
            wait(b, lambda d: css(d, "#live-presence").get_attribute("data-status") == "present", msg="present on opening")
            assert [e.get_attribute("data-status") for e in b.find_elements(By.CSS_SELECTOR, "#live-presence [aria-pressed=true]")] == ["present"]
            wait(a, lambda d: css(d, "#attendance-list .att-item[data-id='%s']" % st["zhang"]).get_attribute("data-status") == "present",
                 msg="the host sees 张伟 present")
            js(b, "window.__noReload = 'b'")
            js(a, "window.__noReload = 'a'")
            shot(b, shots, "L02-participant-live")
        run.step("the participant's page shows the running item and its timer (server clock), no host controls", participant_live, b, a)

        def raise_and_vote():
            # 王芳 (the company) asks a question over the wire; 李四 raises a hand to speak.
            rpc(a, st["wang_tok"], ("queue.raise", {"meeting": st["m"], "kind": "question", "text": "用地指标如何落实？"}))
            rpc(a, st["li_tok"], ("queue.raise", {"meeting": st["m"], "kind": "speak"}))
            wait(b, lambda d: len(d.find_elements(By.CSS_SELECTOR, "#queue-list .queue-item")) == 2, msg="participant sees the queue")
            # 张伟 asks his own question through the page.
            fill(b, "#question-form [data-field=text]", "园区配套电力是否充足？")
            click(b, "#raise-question")
            wait(b, lambda d: css(d, "#live-hand").get_attribute("data-state") == "raised", msg="hand raised")
            assert css(b, "#my-position").get_attribute("data-position") == "3"
            assert "3" in css(b, "#my-position").text
            mine = css(b, "#queue-list .queue-item.is-me")
            assert not mine.find_element(By.CSS_SELECTOR, "[data-action=upvote]").is_displayed(), "no upvote of one's own question"
            # Upvote 王芳's question: once.
            wang_q = [li for li in b.find_elements(By.CSS_SELECTOR, "#queue-list .queue-item") if "王芳" in li.text][0]
            qid = wang_q.get_attribute("data-id")
            click(b, wang_q.find_element(By.CSS_SELECTOR, "[data-action=upvote]"))
            wait(b, lambda d: css(d, "#queue-list .queue-item[data-id='%s'] [data-action=upvote]" % qid).get_attribute("aria-pressed") == "true",
                 msg="upvoted")
            assert not css(b, "#queue-list .queue-item[data-id='%s'] [data-action=upvote]" % qid).is_enabled(), "one vote each"
            # The speak entry cannot be upvoted.
            li_entry = [li for li in b.find_elements(By.CSS_SELECTOR, "#queue-list .queue-item") if "李四" in li.text][0]
            assert not li_entry.find_element(By.CSS_SELECTOR, "[data-action=upvote]").is_displayed()
            # The host sees the same order with the vote, live.
            wait(a, lambda d: len(d.find_elements(By.CSS_SELECTOR, "#queue-list .queue-item")) == 3, msg="host sees three")
            order_a = [li.get_attribute("data-id") for li in a.find_elements(By.CSS_SELECTOR, "#queue-list .queue-item")]
            order_b = [li.get_attribute("data-id") for li in b.find_elements(By.CSS_SELECTOR, "#queue-list .queue-item")]
            assert order_a == order_b, "same order: %s vs %s" % (order_a, order_b)
            wait(a, lambda d: css(d, "#queue-list .queue-item[data-id='%s'] .queue-votes" % qid).get_attribute("data-votes") == "1",
                 msg="host sees the vote")
            st["wang_q"] = qid
            st["zhang_q"] = css(b, "#queue-list .queue-item.is-me").get_attribute("data-id")
            shot(b, shots, "L03-participant-raised")
            shot(a, shots, "L04-host-queue")
        run.step("participant asks a question and upvotes another once; the host sees the same queue live", raise_and_vote, b, a)

        def lower_and_raise_again():
            click(b, "#lower-hand")
            wait(b, lambda d: css(d, "#live-hand").get_attribute("data-state") == "idle", msg="lowered")
            wait(a, lambda d: len(d.find_elements(By.CSS_SELECTOR, "#queue-list .queue-item")) == 2, msg="host sees it gone")
            click(b, "#raise-speak")
            wait(b, lambda d: css(d, "#live-hand").get_attribute("data-state") == "raised", msg="raised to speak")
            assert js(b, "return document.activeElement && document.activeElement.id") == "lower-hand", "focus on 'lower'"
            st["zhang_q"] = css(b, "#queue-list .queue-item.is-me").get_attribute("data-id")
            wait(a, lambda d: len(d.find_elements(By.CSS_SELECTOR, "#queue-list .queue-item[data-id='%s']" % st["zhang_q"])) == 1)
        run.check("participant lowers the hand and raises it again to speak", lower_and_raise_again, b, a)

        def grant_floor():
            # The running item has no limit per speech: start the Q&A item, whose limit is 60 s.
            click(a, "#agenda-next")
            wait(a, lambda d: css(d, "#now-title").text == "参会单位提问", msg="next item runs")
            assert css(a, "#agenda-list .agenda-item[data-status=done] .agenda-actual"), "the finished item shows its actual time"
            row = css(a, "#queue-list .queue-item[data-id='%s']" % st["zhang_q"])
            click(a, row.find_element(By.CSS_SELECTOR, "[data-action=grant]"))
            banner = visible(b, "#my-floor")
            assert "您正在发言" in css(b, "#my-floor-title").text
            left = clock_seconds(css(b, "#my-floor-timer").text)
            assert 50 <= left <= 60, "countdown from the 60 s limit: %s" % css(b, "#my-floor-timer").text
            wait(b, lambda d: clock_seconds(css(d, "#my-floor-timer").text) < left, msg="the countdown runs")
            assert banner.get_attribute("data-state") in ("ok", "near")
            # Everyone sees who has the floor; the host's page counts down too.
            wait(a, lambda d: css(d, "#live-floor").get_attribute("data-participant") == st["zhang"], msg="host sees the floor")
            assert "张伟" in css(a, "#live-floor").text
            assert clock_seconds(css(a, "#floor-timer").text) <= 60
            wait(b, lambda d: css(d, "#live-hand").get_attribute("data-state") == "idle", msg="out of the queue")
            shot(b, shots, "L05-participant-has-floor")
            shot(a, shots, "L06-host-floor")
        run.step("the host grants the floor; the participant's page shows 'you have the floor' with the countdown", grant_floor, a, b)

        def minutes_live():
            # Keyboard only: Alt+2 picks 投资合作意向, Ctrl+Enter saves.
            text = visible(a, "#minutes-form [data-field=text]")
            click(a, text)
            alt_digit(a, 2)
            wait(a, lambda d: css(d, "#minutes-form").get_attribute("data-kind") == "intent", msg="Alt+2 → intent")
            assert js(a, "return document.activeElement === arguments[0]", text), "focus in the text"
            text.send_keys("拟投资12.5亿元建设动力电池生产基地，分两期实施")
            ctrl_enter(a)
            wait(b, lambda d: "拟投资12.5亿元" in text_of(d, "#minutes-list"), msg="the participant sees the minutes live")
            sec = css(b, "#minutes-list .minutes-section[data-kind=intent]")
            assert "投资合作意向" in sec.text
            assert js(b, "return window.__noReload") == "b", "no reload on the participant's page"
            # Action with owner and due date, by clicking the kind.
            click(a, "#minutes-kinds .kind-chip[data-kind=action]")
            visible(a, "#minutes-form [data-field=owner]")
            fill(a, "#minutes-form [data-field=text]", "提供三处备选地块的选址方案")
            fill(a, "#minutes-form [data-field=owner]", "黄山高新区")
            js(a, "const el=document.querySelector('#minutes-form [data-field=due]'); el.value='2026-12-15'; el.dispatchEvent(new Event('input',{bubbles:true}))")
            click(a, "#minutes-submit")
            wait(b, lambda d: "提供三处备选地块" in text_of(d, "#minutes-list .minutes-section[data-kind=action]"), msg="action live")
            assert "黄山高新区" in text_of(b, "#minutes-list .minutes-section[data-kind=action]")
            # The gate status: intent recorded, next contact not yet.
            assert css(a, "#minutes-gate [data-kind=intent]").get_attribute("data-state") == "yes"
            assert css(a, "#minutes-gate [data-kind=next_contact]").get_attribute("data-state") == "unknown"
            shot(a, shots, "L07-host-minutes")
            shot(b, shots, "L08-participant-minutes")
        run.step("minutes typed by the host (Alt+2, Ctrl+Enter; an action with owner and due) appear live on the participant's page", minutes_live, a, b)

        def minutes_edit_remove():
            entry = [li for li in a.find_elements(By.CSS_SELECTOR, "#minutes-list .minutes-entry") if "拟投资12.5亿元" in li.text][0]
            eid = entry.get_attribute("data-id")
            click(a, entry.find_element(By.CSS_SELECTOR, "[data-action=edit-minutes]"))
            ta = visible(a, "#minutes-list .minutes-edit [data-field=text]")
            ta.send_keys("（首期6亿元）")
            ctrl_enter(a)
            wait(b, lambda d: "首期6亿元" in text_of(d, "#minutes-list .minutes-entry[data-id='%s']" % eid), msg="edit arrives")
            # Remove a note added for the purpose.
            rpc(a, st["host_tok"], ("minutes.add", {"meeting": st["m"], "kind": "note", "text": "临时记录，待删除"}))
            wait(b, lambda d: "临时记录" in text_of(d, "#minutes-list"))
            note = [li for li in a.find_elements(By.CSS_SELECTOR, "#minutes-list .minutes-entry") if "临时记录" in li.text][0]
            click(a, note.find_element(By.CSS_SELECTOR, "[data-action=remove-minutes]"))
            click(a, "dialog [data-test=dialog-ok]")
            wait(b, lambda d: "临时记录" not in text_of(d, "#minutes-list"), msg="removal arrives")
        run.check("minutes: edit and remove reach the participant live", minutes_edit_remove, a, b)

        def recorder():
            c.get(link(st["rec_tok"]))
            visible(c, "#minutes-form")
            wait(c, lambda d: "拟投资12.5亿元" in text_of(d, "#minutes-list"))
            for sel in ("[data-action=grant]", "#queue-next", "#queue-next-votes", "#floor-release", "#agenda-next", "#agenda-finish", "#live-end", "#agenda-form"):
                assert not c.find_elements(By.CSS_SELECTOR, sel), "the recorder has no %s" % sel
            assert c.find_elements(By.CSS_SELECTOR, "#queue-list .queue-item"), "the recorder sees the queue"
            text = css(c, "#minutes-form [data-field=text]")
            click(c, text)
            alt_digit(c, 8)
            wait(c, lambda d: css(d, "#minutes-form").get_attribute("data-kind") == "next_contact", msg="Alt+8 → next contact")
            text.send_keys("下周三视频会议，商谈选址")
            fill(c, "#minutes-form [data-field=owner]", "市投资促进局 周主持")
            click(c, "#minutes-submit")
            wait(a, lambda d: "下周三视频会议" in text_of(d, "#minutes-list .minutes-section[data-kind=next_contact]"), msg="host sees it")
            wait(b, lambda d: "下周三视频会议" in text_of(d, "#minutes-list"), msg="participant sees it")
            wait(a, lambda d: css(d, "#minutes-gate [data-kind=next_contact]").get_attribute("data-state") == "yes")
            shot(c, shots, "L09-recorder")
        run.step("the recorder's page has the minutes editor but no floor or agenda controls", recorder, c, a)

        def release_and_totals():
            time.sleep(1.2)
            click(b, "#my-floor-done")
            wait(b, lambda d: not shown(d, "#my-floor"), msg="banner gone")
            wait(a, lambda d: css(d, "#live-floor").get_attribute("data-participant") == "", msg="host sees the floor free")
            rows = wait(a, lambda d: d.find_elements(By.CSS_SELECTOR, "#totals-units .totals-row"), msg="totals shown")
            assert rows[0].get_attribute("data-unit") == "市发展改革委"
            # The same totals the server computes (meeting.get).
            [snap] = rpc(a, st["org"], ("meeting.get", {"meeting": st["m"]}))
            server_units = [(u["unit"], u["seconds"]) for u in snap["snapshot"]["speakingTotals"]["units"]]
            page_units = [(r.get_attribute("data-unit"), int(r.get_attribute("data-seconds"))) for r in
                          a.find_elements(By.CSS_SELECTOR, "#totals-units .totals-row")]
            assert page_units == server_units, "page %s vs server %s" % (page_units, server_units)
            assert server_units[0][1] >= 1
            # Next by votes: 王芳's question (1 vote), not 李四 who is first in order.
            click(a, "#queue-next-votes")
            wait(a, lambda d: css(d, "#live-floor").get_attribute("data-participant") == st["wang"], msg="the most upvoted question")
            assert "用地指标如何落实" in css(a, "#live-floor").text
            click(a, "#floor-release")
            wait(a, lambda d: css(d, "#live-floor").get_attribute("data-participant") == "")
            # Remove 李四 from the queue (confirm).
            click(a, "#queue-list .queue-item [data-action=remove-entry]")
            click(a, "dialog [data-test=dialog-ok]")
            wait(a, lambda d: not d.find_elements(By.CSS_SELECTOR, "#queue-list .queue-item"), msg="queue empty")
            wait(b, lambda d: not d.find_elements(By.CSS_SELECTOR, "#queue-list .queue-item"), msg="participant sees it empty")
            [snap] = rpc(a, st["org"], ("meeting.get", {"meeting": st["m"]}))
            page_people = [(r.get_attribute("data-participant"), int(r.get_attribute("data-seconds"))) for r in
                           a.find_elements(By.CSS_SELECTOR, "#totals-people .totals-row")]
            server_people = [(p["participant"], p["seconds"]) for p in snap["snapshot"]["speakingTotals"]["participants"]]
            assert page_people == server_people, "page %s vs server %s" % (page_people, server_people)
        run.check("done speaking, speaking time per unit as the server counts it, next by votes, release, remove", release_and_totals, a, b)

        def presence():
            click(b, "#live-presence [data-status=away]")
            reason = visible(b, "#presence-form [data-field=reason]")
            click(b, "#presence-confirm")
            wait(b, lambda d: reason.get_attribute("aria-invalid") == "true", msg="a reason is asked for")
            reason.send_keys("接听紧急电话，约5分钟")
            click(b, "#presence-confirm")
            wait(b, lambda d: css(d, "#live-presence").get_attribute("data-status") == "away", msg="away")
            row = "#attendance-list .att-item[data-id='%s']" % st["zhang"]
            wait(a, lambda d: css(d, row).get_attribute("data-status") == "away", msg="host sees away")
            assert "接听紧急电话" in css(a, row).text
            click(b, "#live-presence [data-status=present]")
            wait(a, lambda d: css(d, row).get_attribute("data-status") == "present", msg="back")
            assert re.search(r"\d{2}:\d{2} 入会", css(a, row).text), "joined time shown: %r" % css(a, row).text
            assert "在线" in css(a, "#attendance-summary").text
        run.check("presence: away needs a reason; the host sees away with the reason, then present again", presence, a, b)

        def contact_exchange():
            # The meeting's kind beside the phase in the header (issue 12 point 4).
            assert "企业项目路演" in css(c, ".meeting-kind").text
            # The host prompts the exchange; the participant's share dialog opens; the sheet fills.
            click(a, "#contacts-prompt")
            wait(b, lambda d: css(d, "#contacts-share").get_attribute("open") is not None, msg="the prompt opens the share dialog")
            click(b, "#contacts-share-form input[name=audience][value=government]")
            fill(b, "#contacts-share-form [name=phone]", "138 0000 0001")
            click(b, "#contacts-share-submit")
            row = "#contacts-list .contacts-row[data-participant='%s']" % st["zhang"]
            wait(a, lambda d: d.find_elements(By.CSS_SELECTOR, row), msg="the host's sheet has the card")
            assert "138 0000 0001" in css(a, row).text and "仅政府方" in css(a, row).text
            wait(b, lambda d: "政府方" in css(d, "#contacts-mine").text, msg="the participant sees its choice")
            # The company's sheet never has a card shared with the government side only.
            [sheet] = rpc(a, st["wang_tok"], ("contacts.sheet", {"meeting": st["m"]}))
            assert not [r for r in sheet["contacts"] if r.get("participant") == st["zhang"]], sheet
            # Withdrawn: gone from the host's sheet live.
            click(b, "#contacts-share > summary")
            click(b, "#contacts-share-form input[name=audience][value=none]")
            click(b, "#contacts-share-submit")
            wait(a, lambda d: not d.find_elements(By.CSS_SELECTOR, row), msg="the withdrawn card leaves the sheet")
        run.check("contact exchange: the host prompts, a participant shares with the government side, the sheet fills, the company never sees it, withdrawal", contact_exchange, a, b)

        def export():
            click(a, "#export-preview-toggle")
            try:
                sheet = visible(a, "#minutes-document")
                wait(a, lambda d: sheet.get_attribute("aria-busy") is None, msg="preview rendered")
                # A rendered document, not Markdown source: the title is a heading, tables are tables.
                assert css(a, "#minutes-document h1").text == MEETING + "会议纪要"
                text = sheet.text
                assert "拟投资12.5亿元" in text and "下周三视频会议" in text and "接听紧急电话" in text, text[:600]
                assert "|---" not in text and "\n#" not in text and "**" not in text, text[:400]
                assert a.find_elements(By.CSS_SELECTOR, "#minutes-document table.pd-table th")
                shot(a, shots, "L10-host-export-preview")
                # Printed, the preview is the document alone on A4.
                out = a.execute_cdp_cmd("Page.printToPDF", {"preferCSSPageSize": True, "printBackground": True})
                pdf = os.path.join(shots, "L10-minutes.pdf")
                with open(pdf, "wb") as f:
                    f.write(base64.b64decode(out["data"]))
                info = subprocess.run(["pdfinfo", pdf], capture_output=True, text=True, check=True).stdout
                size = re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info)
                assert size and abs(float(size.group(1)) - 595.3) < 2 and abs(float(size.group(2)) - 841.9) < 2, info
                page1 = re.sub(r"\s+", "", subprocess.run(["pdftotext", "-f", "1", "-l", "1", pdf, "-"], capture_output=True, text=True, check=True).stdout)
                assert (MEETING + "会议纪要") in page1 and "出席人员" in page1, page1[:300]
                for chrome in ("退出", "English", "打印", "下载", "发言队列"):
                    assert chrome not in page1, "no app chrome in print: %r found" % chrome
                subprocess.run(["pdftoppm", "-png", "-r", "70", "-f", "1", "-l", "1", "-singlefile", pdf, os.path.join(shots, "L10-minutes-p1")], check=True)
            finally:
                # Closed whatever happened above, so the next steps see the page again.
                for b in a.find_elements(By.CSS_SELECTOR, "#minutes-document-close"):
                    b.click()
            wait(a, lambda d: not d.find_elements(By.CSS_SELECTOR, "#minutes-preview"), msg="preview closed")
            click(a, "#export-download")
            named = re.compile(re.escape(MEETING) + r"-会议纪要-\d{4}-\d{2}-\d{2}\.md$")
            wait(a, lambda d: named.match(css(d, "#live-export").get_attribute("data-filename") or ""), msg="download named")
            click(a, "#export-docx")
            docx_named = re.compile(re.escape(MEETING) + r"-会议纪要-\d{4}-\d{2}-\d{2}\.docx$")
            wait(a, lambda d: docx_named.match(css(d, "#export-docx").get_attribute("data-filename") or ""), msg="Word document named")
            shot(a, shots, "L10-host-export")
        run.check("export: the rendered A4 preview, the Markdown and the Word downloads", export, a)

        def phone():
            problems = []
            for d, name in ((a, "host"), (b, "participant"), (c, "recorder")):
                d.set_window_size(1280, 900)
                time.sleep(0.3)
                shot(d, shots, "L11-desktop-%s" % name)
                part_shots(d, "#live-slot", shots, "L11-desktop-%s-live" % name)
                d.set_window_size(390, 844)
                time.sleep(0.5)
                problems.append(overflow(d, name))
                shot(d, shots, "L12-phone-%s" % name)
                shot(d, shots, "L12-phone-%s-top" % name, full=False)
                part_shots(d, "#live-slot", shots, "L12-phone-%s-live" % name, height=1400)
            # The floor banner at phone width too.
            rpc(a, st["li_tok"], ("queue.raise", {"meeting": st["m"], "kind": "speak"}))
            rpc(a, st["zhang_tok"], ("queue.raise", {"meeting": st["m"], "kind": "speak"}))
            wait(a, lambda d: len(d.find_elements(By.CSS_SELECTOR, "#queue-list .queue-item")) == 2)
            zid = [li.get_attribute("data-id") for li in a.find_elements(By.CSS_SELECTOR, "#queue-list .queue-item") if "张伟" in li.text][0]
            click(a, "#queue-list .queue-item[data-id='%s'] [data-action=grant]" % zid)
            visible(b, "#my-floor")
            time.sleep(0.3)
            problems.append(overflow(b, "participant with the floor"))
            problems.append(overflow(a, "host with a queue"))
            shot(b, shots, "L13-phone-participant-floor", full=False)
            shot(a, shots, "L13-phone-host-floor")
            problems = [p for p in problems if p]
            assert not problems, "; ".join(problems)
            for d in (a, b, c):
                d.set_window_size(1280, 900)
        run.check("390px phone: nothing overflows sideways (host, participant with the floor, recorder)", phone, a, b, c)

        def dark():
            for d, name in ((a, "host"), (b, "participant")):
                d.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": [{"name": "prefers-color-scheme", "value": "dark"}]})
                time.sleep(0.3)
                card_bg = js(d, "return getComputedStyle(document.getElementById('live-now')).backgroundColor")
                timer = js(d, "return getComputedStyle(document.getElementById('agenda-timer')).color")
                assert card_bg != "rgb(255, 255, 255)" and timer != card_bg, "dark: card %s, timer %s" % (card_bg, timer)
                shot(d, shots, "L13b-dark-%s" % name, full=False)
                part_shots(d, "#live-slot", shots, "L13b-dark-%s-live" % name)
                d.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": []})
        run.check("dark colour scheme: the live views follow it", dark, a, b)

        def language():
            click(b, "#lang-toggle")
            wait(b, lambda d: js(d, "return document.documentElement.lang") == "en")
            assert "You have the floor" in css(b, "#my-floor-title").text
            assert "Investment intent" in css(b, "#minutes-list .minutes-section[data-kind=intent]").text
            assert "Speaker queue" in css(b, "#live-queue-h").text
            shot(b, shots, "L14-participant-en")
            click(b, "#lang-toggle")
            wait(b, lambda d: js(d, "return document.documentElement.lang") == "zh-CN")
            # The host console in English, at phone width too (longer labels).
            click(a, "#lang-toggle")
            wait(a, lambda d: "Speaker queue" in css(d, "#live-queue-h").text)
            assert "Most upvoted question" in css(a, "#queue-next-votes").text
            assert "Investment intent" in css(a, "#minutes-kinds").text
            a.set_window_size(390, 844)
            time.sleep(0.4)
            problem = overflow(a, "host console in English")
            part_shots(a, "#live-slot", shots, "L14-phone-host-en", height=1400)
            a.set_window_size(1280, 900)
            click(a, "#lang-toggle")
            wait(a, lambda d: "发言队列" in css(d, "#live-queue-h").text)
            assert not problem, problem
        run.check("the live views re-label in English (participant; host console at phone width)", language, b, a)

        def restart():
            js(a, "window.__noReload = 'a'")
            js(b, "window.__noReload = 'b'")
            before = len(b.find_elements(By.CSS_SELECTOR, "#queue-list .queue-item"))
            server.stop()
            visible(b, "#conn-banner", timeout=20)
            # The host writes a minute while the server is away: it is sent once it is back.
            click(a, "#minutes-kinds .kind-chip[data-kind=decision]")
            fill(a, "#minutes-form [data-field=text]", "双方同意两周内完成选址踏勘")
            click(a, "#minutes-submit")
            server.start()
            wait(b, lambda d: not css(d, "#conn-banner").is_displayed(), timeout=40, msg="reconnected")
            wait(b, lambda d: "两周内完成选址踏勘" in text_of(d, "#minutes-list .minutes-section[data-kind=decision]"), timeout=20,
                 msg="the minute made while offline arrives")
            rpc(a, st["wang_tok"], ("queue.raise", {"meeting": st["m"], "kind": "question", "text": "能否提供人才公寓？"}))
            wait(b, lambda d: len(d.find_elements(By.CSS_SELECTOR, "#queue-list .queue-item")) == before + 1, msg="live again")
            assert clock_seconds(css(b, "#agenda-timer").text) < 3600, "the timer still follows the server"
            assert len([e for e in a.find_elements(By.CSS_SELECTOR, "#minutes-list .minutes-entry") if "两周内完成选址踏勘" in e.text]) == 1, "sent once"
            assert js(a, "return window.__noReload") == "a" and js(b, "return window.__noReload") == "b"
        run.check("after a server restart the live views resume: a minute made offline arrives once, the queue is live", restart, a, b)

        def organizer_ends():
            # The organizer's own meeting page carries the same console.
            c.get(base + "/")
            js(c, "localStorage.setItem('roadshow.token', arguments[0]); localStorage.setItem('roadshow.kind', 'organizer')", st["org"])
            c.get(base + "/#/m/" + st["m"])
            c.refresh()
            visible(c, "#live-bar")
            visible(c, "#queue-next")
            assert c.find_elements(By.CSS_SELECTOR, "#queue-list [data-action=grant]"), "the organizer may grant"
            # Remove the next-contact entry: ending is then blocked by the minutes.
            nc = css(c, "#minutes-list .minutes-section[data-kind=next_contact] .minutes-entry")
            click(c, nc.find_element(By.CSS_SELECTOR, "[data-action=remove-minutes]"))
            click(c, "dialog [data-test=dialog-ok]")
            wait(c, lambda d: not d.find_elements(By.CSS_SELECTOR, "#minutes-list .minutes-section[data-kind=next_contact]"))
            click(c, "#live-end")
            assert "参会单位提问" in visible(c, "dialog").text, "the confirm names the running item"
            click(c, "dialog [data-test=dialog-ok]")  # "end the meeting? the running item and 张伟's speech end too"
            dlg = visible(c, "#gate-dialog")
            kinds = [(li.get_attribute("data-kind"), li.get_attribute("data-id")) for li in dlg.find_elements(By.CSS_SELECTOR, ".gate-item")]
            assert kinds == [("minutes", "next_contact")], kinds
            shot(c, shots, "L15-end-gate", full=False)
            click(c, "#gate-dialog [data-action=gate-force]")
            visible(c, "#gate-dialog textarea").send_keys("企业另行约定下次沟通时间")
            click(c, "#gate-dialog [data-action=gate-force]")
            wait(c, lambda d: not d.find_elements(By.CSS_SELECTOR, "#gate-dialog"), msg="dialog closes")
            wait(c, lambda d: css(d, ".meeting-head .phase").get_attribute("data-phase") == "ended", msg="ended")
            # After the meeting: the record stays (minutes still editable, export), the live controls go.
            wait(c, lambda d: not d.find_elements(By.CSS_SELECTOR, "#live-bar"), msg="no console bar")
            # After the meeting the page opens on the follow-up; the record is one click away.
            click(c, "#tab-record")
            visible(c, "#minutes-form")
            visible(c, "#live-export")
            # The running item and the speech ended with the meeting: the record has their times.
            statuses = [li.get_attribute("data-status") for li in c.find_elements(By.CSS_SELECTOR, "#agenda-list .agenda-item")]
            assert statuses == ["done", "done"], statuses
            assert all(li.find_elements(By.CSS_SELECTOR, ".agenda-actual[data-seconds]") for li in c.find_elements(By.CSS_SELECTOR, "#agenda-list .agenda-item"))
            assert not c.find_elements(By.CSS_SELECTOR, "#queue-next")
            # Everyone's page follows, live.
            wait(b, lambda d: not d.find_elements(By.CSS_SELECTOR, "#live-hand"), msg="participant's hand card gone")
            wait(b, lambda d: not shown(d, "#my-floor"))
            assert "拟投资12.5亿元" in text_of(b, "#minutes-list")
            assert not b.find_elements(By.CSS_SELECTOR, "#minutes-form"), "participant does not write minutes"
            assert js(b, "return window.__noReload") == "b"
            shot(c, shots, "L16-organizer-ended")
            shot(b, shots, "L17-participant-ended")
        run.check("the organizer ends the meeting: gate dialog for the missing next contact, forced with a reason", organizer_ends, c, b)

        s.check_console(a, b, c)
        s.check_ops(a, b, c)
    return s.result()


if __name__ == "__main__":
    run_module(main)
