import Foundation

/// Typed, validated access to a request's `args` object. Every failure is a
/// `bad_request` naming the exact field (`args.company.name`), with a stable
/// `reason`, its `params` and the text in Chinese and English, so a caller
/// knows what to fix.
///
/// **Every faulty field at once.** Inside `Args.checkingAll`, an accessor that
/// finds a field wrong does not throw: it records the fault and returns a
/// stand-in value ("" / the lowest number / the first choice), and the op goes
/// on reading its other fields. When the op is done (or fails on a stand-in),
/// `checkingAll` throws one error listing every recorded fault. Nothing decided
/// on stand-ins is ever used: the faults win over the op's result.
public struct Args: Sendable {
    public let fields: [String: JSON]
    public let path: String
    let faults: Faults?
    /// A stand-in for an object that was itself faulty: its fields are not checked.
    let inert: Bool

    final class Faults: @unchecked Sendable {
        // Confined to the one decision (or query) that reads these args.
        var list: [RoadshowError] = []
    }

    public init(_ json: JSON?, path: String = "args") throws(RoadshowError) {
        switch json {
        case nil, .null?: self.fields = [:]
        case .object(let o)?: self.fields = o
        case let other?:
            throw Self.fault(path, "type", ["expected": "object"],
                en: "must be an object, not \(other.typeDescription)", zh: "格式不对：应为一个对象")
        }
        self.path = path
        self.faults = nil
        self.inert = false
    }

    init(fields: [String: JSON], path: String, faults: Faults?, inert: Bool = false) {
        self.fields = fields
        self.path = path
        self.faults = faults
        self.inert = inert
    }

    /// Runs `body` with these args recording every faulty field instead of
    /// stopping at the first; throws them together if there were any.
    public func checkingAll<T>(_ body: (Args) throws(RoadshowError) -> T) throws(RoadshowError) -> T {
        let faults = Faults()
        let collecting = Args(fields: fields, path: path, faults: faults)
        let result: Result<T, RoadshowError>
        do { result = .success(try body(collecting)) } catch { result = .failure(error) }
        if var first = faults.list.first {
            first.errors = faults.list
            throw first
        }
        return try result.get()
    }

