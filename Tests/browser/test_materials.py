#!/usr/bin/python3
"""Browser test of the project materials (issue 12 points 1 and 2; the wire is
spec/materials.md) against the real server, at laptop (1366×768) and phone
(390×844) size:

- the store's reducer of materials (snapshot, materials.added / removed /
  opened, duplicates) and its units-opened count, as the server counts them;
- the organizer's page: a Materials tab in every phase; the upload form
  (file, audience 全体（含企业）/政府方/组织方), a missing file and a refused
  type beside the file input, the server's own 413 text (a server started with
  --material-max-mib 1) in the page's language, the progress while a throttled
  upload runs, the same file again not listed twice;
- the company's phone: no audience choice (its files are for everyone), a
  government-audience and an organizer-audience file never shown, not even
  live, its own image upload reaching the organizer's page without a reload;
- a unit's phone opens the project deck (a real PDF made here) in the preview
  dialog (an iframe of a blob: URL, fetched with the Authorization header: no
  token in any URL), a second participant of the same unit opens the image by
  keyboard; the organizer's page — checklist item C-7 and the receipts — says
  "2 个单位中已有 1 个查看了资料" live, without a reload (a declined unit is not
  counted); the reminder text (materials.receipts) names the unit that has
  not; C-7 ticked from the materials panel; the download is byte for byte the
  upload; a removal disappears live and the count follows; English labels.

Same environment as the other modules (ROADSHOW_BIN, ROADSHOW_SHOTS,
CHROMIUM, CHROMEDRIVER); the shared helpers are in harness.py.

    /usr/bin/python3 Tests/browser/run.py test_materials
"""
import json
import os
import struct
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import zlib

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import (  # noqa: E402
    ADMIN_TOKEN, Session, click, css, element_shot, js, overflow, rpc, run_module, shot, visible, wait,
)

MEETING = "储能电池项目线上路演"
ORGANIZER = "黄山市投资促进局"
DECK = "项目推介.pdf"
INTERNAL = "内部评估意见.pdf"
PROFILE = "企业简介.png"


def make_pdf(lines, pad=0):
    """A small real PDF (one A4 page of Helvetica text); pad adds a comment of that many bytes."""
    text = " ".join("(%s) Tj 0 -40 Td" % l for l in lines)
    stream = ("BT /F1 28 Tf 72 760 Td %s ET" % text).encode("latin-1")
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, o in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + o + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    for o in offsets:
        out += b"%010d 00000 n \n" % o
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    while pad > 0:  # comment lines after the end are ignored by readers
        line = b"%" + b"x" * min(pad, 78) + b"\n"
        out += line
        pad -= len(line)
    return bytes(out)


def make_png(w, h, rgb):
    """A w×h PNG of one colour with a lighter band (so the preview shows something)."""
    rows = b""
    for y in range(h):
        c = tuple(min(255, v + 90) for v in rgb) if h // 3 <= y < 2 * h // 3 else rgb
        rows += b"\x00" + bytes(c) * w

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def viewport(d, w, h):
    """The page's viewport exactly w×h CSS px."""
    d.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {"width": w, "height": h, "deviceScaleFactor": 1, "mobile": w < 600})
    time.sleep(0.2)


def items(d):
    """[(id, name, audience)] of the materials list as shown."""
    return [(e.get_attribute("data-id"), e.find_element(By.CSS_SELECTOR, ".mat-name").text, e.get_attribute("data-audience"))
            for e in d.find_elements(By.CSS_SELECTOR, "#materials-list .mat-item")]


def names(d):
    return [n for _, n, _ in items(d)]


def row_of(d, name):
    for e in d.find_elements(By.CSS_SELECTOR, "#materials-list .mat-item"):
        if e.find_element(By.CSS_SELECTOR, ".mat-name").text == name:
            return e
    raise AssertionError("no row for %s in %s" % (name, names(d)))


def http_upload(base, token, meeting, name, data, audience=None):
    """The upload as the spec has it, outside the page: (status, JSON body)."""
    q = "name=" + urllib.parse.quote(name) + ("&audience=" + audience if audience else "")
    req = urllib.request.Request("%s/api/meetings/%s/materials?%s" % (base, meeting, q), data=data, method="POST",
                                 headers={"Authorization": "Bearer " + token, "Content-Type": "application/octet-stream"})
    try:
        with urllib.request.urlopen(req, timeout=20) as r:
            return r.status, json.loads(r.read().decode("utf-8"))
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read().decode("utf-8") or "null")


