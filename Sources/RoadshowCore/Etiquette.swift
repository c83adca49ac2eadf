import Foundation

/// The reminders mechanism 7 asks the organizer to pass on to every participant:
/// the etiquette of §6 (注意事项) and the pre-meeting steps of §2/§3
/// (会议准备: install, register, check the network; 会前联调: rename, join early).
public enum Etiquette {
    /// Mechanism 7 §6 items (1)–(6), condensed. Item (7) is advice to the organizer
    /// (use another channel for projects unsuited to an online roadshow), not to participants.
    public static let reminders: [(zh: String, en: String)] = [
        (
            "会议期间请始终保持在线；如遇特殊情况需短暂离会或提前离会，请做好解释。",
            "Stay online for the whole meeting; if you must step away briefly or leave early, explain why."
        ),
        (
            "请随时关注摄像头位置，防止偏转、移动或出现不应有的画面。",
            "Mind your camera: keep it from turning or moving, and from showing anything it should not."
        ),
        (
            "不随意播放与会议无关的音视频信息。",
            "Do not play audio or video unrelated to the meeting."
        ),
        (
            "不发言时，请将麦克风调至静音状态。",
            "Mute your microphone when you are not speaking."
        ),
        (
            "请面对摄像头，坐姿端正，衣着整洁、得体，语言表达标准、规范。",
            "Face the camera, sit upright, dress neatly and appropriately, and speak clearly and properly."
        ),
        (
            "请关闭手机或将手机置于震动状态。",
            "Switch your phone off or set it to vibrate."
        ),
    ]

    /// The pre-meeting reminders in general form (no system, no person).
    public static let preMeeting: [(zh: String, en: String)] = preMeeting(systemName: nil, displayName: nil)

    /// The pre-meeting reminders of mechanism 7 §2 (install the client, register an
    /// account, check the network) and §3 (rename to 姓名+单位, join early for the
    /// joint test), naming the meeting system and the person's expected display
    /// name when they are known.
    public static func preMeeting(systemName: String?, displayName: String?) -> [(zh: String, en: String)] {
        let system = systemName.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.flatMap { $0.isEmpty ? nil : $0 }
        let name = displayName.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.flatMap { $0.isEmpty ? nil : $0 }
        return [
            (
                system.map { "提前下载安装“\($0)”客户端。" } ?? "提前下载安装会议系统客户端。",
                system.map { "Install the \($0) client in advance." } ?? "Install the meeting system's client in advance."
            ),
            (
                "注册会议系统账号，并熟悉会议系统的使用方法。",
                "Register an account and get familiar with the meeting system."
            ),
            (
                "检查网络，确保会议期间网络通畅。",
                "Check your network so that the connection holds throughout the meeting."
            ),
            (
                name.map { "将会议中的显示名称修改为“姓名-单位”：\($0)。" }
                    ?? "将会议中的显示名称修改为“姓名-单位”。",
                name.map { "Rename your display name in the meeting to “name-unit” (姓名-单位): \($0)." }
                    ?? "Rename your display name in the meeting to “name-unit” (姓名-单位)."
            ),
            (
                "提前进入线上会议室参加会前联调，组织方将逐一测试每位参会人员的音频输入、输出。",
                "Join the meeting room early for the joint test: the organizer tests each participant's microphone and speaker one by one."
            ),
        ]
    }
}
