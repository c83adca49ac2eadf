import RoadshowCore

extension RoadshowError {
    /// The error object of an `ok: false` reply. A code this client does not know
    /// becomes `internal`, its name kept in the message.
    public init(wire: JSON?) {
        let code = wire?["code"]?.stringValue ?? "internal"
        let message = wire?["message"]?.stringValue ?? "the server gave no message"
        let field = wire?["field"]?.stringValue
        let details = wire?["details"]
        if let known = Code(rawValue: code) {
            self.init(known, message, field: field, details: details)
        } else {
            self.init(.internal, "\(code): \(message)", field: field, details: details)
        }
    }
}
