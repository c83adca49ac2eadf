import Foundation
import RoadshowCore
import RoadshowStore

/// A meeting's materials over HTTP (docs/protocol.md, "HTTP endpoints"):
/// `POST /api/meetings/M-…/materials` uploads a file, `GET
/// /api/meetings/M-…/materials/F-…` serves one. Both authenticate with the
/// token the WebSocket's `auth` takes (`Authorization: Bearer …`), so no URL
/// works without it. The transport moves the bytes (LwsServer); what is
/// decided here: who may, the limits, and the commands — a file is listed
/// (`materials.added`) only after its bytes are stored, and the upload is
/// answered only after that event is committed.
extension Engine {
    /// An upload let in: who sends it, where to, and what it may weigh.
    struct MaterialUpload: Sendable {
        let request: Int
        let actor: Actor
        let meeting: String
        let name: String
        let audience: MaterialAudience
        let expected: Int64
    }

    /// A file to serve: the kept bytes and the headers that go with them.
    struct MaterialDownload {
        let path: String
        let contentType: String
        let headers: [(String, String)]
    }

    enum MaterialRoute: Equatable {
        case upload(meeting: String)
        case download(meeting: String, material: String)
    }

    /// `/api/meetings/M-…/materials` and `/api/meetings/M-…/materials/F-…`.
    static func materialRoute(_ path: String) -> MaterialRoute? {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count >= 5, parts[0].isEmpty, parts[1] == "api", parts[2] == "meetings", parts[4] == "materials",
            parts[3].hasPrefix("M-"), parts[3].count <= 12
        else { return nil }
        if parts.count == 5 { return .upload(meeting: String(parts[3])) }
        guard parts.count == 6, parts[5].hasPrefix("F-"), parts[5].count <= 12 else { return nil }
        return .download(meeting: String(parts[3]), material: String(parts[5]))
    }

    /// An error as an HTTP answer: `{ok: false, error}` with the status its code means.
    static func httpError(_ e: RoadshowError, status: Int? = nil) -> HTTPAnswer {
        let code: Int
        switch e.code {
        case .badRequest, .unknownOp, .rejectedFeedback: code = 400
        case .unauthenticated: code = 401
        case .forbidden: code = 403
        case .notFound: code = 404
        case .conflict: code = 409
        case .tooLarge: code = 413
        case .rateLimited: code = 429
        case .internal: code = 500
        }
        let body: JSON = ["ok": false, "error": e.json]
        return HTTPAnswer(status: status ?? code, contentType: "application/json; charset=utf-8", body: body.encodedBytes)
    }

    /// The actor of an `Authorization: Bearer` header.
    func bearer(_ authorization: String?) throws(RoadshowError) -> Actor {
        guard let authorization, authorization.hasPrefix("Bearer "), authorization.count > 7 else {
            throw RoadshowError(
                .unauthenticated, "send Authorization: Bearer <your token> (the one you sign in with, or your invite link's)",
                field: "Authorization", reason: "token_missing", zh: "请先登录后再上传或打开资料。")
        }
        let token = String(authorization.dropFirst(7)).trimmingCharacters(in: .whitespaces)
        guard token.utf8.count <= 200, let (actor, _) = actor(forToken: token) else {
            throw RoadshowError(
                .unauthenticated, "this token is not valid: it may be mistyped or replaced by a newer invite link; ask the organizer for a new one",
                field: "Authorization", reason: "token_invalid", zh: "登录已失效或邀请链接已更新，请重新打开您的邀请链接。")
        }
        return actor
    }

