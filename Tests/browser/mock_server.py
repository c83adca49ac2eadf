#!/usr/bin/python3
"""A stand-in for `roadshow serve`, for developing the page before the real
server runs. Standard library only. It speaks the documented subset of the
wire protocol (PROTOCOL.md) that the page uses: auth, account.*, meeting.*,
stream.subscribe, checklist.*, roster.*. It is NOT the product and decides
nothing beyond what the page needs to be exercised.

    Tests/browser/mock_server.py serve --port 8080 --web web [--db ignored]

The browser test can run against it with ROADSHOW_BIN=Tests/browser/mock_server.py.
State lives in memory only.
"""
import argparse
import base64
import datetime
import hashlib
import json
import mimetypes
import os
import random
import socket
import string
import struct
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
ALPHA = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LOCK = threading.RLock()


def now():
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def make_id(prefix):
    return prefix + "-" + "".join(random.choice(ALPHA) for _ in range(6))


def make_token(tag):
    return "rs_%s_%s" % (tag, "".join(random.choice(ALPHA.lower()) for _ in range(32)))


class Err(Exception):
    def __init__(self, code, message, field=None):
        super().__init__(message)
        self.code, self.message, self.field = code, message, field


DEFAULT_CHECKLIST = [
    ("preparing", "提前确认企业投资意向", "Confirm the company's investment intent"),
    ("preparing", "收集企业和项目资料及企业希望对接的单位", "Collect company and project materials and the units it wants to meet"),
    ("preparing", "确定参会单位并与企业、各单位确认", "Decide the attending units; confirm with the company and each unit"),
    ("preparing", "收集参会名单，确定主持人和议程并提前共享", "Collect the attendee list, name the host, set and share the agenda"),
    ("preparing", "会前将企业、项目资料发送各参会单位", "Send the materials to every attending unit"),
    ("preparing", "确认会议系统，提醒安装客户端、注册账号、检查网络", "Confirm the meeting system; remind units to install, register and check their network"),
    ("rehearsal", "提前开启会议室并邀请所有人进入", "Open the meeting room early and invite everyone in"),
    ("rehearsal", "所有人将显示名改为姓名+单位", "Everyone renames to name + unit"),
    ("rehearsal", "逐一测试每位参会人的音频输入输出", "Test each participant's audio in and out, one by one"),
]


class State:
    def __init__(self, admin_token):
        self.tokens = {hashlib.sha256(admin_token.encode()).hexdigest(): {"id": "A-ADMIN", "name": "Administrator", "kind": "admin"}}
        self.accounts = []
        self.meetings = {}  # id -> dict with summary, checklist(list), roster(list), seq, events
        self.subs = {}  # stream -> set(conn)
        self.request_keys = {}

    def actor_for(self, token):
        return self.tokens.get(hashlib.sha256(token.encode()).hexdigest())


STATE = None


def summary(m):
    return {k: v for k, v in m.items() if k not in ("checklist", "roster", "seq", "events")}


def snapshot(m):
    s = summary(m)
    s["checklist"] = m["checklist"]
    s["roster"] = m["roster"]
    return s


def req_str(args, key, path="args"):
    v = args.get(key)
    if v is None:
        raise Err("bad_request", "%s.%s is required" % (path, key), "%s.%s" % (path, key))
    if not isinstance(v, str) or not v.strip():
        raise Err("bad_request", "%s.%s must be a non-empty string" % (path, key), "%s.%s" % (path, key))
    return v.strip()


def opt_str(args, key):
    v = args.get(key)
    if v is None or (isinstance(v, str) and not v.strip()):
        return None
    if not isinstance(v, str):
        raise Err("bad_request", "args.%s must be a string" % key, "args." + key)
    return v.strip()


class Conn:
    def __init__(self, sock):
        self.sock = sock
        self.wlock = threading.Lock()
        self.actor = None
        self.closed = False

    def send(self, obj):
        data = json.dumps(obj, ensure_ascii=False).encode()
        header = bytearray([0x81])
        n = len(data)
        if n < 126:
            header.append(n)
        elif n < 65536:
            header.append(126)
            header += struct.pack(">H", n)
        else:
            header.append(127)
            header += struct.pack(">Q", n)
        with self.wlock:
            try:
                self.sock.sendall(bytes(header) + data)
            except OSError:
                self.closed = True


def emit(m, kind, data, by):
    m["seq"] += 1
    ev = {"event": kind, "stream": m["id"], "seq": m["seq"], "at": now(), "by": by, "data": data}
    m["events"].append(ev)
    for c in list(STATE.subs.get(m["id"], ())):
        c.send(ev)
    return m["seq"]


