"""The Word documents a leader opens, end to end: a real server with a temporary
database, a short roadshow over the WebSocket (forced start, minutes shared and
internal, an action, a participant whose name is markup), then the three .docx
fetched with the CLI (`--docx`), opened with python-docx (title, headings, the
议定事项 table, the fonts of the styles, A4, the footer's PAGE field, the
company's copy without internal text), converted to PDF with LibreOffice
(A4, the first page's text) and page 1 rendered to PNG for a look.

    ROADSHOW_BIN=.build/debug/roadshow python3 Tests/docs/test_docx.py

Environment: ROADSHOW_BIN (default .build/debug/roadshow), ROADSHOW_SHOTS
(keep the .docx, .pdf and .png there; default a temporary directory that is
kept when something failed).
"""
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import traceback
import urllib.request
import zipfile

import docx
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(REPO, "Tests", "fuzz"))
from wsclient import WS  # noqa: E402

ADMIN = "rs_a_docxtestadmintoken00000000000000"
BIN = os.environ.get("ROADSHOW_BIN") or os.path.join(REPO, ".build", "debug", "roadshow")
if not os.path.isabs(BIN):
    BIN = os.path.join(REPO, BIN)
HOSTILE = "<img src=x onerror=alert(1)> & Co"
TITLE = "新能源储能项目线上路演"
FORCE_REASON = "企业负责人行程紧张按时开始"
INTERNAL = "内部：企业报价偏高需压价"
AV_NOTE = "李娜麦克风待会中解决"

passed, failed = 0, 0


def check(name, fn, *args):
    global passed, failed
    try:
        fn(*args)
        passed += 1
        print("PASS", name)
    except Exception:
        failed += 1
        print("FAIL", name)
        traceback.print_exc()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def ok(reply):
    assert reply.get("ok"), reply
    return reply["result"]


class Roadshow:
    """The server under test, and the CLI pointed at it."""

    def __init__(self, work):
        self.work = work
        self.port = free_port()
        self.log = open(os.path.join(work, "server.log"), "ab")
        self.proc = subprocess.Popen(
            [BIN, "serve", "--port", str(self.port), "--db", os.path.join(work, "rs.sqlite"), "--web", os.path.join(REPO, "web"),
             "--timezone", "Asia/Shanghai"],
            stdout=self.log, stderr=subprocess.STDOUT, env=dict(os.environ, ROADSHOW_ADMIN_TOKEN=ADMIN), cwd=REPO)
        for _ in range(600):
            try:
                urllib.request.urlopen("http://127.0.0.1:%d/healthz" % self.port, timeout=1)
                return
            except Exception:
                if self.proc.poll() is not None:
                    break
                time.sleep(0.1)
        raise RuntimeError("the server did not start; see %s" % os.path.join(work, "server.log"))

    def ws(self, token):
        c = WS(self.port)
        ok(c.call("auth", {"token": token}))
        return c

    def cli(self, token, *args):
        env = dict(os.environ, ROADSHOW_SERVER="ws://127.0.0.1:%d/ws" % self.port, ROADSHOW_TOKEN=token)
        r = subprocess.run([BIN] + list(args), env=env, capture_output=True, text=True, timeout=120)
        assert r.returncode == 0, "roadshow %s: %d\n%s\n%s" % (" ".join(args), r.returncode, r.stdout, r.stderr)
        return r.stdout

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.log.close()


