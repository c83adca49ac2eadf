@testable import RoadshowCore
import Testing

/// Mechanism 3 §4 as a table: what a handling unit's feedback must not be.
@Suite("Feedback rule (平台反馈)")
struct FeedbackRuleTests {
    static let substantive = "5月12日企业董事长来黄考察高新区地块，双方就用地50亩、标准厂房2万平方米达成初步意向，下周报送方案"

    @Test("boilerplate alone is refused, in its variants", arguments: [
        "正在对接中", "正在对接中。", "  正在对接中！！ ", "正在与企业联系", "正在对接中，正在与企业联系",
        "正在对接中；持续跟进；保持联系。", "ＩＮ ＣＯＮＴＡＣＴ", "In contact.", "following up", "Following up, in contact!",
        "FOLLOWING-UP / in contact / ongoing", "正在对接中 following up", "跟进中……", "正在 对接 中",
    ])
    func boilerplate(_ text: String) {
        guard case .rejected(.boilerplate) = FeedbackRule.check(text, previous: nil) else {
            Issue.record("\(text) was not refused as boilerplate: \(FeedbackRule.check(text, previous: nil))")
            return
        }
    }

    @Test("empty and too short are refused", arguments: [("", true), ("   ", true), ("。。。", true), ("已联系", false), ("Met the CFO", false)])
    func emptyOrShort(_ text: String, _ empty: Bool) {
        let verdict = FeedbackRule.check(text, previous: nil)
        if empty {
            #expect(verdict == .rejected(.empty))
        } else if case .rejected(.tooShort) = verdict {
        } else {
            Issue.record("\(text): \(verdict)")
        }
    }

    @Test("real progress notes pass, even when they mention 正在对接", arguments: [
        substantive,
        "正在对接中。5月12日企业董事长来黄考察高新区地块，双方就用地50亩达成初步意向",
        "In contact: the CFO visited the high-tech zone on 12 May and asked for 50 mu of land; we send a draft plan by Friday.",
        "已签约：6月3日与企业签署投资协议，总投资12.5亿元，计划9月开工",
    ])
    func substantiveNotes(_ text: String) {
        #expect(FeedbackRule.check(text, previous: nil) == .accepted(similarOnOtherRecord: nil))
    }

    @Test("a copy or near-copy of the previous feedback is refused, with its similarity")
    func copies() throws {
        let near = "5月12日企业董事长来黄考察高新区地块，双方就用地50亩、标准厂房2万平方米达成初步意向，下周报送方案。"
        let changed = "5月13日企业董事长来黄考察高新区地块，双方就用地60亩、标准厂房2万平方米达成初步意向，下周报送方案"
        for text in [Self.substantive, near, changed, Self.substantive.uppercased(), "  " + Self.substantive + "！"] {
            guard case .rejected(.copyOfPrevious(let s)) = FeedbackRule.check(text, previous: Self.substantive) else {
                Issue.record("\(text) was not refused as a copy")
                continue
            }
            #expect(s >= FeedbackRule.copyThreshold && s <= 1)
        }
        let next = "6月2日企业提交项目可研报告，县发改委组织初审，提出补充环评材料的意见，企业承诺月底前补齐"
        #expect(FeedbackRule.check(next, previous: Self.substantive) == .accepted(similarOnOtherRecord: nil))
        let error = FeedbackRule.error(.copyOfPrevious(similarity: 0.93))
        #expect(error.code == .rejectedFeedback && error.field == "args.text" && error.message.contains("93%"))
    }

    @Test("the same text on another record of the same unit is accepted but flagged")
    func sameTextElsewhere() {
        let verdict = FeedbackRule.check(Self.substantive, previous: nil, others: [("D-AAAA", "无关的其他内容，与本项目无关的说明文字若干"), ("D-BBBB", Self.substantive)])
        guard case .accepted(let similar?) = verdict else {
            Issue.record("not flagged: \(verdict)")
            return
        }
        #expect(similar.record == "D-BBBB" && similar.similarity == 1)
    }

    @Test("normalization folds full-width forms, case, punctuation and spaces")
    func normalization() {
        #expect(FeedbackRule.normalize("ＡＢＣ，ａｂｃ！ 正在\t对接") == "abcabc正在对接")
        #expect(FeedbackRule.similarity("正在对接", "正在对接") == 1)
        #expect(FeedbackRule.similarity("abcd", "wxyz") == 0)
    }
}
