import Foundation

/// Typed, validated access to a request's `args` object. Every failure is a
/// `bad_request` naming the exact field (`args.company.name`) and saying what
/// was expected, so a caller knows what to fix.
public struct Args: Sendable {
    public let fields: [String: JSON]
    public let path: String

    public init(_ json: JSON?, path: String = "args") throws(RoadshowError) {
        switch json {
        case nil, .null?: self.fields = [:]
        case .object(let o)?: self.fields = o
        case let other?: throw .badRequest("\(path) must be an object, not \(other.typeDescription)", field: path)
        }
        self.path = path
    }

    init(fields: [String: JSON], path: String) {
        self.fields = fields
        self.path = path
    }

    public func fieldPath(_ key: String) -> String { "\(path).\(key)" }

    public func has(_ key: String) -> Bool {
        if let v = fields[key], !v.isNull { return true }
        return false
    }

    func value(_ key: String) -> JSON? {
        guard let v = fields[key], !v.isNull else { return nil }
        return v
    }

    func missing(_ key: String, _ what: String) -> RoadshowError {
        .badRequest("\(fieldPath(key)) is required (\(what))", field: fieldPath(key))
    }

    func mistyped(_ key: String, _ what: String, _ got: JSON) -> RoadshowError {
        .badRequest("\(fieldPath(key)) must be \(what), not \(got.typeDescription)", field: fieldPath(key))
    }

    // MARK: strings

    /// A trimmed, non-empty string of at most `maxLength` characters.
    public func string(_ key: String, maxLength: Int = 200, what: String = "text") throws(RoadshowError) -> String {
        guard let v = try optionalString(key, maxLength: maxLength, what: what) else { throw missing(key, what) }
        return v
    }

    public func optionalString(_ key: String, maxLength: Int = 200, what: String = "text") throws(RoadshowError) -> String? {
        guard let v = value(key) else { return nil }
        guard case .string(let raw) = v else { throw mistyped(key, "a string (\(what))", v) }
        let s = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        if s.isEmpty { throw .badRequest("\(fieldPath(key)) must not be empty (\(what))", field: fieldPath(key)) }
        if s.count > maxLength {
            throw .badRequest("\(fieldPath(key)) is too long: at most \(maxLength) characters", field: fieldPath(key))
        }
        if s.unicodeScalars.contains(where: { $0.value < 0x20 && $0 != "\n" && $0 != "\t" }) {
            throw .badRequest("\(fieldPath(key)) contains control characters", field: fieldPath(key))
        }
        return s
    }

    /// An optional string where an explicit empty string means "clear it" (returns "").
    public func clearableString(_ key: String, maxLength: Int = 200, what: String = "text") throws(RoadshowError) -> String? {
        if case .string(let raw)? = fields[key], raw.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { return "" }
        return try optionalString(key, maxLength: maxLength, what: what)
    }

    public func enumValue<E: RawRepresentable & CaseIterable>(_ key: String, _ type: E.Type) throws(RoadshowError) -> E
    where E.RawValue == String {
        guard let v = try optionalEnum(key, type) else {
            throw missing(key, "one of " + E.allCases.map { $0.rawValue }.joined(separator: ", "))
        }
        return v
    }

    public func optionalEnum<E: RawRepresentable & CaseIterable>(_ key: String, _ type: E.Type) throws(RoadshowError) -> E?
    where E.RawValue == String {
        guard let v = value(key) else { return nil }
        let choices = E.allCases.map { $0.rawValue }.joined(separator: ", ")
        guard case .string(let s) = v else { throw mistyped(key, "a string, one of \(choices)", v) }
        guard let e = E(rawValue: s) else {
            throw .badRequest("\(fieldPath(key)) must be one of \(choices); got \"\(s.prefix(40))\"", field: fieldPath(key))
        }
        return e
    }

    /// An id of the given prefix ("M-", "P-", ...).
    public func id(_ key: String, prefix: String, what: String) throws(RoadshowError) -> String {
        guard let v = try optionalId(key, prefix: prefix, what: what) else { throw missing(key, what) }
        return v
    }

    public func optionalId(_ key: String, prefix: String, what: String) throws(RoadshowError) -> String? {
        guard let s = try optionalString(key, maxLength: 64, what: what) else { return nil }
        guard s.hasPrefix(prefix), s.count > prefix.count else {
            throw .badRequest("\(fieldPath(key)) must be \(what) (an id starting with \(prefix))", field: fieldPath(key))
        }
        return s
    }

    // MARK: numbers, booleans, times