def run_roadshow(rs):
    """A short roadshow: returns (meeting id, organizer token, company token)."""
    admin = rs.ws(ADMIN)
    org_token = ok(admin.call("account.create", {"name": "黄山市投资促进局", "kind": "organizer"}))["token"]
    org = rs.ws(org_token)
    m = ok(org.call("meeting.create", {
        "title": TITLE, "company": {"name": "皖南新能源科技有限公司", "contact": "李四", "phone": "138 0000 0000"},
        "project": {"name": "储能电池生产基地", "category": "industrial", "industry": "新能源", "investment": 12.5},
        "startsAt": "2026-12-01T14:00:00+08:00", "durationMinutes": 90,
        "system": {"name": "腾讯会议", "room": "123-456-789", "link": "https://meeting.tencent.com/dm/abc"}}))["meeting"]["id"]
    people = {}
    for name, unit, role in [("周主持", "黄山市投资促进局", "host"), ("吴记录", "黄山市投资促进局", "recorder"),
                             ("李娜", "黄山高新区", "unit"), (HOSTILE, "歙县经开区", "unit"),
                             ("李四", "皖南新能源科技有限公司", "company"), ("陈列席", "市发改委", "observer")]:
        r = ok(org.call("roster.add", {"meeting": m, "name": name, "unit": unit, "role": role}))
        people[role if role not in people else role + "2"] = (r["participant"]["id"], r["token"])
    ok(org.call("agenda.add", {"meeting": m, "title": "企业项目推介", "minutes": 20}))
    ok(org.call("agenda.add", {"meeting": m, "title": "交流提问", "minutes": 30}))
    ok(org.call("meeting.advance", {"meeting": m, "to": "rehearsal"}))
    ok(org.call("av.mark", {"meeting": m, "participant": people["unit"][0], "check": "mic", "result": "fail", "note": AV_NOTE}))
    ok(org.call("meeting.advance", {"meeting": m, "to": "live", "force": True, "reason": FORCE_REASON}))
    for role in ["host", "recorder", "unit", "unit2", "company", "observer"]:
        ok(rs.ws(people[role][1]).call("presence.set", {"meeting": m, "status": "present"}))
    ok(org.call("agenda.next", {"meeting": m}))
    for kind, text, extra in [
        ("intent", "拟投资12.5亿元建设储能电池基地，分两期 <实施> & 投产", {"visibility": "everyone"}),
        ("needs", INTERNAL, {}),
        ("prospects", "年产值预计30亿元", {"visibility": "everyone"}),
        ("decision", "会议决定由黄山高新区牵头对接用地", {"visibility": "everyone"}),
        ("action", "提供两套选址方案", {"owner": "黄山高新区", "due": "2026-12-15", "visibility": "everyone"}),
        ("next_contact", "12月18日前视频沟通选址方案", {"owner": "李娜", "due": "2026-12-18", "visibility": "everyone"}),
    ]:
        ok(org.call("minutes.add", dict({"meeting": m, "kind": kind, "text": text}, **extra)))
    ok(org.call("agenda.finish", {"meeting": m}))
    ok(org.call("meeting.advance", {"meeting": m, "to": "ended"}))
    ok(org.call("followup.assess", {"meeting": m, "unit": "黄山高新区", "feasible": True, "willingToHost": True, "comment": "园区有现成标准厂房，愿意承接"}))
    ok(org.call("followup.intent", {"meeting": m, "furtherTalks": True, "district": "黄山高新区"}))
    return m, org_token, people["company"][1]


# ---------------------------------------------------------------------------
# Checks on the .docx

def east_asia(style):
    rpr = style.element.rPr
    fonts = rpr.find(qn("w:rFonts")) if rpr is not None else None
    return fonts.get(qn("w:eastAsia")) if fonts is not None else None


def all_text(d):
    out = [p.text for p in d.paragraphs]
    for t in d.tables:
        for row in t.rows:
            out.extend(c.text for c in row.cells)
    return "\n".join(out)


def a4(d):
    s = d.sections[0]
    assert abs(s.page_width - Mm(210)) < Mm(0.5) and abs(s.page_height - Mm(297)) < Mm(0.5), (s.page_width.mm, s.page_height.mm)
    for got, want in [(s.top_margin, 37), (s.bottom_margin, 35), (s.left_margin, 28), (s.right_margin, 26)]:
        assert abs(got.mm - want) < 0.2, (got.mm, want)
    footer_xml = s.footer._element.xml
    assert re.search(r"<w:instrText[^>]*> PAGE </w:instrText>", footer_xml), footer_xml
    assert "— " in "".join(p.text for p in s.footer.paragraphs)


def zh_styles(d):
    assert east_asia(d.styles["Normal"]) == "仿宋", east_asia(d.styles["Normal"])
    assert d.styles["Normal"].font.name == "Times New Roman"
    assert d.styles["Normal"].font.size == Pt(16), d.styles["Normal"].font.size
    assert east_asia(d.styles["Heading 1"]) == "黑体"
    assert east_asia(d.styles["Title"]) == "黑体" and d.styles["Title"].font.size == Pt(22)


