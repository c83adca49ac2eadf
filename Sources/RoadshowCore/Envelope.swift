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
            return .failure(Failure(id: nil, error: .badRequest("malformed JSON: \(error.description)")))
        }
        guard case .object(let o) = json else {
            return .failure(Failure(id: nil, error: .badRequest("a request must be a JSON object with id, op and args")))
        }
        var id: String?
        switch o["id"] {
        case .string(let s)? where !s.isEmpty && s.count <= maxIdLength: id = s
        case .string?:
            return .failure(Failure(id: nil, error: .badRequest("id must be 1 to \(maxIdLength) characters", field: "id")))
        case .int(let i)?: id = String(i)
        case nil, .null?: return .failure(Failure(id: nil, error: .badRequest("id is required (a string chosen by the client)", field: "id")))
        case let other?: return .failure(Failure(id: nil, error: .badRequest("id must be a string, not \(other.typeDescription)", field: "id")))
        }
        guard case .string(let op)? = o["op"], !op.isEmpty else {
            return .failure(Failure(id: id, error: .badRequest("op is required (a string such as \"meeting.list\")", field: "op")))
        }
        let args = o["args"] ?? .object([:])
        switch args {
        case .object, .null: break
        default: return .failure(Failure(id: id, error: .badRequest("args must be an object, not \(args.typeDescription)", field: "args")))
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
        var out: [UInt8] = []
        out.reserveCapacity(128)
        out.append(contentsOf: #"{"ok":true,"re":"#.utf8)
        if let id { JSON.writeString(id, to: &out) } else { out.append(contentsOf: "null".utf8) }
        out.append(contentsOf: #","result":"#.utf8)
        result.write(to: &out)
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
