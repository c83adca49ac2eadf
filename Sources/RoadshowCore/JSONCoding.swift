import Foundation

/// Bridges Codable domain values and `JSON` directly, without going through
/// bytes: `JSON(encoding:)` runs a value's `encode(to:)` against an `Encoder`
/// that builds the `JSON` tree, and `decode(_:)` runs `init(from:)` against a
/// `Decoder` that reads one.
///
/// The result is what Foundation's `JSONEncoder` (sorted keys) followed by
/// `JSON.parse` gave before, value for value: dates as RFC 3339 UTC with
/// milliseconds (`Timestamp.format`), a nil optional omitted by
/// `encodeIfPresent` (so by every synthesized `encode(to:)`), a whole-number
/// `Double` below 10^16 as an integer (Foundation writes `12.0` as `12`),
/// `Data` as base64, `URL` as its absolute string, a value that encodes nothing
/// as `{}` (and as an error at the top). Decoding follows `JSONDecoder`: a
/// missing key or a null for a non-optional is an error, a number decodes as
/// any numeric type it fits exactly, and a string never as a number.
extension JSON {
    /// The JSON form of a Codable value.
    public init<T: Encodable>(encoding value: T) {
        // Encoding plain domain structs cannot fail; a failure is a programming error.
        do { self = try JSONValueEncoder.encode(value) } catch { fatalError("JSON encoding failed: \(error)") }
    }

    /// Decodes a Codable value from this JSON.
    public func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try JSONValueDecoder.decode(type, from: self)
    }
}

extension JSON: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null; return }
        if let b = try? container.decode(Bool.self) { self = .bool(b); return }
        if let i = try? container.decode(Int64.self) { self = .int(i); return }
        if let d = try? container.decode(Double.self) { self = .double(d); return }
        if let s = try? container.decode(String.self) { self = .string(s); return }
        if let a = try? container.decode([JSON].self) { self = .array(a); return }
        self = .object(try container.decode([String: JSON].self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let b): try container.encode(b)
        case .int(let i): try container.encode(i)
        case .double(let d): try container.encode(d)
        case .string(let s): try container.encode(s)
        case .array(let a): try container.encode(a)
        case .object(let o): try container.encode(o)
        }
    }
}

// MARK: - Coding paths

/// A coding path as a linked list, built only when an error or a caller asks for it.
class JSONCodingPathNode {
    let parent: JSONCodingPathNode?
    let key: (any CodingKey)?

    init(parent: JSONCodingPathNode?, key: (any CodingKey)?) {
        self.parent = parent
        self.key = key
    }

    var codingPath: [any CodingKey] {
        var keys: [any CodingKey] = []
        var node: JSONCodingPathNode? = self
        while let n = node {
            if let k = n.key { keys.append(k) }
            node = n.parent
        }
        return keys.reversed()
    }

    func appending(_ key: any CodingKey) -> [any CodingKey] { codingPath + [key] }
}

/// An array position in a coding path ("Index 3"), and the key of `superEncoder()`.
struct JSONCodingKey: CodingKey {
    let stringValue: String
    let intValue: Int?

    init(stringValue: String) {
        self.stringValue = stringValue
        intValue = nil
    }

    init(intValue: Int) {
        stringValue = "Index \(intValue)"
        self.intValue = intValue
    }

    init(index: Int) { self.init(intValue: index) }

    static let `super` = JSONCodingKey(stringValue: "super")
}

// MARK: - Encoding

/// Encodes an `Encodable` value into a `JSON` value.
public enum JSONValueEncoder {
    public static func encode<T: Encodable>(_ value: T) throws -> JSON {
        if let direct = try JSONEncoderImpl.special(value, at: nil) { return direct }
        let encoder = JSONEncoderImpl(parent: nil, key: nil)
        try value.encode(to: encoder)
        guard let result = encoder.take() else {
            throw EncodingError.invalidValue(
                value, .init(codingPath: [], debugDescription: "Top-level \(T.self) did not encode any values."))
        }
        return result
    }

