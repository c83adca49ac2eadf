import Foundation

/// Project materials (mechanism 7 §2(3): 及时将企业、项目相关资料发送至各参会单位，
/// 帮助各参会单位在线上路演会议召开前尽量熟悉企业、项目情况; issue 12 points 1
/// and 2). The organizer — and the company, for its own files — uploads files
/// to a meeting over HTTP; each has an audience; a participant's first open
/// is a read receipt, so the organizer knows which units came prepared.
///
/// The bytes live beside the database, content-addressed (`MaterialFiles` in
/// the store); what the meeting's stream holds is their metadata and the
/// receipts, as events, so a file appears to anyone only after its event is
/// committed, and is served only to those its audience admits.

/// Who may see a file: `everyone` (the company too), the `government` side
/// (the organizer side and the attending units), or the `organizer` side
/// (the organizer, the host; those who see contacts — DOMAIN.md "Who sees what").
public enum MaterialAudience: String, Sendable, Codable, CaseIterable, Labelled {
    case everyone, government, organizer

    public var zh: String {
        switch self {
        case .everyone: "全体（含企业）"
        case .government: "政府方"
        case .organizer: "组织方"
        }
    }

    public var en: String {
        switch self {
        case .everyone: "Everyone (incl. the company)"
        case .government: "Government side"
        case .organizer: "Organizer side"
        }
    }

    /// May a viewer who sees up to `level` see a file meant for `self`?
    func admits(_ level: MaterialAudience) -> Bool {
        switch self {
        case .everyone: true
        case .government: level != .everyone
        case .organizer: level == .organizer
        }
    }
}

/// The kinds of file a meeting takes, by the name's extension: the type is
/// the server's, never the uploader's claim, so nothing uploaded is ever
/// served as HTML or script. PDFs and images preview in the page.
public enum MaterialType {
    public struct Kind: Sendable, Equatable {
        public let contentType: String
        /// `pdf` or `image` when a browser shows it inline; nil: download only.
        public let preview: String?
    }

    public static let kinds: [String: Kind] = [
        "pdf": Kind(contentType: "application/pdf", preview: "pdf"),
        "doc": Kind(contentType: "application/msword", preview: nil),
        "docx": Kind(contentType: "application/vnd.openxmlformats-officedocument.wordprocessingml.document", preview: nil),
        "wps": Kind(contentType: "application/vnd.ms-works", preview: nil),
        "ppt": Kind(contentType: "application/vnd.ms-powerpoint", preview: nil),
        "pptx": Kind(contentType: "application/vnd.openxmlformats-officedocument.presentationml.presentation", preview: nil),
        "dps": Kind(contentType: "application/octet-stream", preview: nil),
        "xls": Kind(contentType: "application/vnd.ms-excel", preview: nil),
        "xlsx": Kind(contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", preview: nil),
        "et": Kind(contentType: "application/octet-stream", preview: nil),
        "png": Kind(contentType: "image/png", preview: "image"),
        "jpg": Kind(contentType: "image/jpeg", preview: "image"),
        "jpeg": Kind(contentType: "image/jpeg", preview: "image"),
        "webp": Kind(contentType: "image/webp", preview: "image"),
    ]

    /// The accepted extensions, as the errors and the page list them.
    public static let extensions = ["pdf", "doc", "docx", "wps", "ppt", "pptx", "dps", "xls", "xlsx", "et", "png", "jpg", "jpeg", "webp"]

    public static func kind(ofName name: String) -> Kind? {
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return nil }
        return kinds[name[name.index(after: dot)...].lowercased()]
    }

