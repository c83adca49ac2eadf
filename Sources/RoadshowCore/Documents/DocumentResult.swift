import Foundation

/// Writes a `Document` as a Word file (`.docx`). The core knows only this
/// interface: the `RoadshowDocuments` module implements it (it needs a zip
/// library), and the server hands it to the read ops through `QueryWorld`.
public protocol DocxEncoding: Sendable {
    func docx(_ document: Document) throws(RoadshowError) -> [UInt8]
}

/// The `format` and `lang` args of the document ops (`export.minutes`,
/// `followup.report`, `report.monthly`), and the result they give.
public struct DocumentRequest: Sendable {
    public enum Format: String, Sendable, CaseIterable {
        case markdown, docx
    }

    public static let keys: Set<String> = ["format", "lang"]
    public static let docxContentType = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

    public var format: Format
    public var language: Document.Language

    public init(format: Format = .markdown, language: Document.Language = .zh) {
        self.format = format
        self.language = language
    }

    public init(_ args: Args) throws(RoadshowError) {
        format = try args.optionalEnum("format", Format.self) ?? .markdown
        language = try args.optionalEnum("lang", Document.Language.self) ?? .zh
    }

    /// `{filename, contentType, base64, bytes, format: "docx", lang}` for a
    /// Word file; nil for Markdown (each op answers Markdown its own way, as before).
    public func docxResult(_ document: Document, in world: any QueryWorld) throws(RoadshowError) -> JSON? {
        guard format == .docx else { return nil }
        guard let encoder = world.docx else {
            throw RoadshowError(.internal, "this server cannot write Word documents")
        }
        let bytes = try encoder.docx(document)
        return [
            "filename": .string(document.basename + ".docx"), "contentType": .string(Self.docxContentType),
            "base64": .string(Data(bytes).base64EncodedString()), "bytes": .int(Int64(bytes.count)),
            "format": "docx", "lang": .string(language.rawValue),
        ]
    }
}