    /// A `Double` as Foundation's `JSONEncoder` writes it and `JSON.parse` reads
    /// that back: Foundation writes `description` less a trailing ".0", so a
    /// whole number that `description` shows without an exponent (up to 2^53)
    /// becomes an integer, anything else a double. Not-a-number and infinities
    /// are refused.
    static func number(_ d: Double, _ path: @autoclosure () -> [any CodingKey]) throws -> JSON {
        guard d.isFinite else {
            throw EncodingError.invalidValue(
                d, .init(codingPath: path(), debugDescription: "Unable to encode \(d) directly in JSON."))
        }
        if let i = Int64(exactly: d) {
            // Whole numbers up to 10^15 always print as digits; check the rest.
            if abs(i) <= 1_000_000_000_000_000 || d.description.hasSuffix(".0") { return .int(i) }
        }
        return .double(d)
    }

    /// A number from its decimal text, as `JSON.parse` reads it.
    static func number(text: String) -> JSON {
        if let i = Int64(text) { return .int(i) }
        return .double(Double(text) ?? 0)
    }

    static func float(_ f: Float, _ path: @autoclosure () -> [any CodingKey]) throws -> JSON {
        guard f.isFinite else {
            throw EncodingError.invalidValue(
                f, .init(codingPath: path(), debugDescription: "Unable to encode \(f) directly in JSON."))
        }
        var text = f.description
        if text.hasSuffix(".0") { text.removeLast(2) }
        return number(text: text)
    }

    static func unsigned(_ v: UInt64) -> JSON { v <= UInt64(Int64.max) ? .int(Int64(v)) : .double(Double(v)) }

    /// A `JSON` value as its own `encode(to:)` would come out: doubles normalized.
    static func normalized(_ j: JSON, _ path: @autoclosure () -> [any CodingKey]) throws -> JSON {
        switch j {
        case .double(let d): return try number(d, path())
        case .array(let items):
            guard items.contains(where: \.needsNormalizing) else { return j }
            return .array(try items.map { try normalized($0, path()) })
        case .object(let fields):
            guard fields.values.contains(where: \.needsNormalizing) else { return j }
            return .object(try fields.mapValues { try normalized($0, path()) })
        default: return j
        }
    }
}

extension JSON {
    fileprivate var needsNormalizing: Bool {
        switch self {
        case .double: return true
        case .array(let items): return items.contains(where: \.needsNormalizing)
        case .object(let fields): return fields.values.contains(where: \.needsNormalizing)
        default: return false
        }
    }
}

/// An object under construction. Values encoded into it are kept in order and
/// made into a dictionary once, when the object is taken (the last value of a
/// key wins); nested containers and super encoders, which are filled after
/// they are handed out, are resolved then too.
final class JSONObjectBox {
    var pairs: [(String, JSON)] = []
    /// Nested containers and super encoders by key, unless a later value replaced them.
    var pending: [String: JSONPending]?

    init() { pairs.reserveCapacity(8) }

    @inline(__always)
    func set(_ value: JSON, _ key: String) {
        pairs.append((key, value))
        if pending != nil { pending![key] = nil }
    }

    func setPending(_ p: JSONPending, _ key: String) {
        if pending == nil { pending = [:] }
        pending![key] = p
    }

    func take() -> JSON {
        var fields = Dictionary(pairs, uniquingKeysWith: { _, last in last })
        if let pending {
            for (key, p) in pending { fields[key] = p.take() }
        }
        return .object(fields)
    }
}

/// An array under construction (see `JSONObjectBox`).
final class JSONArrayBox {
    var items: [JSON] = []
    var pending: [(Int, JSONPending)]?

    func appendPending(_ p: JSONPending) {
        if pending == nil { pending = [] }
        pending!.append((items.count, p))
        items.append(.null)
    }

    func take() -> JSON {
        guard let pending else { return .array(items) }
        var out = items
        for (index, p) in pending { out[index] = p.take() }
        return .array(out)
    }
}

enum JSONPending {
    case object(JSONObjectBox)
    case array(JSONArrayBox)
    case encoder(JSONEncoderImpl)