def get_meeting(conn, args, write=True):
    mid = req_str(args, "meeting")
    m = STATE.meetings.get(mid)
    if not m:
        raise Err("not_found", "no meeting %s" % mid, "args.meeting")
    a = conn.actor
    if a["kind"] == "admin":
        return m
    if a["kind"] == "organizer" and m["owner"] == a["id"]:
        return m
    if a["kind"] == "participant" and a.get("meeting") == mid and not write:
        return m
    raise Err("forbidden", "this meeting is not yours")


def handle(conn, op, args):
    a = conn.actor
    if op == "ping":
        return {}
    if op == "auth":
        actor = STATE.actor_for(req_str(args, "token"))
        if not actor:
            raise Err("unauthenticated", "this token is not valid", "args.token")
        conn.actor = actor
        out = {"actor": actor}
        if actor["kind"] == "participant":
            out["meetings"] = [summary(STATE.meetings[actor["meeting"]])]
        return out
    if a is None:
        raise Err("unauthenticated", "send auth {token} first")
    if op == "account.create":
        if a["kind"] != "admin":
            raise Err("forbidden", "only the admin creates accounts")
        name = req_str(args, "name")
        kind = args.get("kind")
        if kind not in ("organizer", "unit"):
            raise Err("bad_request", "args.kind must be organizer or unit", "args.kind")
        acc = {"id": make_id("O" if kind == "organizer" else "U"), "name": name, "kind": kind, "createdAt": now()}
        tok = make_token(kind[0])
        STATE.accounts.append(acc)
        STATE.tokens[hashlib.sha256(tok.encode()).hexdigest()] = {"id": acc["id"], "name": name, "kind": kind}
        return {"account": acc, "token": tok, "seq": 1}
    if op == "account.list":
        if a["kind"] != "admin":
            raise Err("forbidden", "only the admin lists accounts")
        return {"accounts": STATE.accounts}
    if op == "meeting.list":
        ms = [summary(m) for m in STATE.meetings.values()
              if a["kind"] == "admin" or m["owner"] == a["id"] or a.get("meeting") == m["id"]]
        return {"meetings": ms}
    if op == "meeting.create":
        if a["kind"] != "organizer":
            raise Err("forbidden", "only an organizer creates meetings")
        title = req_str(args, "title")
        company = args.get("company") or {}
        cname = req_str(company, "name", "args.company")
        project = args.get("project") or {}
        pname = req_str(project, "name", "args.project")
        if project.get("category") not in ("industrial", "non_industrial"):
            raise Err("bad_request", "args.project.category must be industrial or non_industrial", "args.project.category")
        starts = req_str(args, "startsAt")
        try:
            datetime.datetime.fromisoformat(starts.replace("Z", "+00:00"))
            if not (starts.endswith("Z") or "+" in starts[10:] or "-" in starts[10:]):
                raise ValueError
        except ValueError:
            raise Err("bad_request", "args.startsAt must be RFC 3339 with an offset", "args.startsAt")
        dur = args.get("durationMinutes")
        if not isinstance(dur, int) or not (5 <= dur <= 1440):
            raise Err("bad_request", "args.durationMinutes must be between 5 and 1440", "args.durationMinutes")
        system = args.get("system") or {}
        req_str(system, "name", "args.system")
        mid = make_id("M")
        t = now()
        proj = {"name": pname, "category": project["category"]}
        for k in ("industry", "investment"):
            if project.get(k) is not None:
                proj[k] = project[k]
        comp = {"name": cname}
        for k in ("contact", "phone"):
            if company.get(k):
                comp[k] = company[k]
        sysd = {k: v for k, v in system.items() if v}
        dt = datetime.datetime.fromisoformat(starts.replace("Z", "+00:00")).astimezone(datetime.timezone.utc)
        m = {"id": mid, "title": title, "phase": "preparing", "owner": a["id"], "company": comp, "project": proj,
             "startsAt": dt.strftime("%Y-%m-%dT%H:%M:%S.000Z"), "durationMinutes": dur, "system": sysd,
             "createdAt": t, "updatedAt": t, "checklist": [], "roster": [], "seq": 0, "events": []}
        for i, (ph, zh, en) in enumerate(DEFAULT_CHECKLIST):
            m["checklist"].append({"id": "C-%d" % (i + 1), "text": zh, "textEn": en, "phase": ph, "done": False})
        STATE.meetings[mid] = m
        seq = emit(m, "meeting.created", {"meeting": summary(m)}, a["id"])
        return {"meeting": summary(m), "seq": seq}
    if op == "meeting.get":
        m = get_meeting(conn, args, write=False)
        return {"snapshot": snapshot(m), "seq": m["seq"]}
    if op == "stream.subscribe":
        sid = req_str(args, "stream")
        m = get_meeting(conn, {"meeting": sid}, write=False)
        since = args.get("since")
        STATE.subs.setdefault(sid, set()).add(conn)
        if since is None:
            return {"snapshot": snapshot(m), "seq": m["seq"]}
        for ev in m["events"][since:]:
            conn.send(ev)
        return {"seq": m["seq"]}
    if op == "stream.unsubscribe":
        STATE.subs.get(req_str(args, "stream"), set()).discard(conn)
        return {}
    if op == "checklist.add":
        m = get_meeting(conn, args)
        item = {"id": "C-%d" % (len(m["checklist"]) + 100 + random.randint(0, 9999)), "text": req_str(args, "text"),
                "phase": args.get("phase") or m["phase"], "done": False}
        for k in ("owner", "due"):
            if args.get(k):
                item[k] = args[k]
        m["checklist"].append(item)
        return {"item": item, "seq": emit(m, "checklist.item_added", {"item": item}, a["id"])}
    if op == "checklist.set":
        m = get_meeting(conn, args)
        iid = req_str(args, "item")
        item = next((i for i in m["checklist"] if i["id"] == iid), None)
        if not item:
            raise Err("not_found", "no checklist item %s" % iid, "args.item")
        if not isinstance(args.get("done"), bool):
            raise Err("bad_request", "args.done must be true or false", "args.done")
        item["done"] = args["done"]
        if item["done"]:
            item["doneBy"], item["doneAt"] = a["id"], now()
        else:
            item.pop("doneBy", None)
            item.pop("doneAt", None)
        return {"seq": emit(m, "checklist.item_set", {"item": item}, a["id"])}
    if op == "checklist.remove":
        m = get_meeting(conn, args)
        iid = req_str(args, "item")
        m["checklist"] = [i for i in m["checklist"] if i["id"] != iid]
        return {"seq": emit(m, "checklist.item_removed", {"item": {"id": iid}}, a["id"])}
    if op == "roster.add":
        m = get_meeting(conn, args)
        name, unit = req_str(args, "name"), req_str(args, "unit")
        if args.get("role") not in ("host", "recorder", "company", "unit", "observer"):
            raise Err("bad_request", "args.role must be host, recorder, company, unit or observer", "args.role")
        p = {"id": make_id("P"), "name": name, "unit": unit, "role": args["role"], "displayName": name + "-" + unit, "addedAt": now()}
        for k in ("title", "phone", "email"):
            if opt_str(args, k):
                p[k] = opt_str(args, k)
        m["roster"].append(p)
        tok = make_token("p")
        STATE.tokens[hashlib.sha256(tok.encode()).hexdigest()] = {"id": p["id"], "name": name, "kind": "participant", "meeting": m["id"]}
        seq = emit(m, "roster.added", {"participant": p}, a["id"])
        return {"participant": p, "token": tok, "link": "/#/join/" + tok, "seq": seq}
    if op == "roster.link":
        m = get_meeting(conn, args)
        pid = req_str(args, "participant")
        p = next((x for x in m["roster"] if x["id"] == pid), None)
        if not p:
            raise Err("not_found", "no participant %s" % pid, "args.participant")
        for h, act in list(STATE.tokens.items()):
            if act["id"] == pid:
                del STATE.tokens[h]
        tok = make_token("p")
        STATE.tokens[hashlib.sha256(tok.encode()).hexdigest()] = {"id": pid, "name": p["name"], "kind": "participant", "meeting": m["id"]}
        seq = emit(m, "roster.link_reissued", {"participant": {"id": pid}}, a["id"])
        return {"participant": p, "token": tok, "link": "/#/join/" + tok, "seq": seq}
    if op == "roster.remove":
        m = get_meeting(conn, args)
        pid = req_str(args, "participant")
        m["roster"] = [x for x in m["roster"] if x["id"] != pid]
        return {"seq": emit(m, "roster.removed", {"participant": {"id": pid}}, a["id"])}
    if op == "roster.confirm":
        if a["kind"] != "participant":
            raise Err("forbidden", "only a participant confirms for itself")
        m = get_meeting(conn, args, write=False)
        p = next((x for x in m["roster"] if x["id"] == a["id"]), None)
        if not p:
            raise Err("not_found", "you are no longer on this roster")
        if not isinstance(args.get("attending"), bool):
            raise Err("bad_request", "args.attending must be true or false", "args.attending")
        p["attending"] = args["attending"]
        for k in ("clientInstalled", "accountRegistered"):
            if isinstance(args.get(k), bool):
                p[k] = args[k]
        p["confirmedAt"] = now()
        return {"seq": emit(m, "roster.confirmed", {"participant": p}, a["id"])}
    raise Err("unknown_op", "unknown op %s" % op)


