import Foundation

/// Mechanism 3 §4 (平台反馈): a handling unit's feedback on a dispatch record
/// must "详细反馈本阶段的对接情况及进展" — say what happened in this stage —
/// and may not be only "正在对接中" / "正在与企业联系" and the like, nor a copy
/// of the record's previous feedback. Pure: the caller passes the texts.
///
/// How it decides, on the text normalized by `FeedbackRule.normalize` (NFKC,
/// so full-width forms fold; lower case; punctuation, symbols and white space
/// removed):
/// 1. empty → rejected;
/// 2. with every boilerplate phrase removed (longest first), less than
///    `minimumSubstance` left → rejected: only boilerplate if some phrase was
///    found, else too short. Substance counts a Chinese character as one and
///    three other letters or digits as one, so "Met the CFO" is as short as
///    "见了财务总监";
/// 3. character-bigram similarity (Dice) with the record's previous feedback
///    of at least `copyThreshold` → rejected as a copy (the similarity is in
///    the error);
/// 4. the same similarity with this unit's feedback on another record →
///    accepted, but flagged for the organizer.
public enum FeedbackRule {
    /// Characters of substance a feedback needs once boilerplate is removed.
    public static let minimumSubstance = 10
    /// Similarity (0…1) from which a feedback counts as a copy.
    public static let copyThreshold = 0.85

    /// Phrases that say nothing on their own (mechanism 3 names the first two).
    public static let boilerplate: [String] = [
        "正在对接中", "正在对接", "对接中", "正在与企业联系", "正在与企业对接", "与企业保持联系", "保持联系",
        "正在联系", "联系中", "持续跟进", "继续跟进", "正在跟进", "跟进中", "持续对接", "继续对接",
        "暂无进展", "无进展", "无新进展", "正常推进", "推进中", "正在推进",
        "in contact", "in contact with the company", "keeping in touch", "keep in touch", "following up",
        "follow up", "ongoing", "in progress", "no progress", "no update", "no news", "still in talks",
    ].map(normalize).sorted { $0.count > $1.count }

    public enum Verdict: Sendable, Equatable {
        case accepted(similarOnOtherRecord: Similar?)
        case rejected(Reason)
    }

    public struct Similar: Sendable, Equatable {
        /// The other record's id.
        public let record: String
        public let similarity: Double
    }

    public enum Reason: Sendable, Equatable {
        case empty
        case tooShort(substance: Int)
        case boilerplate(found: [String])
        case copyOfPrevious(similarity: Double)
    }

    /// Decides one feedback text. `previous` is this record's latest feedback;
    /// `others` the same unit's latest feedback on its other records.
    public static func check(_ text: String, previous: String?, others: [(record: String, text: String)] = []) -> Verdict {
        let normalized = normalize(text)
        if normalized.isEmpty { return .rejected(.empty) }
        var rest = normalized
        var found: [String] = []
        for phrase in boilerplate where rest.contains(phrase) {
            found.append(phrase)
            rest = rest.replacingOccurrences(of: phrase, with: "")
        }
        let left = substance(rest)
        if left < minimumSubstance {
            return .rejected(found.isEmpty ? .tooShort(substance: left) : .boilerplate(found: found))
        }
        if let previous {
            let s = similarity(normalized, normalize(previous))
            if s >= copyThreshold { return .rejected(.copyOfPrevious(similarity: s)) }
        }
        let closest = others.map { Similar(record: $0.record, similarity: similarity(normalized, normalize($0.text))) }
            .max { $0.similarity < $1.similarity }
        return .accepted(similarOnOtherRecord: closest.flatMap { $0.similarity >= copyThreshold ? $0 : nil })
    }

    /// NFKC, lower case, without punctuation, symbols and white space.
    public static func normalize(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        for scalar in text.precomposedStringWithCompatibilityMapping.lowercased().unicodeScalars {
            switch scalar.properties.generalCategory {
            case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation, .initialPunctuation,
                .finalPunctuation, .otherPunctuation, .mathSymbol, .currencySymbol, .modifierSymbol, .otherSymbol,
                .spaceSeparator, .lineSeparator, .paragraphSeparator, .control, .format:
                continue
            default:
                out.append(scalar)
            }
        }
        return String(out)
    }

    /// A Chinese character counts one; three other letters or digits count one.
    public static func substance(_ normalized: String) -> Int {
        var han = 0, other = 0
        for scalar in normalized.unicodeScalars {
            if scalar.properties.isIdeographic { han += 1 } else { other += 1 }
        }
        return han + other / 3
    }

    /// Dice coefficient of the two texts' character bigrams (1 = the same).
    public static func similarity(_ a: String, _ b: String) -> Double {
        let x = bigrams(a), y = bigrams(b)
        let total = x.values.reduce(0, +) + y.values.reduce(0, +)
        guard total > 0 else { return a == b ? 1 : 0 }
        let shared = x.reduce(0) { $0 + min($1.value, y[$1.key] ?? 0) }
        return Double(2 * shared) / Double(total)
    }

    static func bigrams(_ s: String) -> [String: Int] {
        let chars = Array(s)
        guard chars.count > 1 else { return chars.isEmpty ? [:] : [String(chars): 1] }
        var out: [String: Int] = [:]
        for i in 0..<(chars.count - 1) { out[String(chars[i...i + 1]), default: 0] += 1 }
        return out
    }

    /// The error a rejected feedback answers with, saying why and what to
    /// write instead, with the parameters in `details`.
    public static func error(_ reason: Reason) -> RoadshowError {
        // Chinese first (the handling units write in it), then English, as every rejection is read by a person.
        let advice = "请写明本期的具体进展：何时与谁对接、达成了什么、下一步做什么、何时完成。"
            + " / Write what happened in this stage: who met whom and when, what was agreed, what is needed next and by when."
        switch reason {
        case .empty:
            return RoadshowError(.rejectedFeedback, "反馈内容为空。\(advice)", field: "args.text",
                details: ["reason": "empty"])
        case .tooShort(let n):
            return RoadshowError(.rejectedFeedback,
                "反馈过短（有效内容 \(n) 字，至少 \(minimumSubstance) 字）。The feedback is too short (\(n) characters of substance, at least \(minimumSubstance)). \(advice)",
                field: "args.text", details: ["reason": "too_short", "substance": .int(Int64(n)), "minimum": .int(Int64(minimumSubstance))])
        case .boilerplate(let found):
            return RoadshowError(.rejectedFeedback,
                "只有“正在对接中”之类的套话，机制3不予认可。The feedback says only \"in contact\"-style phrases, which mechanism 3 does not accept. \(advice)",
                field: "args.text", details: ["reason": "boilerplate", "phrases": .array(found.map { .string($0) })])
        case .copyOfPrevious(let s):
            let percent = Int((s * 100).rounded(.down))
            let most = Int(copyThreshold * 100) - 1
            return RoadshowError(.rejectedFeedback,
                "与本项目上一次反馈 \(percent)% 相同（最多 \(most)%），不能照抄上期。The feedback is \(percent)% the same as this record's previous one (at most \(most)% may be). \(advice)",
                field: "args.text", details: ["reason": "copy", "similarity": .double(s), "threshold": .double(copyThreshold)])
        }
    }
}