def headings(d, level=1):
    return [p.text for p in d.paragraphs if p.style.name == "Heading %d" % level]


def minutes_organizer(d):
    assert d.paragraphs[0].text == TITLE + "会议纪要" and d.paragraphs[0].style.name == "Title"
    assert d.paragraphs[0].alignment == 1 or d.styles["Title"].paragraph_format.alignment == 1  # centred
    assert [p.text for p in d.paragraphs[1:3]] == ["黄山市投资促进局", "2026年12月1日"], [p.text for p in d.paragraphs[1:4]]
    hs = headings(d)
    assert hs[:4] == ["一、会议议程", "二、会议内容", "三、议定事项", "四、下次沟通"], hs
    assert hs[-1].startswith("附：内部备注"), hs
    text = all_text(d)
    for needle in ["出席人员：", "列席：陈列席-市发改委", "李娜-黄山高新区", HOSTILE + "-歙县经开区", "分两期 <实施> & 投产",
                   INTERNAL, FORCE_REASON, AV_NOTE]:
        assert needle in text, needle
    # The forced start comes after the record, not first.
    body = "\n".join(p.text for p in d.paragraphs)
    assert body.index(FORCE_REASON) > body.index("三、议定事项")
    table = next(t for t in d.tables if [c.text for c in t.rows[0].cells] == ["序号", "事项", "负责单位（人）", "完成时限"])
    rows = [[c.text for c in r.cells] for r in table.rows[1:]]
    assert rows == [["1", "会议决定由黄山高新区牵头对接用地", "—", "—"], ["2", "提供两套选址方案", "黄山高新区", "2026-12-15"]], rows
    assert table.rows[0]._tr.trPr is not None and table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None


def minutes_company(d):
    text = all_text(d)
    assert "分两期 <实施> & 投产" in text and "提供两套选址方案" in text
    for needle in [INTERNAL, FORCE_REASON, AV_NOTE, "内部备注"]:
        assert needle not in text, needle


def minutes_english(d):
    assert d.paragraphs[0].text == "Minutes: " + TITLE
    assert d.styles["Normal"].font.name == "Times New Roman" and d.styles["Heading 1"].font.name == "Arial"
    hs = headings(d)
    assert hs[:3] == ["1. Agenda", "2. Discussion", "3. Decisions and actions"], hs
    text = all_text(d)
    for label in ["出席", "议定事项", "会议纪要", "时间："]:
        assert label not in text, label


def report(d):
    assert d.paragraphs[0].text == "关于“%s”线上路演情况的报告" % TITLE
    hs = headings(d)
    assert "一、会议基本情况" in hs and any("议定事项" in h for h in hs) and any("评估意见" in h for h in hs), hs
    text = all_text(d)
    for needle in ["领导批示：", "园区有现成标准厂房，愿意承接", "建议转办至黄山高新区", "提供两套选址方案"]:
        assert needle in text, needle


def bulletin(d):
    assert d.paragraphs[0].text == "每月信息专报"
    assert d.paragraphs[1].text == "第 12 期"
    text = all_text(d)
    for needle in ["2026年12月“双招双引”项目调度情况", "三、本月线上路演", TITLE, "抄送：省新兴产业聚集地执行小组。"]:
        assert needle in text, needle


def well_formed_package(path):
    with zipfile.ZipFile(path) as z:
        assert z.testzip() is None
        names = set(z.namelist())
        for part in ["[Content_Types].xml", "_rels/.rels", "word/document.xml", "word/styles.xml", "word/settings.xml",
                     "word/footer1.xml", "word/_rels/document.xml.rels", "docProps/core.xml", "docProps/app.xml"]:
            assert part in names, part
        assert "&lt;img src=x onerror=alert(1)&gt; &amp; Co" in z.read("word/document.xml").decode()


# ---------------------------------------------------------------------------
# LibreOffice: PDF, A4, page 1

