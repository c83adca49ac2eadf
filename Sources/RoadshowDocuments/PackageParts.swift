import Foundation
import RoadshowCore

/// The parts of a WordprocessingML package other than the body: content
/// types, relationships, styles, settings, the font table, the footer with
/// the page number, and the document properties.
enum PackageParts {
    static let xmlHeader = #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"# + "\n"
    static let w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    static let r = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    static let pkgRels = "http://schemas.openxmlformats.org/package/2006/relationships"
    static let officeRel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

    static let contentTypes = xmlHeader + """
        <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
        <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
        <Default Extension="xml" ContentType="application/xml"/>\
        <Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>\
        <Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>\
        <Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/>\
        <Override PartName="/word/fontTable.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml"/>\
        <Override PartName="/word/footer1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/>\
        <Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>\
        <Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>\
        </Types>
        """

    static let rootRels = xmlHeader + """
        <Relationships xmlns="\(pkgRels)">\
        <Relationship Id="rId1" Type="\(officeRel)/officeDocument" Target="word/document.xml"/>\
        <Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>\
        <Relationship Id="rId3" Type="\(officeRel)/extended-properties" Target="docProps/app.xml"/>\
        </Relationships>
        """

    /// The relationship id of the footer in word/_rels/document.xml.rels.
    static let footerId = "rId4"

    static let documentRels = xmlHeader + """
        <Relationships xmlns="\(pkgRels)">\
        <Relationship Id="rId1" Type="\(officeRel)/styles" Target="styles.xml"/>\
        <Relationship Id="rId2" Type="\(officeRel)/settings" Target="settings.xml"/>\
        <Relationship Id="rId3" Type="\(officeRel)/fontTable" Target="fontTable.xml"/>\
        <Relationship Id="\(footerId)" Type="\(officeRel)/footer" Target="footer1.xml"/>\
        </Relationships>
        """

    /// A run's fonts and size, bold between them where asked: the schema's
    /// order (rFonts, b, bCs, …, sz, szCs), which Word holds a file to.
    static func fonts(_ f: Typography.Font, bold: Bool = false) -> String {
        #"<w:rFonts w:ascii="\#(f.ascii)" w:hAnsi="\#(f.ascii)" w:eastAsia="\#(f.eastAsia)" w:cs="\#(f.ascii)"/>"#
            + (bold ? "<w:b/><w:bCs/>" : "")
            + #"<w:sz w:val="\#(f.size)"/><w:szCs w:val="\#(f.size)"/>"#
    }

