import Foundation

/// A `Document` as Markdown (CommonMark with pipe tables). Every piece of
/// text is escaped: HTML-significant characters and Markdown's own are
/// backslash-escaped, so a name such as `<img src=x onerror=alert(1)>` or
/// `A|B #1 *x*` comes out as the characters it is, never as markup.
public enum DocumentMarkdown {
    public static func render(_ doc: Document) -> String {
        var out: [String] = ["# " + inline(doc.title), ""]
        for line in doc.subtitle { out.append(inline(line)); out.append("") }
        for (i, block) in doc.blocks.enumerated() {
            switch block {
            case .heading(let text, let level):
                out.append(String(repeating: "#", count: min(max(level, 1), 4) + 1) + " " + inline(text, lineStart: false))
            case .paragraph(let runs, _, _):
                out.append(runs.map(run).joined())
            case .item(let runs):
                out.append("- " + runs.map(run).joined())
                // Consecutive items make one (tight) list.
                if i + 1 < doc.blocks.count, case .item = doc.blocks[i + 1] { continue }
            case .table(let t):
                out.append("| " + t.header.map(cell).joined(separator: " | ") + " |")
                out.append("|" + Array(repeating: "---|", count: t.header.count).joined())
                for r in t.rows {
                    let cells = (0..<t.header.count).map { $0 < r.count ? cell(r[$0]) : "" }
                    out.append("| " + cells.joined(separator: " | ") + " |")
                }
            case .rule:
                out.append("---")
            case .box(let label, let lines):
                out.append("**" + inline(label) + "**")
                for _ in 0..<max(lines / 3, 1) { out.append(""); out.append("&nbsp;") }
            case .pageBreak:
                continue
            }
            out.append("")
        }
        while out.last == "" { out.removeLast() }
        return out.joined(separator: "\n") + "\n"
    }

    /// A run; a bold one keeps its trailing punctuation outside the `**`
    /// ("**出席**："), since CommonMark does not close emphasis between
    /// punctuation and a letter ("**出席：**张三" stays literal).
    static func run(_ r: Document.Run) -> String {
        guard r.bold else { return inline(r.text) }
        var core = Substring(r.text)
        var tail = ""
        while let last = core.last, last.isPunctuation || last.isWhitespace {
            tail = String(last) + tail
            core = core.dropLast()
        }
        let text = inline(String(core))
        return text.isEmpty ? inline(r.text) : "**" + text + "**" + escaped(tail)
    }

    /// A table cell: escaped, on one line.
    public static func cell(_ s: String) -> String {
        let text = inline(s)
        return text.isEmpty ? " " : text
    }

    /// User text made inert for Markdown: backslash before every character
    /// that Markdown or HTML give a meaning inside a line, and before what
    /// would start a block (a list marker, a heading, a rule) at its start.
    /// Line breaks become spaces (the renderers give each paragraph its own block).
    public static func inline(_ s: String, lineStart: Bool = true) -> String {
        let text = XMLSafe.clean(s).replacingOccurrences(of: "\r\n", with: "\n")
            .split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            .joined(separator: " ")
        var out = escaped(text)
        guard lineStart else { return out }
        // A leading list marker, ordered-list number or block quote/heading/rule would start a block.
        if let first = out.first, "-+=".contains(first) {
            out = "\\" + out
        } else if let dot = out.firstIndex(where: { !$0.isASCII || !$0.isNumber }), dot != out.startIndex,
            out[dot] == "." || out[dot] == ")"
        {
            out.insert("\\", at: dot)
        }
        return out
    }
}

extension DocumentMarkdown {
    static func escaped(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count + 8)
        for ch in text {
            if "\\`*_[]<>&|#~{}!".contains(ch) { out.append("\\") }
            out.append(ch)
        }
        return out
    }
}

/// Text as XML 1.0 may carry it (the `.docx` and the Markdown share it).
public enum XMLSafe {
    /// Without the characters XML 1.0 forbids: C0 controls other than tab, LF
    /// and CR, lone surrogates (impossible in a Swift String), U+FFFE and U+FFFF.
    public static func clean(_ s: String) -> String {
        guard s.unicodeScalars.contains(where: { !allowed($0) }) else { return s }
        var out = String.UnicodeScalarView()
        for u in s.unicodeScalars where allowed(u) { out.append(u) }
        return String(out)
    }

    static func allowed(_ u: Unicode.Scalar) -> Bool {
        switch u.value {
        case 0x9, 0xA, 0xD: return true
        case 0x20...0xD7FF, 0xE000...0xFFFD, 0x10000...0x10FFFF: return true
        default: return false
        }
    }

    /// Escaped for XML character data and attribute values.
    public static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for u in clean(s).unicodeScalars {
            switch u {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default: out.unicodeScalars.append(u)
            }
        }
        return out
    }
}