    /// An uploaded file's name as it is kept and shown: path separators
    /// made "-" (a name is never a path), control, format and bidi
    /// characters left out, trimmed; nil when nothing is left.
    public static func cleanName(_ raw: String) -> String? {
        var out = ""
        for ch in raw {
            if ch == "/" || ch == "\\" {
                out.append("-")
                continue
            }
            let bad = ch.unicodeScalars.contains {
                $0.value < 0x20 || $0.value == 0x7F || (0x80...0x9F).contains($0.value) || Args.isBidiOrInvisible($0)
                    || $0.properties.generalCategory == .lineSeparator || $0.properties.generalCategory == .paragraphSeparator
            }
            if !bad { out.append(ch) }
        }
        let trimmed = out.trimmingCharacters(in: .whitespaces)
        return trimmed.isEmpty || trimmed.allSatisfy({ $0 == "." }) ? nil : trimmed
    }
}

/// Who uploaded a file, as the list shows it.
public struct MaterialUploader: Sendable, Codable, Equatable {
    public var id: String
    public var name: String
}

/// One file of a meeting.
public struct Material: Sendable, Codable, Equatable {
    public let id: String
    public var name: String
    public var contentType: String
    public var bytes: Int64
    /// Lower-case hex SHA-256 of the bytes: where they are kept.
    public var sha256: String
    public var audience: MaterialAudience
    public var preview: String?
    public var uploadedBy: MaterialUploader
    public var uploadedAt: Date

    public init(id: String, name: String, contentType: String, bytes: Int64, sha256: String, audience: MaterialAudience,
                preview: String?, uploadedBy: MaterialUploader, uploadedAt: Date) {
        self.id = id
        self.name = name
        self.contentType = contentType
        self.bytes = bytes
        self.sha256 = sha256
        self.audience = audience
        self.preview = preview
        self.uploadedBy = uploadedBy
        self.uploadedAt = uploadedAt
    }

    public var json: JSON {
        var o: [String: JSON] = [
            "id": .string(id), "name": .string(name), "contentType": .string(contentType), "bytes": .int(bytes),
            "sha256": .string(sha256), "audience": .string(audience.rawValue), "preview": preview.map(JSON.string) ?? .null,
            "uploadedBy": ["id": .string(uploadedBy.id), "name": .string(uploadedBy.name)],
        ]
        o["uploadedAt"] = .string(Timestamp.format(uploadedAt))
        return .object(o)
    }
}

/// A participant's first open of a file (a read receipt).
public struct MaterialReceipt: Sendable, Codable, Equatable {
    public let material: String
    public let participant: String
    public var name: String
    public var unit: String
    public var role: RosterRole
    public var at: Date
}

/// A meeting's files and their receipts.
public struct Materials: Sendable, Codable, Equatable {
    public var files: [Material] = []
    public var receipts: [MaterialReceipt] = []
    /// The number the next file gets (`F-<n>`): never reused, even after a removal.
    public var nextNumber = 1

    public init() {}

    public var totalBytes: Int64 { files.reduce(0) { $0 + $1.bytes } }
}

extension Meeting {
    /// The most a viewer may see of the materials: the company only what is
    /// for everyone; those who see contacts (the admin, the organizer, the
    /// host) everything with the receipts; the rest of the government side
    /// what is for it.
    public func materialLevel(_ actor: Actor) -> MaterialAudience {
        if isOutsider(actor) { return .everyone }
        return Permissions.seesContacts(actor, self) ? .organizer : .government
    }

    public func material(_ id: String, visibleTo actor: Actor) -> Material? {
        guard Permissions.canView(actor, self) else { return nil }
        let level = materialLevel(actor)
        return materials.files.first { $0.id == id && $0.audience.admits(level) }
    }

    /// The snapshot's `materials`: `{files, receipts}` as this viewer may see
    /// them — every receipt for the organizer side, a participant's own
    /// (what it has opened) for anyone else.
    public func materialsJSON(level: MaterialAudience, viewer: String? = nil) -> JSON {
        let receipts = level == .organizer ? materials.receipts : materials.receipts.filter { $0.participant == viewer }
        return [
            "files": .array(materials.files.filter { $0.audience.admits(level) }.map(\.json)),
            "receipts": .array(receipts.map { JSON(encoding: $0) }),
        ]
    }

    /// The files meant for the units: for everyone or the government side.
    var unitMaterials: [Material] { materials.files.filter { $0.audience != .organizer } }

