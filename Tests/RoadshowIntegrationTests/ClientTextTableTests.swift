import RoadshowClient
import Testing

/// Display widths and table layout: CJK characters take two columns.
struct ClientTextTableTests {
    @Test func widths() {
        #expect(DisplayWidth.of("abc") == 3)
        #expect(DisplayWidth.of("会议准备") == 8)
        #expect(DisplayWidth.of("M-7Q2K 路演") == 11)
        #expect(DisplayWidth.of("ＡＢ") == 4)  // full-width Latin
        #expect(DisplayWidth.of("한국") == 4)
        #expect(DisplayWidth.of("e\u{301}") == 1)  // e + combining acute
        #expect(DisplayWidth.of("👍") == 2)
        #expect(DisplayWidth.of("，。") == 4)  // CJK punctuation
        #expect(DisplayWidth.of("") == 0)
    }

    @Test func padAndTruncateByWidth() {
        #expect(DisplayWidth.pad("中文", to: 6) == "中文  ")
        #expect(DisplayWidth.pad("ab", to: 5, alignRight: true) == "   ab")
        #expect(DisplayWidth.pad("太长的文字", to: 4) == "太长的文字")
        #expect(DisplayWidth.truncate("新能源汽车零部件项目", to: 9) == "新能源...")
        #expect(DisplayWidth.truncate("short", to: 9) == "short")
        #expect(DisplayWidth.of(DisplayWidth.truncate("新能源汽车零部件项目", to: 10)) <= 10)
    }

    @Test func columnsLineUpWithChineseText() {
        var table = TextTable("ID", "Name", "Role")
        table.add("P-1", "张伟", "host 主持人")
        table.add("P-22", "Li Na", "unit 参会单位")
        let lines = table.render().split(separator: "\n").map(String.init)
        #expect(lines == [
            "ID    Name   Role",
            "----  -----  -------------",
            "P-1   张伟   host 主持人",
            "P-22  Li Na  unit 参会单位",
        ])
        // Every "Role" cell starts at the same display column.
        let roleColumns = lines.enumerated().filter { $0.offset != 1 }.map { entry -> Int in
            let line = entry.element
            let start = line.range(of: entry.offset == 0 ? "Role" : (line.contains("host") ? "host" : "unit"))!.lowerBound
            return DisplayWidth.of(String(line[..<start]))
        }
        #expect(Set(roleColumns).count == 1)
    }

    @Test func cellsStayOnOneLineAndRespectMaxWidth() {
        var table = TextTable([.init("Item", maxWidth: 8), .init("N", alignment: .right)])
        table.add("第一行\n第二行", "7")
        table.add("x", "12")
        let lines = table.render().split(separator: "\n").map(String.init)
        #expect(lines.count == 4)
        #expect(lines[2] == "第一...   7")
        #expect(lines[3] == "x        12")
    }

    @Test func missingCellsAreEmptyAndNoTrailingSpaces() {
        var table = TextTable("A", "B")
        table.add(["only"])
        let text = table.render()
        #expect(!text.split(separator: "\n").contains { $0.hasSuffix(" ") })
        #expect(text.hasSuffix("only"))
    }
}