STORE_JS = r"""
const done = arguments[arguments.length - 1];
(async () => {
  const { MeetingStore } = await import("/store.js");
  const s = new MeetingStore();
  const kinds = [];
  s.subscribe((c) => kinds.push(c.kind));
  const f = (id, audience) => ({ id, name: id + ".pdf", contentType: "application/pdf", bytes: 10, sha256: "00", audience, preview: "pdf", uploadedBy: { id: "A-1", name: "x" }, uploadedAt: "2026-11-28T02:00:00Z" });
  const p = (id, unit, role, attending) => ({ id, name: id, unit, role, attending });
  s.applySnapshot({ id: "M-1", title: "t", phase: "preparing",
    roster: [p("P-1", "甲单位", "unit", true), p("P-2", "乙单位", "unit", null), p("P-3", "乙单位", "unit", true),
             p("P-4", "丙单位", "unit", false), p("P-5", "企业", "company", true), p("P-6", "主办", "host", true)],
    materials: { files: [f("F-1", "government"), f("F-2", "organizer")], receipts: [
      { material: "F-1", participant: "P-1", name: "P-1", unit: "甲单位", role: "unit", at: "2026-11-28T03:00:00Z" },
      { material: "F-2", participant: "P-6", name: "P-6", unit: "主办", role: "host", at: "2026-11-28T03:00:00Z" }] } }, 3);
  const out = {};
  out.notInMeeting = !("materials" in s.meeting);
  out.p0 = s.materialsProgress();
  s.applyEvent({ seq: 4, event: "materials.added", data: { material: f("F-3", "everyone") } });
  out.p1 = s.materialsProgress();
  // 乙单位: one participant opens F-1, the other F-3: together they have opened them all.
  s.applyEvent({ seq: 5, event: "materials.opened", data: { receipt: { material: "F-1", participant: "P-2", name: "P-2", unit: "乙单位", role: "unit", at: "2026-11-28T04:00:00Z" } } });
  s.applyEvent({ seq: 6, event: "materials.opened", data: { receipt: { material: "F-3", participant: "P-3", name: "P-3", unit: "乙单位", role: "unit", at: "2026-11-28T04:01:00Z" } } });
  s.applyEvent({ seq: 6, event: "materials.opened", data: { receipt: { material: "F-3", participant: "P-3", name: "P-3", unit: "乙单位", role: "unit", at: "2026-11-28T04:01:00Z" } } }); // a duplicate seq
  s.applyEvent({ seq: 7, event: "materials.opened", data: { receipt: { material: "F-3", participant: "P-3", name: "P-3", unit: "乙单位", role: "unit", at: "2026-11-28T04:02:00Z" } } }); // the same receipt again
  // A declined unit's receipt does not make it count.
  s.applyEvent({ seq: 8, event: "materials.opened", data: { receipt: { material: "F-1", participant: "P-4", name: "P-4", unit: "丙单位", role: "unit", at: "2026-11-28T04:03:00Z" } } });
  out.p2 = s.materialsProgress();
  out.receipts = s.materials.receipts.length;
  s.applyEvent({ seq: 9, event: "event.withheld", data: {} });
  s.applyEvent({ seq: 10, event: "materials.removed", data: { material: { id: "F-3", audience: "everyone" } } });
  out.p3 = s.materialsProgress();
  out.files = s.materials.files.map((x) => x.id);
  out.receiptsAfter = s.materials.receipts.map((r) => r.material + "/" + r.participant);
  s.addMaterial(f("F-1", "government")); // the upload's reply after its event: no second row
  out.filesAfterReply = s.materials.files.map((x) => x.id);
  out.kinds = kinds;
  out.seq = s.seq;
  const { PHASE_TABS } = await import("/phasetabs.js");
  out.tabs = PHASE_TABS;
  return out;
})().then(done, (e) => done({ error: String(e && e.stack || e) }));
"""