    static func styles(_ t: Typography) -> String {
        let bodySpacing = t.bodyLine > 0 ? #"<w:spacing w:before="0" w:after="0" w:line="\#(t.bodyLine)" w:lineRule="exact"/>"# : #"<w:spacing w:before="0" w:after="120" w:line="276" w:lineRule="auto"/>"#
        let headIndent = t.indent > 0 ? #"<w:ind w:firstLine="\#(t.indent)"/>"# : ""
        let headSpacing = t.bodyLine > 0 ? bodySpacing : #"<w:spacing w:before="240" w:after="120"/>"#
        let bold = t.bodyLine == 0
        func style(_ id: String, _ name: String, basedOn: String? = "Normal", next: String? = nil, pPr: String, rPr: String, extra: String = "") -> String {
            #"<w:style w:type="paragraph" w:styleId="\#(id)"><w:name w:val="\#(name)"/>"#
                + (basedOn.map { #"<w:basedOn w:val="\#($0)"/>"# } ?? "")
                + (next.map { #"<w:next w:val="\#($0)"/>"# } ?? "")
                + #"<w:qFormat/>\#(extra)<w:pPr>\#(pPr)</w:pPr><w:rPr>\#(rPr)</w:rPr></w:style>"#
        }
        return xmlHeader + #"<w:styles xmlns:w="\#(w)">"#
            + "<w:docDefaults><w:rPrDefault><w:rPr>" + fonts(t.body)
            + #"<w:lang w:val="\#(t.language)" w:eastAsia="zh-CN" w:bidi="ar-SA"/></w:rPr></w:rPrDefault>"#
            + "<w:pPrDefault><w:pPr>\(bodySpacing)<w:jc w:val=\"\(t.alignment)\"/></w:pPr></w:pPrDefault></w:docDefaults>"
            + #"<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/>"#
            + "<w:pPr>\(bodySpacing)<w:jc w:val=\"\(t.alignment)\"/></w:pPr><w:rPr>\(fonts(t.body))</w:rPr></w:style>"
            + style("Title", "Title", next: "Normal",
                pPr: #"<w:keepNext/><w:spacing w:before="0" w:after="\#(t.bodyLine > 0 ? 0 : 240)" w:line="\#(t.bodyLine > 0 ? 720 : 240)" w:lineRule="\#(t.bodyLine > 0 ? "exact" : "auto")"/><w:jc w:val="center"/>"#,
                rPr: fonts(t.title, bold: t.bodyLine == 0))
            + style("Subtitle", "Subtitle", next: "Normal", pPr: bodySpacing.isEmpty ? "<w:jc w:val=\"center\"/>" : bodySpacing + "<w:jc w:val=\"center\"/>",
                rPr: fonts(t.subtitle))
            + style("Heading1", "heading 1", next: "Normal", pPr: "<w:keepNext/><w:keepLines/>\(headSpacing)\(headIndent)<w:outlineLvl w:val=\"0\"/>",
                rPr: fonts(t.heading1, bold: bold))
            + style("Heading2", "heading 2", next: "Normal", pPr: "<w:keepNext/><w:keepLines/>\(headSpacing)\(headIndent)<w:outlineLvl w:val=\"1\"/>",
                rPr: fonts(t.heading2, bold: bold))
            + style("TableText", "Table Text", pPr: #"<w:spacing w:before="40" w:after="40" w:line="240" w:lineRule="auto"/><w:jc w:val="left"/>"#,
                rPr: fonts(t.table))
            + style("Footer", "footer", pPr: #"<w:tabs><w:tab w:val="center" w:pos="4153"/><w:tab w:val="right" w:pos="8306"/></w:tabs><w:spacing w:line="240" w:lineRule="auto"/><w:jc w:val="center"/>"#,
                rPr: fonts(t.footer))
            + #"<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/><w:uiPriority w:val="99"/><w:semiHidden/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>"#
            + #"<w:style w:type="table" w:styleId="TableGrid"><w:name w:val="Table Grid"/><w:basedOn w:val="TableNormal"/><w:tblPr><w:tblBorders>"#
            + ["top", "left", "bottom", "right", "insideH", "insideV"].map { #"<w:\#($0) w:val="single" w:sz="4" w:space="0" w:color="000000"/>"# }.joined()
            + "</w:tblBorders></w:tblPr></w:style>"
            + "</w:styles>"
    }

    static func settings(_ t: Typography) -> String {
        xmlHeader + #"<w:settings xmlns:w="\#(w)"><w:zoom w:percent="100"/><w:defaultTabStop w:val="420"/>"#
            + #"<w:characterSpacingControl w:val="compressPunctuation"/>"#
            + #"<w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat>"#
            + #"<w:themeFontLang w:val="\#(t.language)" w:eastAsia="zh-CN"/>"#
            + "</w:settings>"
    }

    static let fontTable = xmlHeader + #"<w:fonts xmlns:w="\#(w)">"#
        + Typography.fontTable.map { f in
            #"<w:font w:name="\#(f.name)">"# + (f.alt.map { #"<w:altName w:val="\#($0)"/>"# } ?? "")
                + #"<w:charset w:val="\#(f.charset)"/><w:family w:val="\#(f.family)"/><w:pitch w:val="variable"/></w:font>"#
        }.joined() + "</w:fonts>"

    /// "— 1 —": a PAGE field between two dashes, centred.
    static let footer = xmlHeader + #"<w:ftr xmlns:w="\#(w)" xmlns:r="\#(r)"><w:p><w:pPr><w:pStyle w:val="Footer"/><w:jc w:val="center"/></w:pPr>"#
        + #"<w:r><w:t xml:space="preserve">— </w:t></w:r>"#
        + #"<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>"#
        + #"<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>1</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>"#
        + #"<w:r><w:t xml:space="preserve"> —</w:t></w:r></w:p></w:ftr>"#

    static func core(_ doc: Document) -> String {
        let created = doc.created.map {
            #"<dcterms:created xsi:type="dcterms:W3CDTF">\#(Timestamp.format($0).prefix(19))Z</dcterms:created>"#
        } ?? ""
        return xmlHeader + #"<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">"#
            + "<dc:title>\(XMLSafe.escape(doc.title))</dc:title>"
            + "<dc:subject>\(XMLSafe.escape(doc.kind))</dc:subject>"
            + "<dc:creator>\(XMLSafe.escape(doc.subtitle.first ?? "Roadshow"))</dc:creator>"
            + "<dc:language>\(doc.language == .zh ? "zh-CN" : "en-GB")</dc:language>"
            + created + "</cp:coreProperties>"
    }

    static let app = xmlHeader + #"<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">"#
        + "<Application>Roadshow</Application><DocSecurity>0</DocSecurity></Properties>"
}