    /// Records `error` when checking every field; throws it otherwise.
    public func reject(_ error: RoadshowError) throws(RoadshowError) {
        if inert { return }
        guard let faults else { throw error }
        if !faults.list.contains(where: { $0.field == error.field && error.field != nil }) { faults.list.append(error) }
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

    /// A field's error: `message` is "<path> <en>", the texts go beside the field.
    static func fault(_ path: String, _ reason: String, _ params: [String: JSON], en: String, zh: String) -> RoadshowError {
        .badRequest("\(path) \(en)", zh: zh, field: path, reason: reason, params: params, en: Self.sentence(en))
    }

    func fault(_ key: String, _ reason: String, _ params: [String: JSON] = [:], en: String, zh: String) -> RoadshowError {
        Self.fault(fieldPath(key), reason, params, en: en, zh: zh)
    }

    /// "is too long: at most 60 characters" → "Too long: at most 60 characters.",
    /// "must be …" → "Must be ….".
    static func sentence(_ en: String) -> String {
        let s = en.hasPrefix("is ") ? String(en.dropFirst(3)) : en
        guard let first = s.first else { return s }
        return first.uppercased() + s.dropFirst() + (s.hasSuffix(".") ? "" : ".")
    }

    func missing(_ key: String, _ what: String) -> RoadshowError {
        fault(key, "required", [:], en: "is required (\(what))", zh: "必填")
    }

    func mistyped(_ key: String, _ what: String, _ expected: String, _ got: JSON) -> RoadshowError {
        let zh: String
        switch expected {
        case "string": zh = "格式不对：应为文字"
        case "integer": zh = "格式不对：应为整数"
        case "number": zh = "格式不对：应为数字"
        case "boolean": zh = "格式不对：应为“是”或“否”"
        case "object": zh = "格式不对：应为一个对象"
        default: zh = "格式不对：应为列表"
        }
        return fault(key, "type", ["expected": .string(expected)], en: "must be \(what), not \(got.typeDescription)", zh: zh)
    }

    // MARK: strings

    /// A trimmed, non-empty string of at most `maxLength` characters.
    public func string(_ key: String, maxLength: Int = 200, what: String = "text") throws(RoadshowError) -> String {
        guard let v = try optionalString(key, maxLength: maxLength, what: what) else {
            if !has(key) { try reject(missing(key, what)) }
            return ""
        }
        return v
    }

    public func optionalString(_ key: String, maxLength: Int = 200, what: String = "text") throws(RoadshowError) -> String? {
        guard let v = value(key) else { return nil }
        guard case .string(let raw) = v else { try reject(mistyped(key, "a string (\(what))", "string", v)); return nil }
        let s = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        if s.isEmpty {
            try reject(fault(key, "empty", en: "must not be empty (\(what))", zh: "不能为空"))
            return nil
        }
        if s.count > maxLength {
            try reject(fault(key, "too_long", ["max": .int(Int64(maxLength))],
                en: "is too long: at most \(maxLength) characters", zh: "太长了：最多 \(maxLength) 个字"))
            return nil
        }
        // As many bytes as four per character at most: a field cannot carry
        // kilobytes of combining marks behind a few visible characters.
        if s.utf8.count > maxLength * 4 {
            try reject(fault(key, "too_long", ["max": .int(Int64(maxLength))],
                en: "is too long: at most \(maxLength) characters (it holds \(s.unicodeScalars.count) code points)",
                zh: "太长了：最多 \(maxLength) 个字（其中含有大量组合字符）"))
            return nil
        }
        let multiline = maxLength > Self.singleLineLimit
        if let bad = s.unicodeScalars.first(where: { Self.refused($0, multiline: multiline) }) {
            let code = String(bad.value, radix: 16, uppercase: true)
            let hex = "U+" + String(repeating: "0", count: max(0, 4 - code.count)) + code
            if Self.isBidiOrInvisible(bad) {
                try reject(fault(key, "invisible_characters", ["character": .string(hex)],
                    en: "contains an invisible or direction-changing character (\(hex)); type the text again without it",
                    zh: "含有看不见的字符或改变文字方向的字符（\(hex)），请删掉后重新输入"))
            } else {
                try reject(fault(key, "control_characters", ["character": .string(hex)],
                    en: multiline ? "contains control characters (\(hex))" : "contains control characters (\(hex)); it must be one line",
                    zh: multiline ? "含有不可见的控制字符（\(hex)），请删掉后重试" : "含有不可见的控制字符或换行（\(hex)），请写成一行"))
            }
            return nil
        }
        return s
    }

    /// Fields of at most this many characters (names, units, titles) are one
    /// line; longer ones (notes, minutes, reasons, feedback) may have newlines.
    static let singleLineLimit = 200

    /// C0 controls (newline and tab allowed in multi-line text), DEL, C1
    /// controls, and the characters that hide or reorder text.
    static func refused(_ u: Unicode.Scalar, multiline: Bool) -> Bool {
        let v = u.value
        if v < 0x20 { return !(multiline && (u == "\n" || u == "\t")) }
        if (0x7F...0x9F).contains(v) { return true }
        if isBidiOrInvisible(u) {
            // A zero-width joiner belongs in emoji sequences of free text; never in names.
            return !(multiline && (v == 0x200D || v == 0xFE0F))
        }
        return false
    }

    /// Bidi embeddings, overrides, isolates and marks; zero-width spaces,
    /// joiners and the byte-order mark; other invisible separators.
    static func isBidiOrInvisible(_ u: Unicode.Scalar) -> Bool {
        switch u.value {
        case 0x061C, 0x200B...0x200F, 0x202A...0x202E, 0x2060...0x2064, 0x2066...0x2069, 0xFEFF, 0x2028, 0x2029: true
        default: false
        }
    }

    /// An optional string where an explicit empty string means "clear it" (returns "").
    public func clearableString(_ key: String, maxLength: Int = 200, what: String = "text") throws(RoadshowError) -> String? {
        if case .string(let raw)? = fields[key], raw.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { return "" }
        return try optionalString(key, maxLength: maxLength, what: what)
    }

    public func enumValue<E: RawRepresentable & CaseIterable>(_ key: String, _ type: E.Type) throws(RoadshowError) -> E
    where E.RawValue == String {
        guard let v = try optionalEnum(key, type) else {
            if !has(key) {
                try reject(fault(key, "required", ["choices": .array(E.allCases.map { .string($0.rawValue) })],
                    en: "is required (one of " + E.allCases.map { $0.rawValue }.joined(separator: ", ") + ")", zh: "必填：请选择一项"))
            }
            return E.allCases.first!
        }
        return v
    }

    public func optionalEnum<E: RawRepresentable & CaseIterable>(_ key: String, _ type: E.Type) throws(RoadshowError) -> E?
    where E.RawValue == String {
        guard let v = value(key) else { return nil }
        let choices = E.allCases.map { $0.rawValue }.joined(separator: ", ")
        guard case .string(let s) = v else { try reject(mistyped(key, "a string, one of \(choices)", "string", v)); return nil }
        guard let e = E(rawValue: s) else {
            try reject(fault(key, "choice", ["choices": .array(E.allCases.map { .string($0.rawValue) })],
                en: "must be one of \(choices); got \"\(s.prefix(40))\"", zh: "请从给出的选项中选择一项（可选：\(choices)）"))
            return nil
        }
        return e
    }

    /// An id of the given prefix ("M-", "P-", ...).
    public func id(_ key: String, prefix: String, what: String) throws(RoadshowError) -> String {
        guard let v = try optionalId(key, prefix: prefix, what: what) else {
            if !has(key) { try reject(missing(key, what)) }
            return prefix + "0"
        }
        return v
    }

    public func optionalId(_ key: String, prefix: String, what: String) throws(RoadshowError) -> String? {
        guard let s = try optionalString(key, maxLength: 64, what: what) else { return nil }
        guard s.hasPrefix(prefix), s.count > prefix.count else {
            try reject(fault(key, "id_form", ["prefix": .string(prefix)],
                en: "must be \(what) (an id starting with \(prefix))", zh: "应为以 \(prefix) 开头的编号"))
            return nil
        }
        return s
    }

    // MARK: numbers, booleans, times

    public func int(_ key: String, in range: ClosedRange<Int64>, what: String) throws(RoadshowError) -> Int64 {
        guard let v = try optionalInt(key, in: range, what: what) else {
            if !has(key) { try reject(missing(key, what)) }
            return range.lowerBound
        }
        return v
    }

    public func optionalInt(_ key: String, in range: ClosedRange<Int64>, what: String) throws(RoadshowError) -> Int64? {
        guard let v = value(key) else { return nil }
        guard let i = v.intValue else { try reject(mistyped(key, "a whole number (\(what))", "integer", v)); return nil }
        guard range.contains(i) else {
            try reject(fault(key, "range", ["min": .int(range.lowerBound), "max": .int(range.upperBound)],
                en: "must be between \(range.lowerBound) and \(range.upperBound)", zh: "应在 \(range.lowerBound) 到 \(range.upperBound) 之间"))
            return nil
        }
        return i
    }

    public func optionalNumber(_ key: String, in range: ClosedRange<Double>, what: String) throws(RoadshowError) -> Double? {
        guard let v = value(key) else { return nil }
        guard let d = v.doubleValue else { try reject(mistyped(key, "a number (\(what))", "number", v)); return nil }
        guard range.contains(d) else {
            let lo = Self.plain(range.lowerBound), hi = Self.plain(range.upperBound)
            try reject(fault(key, "range", ["min": .double(range.lowerBound), "max": .double(range.upperBound)],
                en: "must be between \(lo) and \(hi)", zh: "应在 \(lo) 到 \(hi) 之间"))
            return nil
        }
        return d
    }

    static func plain(_ d: Double) -> String { d == d.rounded() && abs(d) < 1e15 ? String(Int64(d)) : String(d) }

    public func bool(_ key: String) throws(RoadshowError) -> Bool {
        guard let v = try optionalBool(key) else {
            if !has(key) { try reject(fault(key, "required", en: "is required (true or false)", zh: "必填：请选择“是”或“否”")) }
            return false
        }
        return v
    }

    public func optionalBool(_ key: String) throws(RoadshowError) -> Bool? {
        guard let v = value(key) else { return nil }
        guard case .bool(let b) = v else { try reject(mistyped(key, "true or false", "boolean", v)); return nil }
        return b
    }

    public func time(_ key: String) throws(RoadshowError) -> Date {
        guard let v = try optionalTime(key) else {
            if !has(key) { try reject(missing(key, "an RFC 3339 time such as 2026-12-01T14:00:00+08:00")) }
            return Date(timeIntervalSince1970: 0)
        }
        return v
    }

    public func optionalTime(_ key: String) throws(RoadshowError) -> Date? {
        guard let s = try optionalString(key, maxLength: 40, what: "an RFC 3339 time") else { return nil }
        guard let d = Timestamp.parse(s) else {
            let b = Array(s.utf8)
            if b.count >= 19, b[17] == UInt8(ascii: "6"), b[18] == UInt8(ascii: "0"), b[16] == UInt8(ascii: ":") {
                try reject(fault(key, "time_form", ["example": "2026-12-01T14:00:59+08:00"],
                    en: "must not be a leap second (:60); use :59", zh: "时间不能是闰秒（:60 秒），请改为 :59"))
                return nil
            }
            if let year = Int(s.prefix(4)), s.count > 4, year < 1900 {
                try reject(fault(key, "time_form", ["min": 1900],
                    en: "must be in the year 1900 or later", zh: "年份不能早于 1900 年"))
                return nil
            }
            try reject(fault(key, "time_form", ["example": "2026-12-01T14:00:00+08:00"],
                en: "must be an RFC 3339 time with an offset, such as 2026-12-01T14:00:00+08:00",
                zh: "时间格式不对：应为带时区的时间，如 2026-12-01T14:00:00+08:00"))
            return nil
        }
        // To the millisecond, as the log keeps it (a finer fraction is cut).
        return Timestamp.milliseconds(d)
    }

    /// A calendar date `YYYY-MM-DD` (kept as text: a due date has no time zone).
    public func optionalDate(_ key: String) throws(RoadshowError) -> String? {
        guard let s = try optionalString(key, maxLength: 10, what: "a date YYYY-MM-DD") else { return nil }
        guard Timestamp.parse(s + "T00:00:00Z") != nil else {
            try reject(fault(key, "date_form", ["example": "2026-12-01"],
                en: "must be a date such as 2026-12-01", zh: "日期格式不对：应为如 2026-12-01 的日期"))
            return nil
        }
        return s
    }

    // MARK: nesting

    public func object(_ key: String) throws(RoadshowError) -> Args {
        guard let o = try optionalObject(key) else {
            if !has(key) { try reject(missing(key, "an object")) }
            return Args(fields: [:], path: fieldPath(key), faults: faults, inert: true)
        }
        return o
    }

    public func optionalObject(_ key: String) throws(RoadshowError) -> Args? {
        guard let v = value(key) else { return nil }
        guard case .object(let o) = v else {
            try reject(mistyped(key, "an object", "object", v))
            return faults == nil ? nil : Args(fields: [:], path: fieldPath(key), faults: faults, inert: true)
        }
        return Args(fields: o, path: fieldPath(key), faults: faults, inert: inert)
    }

    public func stringList(_ key: String, maxCount: Int = 50, maxLength: Int = 200) throws(RoadshowError) -> [String]? {
        guard let v = value(key) else { return nil }
        guard case .array(let items) = v else { try reject(mistyped(key, "a list of strings", "list", v)); return nil }
        if items.count > maxCount {
            try reject(fault(key, "too_many", ["max": .int(Int64(maxCount))],
                en: "has more than \(maxCount) entries", zh: "太多了：最多 \(maxCount) 项"))
            return nil
        }
        var out: [String] = []
        for (i, item) in items.enumerated() {
            let p = "\(fieldPath(key))[\(i)]"
            guard case .string(let s) = item else {
                try reject(Self.fault(p, "type", ["expected": "string"], en: "must be a string", zh: "格式不对：应为文字"))
                return nil
            }
            let t = s.trimmingCharacters(in: .whitespacesAndNewlines)
            if t.isEmpty || t.count > maxLength {
                try reject(Self.fault(p, "item_length", ["max": .int(Int64(maxLength))],
                    en: "must be 1 to \(maxLength) characters", zh: "每项应为 1 到 \(maxLength) 个字"))
                return nil
            }
            out.append(t)
        }
        return out
    }

    /// Rejects any argument not in `known` — a typo should not be silently ignored.
    /// `requestKey` is always accepted (and ignored where nothing is stored), so a
    /// client may attach one to every request.
    public func rejectUnknown(_ known: Set<String>) throws(RoadshowError) {
        for key in fields.keys.sorted() where !known.contains(key) && !(path == "args" && key == "requestKey") {
            let expected = known.sorted().joined(separator: ", ")
            try reject(fault(key, "unknown_argument", ["expected": .array(known.sorted().map { .string($0) })],
                en: "is not an argument here; expected: \(expected)", zh: "这里没有这个参数（可用：\(expected)）"))
        }
    }
}
