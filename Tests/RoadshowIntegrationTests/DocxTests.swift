import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import RoadshowClient
import RoadshowCore
import Testing
import ZIPFoundation

/// The Word documents through the real server: each of the three is fetched
/// as `format: "docx"`, unzipped with ZIPFoundation, every part parsed as
/// XML, and the text of word/document.xml checked — user text with `<&>`
/// escaped, the company's copy without internal remarks, A4 and the footer's
/// page number.
@Suite("Word documents (server)")
struct DocxTests {
    static let hostile = "<img src=x onerror=alert(1)> & \"Co\""

    /// The parts of a .docx, by path, as text.
    static func unzip(_ result: JSON) throws -> [String: String] {
        #expect(result["contentType"]?.stringValue == "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
        let data = try #require(result["base64"]?.stringValue.flatMap { Data(base64Encoded: $0) })
        #expect(result["bytes"]?.intValue == Int64(data.count))
        #expect(data.prefix(2) == Data("PK".utf8))
        let archive = try Archive(data: data, accessMode: .read)
        var parts: [String: String] = [:]
        for entry in archive {
            var bytes = Data()
            _ = try archive.extract(entry) { bytes.append($0) }
            parts[entry.path] = String(decoding: bytes, as: UTF8.self)
        }
        for required in ["[Content_Types].xml", "_rels/.rels", "word/document.xml", "word/styles.xml", "word/settings.xml",
                         "word/footer1.xml", "word/_rels/document.xml.rels", "docProps/core.xml", "docProps/app.xml"] {
            #expect(parts[required] != nil, "no \(required) in the package")
        }
        for (path, xml) in parts {
            let parser = XMLParser(data: Data(xml.utf8))
            #expect(parser.parse(), "\(path) is not well-formed XML: \(parser.parserError.map { "\($0)" } ?? "?")")
        }
        return parts
    }

    /// The text of word/document.xml's w:t elements, unescaped, joined.
    static func text(_ xml: String) -> String {
        final class Collector: NSObject, XMLParserDelegate {
            var out = ""
            var inText = false
            func parser(_ p: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
                inText = name == "w:t"
            }
            func parser(_ p: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
                if name == "w:p" { out += "\n" }
                inText = false
            }
            func parser(_ p: XMLParser, foundCharacters s: String) { if inText { out += s } }
        }
        let c = Collector()
        let parser = XMLParser(data: Data(xml.utf8))
        parser.delegate = c
        _ = parser.parse()
        return c.out
    }

