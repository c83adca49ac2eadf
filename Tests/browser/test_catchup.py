#!/usr/bin/python3
"""Catch-up on the page (reliability point 2): the organizer's meeting page,
open while the server is away, is left 10,000 events behind (and 100,000 with
ROADSHOW_CATCHUP_LARGE=1), and converges by itself once the server is back.

    ROADSHOW_BIN=.build/debug/roadshow /usr/bin/python3 Tests/browser/run.py test_catchup
    ROADSHOW_CATCHUP_LARGE=1 /usr/bin/python3 Tests/browser/run.py test_catchup

Each round: the server is stopped (the page shows its reconnecting banner);
N events are appended to the meeting's stream straight into the SQLite file,
as the server would have written them (the hash chain continued): N - 1
`checklist.item_set` of item C-1, its done flag alternating, leaving it the
other way round from before, then one `checklist.item_added` with a text of
its own. Checklist events touch no query table (Projections.swift), so only
the `events` table is written. The server is started again on the same file
and port; the page reconnects with its own backoff and resumes with
`stream.subscribe {stream, since}`, which the server answers from the
database a page (500 events) at a time; once the page's socket is open
another client adds 5 checklist items (writes while the backlog is on its
way).

Checked: the page's seq (`data-seq` on `.prep-body`) reaches the server's
`meeting.get` seq; C-1, the seeded item and the 5 written meanwhile are shown
as the server has them; the page opened one socket and sent one subscribe
(not closed as too slow, no reconnect loop, no gap → snapshot refetch); the
server dropped no slow client; `roadshow verify` passes on the file (10,000
round); no console errors. Printed per round: seconds to converge, events/s
the page applied, the longest main-thread task, the page's JS heap.

Same environment as the other modules (harness.py).
"""
import hashlib
import json
import os
import re
import sqlite3
import subprocess
import sys
import time
import urllib.request
from datetime import datetime, timezone

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import (  # noqa: E402
    ADMIN_TOKEN, Session, click, css, js, rpc, run_module, shot, visible, wait,
)

MEETING = "新能源电池项目线上路演"
LARGE = os.environ.get("ROADSHOW_CATCHUP_LARGE") == "1"
WRITES = 5  # checklist.add by another client while the page catches up

# Every socket the page opens (not the tests' own setup sockets): when it opened
# and closed (with the code), its frames, the subscribes it sent, the replies
# that carry a seq. And the main thread's long tasks. performance.now() times.
WATCH_JS = r"""
(() => {
  const Base = window.WebSocket;
  const sockets = window.__rsSockets = [];
  const long = window.__rsLongTasks = [];
  try {
    new PerformanceObserver((list) => { for (const e of list.getEntries()) long.push([e.startTime, e.duration]); })
      .observe({ type: "longtask", buffered: true });
  } catch (e) { /* no long task timing */ }
  class Watched extends Base {
    constructor(...args) {
      super(...args);
      const rec = { opened: null, closed: null, code: null, reason: null, frames: 0, first: null, last: null, subscribes: [], replies: [] };
      this.__rec = rec;
      this.addEventListener("open", () => { if (!this.__testRpc) { rec.opened = performance.now(); sockets.push(rec); } });
      this.addEventListener("close", (e) => { rec.closed = performance.now(); rec.code = e.code; rec.reason = e.reason; });
      this.addEventListener("message", (e) => {
        const now = performance.now();
        rec.frames++;
        if (rec.first === null) rec.first = now;
        rec.last = now;
        const d = e.data;
        if (typeof d === "string" && d.length < 400 && d.startsWith('{"ok"') && d.includes('"seq"')) rec.replies.push([now, d]);
      });
    }
    send(data) {
      if (typeof data === "string" && data.includes('"stream.subscribe"')) {
        try { this.__rec.subscribes.push([performance.now(), JSON.parse(data).args]); } catch (e) { /* not JSON */ }
      }
      return super.send(data);
    }
  }
  window.WebSocket = Watched;
})();
"""