    /// Per attending unit, the unit-meant files its participants have opened.
    public func receiptsByUnit() -> [(unit: String, opened: [String], all: Bool)] {
        let wanted = unitMaterials.map(\.id)
        return attendingUnits.map { unit in
            let ids = Set(materials.receipts.filter { $0.unit == unit && $0.role == .unit }.map(\.material))
            let opened = wanted.filter(ids.contains)
            return (unit, opened, !wanted.isEmpty && opened.count == wanted.count)
        }
    }

    /// The reminder to copy into a chat or a message: names the units that
    /// have not opened every file yet, and lists the files.
    public func materialsReminder(_ lang: Document.Language, timeZone: TimeZone) -> String {
        let pending = receiptsByUnit().filter { !$0.all }.map(\.unit)
        let files = unitMaterials.map(\.name)
        let when = LocalTime(timeZone: timeZone).format(info.startsAt)
        if attendingUnits.isEmpty {
            return lang.pick("「\(info.title)」的名单中还没有参会单位：请先添加单位，再发送资料。",
                             "\"\(info.title)\" has no attending units on its roster yet: add them, then send the materials.")
        }
        if lang == .en {
            guard !files.isEmpty else { return "No materials have been shared with the units of \"\(info.title)\" yet." }
            guard !pending.isEmpty else { return "Every attending unit has opened the materials for \"\(info.title)\"." }
            return "Reminder: before \"\(info.title)\" (\(when)), please open the project materials in Roadshow through your invitation link: "
                + files.joined(separator: ", ") + ". Not opened yet: " + pending.joined(separator: ", ") + "."
        }
        guard !files.isEmpty else { return "「\(info.title)」尚未向参会单位发送资料。" }
        guard !pending.isEmpty else { return "各参会单位均已查看「\(info.title)」的会前资料。" }
        return "温馨提醒：「\(info.title)」将于 \(when) 召开，请通过会议邀请链接在线查看企业、项目资料（"
            + files.joined(separator: "、") + "），以便提前熟悉情况。尚未查看的单位：" + pending.joined(separator: "、") + "。"
    }

    // MARK: - Commands

    /// Who may upload: the managers, and the company's own participant (for
    /// everyone: its files are what it shows all the units).
    public func requireUpload(_ actor: Actor, audience: MaterialAudience) throws(RoadshowError) {
        try Permissions.requireView(actor, self)
        if Permissions.canManage(actor, self) { return }
        guard isOutsider(actor) else {
            throw .forbidden(
                "only the meeting's organizer, its host or the company can upload materials",
                zh: "只有会议的组织方、主持人或企业可以上传资料。")
        }
        guard audience == .everyone else {
            throw .badRequest(
                "the company's files are for everyone in the meeting: upload with audience everyone",
                zh: "企业上传的资料对全体参会人员可见，请选择“全体（含企业）”。", field: "audience", reason: "company_everyone")
        }
    }

    static let addArguments: Set<String> = ["meeting", "name", "audience", "sha256", "bytes", "maxTotalBytes"]

    /// A stored upload becomes a file of the meeting (`materials.added`). Not
    /// an op of the WebSocket: the server's upload endpoint calls it once the
    /// bytes are on disk. The same name and bytes again: the file already there.
    func materialsAdd(_ args: Args, _ ctx: inout Context) throws(RoadshowError) -> Decision {
        try args.rejectUnknown(Self.addArguments)
        let audience = try args.optionalEnum("audience", MaterialAudience.self) ?? .government
        try requireUpload(ctx.actor, audience: audience)
        let name = try args.string("name", maxLength: 120, what: "the file's name")
        let sha = try args.string("sha256", maxLength: 64, what: "the file's SHA-256")
        let bytes = try args.int("bytes", in: 1...Int64.max, what: "the file's size")
        let maxTotal = try args.int("maxTotalBytes", in: 1...Int64.max, what: "the meeting's limit")
        guard let kind = MaterialType.kind(ofName: name) else { throw Self.typeRefused(name) }
        var decision = Decision()
        if let same = materials.files.first(where: { $0.sha256 == sha && $0.name == name }) {
            decision.result["material"] = same.json
            decision.result["existing"] = .bool(true)
            return decision
        }
        guard materials.totalBytes + bytes <= maxTotal else { throw Self.meetingLimit(maxTotal, used: materials.totalBytes) }
        let uploader = MaterialUploader(id: ctx.actor.id, name: participant(ctx.actor.id)?.name ?? ctx.actor.name)
        let m = Material(
            id: "F-\(materials.nextNumber)", name: name, contentType: kind.contentType, bytes: bytes, sha256: sha,
            audience: audience, preview: kind.preview, uploadedBy: uploader, uploadedAt: ctx.now)
        decision.events.append(.materialAdded(m))
        decision.result["material"] = m.json
        return decision
    }

