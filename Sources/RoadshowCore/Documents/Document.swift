import Foundation

/// A document the organizer hands its leadership (the minutes, the leadership
/// report, the monthly bulletin), as structure: what it says, in one
/// language, independent of the format. `DocumentMarkdown` writes it as
/// Markdown; the `RoadshowDocuments` module writes it as a `.docx`. Every
/// string in it is plain text (user text as it was typed); each renderer
/// escapes for its own format.
public struct Document: Sendable, Equatable {
    /// The language of the whole document (one per document).
    public enum Language: String, Sendable, CaseIterable {
        case zh, en

        /// The label in this language.
        public func pick(_ zh: String, _ en: String) -> String { self == .zh ? zh : en }
        public func label(_ l: some Labelled) -> String { self == .zh ? l.zh : l.en }
    }

    /// One piece of text of a paragraph; `bold` for labels (出席：, 送：).
    public struct Run: Sendable, Equatable {
        public var text: String
        public var bold: Bool

        public init(_ text: String, bold: Bool = false) {
            self.text = text
            self.bold = bold
        }
    }

    public enum Alignment: String, Sendable {
        case left, center, right
    }

    public struct Table: Sendable, Equatable {
        public var header: [String]
        public var rows: [[String]]
        /// Relative column widths (one per column); equal when nil.
        public var widths: [Int]?

        public init(header: [String], rows: [[String]], widths: [Int]? = nil) {
            self.header = header
            self.rows = rows
            self.widths = widths
        }
    }

    public enum Block: Sendable, Equatable {
        /// Level 1 (一、…) or 2 (（一）…).
        case heading(String, level: Int)
        /// A paragraph; `indent` gives it the first-line indent of official prose (2 characters).
        case paragraph([Run], align: Alignment = .left, indent: Bool = false)
        /// A list item (a line of its own, with a bullet in Markdown).
        case item([Run])
        case table(Table)
        /// A horizontal rule (the bulletin's header and distribution lines).
        case rule
        /// A framed empty box for handwriting, such as 领导批示; `lines` tall.
        case box(label: String, lines: Int)
        case pageBreak
    }

    public var language: Language
    public var title: String
    /// Lines under the title: the issue number, the issuing unit and the date.
    public var subtitle: [String]
    public var blocks: [Block]
    /// What the document is for properties and the file name, e.g. "会议纪要".
    public var kind: String
    /// The file name without extension.
    public var basename: String
    /// When it was written (the document's properties), if known.
    public var created: Date?

    public init(
        language: Language, title: String, subtitle: [String] = [], blocks: [Block] = [], kind: String, basename: String,
        created: Date? = nil
    ) {
        self.created = created
        self.language = language
        self.title = title
        self.subtitle = subtitle
        self.blocks = blocks
        self.kind = kind
        self.basename = FileName.safe(basename, fallback: "document")
    }

    /// Every piece of text in reading order (tests, and the docx's properties).
    public var plainText: [String] {
        var out = [title] + subtitle
        for b in blocks {
            switch b {
            case .heading(let t, _): out.append(t)
            case .paragraph(let runs, _, _), .item(let runs): out.append(runs.map(\.text).joined())
            case .table(let t): out.append(contentsOf: t.header + t.rows.flatMap { $0 })
            case .box(let label, _): out.append(label)
            case .rule, .pageBreak: break
            }
        }
        return out
    }
}

extension Document {
    /// The document as data, for a page that lays it out itself (the minutes'
    /// print view): `{lang, kind, title, subtitle, blocks: [{type, …}]}`, every
    /// string plain text.
    public var json: JSON {
        func runs(_ rs: [Run]) -> JSON {
            .array(rs.map { r in r.bold ? ["text": .string(r.text), "bold": true] : ["text": .string(r.text)] })
        }
        let blocks: [JSON] = self.blocks.map { b in
            switch b {
            case .heading(let text, let level):
                return ["type": "heading", "text": .string(text), "level": .int(Int64(level))]
            case .paragraph(let rs, let align, let indent):
                var o: [String: JSON] = ["type": "paragraph", "runs": runs(rs)]
                if align != .left { o["align"] = .string(align.rawValue) }
                if indent { o["indent"] = true }
                return .object(o)
            case .item(let rs):
                return ["type": "item", "runs": runs(rs)]
            case .table(let t):
                var o: [String: JSON] = [
                    "type": "table", "header": .array(t.header.map { .string($0) }),
                    "rows": .array(t.rows.map { .array($0.map { .string($0) }) }),
                ]
                if let w = t.widths { o["widths"] = .array(w.map { .int(Int64($0)) }) }
                return .object(o)
            case .rule:
                return ["type": "rule"]
            case .box(let label, let lines):
                return ["type": "box", "label": .string(label), "lines": .int(Int64(lines))]
            case .pageBreak:
                return ["type": "pageBreak"]
            }
        }
        return [
            "lang": .string(language.rawValue), "kind": .string(kind), "title": .string(title),
            "subtitle": .array(subtitle.map { .string($0) }), "blocks": .array(blocks),
        ]
    }
}
