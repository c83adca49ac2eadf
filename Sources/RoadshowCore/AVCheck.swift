import Foundation

/// The pre-meeting joint test (mechanism 7 §3): for each participant, did they
/// join the room, rename to "name-unit", and do their microphone and speaker
/// work. Evidence comes from the participant's own self-test (`av.self`) and
/// from the host's checks (`av.mark`); for each check the latest evidence wins,
/// so a host's "retest" (pending) asks for a new self-test.
public enum AVCheckKind: String, Sendable, Codable, CaseIterable, Labelled {
    case joined, renamed, mic, speaker, camera

    /// The checks a participant must pass to be ready; the camera is optional.
    public static let required: [AVCheckKind] = [.joined, .renamed, .mic, .speaker]

    public var zh: String {
        switch self {
        case .joined: "已入会"
        case .renamed: "已改名"
        case .mic: "麦克风"
        case .speaker: "扬声器"
        case .camera: "摄像头"
        }
    }

    public var en: String {
        switch self {
        case .joined: "Joined the room"
        case .renamed: "Renamed"
        case .mic: "Microphone"
        case .speaker: "Speaker"
        case .camera: "Camera"
        }
    }
}

public enum AVResult: String, Sendable, Codable, CaseIterable {
    case pass, fail, pending
}

/// The current state of one check: its latest evidence.
public struct AVCheck: Sendable, Codable, Equatable {
    public var result: AVResult
    /// `self` (the participant's self-test) or `host`.
    public var source: String
    public var by: String
    public var at: Date
    public var note: String?
    /// Microphone peak level in dBFS, from a self-test.
    public var peakDb: Double?
}

/// What the participant's own self-test reported last.
public struct SelfTest: Sendable, Codable, Equatable {
    public struct Result: Sendable, Codable, Equatable {
        public var ok: Bool
        public var peakDb: Double?
    }
    public var mic: Result
    public var speaker: Result
    public var camera: Result?
    /// The name the participant says it shows in the video meeting.
    public var displayName: String?
    public var at: Date
}

/// Ready, or the checks still missing.
public struct Readiness: Sendable, Codable, Equatable {
    public var ready: Bool
    /// Required checks that have not passed, in `AVCheckKind.required` order.
    public var missing: [AVCheckKind]
}

/// A participant's AV test state.
public struct AVStatus: Sendable, Codable, Equatable {
    public var checks: [String: AVCheck] = [:]
    public var selfTest: SelfTest?

    public init() {}

    public func check(_ kind: AVCheckKind) -> AVCheck? { checks[kind.rawValue] }

    public var readiness: Readiness {
        let missing = AVCheckKind.required.filter { check($0)?.result != .pass }
        return Readiness(ready: missing.isEmpty, missing: missing)
    }
}

/// The threshold above which a microphone's peak level counts as heard.
public enum MicrophoneLevel {
    public static let passAboveDb = -50.0
}

extension Participant {
    /// Whether `shown` is this participant's expected display name, allowing for
    /// the usual separators (-, +, space, ·, brackets) and unit-first order.
    public func displayNameMatches(_ shown: String) -> Bool {
        func squash(_ s: String) -> String {
            let separators = Set("-+_ ·・.,，（）()[]【】/|—－")
            return String(s.lowercased().filter { !separators.contains($0) && !$0.isWhitespace })
        }
        let s = squash(shown)
        return s == squash(name + unit) || s == squash(unit + name)
    }
}

extension Meeting {
    func requireAVPhase() throws(RoadshowError) {
        guard info.phase == .preparing || info.phase == .rehearsal || info.phase == .live else {
            throw .conflict("the meeting is \(info.phase.en.lowercased()) (\(info.phase.zh)); the AV test is over", zh: "会议已处于“\(info.phase.zh)”阶段，联调测试已经结束。")
        }
    }