    /// Decides at the request's headers whether an upload may go on: nothing
    /// is written to disk for one refused here.
    func beginUpload(
        request: Int, authorization: String?, meeting id: String, name rawName: String?, audience rawAudience: String?,
        contentLength: Int64?
    ) -> Result<MaterialUpload, RoadshowError> {
        checkThread()
        do throws(RoadshowError) {
            guard materialFiles != nil else { throw RoadshowError(.internal, "this server keeps no materials") }
            if draining { throw RoadshowError(.internal, "the server is shutting down; upload again in a moment") }
            let actor = try bearer(authorization)
            let m = try Queries.visibleMeeting(id, actor, in: self)
            guard let rawName, let name = MaterialType.cleanName(rawName) else {
                throw .badRequest("name the file: ?name=<the file's name, percent-encoded>", zh: "缺少文件名。", field: "name", reason: "required")
            }
            guard name.count <= 120 else {
                throw .badRequest("the file's name is longer than 120 characters; shorten it", zh: "文件名太长（最多 120 个字），请改短后再上传。", field: "name", reason: "too_long")
            }
            guard MaterialType.kind(ofName: name) != nil else { throw Meeting.typeRefused(name) }
            var audience = MaterialAudience.government
            if let rawAudience {
                guard let a = MaterialAudience(rawValue: rawAudience) else {
                    throw .badRequest(
                        "audience must be one of everyone, government, organizer", zh: "请选择资料的可见范围：全体、政府方或组织方。",
                        field: "audience", reason: "choice", params: ["choices": ["everyone", "government", "organizer"]])
                }
                audience = a
            }
            try m.requireUpload(actor, audience: audience)
            guard let length = contentLength else {
                throw .badRequest("send the file with a Content-Length header", zh: "上传请求缺少文件长度，请用网页或命令行工具上传。", field: "Content-Length", reason: "required")
            }
            guard length > 0 else { throw .badRequest("the file is empty", zh: "文件是空的，请选择其他文件。", field: "body", reason: "empty") }
            let limits = config.limits
            guard length <= limits.materialFileBytes else { throw Meeting.fileLimit(limits.materialFileBytes) }
            guard m.materials.totalBytes + length <= limits.meetingMaterialsBytes else {
                throw Meeting.meetingLimit(limits.meetingMaterialsBytes, used: m.materials.totalBytes)
            }
            return .success(MaterialUpload(request: request, actor: actor, meeting: id, name: name, audience: audience, expected: length))
        } catch {
            return .failure(error)
        }
    }

    /// The bytes were stored (off this thread): list the file, answering the
    /// upload when the event is committed.
    func uploadStored(_ upload: MaterialUpload, _ result: Result<MaterialFiles.Stored, Inbox.ReadFailure>) {
        checkThread()
        switch result {
        case .failure(let f):
            logger.error("storing an upload failed: \(f.description)")
            port.httpAnswered(upload.request, Self.httpError(RoadshowError(.internal, "the server could not store the file; upload it again")))
        case .success(let stored):
            let args: JSON = [
                "meeting": .string(upload.meeting), "name": .string(upload.name), "audience": .string(upload.audience.rawValue),
                "sha256": .string(stored.sha256), "bytes": .int(stored.bytes), "maxTotalBytes": .int(config.limits.meetingMaterialsBytes),
            ]
            do {
                let command = PendingCommand(
                    session: -upload.request, requestId: "", op: "materials.add", args: try Args(args),
                    mutation: Operations.materialsAdd, target: .meeting(upload.meeting), key: nil, actor: upload.actor)
                schedule(command)
            } catch {
                port.httpAnswered(upload.request, Self.httpError(error))
            }
        }
    }

    /// A command's answer, to its WebSocket session or (negative session
    /// ids) to the upload it came from. A requester gone meanwhile gets
    /// nothing; what it asked for still counts.
    func respond(_ command: PendingCommand, _ outcome: Result<JSON, RoadshowError>) {
        if command.session < 0 {
            switch outcome {
            case .success(let result):
                let existing = result["existing"]?.boolValue == true
                var r = result
                if case .object(var o) = r { o.removeValue(forKey: "existing"); r = .object(o) }
                let body: JSON = ["ok": true, "result": r]
                port.httpAnswered(-command.session, HTTPAnswer(status: existing ? 200 : 201, contentType: "application/json; charset=utf-8", body: body.encodedBytes))
            case .failure(let e):
                port.httpAnswered(-command.session, Self.httpError(e))
            }
            return
        }
        guard let s = sessions[command.session] else { return }
        switch outcome {
        case .success(let result): reply(s, command.requestId, result: result)
        case .failure(let e): reply(s, command.requestId, error: e)
        }
    }

