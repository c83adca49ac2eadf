/// Who is making a request.
public struct Actor: Sendable, Equatable, Codable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        case admin, organizer, unit, participant
    }

    public let id: String
    public var name: String
    public let kind: Kind
    /// For a participant: the one meeting it belongs to.
    public let meeting: String?

    public init(id: String, name: String, kind: Kind, meeting: String? = nil) {
        self.id = id
        self.name = name
        self.kind = kind
        self.meeting = meeting
    }

    public var json: JSON {
        var o: [String: JSON] = ["id": .string(id), "name": .string(name), "kind": .string(kind.rawValue)]
        if let meeting { o["meeting"] = .string(meeting) }
        return .object(o)
    }
}