    @Test("export.minutes, followup.report and report.monthly as .docx: valid packages, escaped user text, editions, A4, page numbers")
    func documents() async throws {
        let clock = TestClock("2026-12-01T05:00:00Z")
        let server = try TestServer { $0.clock = { clock.now } }
        let org = try await server.connect(token: try await server.organizerToken())
        let r = try await org.call("meeting.create", DispatchFlowTests.meetingArgs(startsAt: "2026-12-01T14:00:00+08:00"))
        let m = try #require(r["meeting"]?["id"]?.stringValue)
        let mid = JSON.string(m)
        _ = try await server.addParticipant(org, meeting: m, name: "周主持", unit: "市投资促进局", role: "host")
        let unit = try await server.addParticipant(org, meeting: m, name: Self.hostile, unit: "黄山高新区", role: "unit")
        let company = try await server.addParticipant(org, meeting: m, name: "李四", unit: "皖南新能源科技有限公司", role: "company")
        for phase in ["rehearsal", "live"] {
            _ = try await org.call("meeting.advance", ["meeting": mid, "to": .string(phase), "force": true, "reason": "企业行程紧张按时开始"])
        }
        _ = try await org.call("minutes.add", ["meeting": mid, "kind": "intent", "text": "拟投资 <12.5> 亿元 & 分两期", "visibility": "everyone"])
        _ = try await org.call("minutes.add", ["meeting": mid, "kind": "needs", "text": "内部：企业报价偏高需压价"])
        _ = try await org.call("minutes.add", ["meeting": mid, "kind": "next_contact", "text": "12月10日前再次视频沟通", "visibility": "everyone"])
        _ = try await org.call("minutes.add", ["meeting": mid, "kind": "action", "text": "提供用地方案", "owner": "黄山高新区", "due": "2026-12-10", "visibility": "everyone"])
        _ = try await org.call("meeting.advance", ["meeting": mid, "to": "ended"])

        // The organizer's minutes: everything, the internal remarks at the end.
        let minutes = try await org.call("export.minutes", ["meeting": mid, "format": "docx"])
        #expect(minutes["filename"]?.stringValue == "新能源储能项目线上路演-会议纪要-2026-12-01.docx")
        let parts = try Self.unzip(minutes)
        let xml = try #require(parts["word/document.xml"])
        #expect(xml.contains("拟投资 &lt;12.5&gt; 亿元 &amp; 分两期"))
        #expect(xml.contains("&lt;img src=x onerror=alert(1)&gt; &amp; &quot;Co&quot;"))
        #expect(!xml.contains("<img"))
        #expect(xml.contains(#"<w:pgSz w:w="11906" w:h="16838"/>"#))
        #expect(xml.contains(#"w:top="2098""#) && xml.contains(#"w:left="1587""#))
        #expect(parts["word/footer1.xml"]?.contains(" PAGE ") == true)
        #expect(parts["word/styles.xml"]?.contains(#"w:eastAsia="仿宋""#) == true)
        #expect(parts["word/styles.xml"]?.contains(#"w:eastAsia="黑体""#) == true)
        // Word holds run properties to the schema's order: bold before the size.
        #expect(parts["word/styles.xml"]?.range(of: #"<w:szCs [^>]*/><w:b/>"#, options: .regularExpression) == nil)
        #expect(parts["word/settings.xml"].map { $0.range(of: "<w:compat>")!.lowerBound < $0.range(of: "<w:themeFontLang")!.lowerBound } == true)
        let text = Self.text(xml)
        #expect(text.hasPrefix("新能源储能项目线上路演会议纪要\n"))
        for needle in ["出席人员：", "议定事项", "提供用地方案", "2026-12-10", "内部：企业报价偏高需压价", "企业行程紧张按时开始", Self.hostile] {
            #expect(text.contains(needle), "the organizer's minutes lack \(needle)")
        }
        let remark = try #require(text.range(of: "企业行程紧张按时开始"))
        #expect(remark.lowerBound > (text.range(of: "议定事项")?.lowerBound ?? text.endIndex), "the remark is not at the end")

        // The company's copy: only what was shared, no internal remark.
        let c = try await server.connect(token: company.token)
        let companyText = Self.text(try #require(try Self.unzip(try await c.call("export.minutes", ["meeting": mid, "format": "docx"]))["word/document.xml"]))
        #expect(companyText.contains("拟投资 <12.5> 亿元 & 分两期") && companyText.contains("提供用地方案"))
        for needle in ["企业报价偏高", "企业行程紧张按时开始", "内部备注"] { #expect(!companyText.contains(needle), "the company's copy has \(needle)") }
        // A unit's copy: the government side's minutes, not the organizer's remarks.
        let u = try await server.connect(token: unit.token)
        let unitText = Self.text(try #require(try Self.unzip(try await u.call("export.minutes", ["meeting": mid, "format": "docx"]))["word/document.xml"]))
        #expect(unitText.contains("企业报价偏高") && !unitText.contains("企业行程紧张按时开始"))

        // English: one language.
        let en = Self.text(try #require(try Self.unzip(try await org.call("export.minutes", ["meeting": mid, "format": "docx", "lang": "en"]))["word/document.xml"]))
        #expect(en.hasPrefix("Minutes: 新能源储能项目线上路演\n") && en.contains("Decisions and actions") && !en.contains("议定事项") && !en.contains("出席"))

        // The leadership report, with room for the leader's instruction.
        let report = try await org.call("followup.report", ["meeting": mid, "format": "docx"])
        #expect(report["filename"]?.stringValue?.hasPrefix("新能源储能项目线上路演-路演情况报告-") == true)
        let reportText = Self.text(try #require(try Self.unzip(report)["word/document.xml"]))
        for needle in ["关于“新能源储能项目线上路演”线上路演情况的报告", "领导批示：", "议定事项", "提供用地方案", "拟投资 <12.5> 亿元 & 分两期"] {
            #expect(reportText.contains(needle), "the report lacks \(needle)")
        }

        // The monthly bulletin, the next day.
        clock.set("2026-12-02T02:00:00Z")
        let monthly = try await org.call("report.monthly", ["month": "2026-12", "format": "docx", "issue": 12])
        #expect(monthly["filename"]?.stringValue == "每月信息专报-2026-12-第12期.docx")
        let bulletin = Self.text(try #require(try Self.unzip(monthly)["word/document.xml"]))
        for needle in ["每月信息专报", "第 12 期", "本月线上路演", "新能源储能项目线上路演", "抄送："] {
            #expect(bulletin.contains(needle), "the bulletin lacks \(needle)")
        }

        // The args are checked.
        let bad = try await org.callRaw("export.minutes", ["meeting": mid, "format": "pdf"])
        #expect(bad["error"]?["field"]?.stringValue == "args.format")
        let badLang = try await org.callRaw("report.monthly", ["month": "2026-12", "lang": "fr"])
        #expect(badLang["error"]?["field"]?.stringValue == "args.lang")
    }
}