    public static func typeRefused(_ name: String) -> RoadshowError {
        .badRequest(
            "\(name.prefix(60)) is not a file type a meeting takes: upload \(MaterialType.extensions.joined(separator: ", "))",
            zh: "不支持这种文件类型，请上传 PDF、Word/WPS、PowerPoint、Excel 或图片（PNG、JPG、WebP）。",
            field: "name", reason: "type", params: ["accepted": .array(MaterialType.extensions.map(JSON.string))])
    }

    public static func fileLimit(_ limit: Int64) -> RoadshowError {
        RoadshowError(
            .tooLarge, "the file is larger than \(mib(limit)) MiB, the most one file may be; make it smaller (e.g. export the PDF with compressed images) and upload again",
            field: "body", reason: "file_limit", params: ["limit": .int(limit)],
            zh: "文件超过 \(mib(limit)) MB 的单个文件上限，请压缩（如导出 PDF 时压缩图片）后再上传。")
    }

    public static func meetingLimit(_ limit: Int64, used: Int64) -> RoadshowError {
        RoadshowError(
            .tooLarge, "the meeting's materials would pass \(mib(limit)) MiB in all (\(mib(used)) MiB are used); remove a file or upload a smaller one",
            field: "body", reason: "meeting_limit", params: ["limit": .int(limit), "used": .int(used)],
            zh: "本次会议的资料总量将超过 \(mib(limit)) MB（已用 \(mib(used)) MB），请删除部分文件或上传更小的文件。")
    }

    static func mib(_ bytes: Int64) -> String {
        let v = Double(bytes) / 1_048_576
        return v == v.rounded() ? String(Int64(v)) : String(format: "%.1f", v)
    }

    /// `materials.remove`: the managers (the company asks the organizer).
    func materialsRemove(_ args: Args, _ ctx: inout Context) throws(RoadshowError) -> Decision {
        try args.rejectUnknown(["meeting", "material", "requestKey"])
        let id = try args.id("material", prefix: "F-", what: "a file of the meeting")
        try Permissions.requireManage(ctx.actor, self)
        guard let file = material(id, visibleTo: ctx.actor) else {
            throw .notFound("there is no file \(id) in \(self.id); see materials.list", zh: "找不到这个文件，请刷新资料列表。", field: "args.material")
        }
        var decision = Decision()
        decision.events.append(.materialRemoved(id: id, audience: file.audience))
        return decision
    }

    /// A participant opened (or downloaded) a file for the first time: its
    /// receipt (`materials.opened`). Called by the server's download
    /// endpoint; a second open records nothing.
    func materialsOpened(_ args: Args, _ ctx: inout Context) throws(RoadshowError) -> Decision {
        try args.rejectUnknown(["meeting", "material"])
        let id = try args.id("material", prefix: "F-", what: "a file of the meeting")
        guard ctx.actor.kind == .participant, let me = participant(ctx.actor.id), material(id, visibleTo: ctx.actor) != nil else {
            return Decision()
        }
        guard !materials.receipts.contains(where: { $0.material == id && $0.participant == me.id }) else { return Decision() }
        var decision = Decision()
        decision.events.append(.materialOpened(MaterialReceipt(material: id, participant: me.id, name: me.name, unit: me.unit, role: me.role, at: ctx.now)))
        return decision
    }

