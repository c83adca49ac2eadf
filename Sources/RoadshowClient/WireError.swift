import RoadshowCore

extension RoadshowError {
    /// The error object of an `ok: false` reply. A code this client does not know
    /// becomes `internal`, its name kept in the message.
    public init(wire: JSON?) {
        let code = wire?["code"]?.stringValue ?? "internal"
        let message = wire?["message"]?.stringValue ?? "the server gave no message"
        let field = wire?["field"]?.stringValue
        let details = wire?["details"]
        let reason = wire?["reason"]?.stringValue
        let params = wire?["params"]?.objectValue ?? [:]
        let zh = wire?["text"]?["zh"]?.stringValue
        let en = wire?["text"]?["en"]?.stringValue
        if let known = Code(rawValue: code) {
            self.init(known, message, field: field, details: details, reason: reason, params: params, zh: zh, en: en)
        } else {
            self.init(.internal, "\(code): \(message)", field: field, details: details, reason: reason, params: params, zh: zh, en: en)
        }
        if let list = wire?["errors"]?.arrayValue, list.count > 1 {
            errors = list.map { item in
                var e = RoadshowError(wire: item)
                e.errors = []
                return e
            }
        }
    }
}
