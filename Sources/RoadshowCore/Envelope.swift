/// A request frame: `{"id": "c1", "op": "agenda.add", "args": {...}}`.
public struct Request: Sendable {
    public let id: String
    public let op: String
    public let args: JSON

    public static let maxIdLength = 64

    /// Decodes a request. When the frame is an object with a usable `id`, errors
    /// carry it so the reply can name the request (`Failure.id`).
    public static func decode(_ bytes: some Collection<UInt8>) -> Result<Request, Failure> {
        let json: JSON
        do { json = try JSON.parse(bytes) } catch {
            return .failure(Failure(id: nil, error: .badRequest("malformed JSON: \(error.description)", zh: "消息不是有效的 JSON，请刷新页面后重试。")))
        }
        guard case .object(let o) = json else {
            return .failure(Failure(id: nil, error: .badRequest("a request must be a JSON object with id, op and args", zh: "请求格式不对：应为包含 id、op 和 args 的 JSON 对象。")))
        }
        var id: String?
        switch o["id"] {
        case .string(let s)? where !s.isEmpty && s.count <= maxIdLength: id = s
        case .string?:
            return .failure(Failure(id: nil, error: .badRequest("id must be 1 to \(maxIdLength) characters", zh: "请求编号 id 应为 1 到 \(maxIdLength) 个字符。", field: "id")))
        case .int(let i)?: id = String(i)
        case nil, .null?: return .failure(Failure(id: nil, error: .badRequest("id is required (a string chosen by the client)", zh: "请求缺少编号 id。", field: "id")))
        case let other?: return .failure(Failure(id: nil, error: .badRequest("id must be a string, not \(other.typeDescription)", zh: "请求编号 id 应为文字。", field: "id")))
        }
        guard case .string(let op)? = o["op"], !op.isEmpty else {
            return .failure(Failure(id: id, error: .badRequest("op is required (a string such as \"meeting.list\")", zh: "请求缺少操作名 op。", field: "op")))
        }
        let args = o["args"] ?? .object([:])
        switch args {
        case .object, .null: break
        default: return .failure(Failure(id: id, error: .badRequest("args must be an object, not \(args.typeDescription)", zh: "请求参数 args 应为一个对象。", field: "args")))
        }
        return .success(Request(id: id!, op: op, args: args.isNull ? .object([:]) : args))
    }

    public struct Failure: Error, Sendable {
        public let id: String?
        public let error: RoadshowError
    }
}

/// Reply frames.
public enum Reply {
    public static func ok(_ id: String?, _ result: JSON) -> [UInt8] {
        ok(id, capacity: 128) { result.write(to: &$0) }
    }

    /// A success whose result the caller writes itself (bytes kept ready,
    /// such as a snapshot from `MeetingSnapshotEncoder`).
    public static func ok(_ id: String?, capacity: Int, writingResult write: (inout [UInt8]) -> Void) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(capacity)
        out.append(contentsOf: #"{"ok":true,"re":"#.utf8)
        if let id { JSON.writeString(id, to: &out) } else { out.append(contentsOf: "null".utf8) }
        out.append(contentsOf: #","result":"#.utf8)
        write(&out)
        out.append(UInt8(ascii: "}"))
        return out
    }

    public static func error(_ id: String?, _ error: RoadshowError) -> [UInt8] {
        var out: [UInt8] = []
        out.append(contentsOf: #"{"error":"#.utf8)
        error.json.write(to: &out)
        out.append(contentsOf: #","ok":false,"re":"#.utf8)
        if let id { JSON.writeString(id, to: &out) } else { out.append(contentsOf: "null".utf8) }
        out.append(UInt8(ascii: "}"))
        return out
    }
}