    /// A file for a `GET`: only to those its audience admits (a file this
    /// viewer may not see is `not_found`, as one that does not exist). A
    /// participant's first open is recorded (`materials.opened`).
    func download(authorization: String?, meeting id: String, material: String, inline: Bool) -> Result<MaterialDownload, RoadshowError> {
        checkThread()
        do throws(RoadshowError) {
            guard let files = materialFiles else { throw RoadshowError(.internal, "this server keeps no materials") }
            let actor = try bearer(authorization)
            let notFound = RoadshowError.notFound(
                "there is no file \(material) in \(id) that you may open; see materials.list", zh: "找不到这个文件，或您无权查看。", field: "material")
            guard let m = meeting(id), let file = m.material(material, visibleTo: actor) else { throw notFound }
            let path = files.path(sha256: file.sha256)
            guard FileManager.default.fileExists(atPath: path) else {
                logger.error("the file of \(id) \(material) (\(file.sha256)) is missing from \(files.root)")
                throw RoadshowError(.internal, "the server has lost this file; ask the organizer to upload it again")
            }
            if actor.kind == .participant, !m.materials.receipts.contains(where: { $0.material == material && $0.participant == actor.id }) {
                recordOpened(actor: actor, meeting: id, material: material)
            }
            let shown = inline && file.preview != nil
            return .success(MaterialDownload(path: path, contentType: file.contentType, headers: [
                ("content-disposition:", ContentDisposition.value(shown ? "inline" : "attachment", name: file.name)),
                ("x-content-type-options:", "nosniff"),
                ("content-security-policy:", "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'"),
                ("cache-control:", "private, no-store"),
                ("referrer-policy:", "no-referrer"),
                ("cross-origin-resource-policy:", "same-origin"),
            ]))
        } catch {
            return .failure(error)
        }
    }

    /// The receipt, as a command of its own: nobody waits for its answer
    /// (session 0 is never a connection's).
    private func recordOpened(actor: Actor, meeting: String, material: String) {
        guard let args = try? Args(["meeting": .string(meeting), "material": .string(material)]) else { return }
        schedule(PendingCommand(
            session: 0, requestId: "", op: "materials.opened", args: args, mutation: Operations.materialsOpened,
            target: .meeting(meeting), key: nil, actor: actor))
    }
}

/// `Content-Disposition` for a file's own name (RFC 6266): an ASCII fallback
/// in `filename` — quotes, backslashes, control characters and anything past
/// ASCII replaced — and the real name, UTF-8 percent-encoded, in `filename*`
/// (RFC 8187). Nothing of the name can end the header or start another.
enum ContentDisposition {
    static func value(_ type: String, name: String) -> String {
        let safe = FileName.safe(name, fallback: "file")
        var ascii = ""
        for u in safe.unicodeScalars {
            if u.value >= 0x20, u.value < 0x7F, u != "\"", u != "\\" { ascii.unicodeScalars.append(u) } else { ascii.append("_") }
        }
        if let dot = safe.lastIndex(of: "."), ascii.allSatisfy({ $0 == "_" || $0 == "." }) {
            ascii = "file" + String(safe[dot...]).filter { $0.isASCII }
        }
        let attr = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!#$&+-.^_`|~".utf8)
        var encoded = ""
        for b in safe.utf8 {
            if attr.contains(b) { encoded.append(Character(Unicode.Scalar(b))) } else { encoded += String(format: "%%%02X", b) }
        }
        return "\(type); filename=\"\(ascii)\"; filename*=UTF-8''\(encoded)"
    }
}