def main():
    st = {}
    with Session("roadshow-materials-", server_args=["--material-max-mib", "1"]) as s:
        server, run, shots = s.server, s.run, s.shots
        server.start()
        base = server.url
        files = os.path.join(s.work, "files")
        downloads = os.path.join(s.work, "downloads")
        os.makedirs(files)
        os.makedirs(downloads)
        deck = make_pdf(["Energy storage battery base", "Project deck 2026", "CNY 1.25 billion"], pad=300 * 1024)
        internal = make_pdf(["Internal assessment"])
        profile = make_png(320, 200, (31, 95, 191))
        big = make_pdf(["Too large"], pad=1200 * 1024)
        for name, data in ((DECK, deck), (INTERNAL, internal), (PROFILE, profile), ("超大文件.pdf", big), ("说明.txt", b"plain text\n")):
            with open(os.path.join(files, name), "wb") as f:
                f.write(data)
        path = lambda name: os.path.join(files, name)  # noqa: E731

        org = s.driver("zh-CN")    # the organizer, on a laptop
        viewport(org, 1366, 768)
        org.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": downloads})
        unit = s.driver("zh-CN")   # 李四 of 黄山高新区, on a phone (later 赵六 of the same unit)
        viewport(unit, 390, 844)
        comp = s.driver("zh-CN")   # 王芳, the company, on a phone
        viewport(comp, 390, 844)

        def link(token):
            return base + "/#/join/" + token

        # ------------------------------------------------------------ setup
        def setup():
            org.get(base + "/")
            visible(org, "#signin-form")
            [acc] = rpc(org, ADMIN_TOKEN, ("account.create", {"name": ORGANIZER, "kind": "organizer"}))
            st["org"] = tok = acc["token"]
            [m] = rpc(org, tok, ("meeting.create", {
                "title": MEETING,
                "company": {"name": "皖南新能源科技有限公司", "contact": "王芳"},
                "project": {"name": "储能电池生产基地", "category": "industrial", "investment": 12.5},
                "startsAt": "2026-12-20T14:00:00+08:00", "durationMinutes": 90,
                "system": {"name": "腾讯会议", "room": "123 456 789"}}))
            st["m"] = mid = m["meeting"]["id"]
            people = rpc(org, tok,
                         ("roster.add", {"meeting": mid, "name": "周主持", "unit": ORGANIZER, "role": "host"}),
                         ("roster.add", {"meeting": mid, "name": "张伟", "unit": "市发展改革委", "role": "unit"}),
                         ("roster.add", {"meeting": mid, "name": "李四", "unit": "黄山高新区", "role": "unit"}),
                         ("roster.add", {"meeting": mid, "name": "赵六", "unit": "黄山高新区", "role": "unit"}),
                         ("roster.add", {"meeting": mid, "name": "孙七", "unit": "市商务局", "role": "unit"}),
                         ("roster.add", {"meeting": mid, "name": "王芳", "unit": "皖南新能源科技有限公司", "role": "company"}))
            for key, r in zip(("host", "zhang", "li", "zhao", "sun", "wang"), people):
                st[key] = r["participant"]["id"]
                st[key + "_tok"] = r["token"]
            # 市商务局 declines: an attending unit no more (two units are counted: 市发展改革委, 黄山高新区).
            rpc(org, st["sun_tok"], ("roster.confirm", {"meeting": mid, "attending": False}))
            snap = rpc(org, tok, ("meeting.get", {"meeting": mid}))[0]["snapshot"]
            c7 = [i for i in snap["checklist"] if i.get("key") == "send_materials"]
            assert c7, "the default checklist has send_materials: %s" % [i.get("key") for i in snap["checklist"]]
            st["c7"] = c7[0]["id"]
            assert "materials" in snap, "the snapshot carries materials (spec): keys %s" % sorted(snap)
            js(org, "localStorage.setItem('roadshow.token', arguments[0]); localStorage.setItem('roadshow.kind', 'organizer')", tok)
        run.step("setup: organizer, meeting, host, three units (one declines) and the company", setup, org)

        def reducer():
            org.set_script_timeout(20)
            o = org.execute_async_script(STORE_JS)
            assert "error" not in o, o.get("error")
            assert o["notInMeeting"], "materials is state, not a meeting field"
            assert o["p0"]["files"] == ["F-1"] and o["p0"]["of"] == 2, o["p0"]  # F-2 is the organizer's; 丙单位 declined
            assert [u["unit"] for u in o["p0"]["units"]] == ["甲单位", "乙单位"], o["p0"]["units"]
            assert o["p0"]["opened"] == 1, o["p0"]
            assert o["p1"]["files"] == ["F-1", "F-3"] and o["p1"]["opened"] == 0, o["p1"]  # a new file for units: 甲单位 has not opened it
            assert o["p2"]["opened"] == 1 and o["p2"]["units"][1]["openedAll"] and o["p2"]["units"][1]["opened"] == ["F-1", "F-3"], o["p2"]
            assert [p["opened"] for p in o["p2"]["units"][1]["participants"]] == [["F-1"], ["F-3"]], o["p2"]["units"][1]
            assert o["receipts"] == 5, "duplicates ignored: %s" % o["receipts"]
            assert o["p3"]["opened"] == 2 and o["files"] == ["F-1", "F-2"], (o["p3"], o["files"])
            assert "F-3/P-3" not in o["receiptsAfter"], o["receiptsAfter"]
            assert o["filesAfterReply"] == ["F-1", "F-2"], o["filesAfterReply"]
            assert o["seq"] == 10 and o["kinds"].count("materials") == 7, (o["seq"], o["kinds"])
            for phase, keys in o["tabs"].items():
                assert "materials" in keys, "the materials are reachable in %s: %s" % (phase, keys)
        run.check("store: materials snapshot and events, duplicates ignored, units-opened as the server counts; a Materials tab in every phase", reducer, org)

        # Pages open before anything is uploaded: what follows reaches them live.
        def pages_open():
            org.get(base + "/#/m/" + st["m"])
            visible(org, "#tab-materials")
            line = css(org, "#cl-materials-progress")
            wait(org, lambda d: "还没有发给参会单位的资料" in line.text, msg="C-7 says there is nothing for the units yet")
            assert css(org, ".cl-item[data-id='%s'] #cl-materials-progress" % st["c7"]), "the line is C-7's"
            click(org, "#tab-materials")
            visible(org, "#materials")
            assert css(org, "#tab-materials").get_attribute("aria-selected") == "true"
            assert not org.find_elements(By.CSS_SELECTOR, "#materials-list .mat-item")
            visible(org, "#materials-empty")
            sel = Select(css(org, "#materials-upload [data-field=audience]"))
            assert [(o.get_attribute("value"), o.text) for o in sel.options] == [
                ("everyone", "全体（含企业）"), ("government", "政府方"), ("organizer", "组织方")], [(o.get_attribute("value"), o.text) for o in sel.options]
            assert sel.first_selected_option.get_attribute("value") == "government", "the default is the server's: government"
            accept = css(org, "#materials-upload input[type=file]").get_attribute("accept")
            assert accept.split(",") == [".pdf", ".doc", ".docx", ".wps", ".ppt", ".pptx", ".dps", ".xls", ".xlsx", ".et", ".png", ".jpg", ".jpeg", ".webp"], accept
            # The receipts show only once there is something meant for the units.
            assert css(org, "#materials-units-opened").text == "还没有发给参会单位的资料（可见范围为“全体”或“政府方”）。"
            js(org, "window.__noReload = 'org'")
            comp.get(link(st["wang_tok"]))
            visible(comp, "#materials")
            unit.get(link(st["li_tok"]))
            visible(unit, "#confirm")
            # A unit has nothing to see yet and uploads nothing: no empty card.
            assert not css(unit, "#materials").is_displayed(), "no empty materials card for a unit"
            js(comp, "window.__noReload = 'comp'")
            js(unit, "window.__noReload = 'unit'")
            assert not [e for e in unit.find_elements(By.CSS_SELECTOR, "#materials-upload") if e.is_displayed()], "a unit does not upload"
            assert not [e for e in unit.find_elements(By.CSS_SELECTOR, "#materials-receipts") if e.is_displayed()], "a unit sees no receipts"
            assert not [e for e in comp.find_elements(By.CSS_SELECTOR, "#materials-receipts") if e.is_displayed()], "the company sees no receipts"
            shot(org, shots, "M00-organizer-materials-empty-1366", full=False)
        run.step("the organizer's Materials tab (empty), the company's and a unit's pages open", pages_open, org, comp, unit)

        def upload_errors():
            click(org, "#materials-submit")
            err = visible(org, "#materials-upload .mat-file-field .field-error")
            assert err.text == "请先选择要上传的文件。", err.text
            assert css(org, "#materials-upload input[type=file]").get_attribute("aria-invalid") == "true"
            css(org, "#materials-upload input[type=file]").send_keys(path("说明.txt"))
            click(org, "#materials-submit")
            wait(org, lambda d: "不支持此类文件" in css(d, "#materials-upload .mat-file-field .field-error").text, msg="type refused beside the input")
            # Over the server's per-file limit (1 MiB here): the server's own words, in Chinese, beside the file input.
            status, body = http_upload(base, st["org"], st["m"], "对照.pdf", big)
            assert status == 413 and body["error"]["field"] == "body" and body["error"].get("reason") == "file_limit", (status, body)
            want = body["error"]["text"]["zh"]
            css(org, "#materials-upload input[type=file]").send_keys(path("超大文件.pdf"))
            click(org, "#materials-submit")
            wait(org, lambda d: css(d, "#materials-upload .mat-file-field .field-error").text == want,
                 msg="the server's 413 text beside the file: %r" % want)
            assert not org.find_elements(By.CSS_SELECTOR, "#materials-list .mat-item"), "nothing stored"
            assert not css(org, "#materials-submit").get_attribute("disabled"), "the form is usable again"
        run.check("upload errors beside the file input: none chosen, a refused type, the server's 413 text (zh)", upload_errors, org)

        def upload_deck():
            ui = css(org, "#materials-upload input[type=file]")
            ui.send_keys(path(DECK))
            # A slow uplink (about 150 KB/s): the form says it is uploading, with a percentage.
            org.execute_cdp_cmd("Network.enable", {})
            org.execute_cdp_cmd("Network.emulateNetworkConditions", {"offline": False, "latency": 50, "downloadThroughput": -1, "uploadThroughput": 150 * 1024})
            top = js(org, "return document.getElementById('materials-upload').getBoundingClientRect().height")
            click(org, "#materials-submit")
            wait(org, lambda d: "正在上传“%s”" % DECK in css(d, "#materials-upload-status").text, timeout=5, msg="uploading… shown")
            assert css(org, "#materials-submit").get_attribute("disabled"), "no second upload while one runs"
            mid_height = js(org, "return document.getElementById('materials-upload').getBoundingClientRect().height")
            wait(org, lambda d: DECK in names(d), timeout=30, msg="the deck is listed")
            org.execute_cdp_cmd("Network.emulateNetworkConditions", {"offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1})
            assert abs(mid_height - top) < 1, "the form keeps its height while uploading: %s → %s" % (top, mid_height)
            wait(org, lambda d: css(d, "#materials-upload-status").text == "", msg="status cleared")
            r = row_of(org, DECK)
            assert r.get_attribute("data-audience") == "government"
            assert r.find_element(By.CSS_SELECTOR, ".mat-audience").text == "政府方"
            meta = r.find_element(By.CSS_SELECTOR, ".mat-meta").text
            assert "PDF" in meta and "KB" in meta and ORGANIZER in meta and "2026" in meta, meta
            st["deck_id"] = r.get_attribute("data-id")
            assert css(org, "#materials-units-opened").text == "2 个单位中已有 0 个查看了资料", css(org, "#materials-units-opened").text
            assert [u.get_attribute("data-unit") for u in org.find_elements(By.CSS_SELECTOR, "#materials-units .mat-unit")] == ["市发展改革委", "黄山高新区"]
            # The internal assessment, for the organizer side only.
            Select(css(org, "#materials-upload [data-field=audience]")).select_by_value("organizer")
            css(org, "#materials-upload input[type=file]").send_keys(path(INTERNAL))
            click(org, "#materials-submit")
            wait(org, lambda d: INTERNAL in names(d), msg="internal listed")
            assert row_of(org, INTERNAL).find_element(By.CSS_SELECTOR, ".mat-audience").text == "组织方"
            st["internal_id"] = row_of(org, INTERNAL).get_attribute("data-id")
            # The same file again: not stored twice.
            Select(css(org, "#materials-upload [data-field=audience]")).select_by_value("government")
            css(org, "#materials-upload input[type=file]").send_keys(path(DECK))
            click(org, "#materials-submit")
            wait(org, lambda d: "已上传过" in d.find_element(By.ID, "toasts").text, msg="said to be there already")
            assert names(org) == [DECK, INTERNAL], names(org)
            assert css(org, "#materials-units-opened").text == "2 个单位中已有 0 个查看了资料", "an organizer-only file is not for the units"
            shot(org, shots, "M01-organizer-two-files-1366", full=False)
        run.step("the organizer uploads the deck (progress shown) and an internal file; the same file again is not listed twice", upload_deck, org)

        def company():
            # Neither the government-audience deck nor the organizer's file reached the company's open page.
            time.sleep(0.5)
            assert names(comp) == [], "the company sees none of them: %s" % names(comp)
            assert DECK not in css(comp, "body").text and INTERNAL not in css(comp, "body").text
            # It uploads; its files are for everyone: no audience choice, a note says so.
            assert not css(comp, "#materials-upload .mat-audience-field").is_displayed(), "no audience choice for the company"
            assert css(comp, "#materials-company-note").is_displayed()
            css(comp, "#materials-upload input[type=file]").send_keys(path(PROFILE))
            click(comp, "#materials-submit")
            wait(comp, lambda d: names(d) == [PROFILE], msg="the company's file listed")
            assert items(comp)[0][2] == "everyone"
            assert js(comp, "return window.__noReload") == "comp"
            # It reaches the organizer without a reload, and counts for the units.
            wait(org, lambda d: PROFILE in names(d), msg="the company's file on the organizer's page")
            r = row_of(org, PROFILE)
            assert r.find_element(By.CSS_SELECTOR, ".mat-audience").text == "全体（含企业）"
            assert "王芳" in r.find_element(By.CSS_SELECTOR, ".mat-meta").text, r.find_element(By.CSS_SELECTOR, ".mat-meta").text
            st["profile_id"] = r.get_attribute("data-id")
            assert js(org, "return window.__noReload") == "org"
            # No remove button on what the company may not remove.
            element_shot(comp, "#materials", shots, "M02-company-materials-390")
            problem = overflow(comp, "company at 390")
            assert not problem, problem
        run.check("the company's phone: no deck, no internal file, not even live; its own upload (for everyone) reaches the organizer live", company, comp, org)

        def unit_opens_deck():
            wait(unit, lambda d: names(d) == [DECK, PROFILE], msg="the unit sees the deck and the profile, not the internal file")
            assert INTERNAL not in css(unit, "body").text
            assert js(unit, "return window.__noReload") == "unit", "reached the unit's page live"
            element_shot(unit, "#materials", shots, "M03-unit-materials-390")
            problem = overflow(unit, "unit at 390")
            assert not problem, problem
            click(unit, row_of(unit, DECK).find_element(By.CSS_SELECTOR, ".mat-name"))
            visible(unit, "#materials-preview")
            wait(unit, lambda d: d.find_elements(By.CSS_SELECTOR, "#materials-preview .mat-preview-body[data-loaded=true]"), msg="the deck fetched")
            frames = unit.find_elements(By.CSS_SELECTOR, "#materials-preview iframe")
            st["framed"] = bool(frames)
            if frames:
                assert frames[0].get_attribute("src").startswith("blob:"), frames[0].get_attribute("src")
                time.sleep(1.5)  # the PDF viewer draws
            else:
                # The page's policy allows no blob: frame: it says so and opens the PDF in a tab of its own.
                visible(unit, "#materials-preview-blocked")
                a = css(unit, "#materials-preview-blocked [data-action=open-tab]")
                assert a.get_attribute("href").startswith("blob:"), a.get_attribute("href")
                here = unit.current_window_handle
                before = set(unit.window_handles)
                a.click()
                wait(unit, lambda d: len(set(d.window_handles) - before) == 1, msg="a new tab")
                [tab] = set(unit.window_handles) - before
                unit.switch_to.window(tab)
                wait(unit, lambda d: d.current_url.startswith("blob:"), msg="the tab shows the blob")
                unit.close()
                unit.switch_to.window(here)
            shot(unit, shots, "M04-unit-preview-deck-390", full=False)
            # Esc closes it; the keyboard is back on the file's name.
            css(unit, "#materials-preview-close").send_keys(Keys.ESCAPE)
            wait(unit, lambda d: not d.find_elements(By.CSS_SELECTOR, "#materials-preview"), msg="closed")
            assert js(unit, "return document.activeElement.classList.contains('mat-name')"), "focus back on the file"
            # Its own receipt comes back to it: the row says it has opened the deck (live, no reload).
            wait(unit, lambda d: "您已查看" in row_of(d, DECK).find_element(By.CSS_SELECTOR, ".mat-opened").text, msg="the unit's row marks the deck opened")
            # The organizer's page: 黄山高新区 has opened one of the two files meant for the units.
            wait(org, lambda d: d.find_elements(By.CSS_SELECTOR, "#materials-units .mat-unit[data-unit='黄山高新区'][data-opened=some]"), msg="some opened, live")
            assert css(org, "#materials-units-opened").text == "2 个单位中已有 0 个查看了资料"
            chip = css(org, "#materials-units .mat-unit[data-unit='黄山高新区'] .mat-chip[data-material='%s']" % st["deck_id"])
            assert chip.get_attribute("data-opened") == "true" and "李四" in chip.text, chip.text
            assert "1/2 个单位已查看" in row_of(org, DECK).find_element(By.CSS_SELECTOR, ".mat-opened").text
        run.check("a unit's phone opens the deck from the preview dialog (fetched with the token in a header; Esc closes); the organizer sees the receipt live", unit_opens_deck, unit, org)

        def pdf_in_dialog():
            policy = urllib.request.urlopen(base + "/", timeout=10).headers.get("Content-Security-Policy", "")
            assert st.get("framed"), ("the PDF is not shown inside the dialog: the page's Content-Security-Policy frames no blob: URL "
                                      "(it needs frame-src 'self' blob:; it is %r)" % policy)
        run.check("the PDF shows inside the dialog (a blob: iframe the page's CSP allows)", pdf_in_dialog, unit)

        def unit_counts():
            # 赵六, the same unit's other participant, opens the company's image by keyboard.
            unit.get(link(st["zhao_tok"]))
            wait(unit, lambda d: names(d) == [DECK, PROFILE], msg="赵六's list")
            # 李四 of the same unit opened the deck, not 赵六: no mark on 赵六's page.
            assert not row_of(unit, DECK).find_element(By.CSS_SELECTOR, ".mat-opened").is_displayed(), "another participant's receipt shows"
            name = row_of(unit, PROFILE).find_element(By.CSS_SELECTOR, ".mat-name")
            js(unit, "arguments[0].scrollIntoView({block: 'center'}); arguments[0].focus()", name)
            name.send_keys(Keys.ENTER)
            wait(unit, lambda d: d.find_elements(By.CSS_SELECTOR, "#materials-preview .mat-preview-body[data-loaded=true] img"), msg="the image in the dialog")
            wait(unit, lambda d: js(d, "const i = document.querySelector('#materials-preview img'); return i.complete && i.naturalWidth === 320"), msg="the image decoded")
            assert css(unit, "#materials-preview img").get_attribute("src").startswith("blob:")
            shot(unit, shots, "M05-unit-preview-image-390", full=False)
            click(unit, "#materials-preview-close")
            # No token in any URL the page asked for.
            urls = js(unit, "return performance.getEntriesByType('resource').map((e) => e.name)")
            fetched = [u for u in urls if "/materials/" in u]
            assert fetched, "the page fetched the file: %s" % urls
            for u in urls + [unit.current_url.split("#")[0]]:
                assert st["zhao_tok"] not in u and "token" not in u.lower(), u
            # The organizer's checklist: one of the two attending units has opened them, live.
            click(org, "#tab-prep")
            line = visible(org, "#cl-materials-progress")
            wait(org, lambda d: line.text == "2 个单位中已有 1 个查看了资料", msg="C-7: 1 of 2 units, live (it says %r)" % line.text)
            assert line.get_attribute("data-opened") == "1" and line.get_attribute("data-of") == "2"
            assert js(org, "return window.__noReload") == "org", "no reload"
            element_shot(org, ".cl-item[data-id='%s']" % st["c7"], shots, "M06-organizer-checklist-c7")
        run.check("the same unit's second participant opens the image by keyboard; the organizer's C-7 says 1 of 2 units live", unit_counts, unit, org)

        def receipts_and_reminder():
            click(org, "#tab-materials")
            visible(org, "#materials-receipts")
            assert css(org, "#materials-units-opened").text == "2 个单位中已有 1 个查看了资料"
            units = {u.get_attribute("data-unit"): u.get_attribute("data-opened") for u in org.find_elements(By.CSS_SELECTOR, "#materials-units .mat-unit")}
            assert units == {"市发展改革委": "none", "黄山高新区": "all"}, units
            click(org, "#materials-reminder")
            box = visible(org, "#materials-reminder-text")
            wait(org, lambda d: box.get_attribute("value"), msg="reminder text")
            text = box.get_attribute("value")
            assert "市发展改革委" in text and "黄山高新区" not in text and "市商务局" not in text, text
            assert DECK in text and PROFILE in text and INTERNAL not in text, text
            assert box.get_attribute("data-opened") == "1" and box.get_attribute("data-of") == "2", "the server agrees: %s/%s" % (box.get_attribute("data-opened"), box.get_attribute("data-of"))
            shot(org, shots, "M07-organizer-receipts-1366", full=False)
            element_shot(org, "#materials", shots, "M07b-organizer-materials-panel-1366")
            # C-7 ticked from here, with the checklist's own call.
            cb = css(org, "#materials-checklist")
            assert not cb.is_selected()
            click(org, cb)
            def c7_done(d):
                snap = rpc(d, st["org"], ("meeting.get", {"meeting": st["m"]}))[0]["snapshot"]
                return any(i["id"] == st["c7"] and i["done"] for i in snap["checklist"])
            wait(org, c7_done, msg="C-7 done on the server")
            click(org, "#tab-prep")
            wait(org, lambda d: css(d, ".cl-item[data-id='%s']" % st["c7"]).get_attribute("data-done") == "true", msg="C-7 ticked in the checklist")
        run.check("the receipts per unit, the reminder (materials.receipts) naming the unit that has not opened them, C-7 ticked from the panel", receipts_and_reminder, org)

        def download():
            click(org, "#tab-materials")
            click(org, row_of(org, DECK).find_element(By.CSS_SELECTOR, "[data-action=download-material]"))
            target = os.path.join(downloads, DECK)
            deadline = time.time() + 15
            while time.time() < deadline and not (os.path.exists(target) and os.path.getsize(target) == len(deck)):
                time.sleep(0.2)
            with open(target, "rb") as f:
                got = f.read()
            assert got == deck, "the download is the upload, byte for byte (%d vs %d bytes)" % (len(got), len(deck))
            # The organizer's own open records no receipt.
            time.sleep(0.5)
            assert css(org, "#materials-units-opened").text == "2 个单位中已有 1 个查看了资料"
        run.check("the organizer's download is named as uploaded and is the same bytes; its own open is no receipt", download, org)

        def removal():
            # The organizer removes the company's image: gone from every page, and the count follows (the deck only).
            unit_names = names(unit)
            assert PROFILE in unit_names
            click(org, row_of(org, PROFILE).find_element(By.CSS_SELECTOR, "[data-action=remove-material]"))
            click(org, "[data-test=dialog-ok]")
            wait(org, lambda d: PROFILE not in names(d), msg="gone on the organizer's page")
            wait(unit, lambda d: names(d) == [DECK], msg="gone on the unit's page, live")
            wait(comp, lambda d: names(d) == [], msg="gone on the company's page, live")
            # 黄山高新区 opened the deck (李四): still 1 of 2.
            assert css(org, "#materials-units-opened").text == "2 个单位中已有 1 个查看了资料"
            # The internal file too.
            click(org, row_of(org, INTERNAL).find_element(By.CSS_SELECTOR, "[data-action=remove-material]"))
            click(org, "[data-test=dialog-ok]")
            wait(org, lambda d: names(d) == [DECK], msg="internal removed")
            assert not unit.find_elements(By.CSS_SELECTOR, "#materials-list [data-action=remove-material]:not([hidden])"), "a unit removes nothing"
        run.check("removals reach every open page live; the count follows the files left", removal, org, unit, comp)

        def english_and_phone():
            click(org, "#lang-toggle")
            wait(org, lambda d: css(d, "#materials-units-opened").text == "1 of 2 units have opened them", msg="English count: %r" % css(org, "#materials-units-opened").text)
            assert row_of(org, DECK).find_element(By.CSS_SELECTOR, ".mat-audience").text == "Government side"
            assert [o.text for o in Select(css(org, "#materials-upload [data-field=audience]")).options] == ["Everyone (incl. the company)", "Government side", "Organizer side"]
            click(org, "#tab-prep")
            assert css(org, "#cl-materials-progress").text == "1 of 2 units have opened them"
            click(org, "#tab-materials")
            viewport(org, 390, 844)
            problem = overflow(org, "organizer at 390")
            assert not problem, problem
            element_shot(org, "#materials", shots, "M08-organizer-materials-390-en")
            viewport(org, 1366, 768)
            click(org, "#lang-toggle")
        run.check("English labels; the organizer's panel at 390 px does not overflow", english_and_phone, org)

        # The refused upload (413) is logged by the browser as a failed load: that one is expected.
        s.check_console(org, unit, comp, ignore=("WebSocket", "status of 413"))
        s.check_ops(org, unit, comp)
    return s.result()


if __name__ == "__main__":
    run_module(main)
