import RoadshowCore

/// word/document.xml: the blocks of a `Document` as WordprocessingML
/// paragraphs and tables, and the A4 section with its footer. Every piece of
/// text goes through `XMLSafe.escape` (which also drops what XML 1.0 forbids).
struct WordBody {
    let doc: Document
    let type: Typography

    init(_ doc: Document) {
        self.doc = doc
        type = Typography(doc.language)
    }

    var xml: String {
        var out = PackageParts.xmlHeader
        out += #"<w:document xmlns:w="\#(PackageParts.w)" xmlns:r="\#(PackageParts.r)"><w:body>"#
        out += paragraph(style: "Title", [.init(doc.title)])
        for line in doc.subtitle { out += paragraph(style: "Subtitle", [.init(line)]) }
        if !doc.subtitle.isEmpty { out += paragraph(style: nil, []) }
        for block in doc.blocks { out += render(block) }
        out += section
        out += "</w:body></w:document>"
        return out
    }

    /// A4, the official margins, the footer with the page number.
    var section: String {
        #"<w:sectPr><w:footerReference w:type="default" r:id="\#(PackageParts.footerId)"/>"#
            + #"<w:pgSz w:w="\#(Typography.pageWidth)" w:h="\#(Typography.pageHeight)"/>"#
            + #"<w:pgMar w:top="\#(Typography.marginTop)" w:right="\#(Typography.marginRight)" w:bottom="\#(Typography.marginBottom)" w:left="\#(Typography.marginLeft)" w:header="\#(Typography.headerDistance)" w:footer="\#(Typography.footerDistance)" w:gutter="0"/>"#
            + #"<w:cols w:space="425"/></w:sectPr>"#
    }

    func render(_ block: Document.Block) -> String {
        switch block {
        case .heading(let text, let level):
            return paragraph(style: level <= 1 ? "Heading1" : "Heading2", [.init(text)])
        case .paragraph(let runs, let align, let indent):
            var pPr = ""
            if indent, type.indent > 0 { pPr += #"<w:ind w:firstLine="\#(type.indent)"/>"# }
            if align != .left { pPr += #"<w:jc w:val="\#(align == .center ? "center" : "right")"/>"# }
            return paragraph(style: nil, runs, pPr: pPr)
        case .item(let runs):
            let hang = type.indent > 0 ? type.indent : 360
            return paragraph(style: nil, [.init("• ")] + runs, pPr: #"<w:ind w:left="\#(hang)" w:hanging="\#(hang / 2)"/>"#)
        case .table(let t):
            return table(t)
        case .rule:
            return #"<w:p><w:pPr><w:pBdr><w:bottom w:val="single" w:sz="12" w:space="1" w:color="C00000"/></w:pBdr><w:spacing w:before="0" w:after="120" w:line="240" w:lineRule="auto"/></w:pPr></w:p>"#
        case .box(let label, let lines):
            let height = max(lines, 1) * max(type.bodyLine, 360)
            let width = Typography.textWidth
            return #"<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="\#(width)" w:type="dxa"/><w:tblBorders>\#(borders)</w:tblBorders><w:tblLayout w:type="fixed"/></w:tblPr>"#
                + #"<w:tblGrid><w:gridCol w:w="\#(width)"/></w:tblGrid>"#
                + #"<w:tr><w:trPr><w:cantSplit/><w:trHeight w:val="\#(height)" w:hRule="atLeast"/></w:trPr><w:tc><w:tcPr><w:tcW w:w="\#(width)" w:type="dxa"/></w:tcPr>"#
                + paragraph(style: nil, [.init(label, bold: true)]) + "</w:tc></w:tr></w:tbl>"
                + paragraph(style: nil, [])
        case .pageBreak:
            return #"<w:p><w:r><w:br w:type="page"/></w:r></w:p>"#
        }
    }

    var borders: String {
        ["top", "left", "bottom", "right", "insideH", "insideV"].map { #"<w:\#($0) w:val="single" w:sz="4" w:space="0" w:color="000000"/>"# }.joined()
    }

    func table(_ t: Document.Table) -> String {
        let columns = max(t.header.count, 1)
        let weights = (t.widths?.count == columns ? t.widths! : Array(repeating: 1, count: columns)).map { max($0, 1) }
        let total = weights.reduce(0, +)
        let width = Typography.textWidth
        var widths = weights.map { $0 * width / total }
        widths[widths.count - 1] += width - widths.reduce(0, +)
        var out = #"<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="\#(width)" w:type="dxa"/><w:jc w:val="center"/>"#
            + "<w:tblBorders>\(borders)</w:tblBorders>"
            + #"<w:tblLayout w:type="fixed"/><w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" w:noHBand="0" w:noVBand="1"/></w:tblPr>"#
        out += "<w:tblGrid>" + widths.map { #"<w:gridCol w:w="\#($0)"/>"# }.joined() + "</w:tblGrid>"
        func row(_ cells: [String], header: Bool) -> String {
            var r = "<w:tr><w:trPr><w:cantSplit/>" + (header ? "<w:tblHeader/>" : "") + "</w:trPr>"
            for (i, w) in widths.enumerated() {
                let text = i < cells.count ? cells[i] : ""
                r += #"<w:tc><w:tcPr><w:tcW w:w="\#(w)" w:type="dxa"/>"#
                    + (header ? #"<w:shd w:val="clear" w:color="auto" w:fill="E7E6E6"/>"# : "") + #"<w:vAlign w:val="center"/></w:tcPr>"#
                // Headers and numbers (序号, counts) centred.
                let centred = header || (!text.isEmpty && text.allSatisfy { $0.isASCII && $0.isNumber })
                r += paragraph(style: "TableText", [.init(text, bold: header)], pPr: centred ? #"<w:jc w:val="center"/>"# : "")
                r += "</w:tc>"
            }
            return r + "</w:tr>"
        }
        out += row(t.header, header: true)
        for cells in t.rows { out += row(cells, header: false) }
        out += "</w:tbl>"
        // Word needs a paragraph between two tables and after the last block; a
        // thin one keeps the flow.
        out += #"<w:p><w:pPr><w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/></w:pPr></w:p>"#
        return out
    }

    func paragraph(style: String?, _ runs: [Document.Run], pPr extra: String = "") -> String {
        var out = "<w:p>"
        let styleXML = style.map { #"<w:pStyle w:val="\#($0)"/>"# } ?? ""
        if !styleXML.isEmpty || !extra.isEmpty { out += "<w:pPr>\(styleXML)\(extra)</w:pPr>" }
        for run in runs where !run.text.isEmpty { out += self.run(run) }
        return out + "</w:p>"
    }

    /// One run; line breaks and tabs in the text become `w:br` and `w:tab`.
    func run(_ r: Document.Run) -> String {
        let rPr = r.bold ? "<w:rPr><w:b/><w:bCs/></w:rPr>" : ""
        var out = "<w:r>\(rPr)"
        let text = r.text.replacingOccurrences(of: "\r\n", with: "\n")
        var piece = ""
        func flush() {
            if !piece.isEmpty { out += #"<w:t xml:space="preserve">\#(XMLSafe.escape(piece))</w:t>"# }
            piece = ""
        }
        for ch in text {
            switch ch {
            case "\n", "\r": flush(); out += "<w:br/>"
            case "\t": flush(); out += "<w:tab/>"
            default: piece.append(ch)
            }
        }
        flush()
        return out + "</w:r>"
    }
}
