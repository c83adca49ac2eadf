@testable import RoadshowCore
import Testing

@Suite("Dispatch vocabulary: stages, outcomes, escalation, commissioner")
struct DispatchVocabularyTests {
    @Test("stages and closing outcomes per category (mechanism 3 §4, DOMAIN.md)")
    func stages() {
        #expect(DispatchStage.stages(of: .industrial).map(\.rawValue) == ["initial_contact", "negotiating", "signed", "started", "shelved"])
        #expect(DispatchStage.stages(of: .nonIndustrial) == [.matterConnected])
        #expect(DispatchStage.closingOutcomes(of: .industrial) == [.started, .shelved])
        #expect(DispatchStage.closingOutcomes(of: .nonIndustrial) == [.matterConnected])
        #expect(DispatchStage.allCases.map(\.zh) == ["初步接洽", "方案洽谈", "已签约", "已开工", "暂搁置", "事项已对接"])
    }

    @Test("escalation goes county → city → province")
    func escalation() {
        #expect(EscalationLevel.county.next == .city)
        #expect(EscalationLevel.city.next == .province)
        #expect(EscalationLevel.province.next == nil)
        #expect(EscalationLevel.allCases.map(\.zh) == ["区县", "市", "省"])
    }

    @Test("phones a commissioner can give", arguments: [
        "13800000000", "138 0000 0000", "138-0000-0000", "+86 138 0000 0000", "8613800000000", "19912345678",
        "0559-2345678", "0559 2345678", "(0559) 23456789", "010-12345678", "05592345678", "+86 559 2345678",
        "0559-2345678 转 8012", "0559-2345678 ext 12",
    ])
    func goodPhones(_ phone: String) {
        #expect(PhoneNumber.isMainland(phone), "\(phone)")
    }

    @Test("phones that are refused", arguments: [
        "", "12345", "1380000000", "138000000000", "12800000000", "2345678", "559-2345678", "00559-2345678",
        "+1 415 555 0100", "138 0000 000O", "13800000000 转 12", "0559-23456", "phone", "+86+13800000000",
    ])
    func badPhones(_ phone: String) {
        #expect(!PhoneNumber.isMainland(phone), "\(phone)")
    }

    @Test("a commissioner needs every field, and a usable phone; the error names the field")
    func commissioner() throws {
        let good: JSON = ["c": ["name": "张三", "unit": "黄山高新区管委会", "title": "投资专员", "phone": "139 5590 1234"]]
        #expect(try Commissioner.parse(try Args(good), "c").phone == "139 5590 1234")
        let badPhone: JSON = ["c": ["name": "张三", "unit": "黄山高新区管委会", "title": "投资专员", "phone": "5590 1234"]]
        let phoneError = ArgsTests.error { try Commissioner.parse(try Args(badPhone), "c") }
        #expect(phoneError?.field == "args.c.phone")
        #expect(phoneError?.message.contains("area code") == true)
        let missing: JSON = ["c": ["name": "张三", "unit": "黄山高新区管委会", "phone": "13955901234"]]
        #expect(ArgsTests.error { try Commissioner.parse(try Args(missing), "c") }?.field == "args.c.title")
    }
}
