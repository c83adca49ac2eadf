/// A plain-text table for terminals: a header row, a rule, then the rows, each
/// column padded to its widest cell by display width (two columns per CJK
/// character), two spaces between columns, no trailing spaces. Rules and cut
/// marks are ASCII: box-drawing and "…" are "ambiguous width" and take two
/// columns in many Chinese terminals, which would break the alignment.
///
/// ```
/// ID   Title        Phase
/// ---  -----------  ------------------
/// M-1  新能源路演    preparing 会议准备
/// ```
public struct TextTable: Sendable {
    public enum Alignment: Sendable { case left, right }

    public struct Column: Sendable {
        public var title: String
        public var alignment: Alignment
        /// Cells wider than this are cut, ending in "...".
        public var maxWidth: Int?

        public init(_ title: String, alignment: Alignment = .left, maxWidth: Int? = nil) {
            self.title = title
            self.alignment = alignment
            self.maxWidth = maxWidth
        }
    }

    public var columns: [Column]
    public private(set) var rows: [[String]] = []

    public init(_ columns: [Column]) { self.columns = columns }

    public init(_ titles: String...) { self.columns = titles.map { Column($0) } }

    /// Adds a row; missing cells are empty, line breaks inside a cell become spaces.
    public mutating func add(_ cells: [String]) {
        var row = cells.prefix(columns.count).map { Self.singleLine($0) }
        while row.count < columns.count { row.append("") }
        for (i, column) in columns.enumerated() {
            if let limit = column.maxWidth { row[i] = DisplayWidth.truncate(row[i], to: limit) }
        }
        rows.append(row)
    }

    public mutating func add(_ cells: String...) { add(cells) }

    public var isEmpty: Bool { rows.isEmpty }

    public func render() -> String {
        var widths = columns.map { DisplayWidth.of($0.title) }
        for row in rows {
            for (i, cell) in row.enumerated() { widths[i] = max(widths[i], DisplayWidth.of(cell)) }
        }
        var lines: [String] = []
        func line(_ cells: [String]) -> String {
            var parts: [String] = []
            for (i, cell) in cells.enumerated() {
                parts.append(DisplayWidth.pad(cell, to: widths[i], alignRight: columns[i].alignment == .right))
            }
            return Self.trimTrailing(parts.joined(separator: "  "))
        }
        lines.append(line(columns.map(\.title)))
        lines.append(line(widths.map { String(repeating: "-", count: max($0, 1)) }))
        for row in rows { lines.append(line(row)) }
        return lines.joined(separator: "\n")
    }

    public static func singleLine(_ text: String) -> String {
        guard text.contains(where: { $0.isNewline || $0 == "\t" }) else { return text }
        return String(text.map { $0.isNewline || $0 == "\t" ? " " : $0 })
    }

    public static func trimTrailing(_ text: String) -> String {
        var s = Substring(text)
        while s.last == " " { s = s.dropLast() }
        return String(s)
    }
}