    /// What a materials event does to the state.
    mutating func apply(material event: DomainEvent) {
        switch event {
        case .materialAdded(let m):
            materials.files.append(m)
            materials.nextNumber = max(materials.nextNumber, (Int(m.id.dropFirst(2)) ?? 0) + 1)
        case .materialRemoved(let id, _):
            materials.files.removeAll { $0.id == id }
            materials.receipts.removeAll { $0.material == id }
        case .materialOpened(let r):
            materials.receipts.append(r)
        default:
            break
        }
    }
}

extension DomainEvent {
    /// Events only the organizer side receives (files for it, and read
    /// receipts — but for the participant's own, see `participantId`);
    /// others get `event.withheld`.
    public var isOrganizerOnly: Bool {
        switch self {
        case .materialAdded(let m): m.audience == .organizer
        case .materialRemoved(_, let audience): audience == .organizer
        case .materialOpened: true
        default: false
        }
    }
}

// MARK: - Reading: materials.list, materials.receipts

extension Queries {
    @Sendable static func materialsList(_ args: Args, _ actor: Actor, _ world: any QueryWorld) throws(RoadshowError) -> JSON {
        try args.rejectUnknown(["meeting"])
        let m = try meetingArg(args, actor, world)
        guard case .object(var o) = m.materialsJSON(level: m.materialLevel(actor), viewer: actor.id) else { return .null }
        o["materials"] = o.removeValue(forKey: "files")
        o["totalBytes"] = .int(m.materials.files.filter { $0.audience.admits(m.materialLevel(actor)) }.reduce(0) { $0 + $1.bytes })
        return .object(o)
    }

    @Sendable static func materialsReceipts(_ args: Args, _ actor: Actor, _ world: any QueryWorld) throws(RoadshowError) -> JSON {
        try args.rejectUnknown(["meeting", "lang"])
        let lang = try args.optionalEnum("lang", Document.Language.self) ?? .zh
        let m = try meetingArg(args, actor, world)
        guard Permissions.canManage(actor, m) else {
            throw .forbidden("only the meeting's organizer or its host sees who opened the materials", zh: "只有会议的组织方或主持人可以查看资料的查看情况。")
        }
        let byUnit = m.receiptsByUnit()
        let units: [JSON] = byUnit.map { u in
            let people = m.roster.filter { $0.role == .unit && $0.unit == u.unit && $0.attending != false }
            return [
                "unit": .string(u.unit), "opened": .array(u.opened.map(JSON.string)), "openedAll": .bool(u.all),
                "participants": .array(people.map { p in
                    [
                        "id": .string(p.id), "name": .string(p.name),
                        "opened": .array(m.materials.receipts.filter { $0.participant == p.id }.map { .string($0.material) }),
                    ]
                }),
            ]
        }
        return [
            "materials": .array(m.unitMaterials.map { .string($0.id) }),
            "units": .array(units),
            "opened": .int(Int64(byUnit.filter(\.all).count)),
            "of": .int(Int64(byUnit.count)),
            "notOpened": .array(byUnit.filter { !$0.all }.map { .string($0.unit) }),
            "reminder": .string(m.materialsReminder(lang, timeZone: world.timeZone)),
        ]
    }
}

extension Operations {
    /// The two mutations the server's HTTP endpoints make (they are not ops of
    /// the WebSocket: a file's metadata comes only from bytes the server stored).
    public static let materialsAdd = onMeeting { m, a, c throws(RoadshowError) in try m.materialsAdd(a, &c) }
    public static let materialsOpened = onMeeting { m, a, c throws(RoadshowError) in try m.materialsOpened(a, &c) }
    /// By the names their commands carry (replays and tests decide them as the server does).
    public static let internalMutations: [String: Mutation] = ["materials.add": materialsAdd, "materials.opened": materialsOpened]
}
