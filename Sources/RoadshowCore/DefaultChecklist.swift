/// The checklist every meeting starts with: mechanism 7 §2 (preparation) and
/// §3 (pre-meeting joint test), in Chinese and English.
public enum DefaultChecklist {
    public struct Seed: Sendable {
        public let key: String
        public let phase: Phase
        public let zh: String
        public let en: String

        func item(id: String) -> ChecklistItem {
            ChecklistItem(id: id, text: zh, textEn: en, phase: phase, done: false, key: key)
        }
    }

    public static let items: [Seed] = [
        Seed(key: "confirm_intent", phase: .preparing,
             zh: "提前与企业沟通，确认来投资合作意向",
             en: "Confirm the company's investment intent in advance"),
        Seed(key: "collect_materials", phase: .preparing,
             zh: "收集公司、项目资料及企业意向对接单位",
             en: "Collect company and project materials and the units the company wants to meet"),
        Seed(key: "confirm_units", phase: .preparing,
             zh: "确定拟参会单位，并与企业、各参会单位沟通确认",
             en: "Decide the attending units; confirm with the company and with each unit"),
        Seed(key: "collect_attendees", phase: .preparing,
             zh: "收集参会人员名单",
             en: "Collect the attendee list"),
        Seed(key: "name_host", phase: .preparing,
             zh: "明确会议主持人",
             en: "Name the host"),
        Seed(key: "share_agenda", phase: .preparing,
             zh: "确定会议议程，并与参会名单一并提前共享",
             en: "Set the agenda and share it with the attendee list in advance"),
        Seed(key: "send_materials", phase: .preparing,
             zh: "会前将企业、项目资料发送至各参会单位",
             en: "Send the company and project materials to every attending unit before the meeting"),
        Seed(key: "confirm_system", phase: .preparing,
             zh: "与各参会单位确认所用会议系统",
             en: "Confirm with every unit which meeting system is used"),
        Seed(key: "remind_setup", phase: .preparing,
             zh: "提醒各参会单位提前下载会议系统、注册账号并检查网络",
             en: "Remind the units to install the meeting client, register an account and check their network"),
        Seed(key: "open_room", phase: .rehearsal,
             zh: "提前建好线上会议室，邀请参会人员进入",
             en: "Open the online meeting room early and invite everyone in"),
        Seed(key: "rename_attendees", phase: .rehearsal,
             zh: "提醒参会人员将显示名称改为“姓名-单位”",
             en: "Remind everyone to rename their display name to \"name + unit\""),
        Seed(key: "test_audio", phase: .rehearsal,
             zh: "逐一测试各参会人员的音频输入、输出",
             en: "Test each participant's audio input and output, one by one"),
    ]
}
