#!/usr/bin/python3
"""Browser test of what happens after the meeting (会后跟进) against the real
server, in five browsers:

    a  the organizer: the follow-up on its meeting page (checklist with due
       days, the units' assessments, filling one for a unit, the company's
       further intent), the leadership report printed to PDF, the dispatch
       form (a server field error beside the phone, then the dispatch), the
       record page (answering an escalation), the monthly bulletin printed to PDF
    b  an attending unit's participant on its invite link after the meeting:
       a form for its own unit only
    c  the company's participant: none of the assessments or the intent, live
       either (the server withholds them)
    d  the handling unit (a `unit` account the admin created): signs in, lands
       on its records (what is due first), taps feedback, posts boilerplate
       ("正在对接中。") and gets the rejection beside the text, which stays,
       then real progress; escalates
    e  the organizer's dispatch board in a second browser: updates live when
       the unit posts, without a reload; stage chips with counts; CSV download

The PDFs come from Chromium's own print (DevTools Page.printToPDF, honouring
the print stylesheet's @page A4); poppler's pdfinfo / pdftotext / pdftoppm
check the page size and text and render page 1 to PNG (kept in the shots
folder to look at).

    /usr/bin/python3 Tests/browser/test_followup.py
    /usr/bin/python3 Tests/browser/run.py test_followup

Same environment as the other modules (ROADSHOW_BIN, ROADSHOW_SHOTS,
CHROMIUM, CHROMEDRIVER); needs poppler-utils (pdfinfo, pdftotext, pdftoppm).
"""
import base64
import csv
import datetime
import glob
import io
import os
import re
import subprocess
import sys
import time

from selenium.webdriver.common.by import By

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import (  # noqa: E402
    ADMIN_TOKEN, Session, click, css, element_shot, fill, js, overflow, rpc, run_module, shot, visible, wait,
)

MEETING = "储能电池项目线上路演"
COMPANY = "皖南新能源科技有限公司"
PROJECT = "储能电池生产基地"
UNIT_ACCOUNT = "黄山高新区管委会"
ZHANG_COMMENT = "园区有现成标准厂房，用电负荷满足一期需要，可以承接。"
LI_COMMENT = "高新区用地指标紧张，需市里统筹，承接意向待定。"
REAL_FEEDBACK = "12月3日与企业召开方案对接会，确定一期用地约120亩；下一步协调市发改委办理立项手续。"
SECOND_FEEDBACK = "12月4日企业技术团队赴园区踏勘，初步选定东区地块，双方约定下周提交投资协议草案。"
A4_PT = (595.28, 841.89)


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


def shown(d, sel):
    return any(e.is_displayed() for e in d.find_elements(By.CSS_SELECTOR, sel))


def text_of(d, sel):
    els = d.find_elements(By.CSS_SELECTOR, sel)
    return els[0].text if els else ""


def print_pdf(d, path):
    """The page as Chromium prints it (print media, the stylesheet's @page size)."""
    out = d.execute_cdp_cmd("Page.printToPDF", {"preferCSSPageSize": True, "printBackground": True})
    with open(path, "wb") as f:
        f.write(base64.b64decode(out["data"]))
    return path