    func take() -> JSON {
        switch self {
        case .object(let box): return box.take()
        case .array(let box): return box.take()
        case .encoder(let encoder): return encoder.take() ?? .object([:])
        }
    }
}

final class JSONEncoderImpl: JSONCodingPathNode, Encoder {
    enum Storage {
        case none
        case value(JSON)
        case object(JSONObjectBox)
        case array(JSONArrayBox)
    }

    var storage = Storage.none

    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func take() -> JSON? {
        switch storage {
        case .none: return nil
        case .value(let v): return v
        case .object(let box): return box.take()
        case .array(let box): return box.take()
        }
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        let box: JSONObjectBox
        if case .object(let existing) = storage {
            box = existing
        } else {
            box = JSONObjectBox()
            storage = .object(box)
        }
        return KeyedEncodingContainer(JSONKeyedEncodingContainer<Key>(path: self, box: box))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        let box: JSONArrayBox
        if case .array(let existing) = storage {
            box = existing
        } else {
            box = JSONArrayBox()
            storage = .array(box)
        }
        return JSONUnkeyedEncodingContainer(path: self, box: box)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer { JSONSingleValueEncodingContainer(encoder: self) }

    /// Values Foundation's encoder writes its own way, rather than through their `encode(to:)`.
    @inline(__always)
    static func special<T: Encodable>(_ value: T, at path: @autoclosure () -> [any CodingKey]?) throws -> JSON? {
        if T.self == String.self { return .string(value as! String) }
        if T.self == Date.self { return .string(Timestamp.format(value as! Date)) }
        if T.self == Int.self { return .int(Int64(value as! Int)) }
        if T.self == Bool.self { return .bool(value as! Bool) }
        if T.self == Double.self { return try JSONValueEncoder.number(value as! Double, path() ?? []) }
        if T.self == JSON.self { return try JSONValueEncoder.normalized(value as! JSON, path() ?? []) }
        if T.self == URL.self { return .string((value as! URL).absoluteString) }
        if T.self == Data.self { return .string((value as! Data).base64EncodedString()) }
        if T.self == Decimal.self { return JSONValueEncoder.number(text: (value as! Decimal).description) }
        return nil
    }

    /// The JSON of a value encoded under `key` of the container at `path`.
    @inline(__always)
    static func wrap<T: Encodable>(_ value: T, key: any CodingKey, path: JSONCodingPathNode) throws -> JSON {
        if let direct = try special(value, at: path.appending(key)) { return direct }
        let child = JSONEncoderImpl(parent: path, key: key)
        try value.encode(to: child)
        return child.take() ?? .object([:])
    }
}

struct JSONKeyedEncodingContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let path: JSONCodingPathNode
    let box: JSONObjectBox

    var codingPath: [any CodingKey] { path.codingPath }