def sha256_hex(text):
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def chain_hash(previous, stream, seq, typ, actor, at, data):
    """EventChain.hash in Sources/RoadshowStore/EventChain.swift."""
    return sha256_hex("%s\n%s\n%d\n%s\n%s\n%s\n%s" % (previous, stream, seq, typ, actor, at, data))


def now_stamp():
    """Timestamp.format: RFC 3339 in UTC with milliseconds."""
    t = datetime.now(timezone.utc)
    return t.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (t.microsecond // 1000)


def encode(obj):
    """The store's JSON: compact, keys sorted."""
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def seed(db, stream, item_id, count, new_text):
    """Appends `count` events to the stream, as the server would have stored
    them: count - 1 checklist.item_set of item_id, done alternating from its
    current state (an odd number of them, so it ends the other way round),
    then a checklist.item_added with new_text. Returns (first seq, last seq,
    item_id's final done, the new item's id)."""
    assert count % 2 == 0, "an even count leaves the item the other way round"
    con = sqlite3.connect(db, isolation_level=None)
    try:
        con.execute("BEGIN IMMEDIATE")
        rows = con.execute("SELECT seq, type, actor, data, hash FROM events WHERE stream = ? ORDER BY seq", (stream,)).fetchall()
        last_seq, last_hash = rows[-1][0], rows[-1][4]
        # The item as the log last has it, from the server's own last checklist.item_set of it.
        template = None
        numbers = []
        added = None
        for seq, typ, actor, data, _ in rows:
            if typ in ("checklist.item_added", "checklist.item_set"):
                item = json.loads(data)["item"]
                numbers.append(int(item["id"][2:]))
                if typ == "checklist.item_added" and added is None:
                    added = item
                if item["id"] == item_id and typ == "checklist.item_set":
                    template = (actor, item)
        assert template, "no checklist.item_set of %s in the log to copy" % item_id
        actor, item = template
        at = now_stamp()
        done = item["done"]
        seq, prev = last_seq, last_hash
        out = []
        for _ in range(count - 1):
            done = not done
            item = dict(item, done=done)
            if done:
                item["doneBy"], item["doneAt"] = actor, at
            else:
                item.pop("doneBy", None)
                item.pop("doneAt", None)
            data = encode({"item": item})
            seq += 1
            prev = chain_hash(prev, stream, seq, "checklist.item_set", actor, at, data)
            out.append((stream, seq, "checklist.item_set", actor, at, data, prev))
        new = {k: v for k, v in added.items() if k in ("phase",)}
        new.update(id="C-%d" % (max(numbers) + 1), text=new_text, done=False, phase="preparing")
        data = encode({"item": new})
        seq += 1
        prev = chain_hash(prev, stream, seq, "checklist.item_added", actor, at, data)
        out.append((stream, seq, "checklist.item_added", actor, at, data, prev))
        con.executemany("INSERT INTO events (stream, seq, type, actor, at, data, hash) VALUES (?, ?, ?, ?, ?, ?, ?)", out)
        con.execute("COMMIT")
    finally:
        con.close()
    return last_seq + 1, seq, done, new["id"]


def verify(bin_path, db):
    """`roadshow verify --db FILE --json`: (exit code, its output)."""
    p = subprocess.run([bin_path, "verify", "--db", db, "--json"], capture_output=True, text=True, timeout=300)
    return p.returncode, (p.stdout + p.stderr).strip()


def metric(server, name):
    with urllib.request.urlopen(server.url + "/metrics", timeout=10) as r:
        text = r.read().decode("utf-8")
    m = re.search(r"^roadshow_%s(?:\{[^}]*\})? ([0-9.e+]+)$" % name, text, re.M)
    return float(m.group(1)) if m else None


def heap_mb(d):
    try:
        return d.execute_cdp_cmd("Runtime.getHeapUsage", {})["usedSize"] / 1e6
    except Exception:  # noqa: BLE001
        return None


def page_seq(d):
    v = js(d, "const b = document.querySelector('.prep-body'); return b ? b.dataset.seq : null")
    return int(v) if v not in (None, "") else None


def main():
    st = {"figures": []}
    with Session("roadshow-catchup-") as s:
        server, run, shots = s.server, s.run, s.shots
        server.start()
        base = server.url
        a = s.driver("zh-CN")
        a.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": WATCH_JS})
        b = s.driver("zh-CN")  # another client of the organizer's, writing while a catches up

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
            st["m"] = m["meeting"]["id"]
            js(a, "localStorage.setItem('roadshow.token', arguments[0]); localStorage.setItem('roadshow.kind', 'organizer')", org)
            a.get(base + "/#/m/" + st["m"])
            b.get(base + "/")
            visible(a, "#cl-C-1")
            # The server's own checklist.item_set of C-1, which the seeding copies.
            click(a, "#cl-C-1")
            wait(a, lambda d: css(d, "#cl-C-1").is_selected() and css(d, "#checklist-progress .progress-label").get_attribute("data-done") == "1",
                 msg="C-1 ticked")
            [g] = rpc(a, org, ("meeting.get", {"meeting": st["m"]}))
            wait(a, lambda d: page_seq(d) == g["seq"], msg="the page's seq is the server's (%s)" % g["seq"])
            js(a, "window.__noReload = 'organizer'")
        run.step("setup: an organizer's meeting page open and subscribed, C-1 ticked through the page", setup, a)

        def round_behind(count, check_chain):
            def go():
                before = js(a, "return window.__rsSockets.length")
                was_done = css(a, "#cl-C-1").is_selected()
                seq_before = page_seq(a)
                server.stop()
                banner = visible(a, "#conn-banner", timeout=20)
                assert banner.get_attribute("data-state") == "down", "the page says it is reconnecting"
                if count == 10_000:
                    shot(a, shots, "01-reconnecting", full=False)
                new_text = "追赶 %d 条事件之后新增的事项" % count
                t0 = time.time()
                first, seeded, final_done, new_id = seed(server.db, st["m"], "C-1", count, new_text)
                t_seed = time.time() - t0
                assert first == seq_before + 1, "the page had the stream's last seq (%s) before: first seeded %s" % (seq_before, first)
                assert final_done != was_done, "the seeded events leave C-1 the other way round"
                t0 = time.time()
                server.start()
                t_up = time.time()
                # The page reconnects by itself (its backoff); once its socket is open, another
                # client writes to the meeting while the backlog is still on its way.
                wait(a, lambda d: js(d, "return window.__rsSockets.length") > before, timeout=60, msg="the page reconnects")
                written = ["追赶期间新增的事项 %d-%d" % (count, i) for i in range(WRITES)]
                rpc(b, st["org"], *[("checklist.add", {"meeting": st["m"], "text": t}) for t in written])
                during = not any('"seq"' in r for _, r in js(a, "return window.__rsSockets.at(-1).replies"))
                [g] = rpc(b, st["org"], ("meeting.get", {"meeting": st["m"]}))
                target = g["seq"]
                assert target == seeded + WRITES, "the server has the seeded log and the writes: %s" % target
                heaps = []
                deadline = time.time() + 300
                while True:
                    h_mb = heap_mb(a)
                    if h_mb is not None:
                        heaps.append(h_mb)
                    cur = page_seq(a)
                    if cur == target:
                        break
                    assert time.time() < deadline, "the page's seq is %s, the server's %s, after 300 s" % (cur, target)
                    time.sleep(0.25)
                t_seen = time.time()
                # What the page shows is the log's last word.
                wait(a, lambda d: css(d, "#cl-C-1").is_selected() == final_done, msg="C-1 ticked as the log says")
                wait(a, lambda d: new_text in css(d, ".cl-item[data-id='%s']" % new_id).text, msg="the new item is shown with its text")
                shown = css(a, "#checklist-groups").text
                missing = [t for t in written if t not in shown]
                assert not missing, "the items written during the catch-up are shown: missing %s" % missing
                assert not css(a, "#conn-banner").is_displayed(), "no reconnecting banner once caught up"
                [g] = rpc(b, st["org"], ("meeting.get", {"meeting": st["m"]}))
                assert g["seq"] == target and page_seq(a) == g["seq"], "the page's seq is meeting.get's: %s, %s" % (page_seq(a), g["seq"])
                item = next(i for i in g["snapshot"]["checklist"] if i["id"] == "C-1")
                assert item["done"] == final_done, "the server agrees about C-1"
                assert len(g["snapshot"]["checklist"]) == len(a.find_elements("css selector", "#checklist-groups .cl-item")), \
                    "as many checklist rows as the server has items"
                time.sleep(1.0)  # anything that would follow (a close, a resubscribe) has had its chance
                t_verify = None
                if check_chain:
                    # The seeded log and the server's own writes after it: seqs, hash chain, query tables.
                    t1 = time.time()
                    rc, out = verify(server.bin, server.db)
                    t_verify = time.time() - t1
                    assert rc == 0, "roadshow verify on the seeded file: %s" % out[-2000:]
                    assert json.loads(out).get("events", 0) >= target, out[-500:]
                socks = js(a, "return window.__rsSockets")[before:]
                assert len(socks) == 1, "the page opened one socket after the restart, not a loop of reconnects: %s" % [
                    (x["code"], x["reason"]) for x in socks]
                sock = socks[0]
                assert sock["closed"] is None, "the socket stays open (closed %s %r)" % (sock["code"], sock["reason"])
                subs = [x[1] for x in sock["subscribes"]]
                assert subs == [{"stream": st["m"], "since": seq_before}], "one resume from the seq it had, no snapshot refetch: %s" % subs
                assert metric(server, "slow_clients_dropped_total") == 0, "the server closed no client as too slow"
                gaps = [e["message"] for e in a.get_log("browser") if "gap in" in e.get("message", "")]
                assert not gaps, "the pages were not taken for a gap: %s" % gaps[:3]
                reply = next((t for t, r in sock["replies"] if (json.loads(r).get("result") or {}).get("seq", 0) >= seeded), None)
                assert reply is not None, "the resume's reply carries a seq covering the backlog: %s" % sock["replies"]
                catchup = (reply - sock["opened"]) / 1000.0
                longs = [dur for start, dur in js(a, "return window.__rsLongTasks") if start >= sock["opened"]]
                fig = {
                    "behind": count, "seed_s": round(t_seed, 1), "verify_s": round(t_verify, 1) if t_verify else None,
                    "server_start_s": round(t_up - t0, 1), "until_page_seq_s": round(t_seen - t_up, 1),
                    "socket_to_reply_s": round(catchup, 2), "events_per_s": int(count / catchup) if catchup else None,
                    "writes_during_catchup": during, "frames": sock["frames"], "longest_task_ms": int(max(longs)) if longs else 0,
                    "long_tasks_ms_total": int(sum(longs)), "heap_mb_peak": round(max(heaps), 1) if heaps else None,
                    "heap_mb_after": round(heap_mb(a) or 0, 1),
                }
                st["figures"].append(fig)
                print("     figures: %s" % json.dumps(fig), flush=True)
                if count == 10_000:
                    shot(a, shots, "02-caught-up")
            return go

        run.check("10,000 events behind, 5 written meanwhile: the page converges on the server's seq and state, one socket, one resume; "
                  "roadshow verify passes on the seeded file", round_behind(10_000, True), a, b)
        if LARGE:
            run.check("100,000 events behind, 5 written meanwhile: the same (ROADSHOW_CATCHUP_LARGE=1)", round_behind(100_000, False), a, b)

        s.check_console(a, b, ignore=("WebSocket", "ERR_CONNECTION_REFUSED"))
        s.check_ops(a)
    return s.result()


if __name__ == "__main__":
    run_module(main)