def pdf_facts(path):
    """(pages, (width, height) in pt of page 1, text of page 1) via poppler."""
    info = subprocess.run(["pdfinfo", path], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
    m = re.search(r"^Page size:\s+([\d.]+) x ([\d.]+) pts", info, re.M)
    size = (float(m.group(1)), float(m.group(2)))
    text = subprocess.run(["pdftotext", "-f", "1", "-l", "1", "-layout", path, "-"], capture_output=True, text=True, check=True).stdout
    return pages, size, text


def pdf_png(path, png_base):
    """Page 1 of the PDF as PNG (pdftoppm); returns the PNG's path."""
    subprocess.run(["pdftoppm", "-png", "-r", "70", "-f", "1", "-l", "1", "-singlefile", path, png_base], check=True)
    return png_base + ".png"


def is_a4(size):
    return abs(size[0] - A4_PT[0]) < 2 and abs(size[1] - A4_PT[1]) < 2


def sign_in_with(d, base, token, kind):
    """The browser's stored token, then a fresh load so that the page signs in with it."""
    d.get(base + "/")
    js(d, "localStorage.setItem('roadshow.token', arguments[0]); localStorage.setItem('roadshow.kind', arguments[1])", token, kind)
    d.refresh()


def main():
    st = {}
    with Session("roadshow-followup-") as s:
        server, run, shots = s.server, s.run, s.shots
        server.start()
        base = server.url
        a = s.driver("zh-CN")
        b = s.driver("zh-CN")
        c = s.driver("zh-CN")
        d = s.driver("zh-CN")
        e = s.driver("zh-CN")
        downloads = os.path.join(shots, "downloads")

        def link(token):
            return base + "/#/join/" + token

        # ---------------------------------------------------------------- setup
        def setup():
            a.get(base + "/")
            visible(a, "#signin-form")
            org, unit = rpc(a, ADMIN_TOKEN,
                            ("account.create", {"name": "黄山市投资促进局", "kind": "organizer"}),
                            ("account.create", {"name": UNIT_ACCOUNT, "kind": "unit"}))
            st["org"], st["unit_tok"], st["unit_id"] = org["token"], unit["token"], unit["account"]["id"]
            today = datetime.datetime.now(datetime.timezone(datetime.timedelta(hours=8))).date()
            st["month"] = today.strftime("%Y-%m")
            [m] = rpc(a, st["org"], ("meeting.create", {
                "title": MEETING,
                "company": {"name": COMPANY, "contact": "李明"},
                "project": {"name": PROJECT, "category": "industrial", "industry": "新能源", "investment": 12.5},
                "startsAt": "%sT09:00:00+08:00" % today.isoformat(), "durationMinutes": 90,
                "system": {"name": "腾讯会议", "room": "123 456 789"}}))
            st["m"] = mid = m["meeting"]["id"]
            people = rpc(a, st["org"],
                         ("roster.add", {"meeting": mid, "name": "周主持", "unit": "黄山市投资促进局", "role": "host"}),
                         ("roster.add", {"meeting": mid, "name": "张伟", "unit": "市发展改革委", "role": "unit"}),
                         ("roster.add", {"meeting": mid, "name": "李四", "unit": "黄山高新区", "role": "unit"}),
                         ("roster.add", {"meeting": mid, "name": "王芳", "unit": COMPANY, "role": "company"}))
            for key, r in zip(("host", "zhang", "li", "wang"), people):
                st[key], st[key + "_tok"] = r["participant"]["id"], r["token"]
            rpc(a, st["org"],
                ("meeting.advance", {"meeting": mid, "to": "rehearsal"}),
                ("meeting.advance", {"meeting": mid, "to": "live", "force": True, "reason": "浏览器测试：跳过联调"}),
                ("minutes.add", {"meeting": mid, "kind": "intent", "text": "企业拟在黄山高新区投资建设储能电池生产基地，一期投资5亿元"}),
                ("minutes.add", {"meeting": mid, "kind": "needs", "text": "需要约120亩工业用地及双回路供电"}),
                ("minutes.add", {"meeting": mid, "kind": "action", "text": "高新区提供用地方案", "owner": "黄山高新区", "due": "2026-12-20"}),
                ("minutes.add", {"meeting": mid, "kind": "next_contact", "text": "两周内赴企业实地考察", "owner": "李四"}),
                ("meeting.advance", {"meeting": mid, "to": "ended"}))
        run.step("setup: organizer, a unit account, a meeting with two attending units and the company, ended", setup, a)

        # ---------------------------------------------------------------- the unit participant
        def unit_participant_assesses():
            b.get(link(st["zhang_tok"]))
            form = visible(b, "#my-assessment form.assess-form")
            assert form.get_attribute("data-unit") == "市发展改革委", form.get_attribute("data-unit")
            # Its own unit only: no list of the others, no intent, no dispatch, no confirmation of attendance.
            for sel in ("#assessments", "#intent", "#decide", "#dispatch-form", "#followup-checklist", "#confirm", "#report-card"):
                assert not shown(b, sel), "a unit participant sees no %s" % sel
            assert len(b.find_elements(By.CSS_SELECTOR, "form.assess-form")) == 1
            # Sending with nothing chosen says what is missing, beside the question.
            click(b, "#my-assessment [data-action=assess-submit]")
            wait(b, lambda x: css(x, "#my-assessment [data-field=feasible]").get_attribute("aria-invalid") == "true", msg="feasible marked")
            assert css(b, "#my-assessment [data-field=feasible]") == b.switch_to.active_element
            click(b, "#my-assessment input[data-field=feasible]")
            click(b, "#my-assessment input[data-field=willingToHost]")
            fill(b, "#my-assessment [data-field=comment]", ZHANG_COMMENT)
            shot(b, shots, "followup-unit-participant-form")
            click(b, "#my-assessment [data-action=assess-submit]")
            wait(b, lambda x: css(x, "#my-assessment-status").get_attribute("data-confirmed") == "true", msg="sent")
            [g] = rpc(b, st["org"], ("meeting.get", {"meeting": st["m"]}))
            got = {x["unit"]: x for x in g["snapshot"]["followup"]["assessments"]}
            assert got["市发展改革委"]["comment"] == ZHANG_COMMENT and got["市发展改革委"]["willingToHost"] is True, got
            shot(b, shots, "followup-unit-participant-sent")
            element_shot(b, "#my-assessment", shots, "part-my-assessment")
        run.check("a unit participant assesses its own unit from its invite link after the meeting", unit_participant_assesses, b)

        # ---------------------------------------------------------------- the company
        def company_sees_nothing_internal():
            c.get(link(st["wang_tok"]))
            visible(c, "#followup-company")
            wait(c, lambda x: x.find_elements(By.CSS_SELECTOR, "#meeting-title"), msg="meeting shown")
            html = c.page_source
            assert ZHANG_COMMENT not in html, "the company's page contains a unit's assessment"
            for sel in ("#assessments", "#my-assessment", "#intent", "#decide", "#followup-checklist", "#report-card", ".assess-row"):
                assert not c.find_elements(By.CSS_SELECTOR, sel), "the company's page has %s" % sel
            shot(c, shots, "followup-company")
        run.check("the company's page shows none of the follow-up (no assessment text, no empty internal sections)", company_sees_nothing_internal, c)

        # ---------------------------------------------------------------- the organizer
        def organizer_followup():
            sign_in_with(a, base, st["org"], "organizer")
            a.get(base + "/#/m/" + st["m"])
            visible(a, "#followup-checklist")
            items = a.find_elements(By.CSS_SELECTOR, "#followup-items .fu-item")
            assert len(items) == 5, "five follow-up items: %d" % len(items)
            assert all("截止" in i.text for i in items), [i.text for i in items]
            # The follow-up comes before the minutes and the preparation sections; its items are not repeated there.
            assert js(a, "return !!(document.getElementById('followup').compareDocumentPosition(document.getElementById('checklist')) & Node.DOCUMENT_POSITION_FOLLOWING)")
            assert not a.find_elements(By.CSS_SELECTOR, "#checklist-groups .cl-group[data-phase=ended]")
            zhang = visible(a, "#assessment-list .assess-row[data-unit='市发展改革委']")
            assert zhang.get_attribute("data-state") == "done" and ZHANG_COMMENT in zhang.text
            li = css(a, "#assessment-list .assess-row[data-unit='黄山高新区']")
            assert li.get_attribute("data-state") == "pending"
            assert css(a, "#assessments-count").get_attribute("data-done") == "1"
            # The organizer fills in the other unit's assessment.
            click(a, "#assessment-list .assess-row[data-unit='黄山高新区'] [data-action=assess]")
            form = "#assessment-list .assess-row[data-unit='黄山高新区'] form.assess-form"
            visible(a, form)
            click(a, form + " input[data-field=feasible]")
            click(a, css(a, form + " fieldset[data-question=willingToHost] input[value=no]"))
            fill(a, form + " [data-field=comment]", LI_COMMENT)
            click(a, form + " [data-action=assess-submit]")
            wait(a, lambda x: css(x, "#assessment-list .assess-row[data-unit='黄山高新区']").get_attribute("data-state") == "done", msg="assessed")
            wait(a, lambda x: css(x, "#followup-items [data-key=unit_assessments]").get_attribute("data-done") == "true", msg="the server ticked unit_assessments")
            # The company's further intent.
            click(a, "#intent-form input[data-field=furtherTalks]")
            fill(a, "#intent-form [data-field=district]", "黄山高新区")
            fill(a, "#intent-form [data-field=unitsNeeded]", "市自然资源和规划局\n市生态环境局")
            click(a, "#intent-submit")
            wait(a, lambda x: "市生态环境局" in text_of(x, "#intent-summary"), msg="intent shown")
            wait(a, lambda x: css(x, "#followup-items [data-key=company_intent]").get_attribute("data-done") == "true", msg="company_intent ticked")
            # The dispatch form's district follows the company's intended district.
            wait(a, lambda x: css(x, "#dispatch-form [data-field=district]").get_attribute("value") == "黄山高新区", msg="district prefilled")
            shot(a, shots, "followup-organizer")
            element_shot(a, "#followup", shots, "part-followup", height=900)
        run.check("the organizer: follow-up checklist with due days, assessments (fills one), the company's intent", organizer_followup, a)

        def company_still_nothing():
            # The assessment and the intent were made while the company's page was open.
            time.sleep(1.0)
            html = c.page_source
            for secret in (ZHANG_COMMENT, LI_COMMENT, "市生态环境局"):
                assert secret not in html, "the company's page got %r live" % secret
            assert not c.find_elements(By.CSS_SELECTOR, ".assess-row, #intent-summary")
        run.check("the company's open page received none of them live", company_still_nothing, c)

        def leadership_report():
            click(a, "#report-open")
            visible(a, "#report-title")
            wait(a, lambda x: MEETING in text_of(x, "#report-title"), msg="report title")
            table = text_of(a, "#report-assessments")
            assert "市发展改革委" in table and "黄山高新区" in table and LI_COMMENT in table, table
            assert shown(a, "#leader-instruction .doc-instruction-box")
            shot(a, shots, "report-screen")
            pdf = print_pdf(a, os.path.join(shots, "leadership-report.pdf"))
            pages, size, text = pdf_facts(pdf)
            assert is_a4(size), "A4 is 595 x 842 pt: %s" % (size,)
            flat = re.sub(r"\s+", "", text)
            assert MEETING in flat and "汇报" in flat, "the title is on page 1: %r" % text[:300]
            for chrome in ("退出", "English", "打印", "下载"):
                assert chrome not in flat, "no navigation or buttons in print: %r found" % chrome
            st["report_png"] = pdf_png(pdf, os.path.join(shots, "leadership-report-p1"))
            st["report_pages"] = pages
            print("     leadership report: %d page(s), %s pt, PNG %s" % (pages, size, st["report_png"]))
        run.check("the leadership report prints as a clean A4 PDF (title, no navigation, no buttons)", leadership_report, a)

        def dispatch():
            a.get(base + "/#/m/" + st["m"])
            visible(a, "#dispatch-form")
            fill(a, "#dispatch-form [data-field=handlingUnit]", st["unit_id"])
            fill(a, "#dispatch-form [data-field='commissioner.name']", "陈专员")
            fill(a, "#dispatch-form [data-field='commissioner.unit']", "黄山高新区招商局")
            fill(a, "#dispatch-form [data-field='commissioner.title']", "副局长")
            fill(a, "#dispatch-form [data-field='commissioner.phone']", "12345")
            click(a, css(a, "#dispatch-form .chip-field input[data-code=negotiating]"))
            click(a, "#dispatch-submit")
            # The server's phone rule, beside the phone, with the rule explained under it.
            wait(a, lambda x: css(x, "#dispatch-form [data-field='commissioner.phone']").get_attribute("aria-invalid") == "true", msg="phone marked")
            phone = css(a, "#dispatch-form [data-field='commissioner.phone']")
            err = css(a, "#" + phone.get_attribute("id") + "-err")
            assert err.is_displayed() and err.text, "the phone's error shows beside it"
            assert "11" in css(a, "#" + phone.get_attribute("id") + "-hint").text
            assert phone == a.switch_to.active_element
            shot(a, shots, "dispatch-phone-error")
            element_shot(a, "#dispatch-form", shots, "part-dispatch-error")
            fill(a, "#dispatch-form [data-field='commissioner.phone']", "139 5555 0101")
            click(a, "#dispatch-submit")
            visible(a, "#followup-decided #followup-record-link")
            href = css(a, "#followup-record-link").get_attribute("href")
            st["rec"] = href.rsplit("/", 1)[1]
            assert st["rec"].startswith("D-"), href
            wait(a, lambda x: css(x, "#phasebar").get_attribute("data-phase") == "dispatched", msg="phase dispatched")
            assert not shown(a, "#dispatch-form")
            shot(a, shots, "followup-dispatched")
        run.step("the organizer dispatches (a server field error beside the phone first)", dispatch, a)

        # ---------------------------------------------------------------- the board, open in a second browser
        def board_open():
            sign_in_with(e, base, st["org"], "organizer")
            e.get(base + "/#/d")
            row = visible(e, "#board-rows .board-row[data-id='%s']" % st["rec"])
            assert COMPANY in row.text and UNIT_ACCOUNT in row.text, row.text
            assert css(e, "#board-stages [data-stage=negotiating]").get_attribute("data-count") == "1"
            assert css(e, "#board-stages [data-stage=initial_contact]").get_attribute("data-count") == "0"
            assert shown(e, "#topnav [data-nav=board][aria-current=page]")
            # A stage chip filters; an empty stage says so.
            click(e, "#board-stages [data-stage=initial_contact]")
            wait(e, lambda x: not x.find_elements(By.CSS_SELECTOR, "#board-rows .board-row") and x.find_element(By.ID, "board-empty").is_displayed(), msg="filtered empty")
            assert css(e, "#board-stages [data-stage=initial_contact]").get_attribute("aria-pressed") == "true"
            assert "stage=initial_contact" in e.current_url
            click(e, "#board-stages [data-stage='']")
            visible(e, "#board-rows .board-row[data-id='%s']" % st["rec"])
            js(e, "window.__noReload = 'still-here'")
            shot(e, shots, "board-before")
        run.check("the organizer's dispatch board: the record, stage chips with counts, a chip filters", board_open, e)

        # ---------------------------------------------------------------- the handling unit
        def unit_home():
            d.get(base + "/")
            fill(d, "#signin-form [data-field=token]", st["unit_tok"])
            click(d, "#signin-submit")
            first = visible(d, "#due-first")
            assert first.get_attribute("data-id") == st["rec"]
            rows = d.find_elements(By.CSS_SELECTOR, "#board-rows .board-row")
            assert [r.get_attribute("data-id") for r in rows] == [st["rec"]], "a unit sees only its records"
            assert d.find_elements(By.CSS_SELECTOR, "#board-filters [data-field=q]"), "the unit can search its records"
            assert not d.find_elements(By.CSS_SELECTOR, "#board-filters [data-field=unit]"), "no handling-unit filter for a unit"
            shot(d, shots, "unit-home")
            click(d, "#due-first-feedback")
            visible(d, "#feedback-form")
            wait(d, lambda x: x.switch_to.active_element == css(x, "#feedback-form [data-field=text]"), msg="the feedback text has the keyboard")
            assert css(d, "#feedback-form [data-field='commissioner.name']").get_attribute("value") == "陈专员", "commissioner prefilled"
            assert css(d, "#feedback-form [data-field='commissioner.phone']").get_attribute("value") == "139 5555 0101"
            assert css(d, "#feedback-form input[data-code=negotiating]").is_selected(), "stage prefilled"
        run.check("the handling unit signs in, lands on its own records (due first), one tap to the feedback form", unit_home, d)

        def boilerplate_rejected():
            box = css(d, "#feedback-form [data-field=text]")
            box.send_keys("正在对接中。")
            click(d, "#feedback-submit")
            wait(d, lambda x: css(x, "#feedback-form [data-field=text]").get_attribute("aria-invalid") == "true", msg="rejected")
            box = css(d, "#feedback-form [data-field=text]")
            err = css(d, "#" + box.get_attribute("id") + "-err")
            assert err.is_displayed() and err.text.strip(), "the server's reason shows beside the text"
            assert err.get_attribute("data-reason") == "boilerplate", err.get_attribute("data-reason")
            # Beside the field: inside the same .field as the textarea.
            assert js(d, "return arguments[0].closest('.field') === arguments[1].closest('.field')", err, box)
            assert box.get_attribute("value") == "正在对接中。", "what was typed stays"
            assert d.switch_to.active_element == box, "the keyboard is back in the text"
            assert "套话" in err.text or "正在对接" in err.text, err.text
            [g] = rpc(d, st["unit_tok"], ("dispatch.get", {"record": st["rec"]}))
            assert g["record"]["feedback"] == [], "nothing stored"
            shot(d, shots, "feedback-rejected")
            element_shot(d, "#feedback-card", shots, "part-feedback-rejected", height=900)
            st["reject_text"] = err.text
        run.check("boilerplate feedback (正在对接中。) is rejected beside the text, which stays, with the keyboard in it", boilerplate_rejected, d)

        def real_feedback():
            box = css(d, "#feedback-form [data-field=text]")
            box.clear()
            box.send_keys(REAL_FEEDBACK)
            # Typing clears the rejection.
            assert box.get_attribute("aria-invalid") != "true"
            click(d, "#feedback-submit")
            item = visible(d, "#timeline-list .tl-item[data-kind=feedback]")
            assert "120亩" in item.text, item.text
            wait(d, lambda x: css(x, "#feedback-form [data-field=text]").get_attribute("value") == "", msg="cleared after posting")
            shot(d, shots, "feedback-posted")
        run.check("a real feedback is accepted and shows in the timeline", real_feedback, d)

        def board_live():
            wait(e, lambda x: "120亩" in text_of(x, "#board-rows .board-row[data-id='%s'] .board-fb-text" % st["rec"]), timeout=15, msg="the board shows the new feedback")
            assert js(e, "return window.__noReload") == "still-here", "the board was not reloaded"
            shot(e, shots, "board-live")
            element_shot(e, ".board-card", shots, "part-board", height=900)
        run.check("the organizer's open board shows the unit's feedback live, without a reload", board_live, e)

        def board_after_restart():
            # The server goes away: the open board says so, then reconnects and keeps following the records.
            server.stop()
            visible(e, "#conn-banner", timeout=20)
            assert css(e, "#conn-banner").get_attribute("data-state") == "down"
            shot(e, shots, "board-reconnecting")
            server.start()
            wait(e, lambda x: not css(x, "#conn-banner").is_displayed(), timeout=40, msg="reconnected")
            rpc(d, st["unit_tok"], ("dispatch.feedback", {
                "record": st["rec"], "text": SECOND_FEEDBACK, "stage": "negotiating",
                "commissioner": {"name": "陈专员", "unit": "黄山高新区招商局", "title": "副局长", "phone": "139 5555 0101"}}))
            wait(e, lambda x: "东区地块" in text_of(x, "#board-rows .board-row[data-id='%s'] .board-fb-text" % st["rec"]), timeout=20, msg="live after the reconnect")
            assert js(e, "return window.__noReload") == "still-here", "the board was not reloaded"
            # The unit's record page also resumed: its timeline has the feedback too.
            wait(d, lambda x: len(x.find_elements(By.CSS_SELECTOR, "#timeline-list .tl-item[data-kind=feedback]")) == 2, timeout=20, msg="record page resumed")
        run.check("after a server restart the board shows the banner, reconnects and stays live", board_after_restart, e, d)

        def escalate_and_answer():
            click(d, "#escalate-details > summary")
            fill(d, "#escalate-form [data-field=reason]", "用地指标需市级统筹，区县无法解决")
            click(d, "#escalate-submit")
            item = visible(d, "#timeline-list .tl-item[data-kind=escalation]")
            assert item.get_attribute("data-answered") == "false"
            clock = css(d, "#timeline-list .tl-item[data-kind=escalation] .tl-clock")
            assert re.search(r"\d", clock.text) and clock.get_attribute("data-due"), clock.text
            wait(d, lambda x: "市" in text_of(x, "#record-head .badge-level"), msg="level city")
            # The organizer answers on the record page.
            a.get(base + "/#/d/" + st["rec"])
            form = visible(a, "#timeline-list .answer-form")
            fill(a, "#timeline-list .answer-form [data-field=text]", "市自然资源和规划局已统筹解决一期用地指标")
            click(a, "#timeline-list .answer-form [data-action=answer]")
            wait(a, lambda x: css(x, "#timeline-list .tl-item[data-kind=escalation]").get_attribute("data-answered") == "true", msg="answered")
            # The unit's open page gets the answer live.
            wait(d, lambda x: css(x, "#timeline-list .tl-item[data-kind=escalation]").get_attribute("data-answered") == "true", msg="answer reaches the unit")
            assert "tel:" in css(a, "#record-tel").get_attribute("href")
            del form
            shot(a, shots, "record-organizer")
            element_shot(a, "#main", shots, "part-record", height=900)
        run.check("the unit escalates (15-day clock), the organizer answers, the unit sees it live", escalate_and_answer, a, d)

        def calendar_notice():
            [g] = rpc(a, st["org"], ("dispatch.get", {"record": st["rec"]}))
            expected = bool(g["calendar"].get("fallback") or g["record"]["due"].get("estimated"))
            a.get(base + "/#/d/" + st["rec"])
            visible(a, "#record-head")
            time.sleep(1.0)
            assert shown(a, "#calendar-notice") == expected, "notice shown %s, server fallback/estimated %s (%s)" % (shown(a, "#calendar-notice"), expected, g["calendar"])
            print("     calendar: %s; due %s; notice %s" % (g["calendar"], g["record"]["due"], "shown" if expected else "not needed"))
        run.check("the Monday–Friday fallback notice shows exactly when the server says it counted one", calendar_notice, a)

        def csv_download():
            allow_downloads(e, downloads)
            click(e, "#board-csv")
            path = wait_file(downloads, "dispatch-*.csv")
            raw = open(path, "rb").read()
            assert raw.startswith(b"\xef\xbb\xbf"), "UTF-8 with a byte-order mark"
            rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
            assert rows[0][0] == "编号" and any(r and r[0] == st["rec"] for r in rows[1:]), rows[:3]
        run.check("CSV download (export.dispatch) with the filename the server gives", csv_download, e)

        def monthly_report():
            a.get(base + "/#/monthly")
            visible(a, "#monthly-doc .md-doc h1")
            wait(a, lambda x: st["month"] in x.current_url, msg="month in the address")
            assert "每月信息专报" in text_of(a, "#monthly-doc .md-doc h1")
            bar = css(a, "#monthly-chart svg .chart-row[data-stage=negotiating]")
            assert bar.get_attribute("data-value") == "1", bar.get_attribute("data-value")
            assert css(a, "#monthly-counts [data-count=roadshowsHeld] .mr-value").text == "1"
            shot(a, shots, "monthly-screen")
            pdf = print_pdf(a, os.path.join(shots, "monthly.pdf"))
            pages, size, text = pdf_facts(pdf)
            assert is_a4(size), "A4: %s" % (size,)
            flat = re.sub(r"\s+", "", text)
            assert "每月信息专报" in flat, "the title is on page 1: %r" % text[:300]
            for chrome in ("退出", "English", "生成专报", "打印"):
                assert chrome not in flat, "no form, navigation or buttons in print: %r" % chrome
            st["monthly_png"] = pdf_png(pdf, os.path.join(shots, "monthly-p1"))
            print("     monthly bulletin: %d page(s), %s pt, PNG %s" % (pages, size, st["monthly_png"]))
        run.check("the monthly bulletin: counts, an inline SVG chart by stage, prints as a clean A4 PDF", monthly_report, a)

        def host_and_admin_close():
            # A second meeting, ended: its host (a participant) runs the follow-up but does not dispatch;
            # the admin picks handling units from the accounts, and closes it without dispatch.
            [m2] = rpc(a, st["org"], ("meeting.create", {
                "title": "文旅项目线上路演", "company": {"name": "徽州文旅发展有限公司"},
                "project": {"name": "古村落民宿集群", "category": "non_industrial"},
                "startsAt": "2026-12-01T14:00:00+08:00", "durationMinutes": 60, "system": {"name": "腾讯会议"}}))
            mid2 = m2["meeting"]["id"]
            host, _ = rpc(a, st["org"],
                          ("roster.add", {"meeting": mid2, "name": "孙主持", "unit": "黄山市投资促进局", "role": "host"}),
                          ("roster.add", {"meeting": mid2, "name": "钱五", "unit": "歙县文旅局", "role": "unit"}))
            rpc(a, st["org"],
                ("meeting.advance", {"meeting": mid2, "to": "rehearsal"}),
                ("meeting.advance", {"meeting": mid2, "to": "live", "force": True, "reason": "浏览器测试"}),
                ("meeting.advance", {"meeting": mid2, "to": "ended", "force": True, "reason": "浏览器测试：无纪要"}))
            c.get(link(host["token"]))
            visible(c, "#assessments .assess-row[data-unit='歙县文旅局'] [data-action=assess]")
            visible(c, "#intent-form")
            assert not c.find_elements(By.CSS_SELECTOR, "#dispatch-form"), "a host does not dispatch"
            assert c.find_elements(By.CSS_SELECTOR, "#close-form") and shown(c, "#decide .notice-info")
            # The admin: the handling unit from a list of the unit accounts; the stages of a non-industrial project.
            sign_in_with(b, base, ADMIN_TOKEN, "admin")
            b.get(base + "/#/m/" + mid2)
            visible(b, "#dispatch-form")
            options = [o.get_attribute("value") for o in b.find_elements(By.CSS_SELECTOR, "#dispatch-form select[data-field=handlingUnit] option")]
            wait(b, lambda x: st["unit_id"] in [o.get_attribute("value") for o in x.find_elements(By.CSS_SELECTOR, "#dispatch-form select[data-field=handlingUnit] option")], msg="unit accounts offered")
            codes = [i.get_attribute("data-code") for i in b.find_elements(By.CSS_SELECTOR, "#dispatch-form .chip-field input")]
            assert codes == ["matter_connected"], "a non-industrial project has its own stage: %s" % codes
            assert [x.get_attribute("data-nav") for x in b.find_elements(By.CSS_SELECTOR, "#topnav a")] == ["home", "board", "monthly"]
            click(b, "#close-details > summary")
            click(b, "#close-submit")
            wait(b, lambda x: css(x, "#close-form [data-field=reason]").get_attribute("aria-invalid") == "true", msg="a reason is required")
            fill(b, "#close-form [data-field=reason]", "企业暂无进一步投资意向")
            click(b, "#close-submit")
            decided = visible(b, "#followup-decided[data-phase=closed]")
            assert "企业暂无进一步投资意向" in decided.text, decided.text
            # The host's open page follows: the follow-up is closed, its forms gone.
            wait(c, lambda x: x.find_elements(By.CSS_SELECTOR, "#followup-decided[data-phase=closed]") and not x.find_elements(By.CSS_SELECTOR, "#intent-form, #close-form"), msg="host page closed")
            del options
            shot(b, shots, "followup-closed")
        run.check("a host runs the follow-up without dispatch rights; the admin picks units from the accounts and closes with a required reason", host_and_admin_close, b, c)

        def phone_width():
            problems = []
            for drv, name in ((d, "unit record"), (e, "board")):
                drv.set_window_size(390, 844)
                time.sleep(0.6)
                problems.append(overflow(drv, name))
                shot(drv, shots, "phone-" + name.replace(" ", "-"))
            d.get(base + "/#/")
            visible(d, "#due-first")
            time.sleep(0.4)
            problems.append(overflow(d, "unit home"))
            shot(d, shots, "phone-unit-home")
            problems = [p for p in problems if p]
            assert not problems, problems
        run.check("phone width (390px): board, unit home and record page do not overflow", phone_width, d, e)

        def english():
            d.get(base + "/#/d/" + st["rec"])
            visible(d, "#feedback-form")
            click(d, "#lang-toggle")
            wait(d, lambda x: "Post feedback" in text_of(x, "#feedback-submit"), msg="English labels")
            d.get(base + "/#/d/" + st["rec"] + "/feedback")
            visible(d, "#feedback-form")
            box = css(d, "#feedback-form [data-field=text]")
            box.send_keys("in progress")
            click(d, "#feedback-submit")
            wait(d, lambda x: css(x, "#feedback-form [data-field=text]").get_attribute("aria-invalid") == "true", msg="rejected")
            err = css(d, "#" + box.get_attribute("id") + "-err").text
            assert re.search(r"[A-Za-z]{4}", err) and not re.search(r"[\u4e00-\u9fff]{4}", err), "the rejection in English: %r" % err
            click(d, "#lang-toggle")
        run.check("English: the record page and the server's rejection in the page's language", english, d)

        s.check_console(a, b, c, d, e)
        s.check_ops(a, b, c, d, e)
    return s.result()


if __name__ == "__main__":
    run_module(main)
