# A minimal WebSocket client (RFC 6455, client side) on the standard library, for the fuzz test.
import socket, os, base64, struct, json

class WS:
    def __init__(self, port, path="/ws"):
        self.s = socket.create_connection(("127.0.0.1", port), timeout=10)
        key = base64.b64encode(os.urandom(16)).decode()
        req = ("GET %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
               "Sec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: roadshow.v1\r\n"
               "Origin: http://127.0.0.1:%d\r\n\r\n") % (path, port, key, port)
        self.s.sendall(req.encode())
        buf = b""
        while b"\r\n\r\n" not in buf:
            d = self.s.recv(4096)
            if not d: raise IOError("closed during handshake")
            buf += d
        head, self.buf = buf.split(b"\r\n\r\n", 1)
        if b" 101 " not in head.split(b"\r\n")[0]: raise IOError(head.decode(errors="replace"))
        self.n = 0
        self.pending_events = []

    def send_text(self, text, opcode=1):
        data = text.encode() if isinstance(text, str) else text
        hdr = bytes([0x80 | opcode])
        mask = os.urandom(4)
        n = len(data)
        if n < 126: hdr += bytes([0x80 | n])
        elif n < 65536: hdr += bytes([0x80 | 126]) + struct.pack(">H", n)
        else: hdr += bytes([0x80 | 127]) + struct.pack(">Q", n)
        masked = bytes(b ^ mask[i % 4] for i, b in enumerate(data))
        self.s.sendall(hdr + mask + masked)

    def _read(self, n):
        while len(self.buf) < n:
            d = self.s.recv(65536)
            if not d: raise IOError("closed")
            self.buf += d
        out, self.buf = self.buf[:n], self.buf[n:]
        return out

    def recv(self):
        msg = b""
        while True:
            b0, b1 = self._read(2)
            op = b0 & 0x0f
            n = b1 & 0x7f
            if n == 126: n = struct.unpack(">H", self._read(2))[0]
            elif n == 127: n = struct.unpack(">Q", self._read(8))[0]
            payload = self._read(n)
            if op == 8: raise IOError("close frame %r" % payload[:80])
            if op == 9: continue
            msg += payload
            if b0 & 0x80: return json.loads(msg)

    def call(self, op, args=None, raw=None):
        self.n += 1
        rid = "f%d" % self.n
        if raw is not None:
            self.send_text(raw)
        else:
            self.send_text(json.dumps({"id": rid, "op": op, "args": args if args is not None else {}}, ensure_ascii=False))
        while True:
            m = self.recv()
            if "event" in m: self.pending_events.append(m); continue
            if raw is not None or m.get("re") == rid: return m