    mutating func encodeNil(forKey key: Key) throws { box.set(.null, key.stringValue) }
    mutating func encode(_ value: Bool, forKey key: Key) throws { box.set(.bool(value), key.stringValue) }
    mutating func encode(_ value: String, forKey key: Key) throws { box.set(.string(value), key.stringValue) }
    mutating func encode(_ value: Double, forKey key: Key) throws {
        box.set(try JSONValueEncoder.number(value, path.appending(key)), key.stringValue)
    }
    mutating func encode(_ value: Float, forKey key: Key) throws {
        box.set(try JSONValueEncoder.float(value, path.appending(key)), key.stringValue)
    }
    mutating func encode(_ value: Int, forKey key: Key) throws { box.set(.int(Int64(value)), key.stringValue) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { box.set(.int(Int64(value)), key.stringValue) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { box.set(.int(Int64(value)), key.stringValue) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { box.set(.int(Int64(value)), key.stringValue) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { box.set(.int(value), key.stringValue) }
    mutating func encode(_ value: UInt, forKey key: Key) throws {
        box.set(JSONValueEncoder.unsigned(UInt64(value)), key.stringValue)
    }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { box.set(.int(Int64(value)), key.stringValue) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { box.set(.int(Int64(value)), key.stringValue) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { box.set(.int(Int64(value)), key.stringValue) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws {
        box.set(JSONValueEncoder.unsigned(value), key.stringValue)
    }
    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        box.set(try JSONEncoderImpl.wrap(value, key: key, path: path), key.stringValue)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key)
        -> KeyedEncodingContainer<NestedKey>
    {
        let child: JSONObjectBox
        if case .object(let existing)? = box.pending?[key.stringValue] {
            child = existing
        } else {
            child = JSONObjectBox()
            box.setPending(.object(child), key.stringValue)
        }
        return KeyedEncodingContainer(
            JSONKeyedEncodingContainer<NestedKey>(path: JSONCodingPathNode(parent: path, key: key), box: child))
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        let child: JSONArrayBox
        if case .array(let existing)? = box.pending?[key.stringValue] {
            child = existing
        } else {
            child = JSONArrayBox()
            box.setPending(.array(child), key.stringValue)
        }
        return JSONUnkeyedEncodingContainer(path: JSONCodingPathNode(parent: path, key: key), box: child)
    }

    mutating func superEncoder() -> any Encoder { superEncoder(key: JSONCodingKey.super) }

    mutating func superEncoder(forKey key: Key) -> any Encoder { superEncoder(key: key) }

    private func superEncoder(key: any CodingKey) -> any Encoder {
        let encoder = JSONEncoderImpl(parent: path, key: key)
        box.setPending(.encoder(encoder), key.stringValue)
        return encoder
    }
}

struct JSONUnkeyedEncodingContainer: UnkeyedEncodingContainer {
    let path: JSONCodingPathNode
    let box: JSONArrayBox

    var codingPath: [any CodingKey] { path.codingPath }
    var count: Int { box.items.count }

    private var nextKey: JSONCodingKey { JSONCodingKey(index: box.items.count) }

    mutating func encodeNil() throws { box.items.append(.null) }
    mutating func encode(_ value: Bool) throws { box.items.append(.bool(value)) }
    mutating func encode(_ value: String) throws { box.items.append(.string(value)) }
    mutating func encode(_ value: Double) throws {
        box.items.append(try JSONValueEncoder.number(value, path.appending(nextKey)))
    }
    mutating func encode(_ value: Float) throws {
        box.items.append(try JSONValueEncoder.float(value, path.appending(nextKey)))
    }
    mutating func encode(_ value: Int) throws { box.items.append(.int(Int64(value))) }
    mutating func encode(_ value: Int8) throws { box.items.append(.int(Int64(value))) }
    mutating func encode(_ value: Int16) throws { box.items.append(.int(Int64(value))) }
    mutating func encode(_ value: Int32) throws { box.items.append(.int(Int64(value))) }
    mutating func encode(_ value: Int64) throws { box.items.append(.int(value)) }
    mutating func encode(_ value: UInt) throws { box.items.append(JSONValueEncoder.unsigned(UInt64(value))) }
    mutating func encode(_ value: UInt8) throws { box.items.append(.int(Int64(value))) }
    mutating func encode(_ value: UInt16) throws { box.items.append(.int(Int64(value))) }
    mutating func encode(_ value: UInt32) throws { box.items.append(.int(Int64(value))) }
    mutating func encode(_ value: UInt64) throws { box.items.append(JSONValueEncoder.unsigned(value)) }
    mutating func encode<T: Encodable>(_ value: T) throws {
        box.items.append(try JSONEncoderImpl.wrap(value, key: nextKey, path: path))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type)
        -> KeyedEncodingContainer<NestedKey>
    {
        let child = JSONObjectBox()
        let key = nextKey
        box.appendPending(.object(child))
        return KeyedEncodingContainer(
            JSONKeyedEncodingContainer<NestedKey>(path: JSONCodingPathNode(parent: path, key: key), box: child))
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let child = JSONArrayBox()
        let key = nextKey
        box.appendPending(.array(child))
        return JSONUnkeyedEncodingContainer(path: JSONCodingPathNode(parent: path, key: key), box: child)
    }

    mutating func superEncoder() -> any Encoder {
        let encoder = JSONEncoderImpl(parent: path, key: nextKey)
        box.appendPending(.encoder(encoder))
        return encoder
    }
}

struct JSONSingleValueEncodingContainer: SingleValueEncodingContainer {
    let encoder: JSONEncoderImpl

    var codingPath: [any CodingKey] { encoder.codingPath }

    private func set(_ value: JSON) { encoder.storage = .value(value) }

    mutating func encodeNil() throws { set(.null) }
    mutating func encode(_ value: Bool) throws { set(.bool(value)) }
    mutating func encode(_ value: String) throws { set(.string(value)) }
    mutating func encode(_ value: Double) throws { set(try JSONValueEncoder.number(value, codingPath)) }
    mutating func encode(_ value: Float) throws { set(try JSONValueEncoder.float(value, codingPath)) }
    mutating func encode(_ value: Int) throws { set(.int(Int64(value))) }
    mutating func encode(_ value: Int8) throws { set(.int(Int64(value))) }
    mutating func encode(_ value: Int16) throws { set(.int(Int64(value))) }
    mutating func encode(_ value: Int32) throws { set(.int(Int64(value))) }
    mutating func encode(_ value: Int64) throws { set(.int(value)) }
    mutating func encode(_ value: UInt) throws { set(JSONValueEncoder.unsigned(UInt64(value))) }
    mutating func encode(_ value: UInt8) throws { set(.int(Int64(value))) }
    mutating func encode(_ value: UInt16) throws { set(.int(Int64(value))) }
    mutating func encode(_ value: UInt32) throws { set(.int(Int64(value))) }
    mutating func encode(_ value: UInt64) throws { set(JSONValueEncoder.unsigned(value)) }
    mutating func encode<T: Encodable>(_ value: T) throws {
        if let direct = try JSONEncoderImpl.special(value, at: codingPath) {
            set(direct)
            return
        }
        // Encoded in place, as Foundation does: the value's containers are this encoder's.
        encoder.storage = .none
        try value.encode(to: encoder)
        if case .none = encoder.storage { set(.object([:])) }
    }
}

// MARK: - Decoding

/// Decodes a `Decodable` value from a `JSON` value.
public enum JSONValueDecoder {
    public static func decode<T: Decodable>(_ type: T.Type, from value: JSON) throws -> T {
        try JSONDecoderImpl(value: value, parent: nil, key: nil).unwrap(as: T.self)
    }
}

final class JSONDecoderImpl: JSONCodingPathNode, Decoder {
    let value: JSON

    init(value: JSON, parent: JSONCodingPathNode?, key: (any CodingKey)?) {
        self.value = value
        super.init(parent: parent, key: key)
    }

    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case .object(let fields) = value else {
            throw JSONDecoderImpl.mismatch([String: JSON].self, value, codingPath, what: "keyed decoding container")
        }
        return KeyedDecodingContainer(JSONKeyedDecodingContainer<Key>(path: self, fields: fields))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard case .array(let items) = value else {
            throw JSONDecoderImpl.mismatch([JSON].self, value, codingPath, what: "unkeyed decoding container")
        }
        return JSONUnkeyedDecodingContainer(path: self, items: items)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer { JSONSingleValueDecodingContainer(decoder: self) }

    /// A value of type `T` from `value` (any decoder's `decode(T)` ends here).
    @inline(__always)
    func unwrap<T: Decodable>(as type: T.Type) throws -> T {
        if T.self == String.self { return try Self.string(value, codingPath) as! T }
        if T.self == Date.self { return try Self.date(value, codingPath) as! T }
        if T.self == Int.self { return try Self.integer(Int.self, value, codingPath) as! T }
        if T.self == Bool.self { return try Self.bool(value, codingPath) as! T }
        if T.self == Double.self { return try Self.double(value, codingPath) as! T }
        if T.self == JSON.self { return value as! T }
        if T.self == URL.self {
            let text = try Self.string(value, codingPath)
            guard let url = URL(string: text) else {
                throw DecodingError.dataCorrupted(.init(codingPath: codingPath, debugDescription: "Invalid URL string."))
            }
            return url as! T
        }
        if T.self == Data.self {
            let text = try Self.string(value, codingPath)
            guard let data = Data(base64Encoded: text) else {
                throw DecodingError.dataCorrupted(
                    .init(codingPath: codingPath, debugDescription: "Encountered Data is not valid Base64."))
            }
            return data as! T
        }
        if T.self == Decimal.self {
            guard value.doubleValue != nil, let d = Decimal(string: value.encodedString) else {
                throw Self.mismatch(Decimal.self, value, codingPath)
            }
            return d as! T
        }
        return try T(from: self)
    }

    /// A child decoder for the value under `key`, and its value as `T`.
    @inline(__always)
    static func decode<T: Decodable>(_ type: T.Type, _ value: JSON, key: any CodingKey, path: JSONCodingPathNode) throws -> T {
        try JSONDecoderImpl(value: value, parent: path, key: key).unwrap(as: T.self)
    }

    // MARK: scalars

    static func mismatch(_ type: Any.Type, _ value: JSON, _ path: [any CodingKey], what: String? = nil) -> DecodingError {
        if case .null = value {
            return .valueNotFound(type, .init(
                codingPath: path,
                debugDescription: "Cannot get \(what ?? "value of type \(type)") -- found null value instead"))
        }
        return .typeMismatch(type, .init(
            codingPath: path, debugDescription: "Expected to decode \(type) but found \(value.typeDescription) instead."))
    }

    static func string(_ value: JSON, _ path: @autoclosure () -> [any CodingKey]) throws -> String {
        guard case .string(let s) = value else { throw mismatch(String.self, value, path()) }
        return s
    }

    static func bool(_ value: JSON, _ path: @autoclosure () -> [any CodingKey]) throws -> Bool {
        guard case .bool(let b) = value else { throw mismatch(Bool.self, value, path()) }
        return b
    }

    static func double(_ value: JSON, _ path: @autoclosure () -> [any CodingKey]) throws -> Double {
        switch value {
        case .int(let i): return Double(i)
        case .double(let d): return d
        default: throw mismatch(Double.self, value, path())
        }
    }

    static func float(_ value: JSON, _ path: @autoclosure () -> [any CodingKey]) throws -> Float {
        let d = try double(value, path())
        let f = Float(d)
        guard f.isFinite else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: path(), debugDescription: "Number \(d) does not fit in Float."))
        }
        return f
    }

    static func integer<I: FixedWidthInteger>(_ type: I.Type, _ value: JSON, _ path: @autoclosure () -> [any CodingKey])
        throws -> I
    {
        switch value {
        case .int(let i):
            if let v = I(exactly: i) { return v }
        case .double(let d):
            if let v = I(exactly: d) { return v }
        default:
            throw mismatch(I.self, value, path())
        }
        throw DecodingError.dataCorrupted(
            .init(codingPath: path(), debugDescription: "Number \(value.encodedString) does not fit in \(I.self)."))
    }

    static func date(_ value: JSON, _ path: @autoclosure () -> [any CodingKey]) throws -> Date {
        let text = try string(value, path())
        guard let date = Timestamp.parse(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: path(), debugDescription: "not an RFC 3339 time: \(text)"))
        }
        return date
    }
}

struct JSONKeyedDecodingContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let path: JSONCodingPathNode
    let fields: [String: JSON]