    public func int(_ key: String, in range: ClosedRange<Int64>, what: String) throws(RoadshowError) -> Int64 {
        guard let v = try optionalInt(key, in: range, what: what) else { throw missing(key, what) }
        return v
    }

    public func optionalInt(_ key: String, in range: ClosedRange<Int64>, what: String) throws(RoadshowError) -> Int64? {
        guard let v = value(key) else { return nil }
        guard let i = v.intValue else { throw mistyped(key, "a whole number (\(what))", v) }
        guard range.contains(i) else {
            throw .badRequest("\(fieldPath(key)) must be between \(range.lowerBound) and \(range.upperBound)", field: fieldPath(key))
        }
        return i
    }

    public func optionalNumber(_ key: String, in range: ClosedRange<Double>, what: String) throws(RoadshowError) -> Double? {
        guard let v = value(key) else { return nil }
        guard let d = v.doubleValue else { throw mistyped(key, "a number (\(what))", v) }
        guard range.contains(d) else {
            throw .badRequest("\(fieldPath(key)) must be between \(range.lowerBound) and \(range.upperBound)", field: fieldPath(key))
        }
        return d
    }

    public func bool(_ key: String) throws(RoadshowError) -> Bool {
        guard let v = try optionalBool(key) else { throw missing(key, "true or false") }
        return v
    }

    public func optionalBool(_ key: String) throws(RoadshowError) -> Bool? {
        guard let v = value(key) else { return nil }
        guard case .bool(let b) = v else { throw mistyped(key, "true or false", v) }
        return b
    }

    public func time(_ key: String) throws(RoadshowError) -> Date {
        guard let v = try optionalTime(key) else { throw missing(key, "an RFC 3339 time such as 2026-12-01T14:00:00+08:00") }
        return v
    }

    public func optionalTime(_ key: String) throws(RoadshowError) -> Date? {
        guard let s = try optionalString(key, maxLength: 40, what: "an RFC 3339 time") else { return nil }
        guard let d = Timestamp.parse(s) else {
            throw .badRequest(
                "\(fieldPath(key)) must be an RFC 3339 time with an offset, such as 2026-12-01T14:00:00+08:00", field: fieldPath(key))
        }
        return d
    }

    /// A calendar date `YYYY-MM-DD` (kept as text: a due date has no time zone).
    public func optionalDate(_ key: String) throws(RoadshowError) -> String? {
        guard let s = try optionalString(key, maxLength: 10, what: "a date YYYY-MM-DD") else { return nil }
        guard Timestamp.parse(s + "T00:00:00Z") != nil else {
            throw .badRequest("\(fieldPath(key)) must be a date such as 2026-12-01", field: fieldPath(key))
        }
        return s
    }

    // MARK: nesting

    public func object(_ key: String) throws(RoadshowError) -> Args {
        guard let o = try optionalObject(key) else { throw missing(key, "an object") }
        return o
    }

    public func optionalObject(_ key: String) throws(RoadshowError) -> Args? {
        guard let v = value(key) else { return nil }
        guard case .object(let o) = v else { throw mistyped(key, "an object", v) }
        return Args(fields: o, path: fieldPath(key))
    }

    public func stringList(_ key: String, maxCount: Int = 50, maxLength: Int = 200) throws(RoadshowError) -> [String]? {
        guard let v = value(key) else { return nil }
        guard case .array(let items) = v else { throw mistyped(key, "a list of strings", v) }
        if items.count > maxCount { throw .badRequest("\(fieldPath(key)) has more than \(maxCount) entries", field: fieldPath(key)) }
        var out: [String] = []
        for (i, item) in items.enumerated() {
            let p = "\(fieldPath(key))[\(i)]"
            guard case .string(let s) = item else { throw .badRequest("\(p) must be a string", field: p) }
            let t = s.trimmingCharacters(in: .whitespacesAndNewlines)
            if t.isEmpty || t.count > maxLength { throw .badRequest("\(p) must be 1 to \(maxLength) characters", field: p) }
            out.append(t)
        }
        return out
    }

    /// Rejects any argument not in `known` — a typo should not be silently ignored.
    /// `requestKey` is always accepted (and ignored where nothing is stored), so a
    /// client may attach one to every request.
    public func rejectUnknown(_ known: Set<String>) throws(RoadshowError) {
        for key in fields.keys.sorted() where !known.contains(key) && !(path == "args" && key == "requestKey") {
            throw .badRequest(
                "\(fieldPath(key)) is not an argument here; expected: \(known.sorted().joined(separator: ", "))",
                field: fieldPath(key))
        }
    }
}