class Handler(BaseHTTPRequestHandler):
    web = "web"

    def log_message(self, *a):
        pass

    def do_GET(self):
        path = self.path.split("?")[0]
        if path == "/ws":
            return self.websocket()
        if path == "/healthz":
            return self.reply(200, b'{"ok":true}', "application/json")
        if path == "/":
            path = "/index.html"
        full = os.path.realpath(os.path.join(self.web, path.lstrip("/")))
        if not full.startswith(os.path.realpath(self.web)) or not os.path.isfile(full):
            return self.reply(404, b"not found", "text/plain")
        ctype = mimetypes.guess_type(full)[0] or "application/octet-stream"
        if full.endswith(".js"):
            ctype = "text/javascript"
        with open(full, "rb") as f:
            self.reply(200, f.read(), ctype + ("; charset=utf-8" if ctype.startswith("text") else ""))

    def reply(self, code, body, ctype):
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def websocket(self):
        key = self.headers.get("Sec-WebSocket-Key")
        protos = [p.strip() for p in (self.headers.get("Sec-WebSocket-Protocol") or "").split(",")]
        if not key or "roadshow.v1" not in protos:
            return self.reply(400, b"websocket with subprotocol roadshow.v1 required", "text/plain")
        accept = base64.b64encode(hashlib.sha1((key + GUID).encode()).digest()).decode()
        self.send_response(101)
        self.send_header("Upgrade", "websocket")
        self.send_header("Connection", "Upgrade")
        self.send_header("Sec-WebSocket-Accept", accept)
        self.send_header("Sec-WebSocket-Protocol", "roadshow.v1")
        self.end_headers()
        self.wfile.flush()
        conn = Conn(self.connection)
        rf = self.rfile
        try:
            while True:
                h = rf.read(2)
                if len(h) < 2:
                    break
                opcode = h[0] & 0x0F
                n = h[1] & 0x7F
                if n == 126:
                    n = struct.unpack(">H", rf.read(2))[0]
                elif n == 127:
                    n = struct.unpack(">Q", rf.read(8))[0]
                mask = rf.read(4) if h[1] & 0x80 else b"\0\0\0\0"
                data = bytes(b ^ mask[i % 4] for i, b in enumerate(rf.read(n)))
                if opcode == 8:
                    break
                if opcode == 9:
                    continue
                if opcode != 1:
                    continue
                try:
                    req = json.loads(data)
                except ValueError:
                    conn.send({"re": None, "ok": False, "error": {"code": "bad_request", "message": "malformed JSON"}})
                    continue
                rid, op, args = req.get("id"), req.get("op"), req.get("args") or {}
                with LOCK:
                    key = args.get("requestKey")
                    ck = (conn.actor or {}).get("id"), key
                    if key and ck in STATE.request_keys:
                        conn.send({"re": rid, "ok": True, "result": STATE.request_keys[ck]})
                        continue
                    try:
                        result = handle(conn, op, args)
                        if key:
                            STATE.request_keys[ck] = result
                        conn.send({"re": rid, "ok": True, "result": result})
                    except Err as e:
                        err = {"code": e.code, "message": e.message}
                        if e.field:
                            err["field"] = e.field
                        conn.send({"re": rid, "ok": False, "error": err})
        except (OSError, ValueError):
            pass
        finally:
            with LOCK:
                for s in STATE.subs.values():
                    s.discard(conn)
            self.close_connection = True


def main():
    global STATE
    ap = argparse.ArgumentParser()
    ap.add_argument("cmd", choices=["serve"])
    ap.add_argument("--port", type=int, default=8080)
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--db", default=None)
    ap.add_argument("--web", default=os.path.join(os.path.dirname(__file__), "..", "..", "web"))
    o = ap.parse_args()
    admin = os.environ.get("ROADSHOW_ADMIN_TOKEN") or make_token("a")
    if not os.environ.get("ROADSHOW_ADMIN_TOKEN"):
        print("admin token:", admin, flush=True)
    STATE = State(admin)
    Handler.web = o.web
    srv = ThreadingHTTPServer((o.host, o.port), Handler)
    srv.daemon_threads = True
    print("mock roadshow listening on http://%s:%d" % (o.host, o.port), flush=True)
    try:
        srv.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