    var codingPath: [any CodingKey] { path.codingPath }

    var allKeys: [Key] { fields.keys.compactMap { Key(stringValue: $0) } }

    func contains(_ key: Key) -> Bool { fields[key.stringValue] != nil }

    @inline(__always)
    private func value(_ key: Key) throws -> JSON {
        guard let v = fields[key.stringValue] else {
            throw DecodingError.keyNotFound(key, .init(
                codingPath: codingPath,
                debugDescription: "No value associated with key \(key) (\"\(key.stringValue)\")."))
        }
        return v
    }

    func decodeNil(forKey key: Key) throws -> Bool { try value(key).isNull }

    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool {
        try JSONDecoderImpl.bool(try value(key), path.appending(key))
    }
    func decode(_ type: String.Type, forKey key: Key) throws -> String {
        try JSONDecoderImpl.string(try value(key), path.appending(key))
    }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double {
        try JSONDecoderImpl.double(try value(key), path.appending(key))
    }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float {
        try JSONDecoderImpl.float(try value(key), path.appending(key))
    }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try integer(key) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try integer(key) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try integer(key) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try integer(key) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try integer(key) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try integer(key) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try integer(key) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try integer(key) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try integer(key) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try integer(key) }

    private func integer<I: FixedWidthInteger>(_ key: Key) throws -> I {
        try JSONDecoderImpl.integer(I.self, try value(key), path.appending(key))
    }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        try JSONDecoderImpl.decode(T.self, try value(key), key: key, path: path)
    }

    // The optional forms: a missing key or a null is nil.
    func decodeIfPresent(_ type: Bool.Type, forKey key: Key) throws -> Bool? {
        try present(key).map { try JSONDecoderImpl.bool($0, path.appending(key)) }
    }
    func decodeIfPresent(_ type: String.Type, forKey key: Key) throws -> String? {
        try present(key).map { try JSONDecoderImpl.string($0, path.appending(key)) }
    }
    func decodeIfPresent(_ type: Double.Type, forKey key: Key) throws -> Double? {
        try present(key).map { try JSONDecoderImpl.double($0, path.appending(key)) }
    }
    func decodeIfPresent(_ type: Int.Type, forKey key: Key) throws -> Int? {
        try present(key).map { try JSONDecoderImpl.integer(Int.self, $0, path.appending(key)) }
    }
    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        try present(key).map { try JSONDecoderImpl.decode(T.self, $0, key: key, path: path) }
    }

    @inline(__always)
    private func present(_ key: Key) -> JSON? {
        guard let v = fields[key.stringValue], !v.isNull else { return nil }
        return v
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws
        -> KeyedDecodingContainer<NestedKey>
    {
        try JSONDecoderImpl(value: try value(key), parent: path, key: key).container(keyedBy: NestedKey.self)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try JSONDecoderImpl(value: try value(key), parent: path, key: key).unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder {
        JSONDecoderImpl(value: fields["super"] ?? .null, parent: path, key: JSONCodingKey.super)
    }

    func superDecoder(forKey key: Key) throws -> any Decoder {
        JSONDecoderImpl(value: fields[key.stringValue] ?? .null, parent: path, key: key)
    }
}

struct JSONUnkeyedDecodingContainer: UnkeyedDecodingContainer {
    let path: JSONCodingPathNode
    let items: [JSON]
    var currentIndex = 0

    init(path: JSONCodingPathNode, items: [JSON]) {
        self.path = path
        self.items = items
    }

    var codingPath: [any CodingKey] { path.codingPath }
    var count: Int? { items.count }
    var isAtEnd: Bool { currentIndex >= items.count }

    private var key: JSONCodingKey { JSONCodingKey(index: currentIndex) }

    private func next(_ type: Any.Type) throws -> JSON {
        guard !isAtEnd else {
            throw DecodingError.valueNotFound(type, .init(
                codingPath: path.appending(key), debugDescription: "Unkeyed container is at end."))
        }
        return items[currentIndex]
    }

    mutating func decodeNil() throws -> Bool {
        guard try next(JSON.self).isNull else { return false }
        currentIndex += 1
        return true
    }

    mutating func decode(_ type: Bool.Type) throws -> Bool { try scalar { try JSONDecoderImpl.bool($0, $1()) } }
    mutating func decode(_ type: String.Type) throws -> String { try scalar { try JSONDecoderImpl.string($0, $1()) } }
    mutating func decode(_ type: Double.Type) throws -> Double { try scalar { try JSONDecoderImpl.double($0, $1()) } }
    mutating func decode(_ type: Float.Type) throws -> Float { try scalar { try JSONDecoderImpl.float($0, $1()) } }
    mutating func decode(_ type: Int.Type) throws -> Int { try integer() }
    mutating func decode(_ type: Int8.Type) throws -> Int8 { try integer() }
    mutating func decode(_ type: Int16.Type) throws -> Int16 { try integer() }
    mutating func decode(_ type: Int32.Type) throws -> Int32 { try integer() }
    mutating func decode(_ type: Int64.Type) throws -> Int64 { try integer() }
    mutating func decode(_ type: UInt.Type) throws -> UInt { try integer() }
    mutating func decode(_ type: UInt8.Type) throws -> UInt8 { try integer() }
    mutating func decode(_ type: UInt16.Type) throws -> UInt16 { try integer() }
    mutating func decode(_ type: UInt32.Type) throws -> UInt32 { try integer() }
    mutating func decode(_ type: UInt64.Type) throws -> UInt64 { try integer() }

    private mutating func integer<I: FixedWidthInteger>() throws -> I {
        try scalar { try JSONDecoderImpl.integer(I.self, $0, $1()) }
    }

    private mutating func scalar<T>(_ read: (JSON, () -> [any CodingKey]) throws -> T) throws -> T {
        let (path, key) = (path, key)
        let v = try read(try next(T.self), { path.appending(key) })
        currentIndex += 1
        return v
    }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        let v = try JSONDecoderImpl.decode(T.self, try next(T.self), key: key, path: path)
        currentIndex += 1
        return v
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws
        -> KeyedDecodingContainer<NestedKey>
    {
        let c = try JSONDecoderImpl(value: try next(KeyedDecodingContainer<NestedKey>.self), parent: path, key: key)
            .container(keyedBy: NestedKey.self)
        currentIndex += 1
        return c
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        let c = try JSONDecoderImpl(value: try next((any UnkeyedDecodingContainer).self), parent: path, key: key)
            .unkeyedContainer()
        currentIndex += 1
        return c
    }

    mutating func superDecoder() throws -> any Decoder {
        let d = JSONDecoderImpl(value: try next((any Decoder).self), parent: path, key: key)
        currentIndex += 1
        return d
    }
}

struct JSONSingleValueDecodingContainer: SingleValueDecodingContainer {
    let decoder: JSONDecoderImpl

    var codingPath: [any CodingKey] { decoder.codingPath }
    private var value: JSON { decoder.value }

    func decodeNil() -> Bool { value.isNull }
    func decode(_ type: Bool.Type) throws -> Bool { try JSONDecoderImpl.bool(value, codingPath) }
    func decode(_ type: String.Type) throws -> String { try JSONDecoderImpl.string(value, codingPath) }
    func decode(_ type: Double.Type) throws -> Double { try JSONDecoderImpl.double(value, codingPath) }
    func decode(_ type: Float.Type) throws -> Float { try JSONDecoderImpl.float(value, codingPath) }
    func decode(_ type: Int.Type) throws -> Int { try JSONDecoderImpl.integer(Int.self, value, codingPath) }
    func decode(_ type: Int8.Type) throws -> Int8 { try JSONDecoderImpl.integer(Int8.self, value, codingPath) }
    func decode(_ type: Int16.Type) throws -> Int16 { try JSONDecoderImpl.integer(Int16.self, value, codingPath) }
    func decode(_ type: Int32.Type) throws -> Int32 { try JSONDecoderImpl.integer(Int32.self, value, codingPath) }
    func decode(_ type: Int64.Type) throws -> Int64 { try JSONDecoderImpl.integer(Int64.self, value, codingPath) }
    func decode(_ type: UInt.Type) throws -> UInt { try JSONDecoderImpl.integer(UInt.self, value, codingPath) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try JSONDecoderImpl.integer(UInt8.self, value, codingPath) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try JSONDecoderImpl.integer(UInt16.self, value, codingPath) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try JSONDecoderImpl.integer(UInt32.self, value, codingPath) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try JSONDecoderImpl.integer(UInt64.self, value, codingPath) }
    func decode<T: Decodable>(_ type: T.Type) throws -> T { try decoder.unwrap(as: T.self) }
}