    /// `av.self` (self): the participant's own microphone, speaker and camera test.
    func avSelf(_ args: Args, _ ctx: inout Context) throws(RoadshowError) -> Decision {
        guard ctx.actor.kind == .participant, let me = participant(ctx.actor.id) else {
            throw .forbidden("av.self is a participant's own test; open your personal invite link to run it", zh: "自测只能由参会人本人进行：请打开您的个人邀请链接。")
        }
        try args.rejectUnknown(["meeting", "mic", "speaker", "camera", "displayName", "requestKey"])
        try requireAVPhase()
        func result(_ key: String, level: Bool) throws(RoadshowError) -> SelfTest.Result? {
            guard let a = try args.optionalObject(key) else { return nil }
            try a.rejectUnknown(level ? ["ok", "peakDb"] : ["ok"])
            return SelfTest.Result(
                ok: try a.bool("ok"),
                peakDb: level ? try a.optionalNumber("peakDb", in: -200...0, what: "the peak level in dBFS") : nil)
        }
        guard let mic = try result("mic", level: true) else {
            throw .badRequest("args.mic is required ({ok, peakDb?})", zh: "请先完成麦克风测试。", field: "args.mic")
        }
        guard let speaker = try result("speaker", level: false) else {
            throw .badRequest("args.speaker is required ({ok})", zh: "请先完成扬声器测试。", field: "args.speaker")
        }
        let test = SelfTest(
            mic: mic, speaker: speaker, camera: try result("camera", level: false),
            displayName: try args.optionalString("displayName", maxLength: 100, what: "the name you show in the meeting"),
            at: ctx.now)
        var p = me
        p.av.selfTest = test
        func evidence(_ ok: Bool, note: String? = nil, peak: Double? = nil) -> AVCheck {
            AVCheck(result: ok ? .pass : .fail, source: "self", by: me.id, at: ctx.now, note: note, peakDb: peak)
        }
        // The host's verdict stands: it heard (or did not hear) the person in the
        // real meeting room. A self-test fills a check that is open (none yet,
        // pending after a retest) or was itself from a self-test.
        func record(_ kind: AVCheckKind, _ check: AVCheck) {
            if let current = p.av.checks[kind.rawValue], current.source == "host", current.result != .pending { return }
            p.av.checks[kind.rawValue] = check
        }
        record(.mic, evidence(mic.ok, peak: mic.peakDb))
        record(.speaker, evidence(speaker.ok))
        if let camera = test.camera { record(.camera, evidence(camera.ok)) }
        if let shown = test.displayName {
            let ok = me.displayNameMatches(shown)
            record(.renamed, evidence(ok, note: ok ? nil : "shows \"\(shown)\"; expected \"\(me.displayName)\""))
        }
        p.refreshReadiness()
        var decision = Decision()
        decision.events.append(.avSelfTested(p))
        decision.result["participant"] = JSON(encoding: p)
        return decision
    }

    /// `av.mark` (host): one check of one participant; `pending` is "retest".
    func avMark(_ args: Args, _ ctx: inout Context) throws(RoadshowError) -> Decision {
        try Permissions.requireManage(ctx.actor, self)
        try args.rejectUnknown(["meeting", "participant", "check", "result", "note", "requestKey"])
        try requireAVPhase()
        var p = try rosterEntry(args)
        let kind = try args.enumValue("check", AVCheckKind.self)
        let result = try args.enumValue("result", AVResult.self)
        let note = try args.optionalString("note", maxLength: 300, what: "a note, e.g. what to fix")
        p.av.checks[kind.rawValue] = AVCheck(result: result, source: "host", by: ctx.actor.id, at: ctx.now, note: note)
        p.refreshReadiness()
        var decision = Decision()
        decision.events.append(.avMarked(p))
        decision.result["participant"] = JSON(encoding: p)
        return decision
    }

    /// Participants expected at the meeting (not those who said they will not attend).
    public var expectedParticipants: [Participant] { roster.filter { $0.attending != false } }

    /// "N of M ready" for the AV roster.
    public var readyCount: (ready: Int, expected: Int) {
        let expected = expectedParticipants
        return (expected.filter { $0.readiness.ready }.count, expected.count)
    }
}

extension Participant {
    mutating func refreshReadiness() { readiness = av.readiness }
}
