import Foundation

@testable import RoadshowCore

/// How `JSON(encoding:)` and `JSON.decode` worked before the core had its own
/// Encoder and Decoder: Foundation's `JSONEncoder` (sorted keys, dates as
/// `Timestamp.format`), the bytes parsed back with `JSON.parse`; and
/// `JSONDecoder` over the encoded bytes. Kept as the reference the direct
/// coders must agree with.
enum FoundationReference {
    static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(Timestamp.format(date))
        }
        return encoder
    }

    static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let date = Timestamp.parse(text) else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "not an RFC 3339 time: \(text)")
            }
            return date
        }
        return decoder
    }

    static func json<T: Encodable>(_ value: T) throws -> JSON { try JSON.parse(Array(try encoder().encode(value))) }

    static func decode<T: Decodable>(_ type: T.Type, from json: JSON) throws -> T {
        try decoder().decode(type, from: Data(json.encodedBytes))
    }
}
