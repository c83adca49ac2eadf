/// File names for what people download (`.ics`, `.docx`, `.csv`): made from
/// the meeting's own words, safe on Windows, macOS and Linux and in a
/// `Content-Disposition` header.
public enum FileName {
    /// `text` with path separators, reserved and control characters replaced
    /// by "-", runs of them and of spaces collapsed, at most 80 characters,
    /// never empty or only dots.
    public static func safe(_ text: String, fallback: String = "roadshow") -> String {
        let reserved: Set<Character> = ["/", "\\", ":", "*", "?", "\"", "<", ">", "|", ";", "%"]
        var out = ""
        var lastDash = false
        for ch in text {
            let bad = reserved.contains(ch)
                || ch.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F || (0x80...0x9F).contains($0.value)
                    || $0.properties.generalCategory == .format || $0.properties.generalCategory == .lineSeparator
                    || $0.properties.generalCategory == .paragraphSeparator }
            if bad || ch.isWhitespace {
                if !lastDash && !out.isEmpty { out.append(bad ? "-" : " ") }
                lastDash = true
                continue
            }
            out.append(ch)
            lastDash = false
        }
        var trimmed = String(out.prefix(80)).trimmingCharacters(in: " -.")
        if trimmed.isEmpty { trimmed = fallback }
        return trimmed
    }
}

extension String {
    fileprivate func trimmingCharacters(in set: String) -> String {
        let s = Set(set)
        var sub = Substring(self)
        while let f = sub.first, s.contains(f) { sub = sub.dropFirst() }
        while let l = sub.last, s.contains(l) { sub = sub.dropLast() }
        return String(sub)
    }
}