def to_pdf(paths, out):
    profile = "file://" + os.path.join(out, "lo-profile")
    r = subprocess.run(["soffice", "-env:UserInstallation=" + profile, "--headless", "--convert-to", "pdf", "--outdir", out] + paths,
                       capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stdout + r.stderr
    return [os.path.join(out, os.path.splitext(os.path.basename(p))[0] + ".pdf") for p in paths]


def pdf_page1(pdf, needles, png_prefix):
    info = subprocess.run(["pdfinfo", pdf], capture_output=True, text=True, check=True).stdout
    size = re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info)
    assert size and abs(float(size.group(1)) - 595.3) < 2 and abs(float(size.group(2)) - 841.9) < 2, info
    first = subprocess.run(["pdftotext", "-layout", "-f", "1", "-l", "1", pdf, "-"], capture_output=True, text=True, check=True).stdout
    flat = re.sub(r"\s+", "", first)
    for n in needles:
        assert re.sub(r"\s+", "", n) in flat, "page 1 lacks %r:\n%s" % (n, first[:1500])
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile", pdf, png_prefix], check=True)
    assert os.path.getsize(png_prefix + ".png") > 5000
    print("  page 1:", png_prefix + ".png")


def main():
    keep = os.environ.get("ROADSHOW_SHOTS")
    work = tempfile.mkdtemp(prefix="roadshow-docx-")
    out = keep or os.path.join(work, "out")
    os.makedirs(out, exist_ok=True)
    rs = None
    try:
        rs = Roadshow(work)
        m, org, company = run_roadshow(rs)
        files = {
            "minutes": os.path.join(out, "minutes-zh.docx"), "company": os.path.join(out, "minutes-company.docx"),
            "english": os.path.join(out, "minutes-en.docx"), "report": os.path.join(out, "report-zh.docx"),
            "bulletin": os.path.join(out, "bulletin-zh.docx"),
        }
        said = rs.cli(org, "minutes", "export", m, "--docx", files["minutes"])
        assert "Wrote the minutes of %s to %s (Word, " % (m, files["minutes"]) in said, said
        rs.cli(company, "minutes", "export", m, "--docx", files["company"])
        rs.cli(org, "minutes", "export", m, "--docx", files["english"], "--lang", "en")
        rs.cli(org, "followup", "report", "--meeting", m, "--docx", files["report"])
        rs.cli(org, "report", "monthly", "--month", "2026-12", "--issue", "12", "--docx", files["bulletin"])
        docs = {k: docx.Document(v) for k, v in files.items()}

        check("minutes: the package holds every part, and user text is escaped in document.xml", well_formed_package, files["minutes"])
        for k in docs:
            check("%s: A4, the official margins, a PAGE field in the footer" % k, a4, docs[k])
        for k in ["minutes", "company", "report", "bulletin"]:
            check("%s: 仿宋 body 16 pt, 黑体 headings and title" % k, zh_styles, docs[k])
        check("minutes (organizer): title, issuer and date, headings, 出席/列席, the 议定事项 table, remarks at the end", minutes_organizer, docs["minutes"])
        check("minutes (company): only what was shared, no internal remark", minutes_company, docs["company"])
        check("minutes (English): one language, Times New Roman and Arial", minutes_english, docs["english"])
        check("leadership report: title, sections, assessments, recommendation, 领导批示", report, docs["report"])
        check("monthly bulletin: header, issue, the month's roadshows, distribution", bulletin, docs["bulletin"])

        pdfs = to_pdf([files[k] for k in ["minutes", "company", "report", "bulletin", "english"]], out)
        page1 = {
            "minutes": [TITLE + "会议纪要", "黄山市投资促进局", "出席人员"],
            "company": [TITLE + "会议纪要", "出席人员"],
            "report": ["线上路演情况的报告", "一、会议基本情况"],
            "bulletin": ["每月信息专报", "第12期"],
            "english": ["Minutes: " + TITLE, "Attending"],
        }
        for (k, pdf) in zip(["minutes", "company", "report", "bulletin", "english"], pdfs):
            check("%s: LibreOffice makes an A4 PDF whose first page has the title" % k, pdf_page1, pdf, page1[k], os.path.join(out, k + "-p1"))
    except Exception:
        global failed
        failed += 1
        print("FAIL setup")
        traceback.print_exc()
    finally:
        if rs:
            rs.stop()
            if failed:
                with open(os.path.join(work, "server.log"), "rb") as f:
                    print(f.read()[-3000:].decode(errors="replace"))
        if not failed and not keep:
            shutil.rmtree(work, ignore_errors=True)
        elif failed:
            print("kept:", work if not keep else out)
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
