import ArgumentParser
import Foundation
import RoadshowClient
import RoadshowCore

/// `roadshow materials ...`: the project materials of a meeting (issue 12
/// point 5): the company's and the organizer's files (PDF, Word/WPS,
/// PowerPoint, Excel, images) sent to the units before the meeting, who opened
/// them (read receipts), and the reminder to those who have not.
///
/// Upload and download are plain HTTP on the server's own port (the file's
/// bytes as the body; `Authorization: Bearer <token>`); list, receipts and
/// remove are WebSocket ops like every other command's.
struct MaterialsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "materials",
        abstract: "Upload, list and download a meeting's project materials (会前资料); who opened them.",
        discussion: """
            A material is for everyone (the company too), the government side (the units and
            the organizer side; the default) or the organizer side only. The company's own
            participant uploads with --audience everyone. A participant's first download is
            its read receipt; `receipts` tells the organizer which units have opened them.

            Examples:
              roadshow materials upload M-7Q2K 项目路演.pdf --audience everyone
              roadshow materials list --meeting M-7Q2K
              ROADSHOW_TOKEN=<an invite token> roadshow materials get M-7Q2K F-1
              roadshow materials receipts M-7Q2K --lang zh
              roadshow materials remove M-7Q2K F-1
            """,
        subcommands: [Upload.self, List.self, Get.self, Receipts.self, Remove.self]
    )

    enum AudienceChoice: String, ExpressibleByArgument, CaseIterable { case everyone, government, organizer }

    struct Upload: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Upload a file (pdf, doc, docx, wps, ppt, pptx, dps, xls, xlsx, et, png, jpg, jpeg, webp).",
            discussion: """
                The file is sent as it is, in pieces, over HTTP to the server's port. The same
                name and bytes again change nothing (the existing material is shown). The server's
                limits (serve --material-max-mib, --meeting-materials-max-mib; 20 and 100 MiB by
                default) refuse a larger file, and nothing is stored.

                Examples:
                  roadshow materials upload M-7Q2K 项目路演.pdf
                  roadshow materials upload M-7Q2K deck-v3.pptx --name 储能项目推介.pptx --audience everyone
                  roadshow materials upload M-7Q2K 内部评估.docx --audience organizer --json
                """
        )

        @OptionGroup var client: ClientOptions
        @Argument(help: "The meeting's id, e.g. M-7Q2K.") var meeting: String
        @Argument(help: ArgumentHelp("The file to upload.", valueName: "file")) var file: String
        @Option(help: "Who may see it: everyone (the company too), government (default), organizer.") var audience: AudienceChoice?
        @Option(help: "The name it gets (default: the file's own name); its extension decides its type.") var name: String?

        func validate() throws {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: file, isDirectory: &isDirectory), !isDirectory.boolValue else {
                throw ValidationError("no file at \(file)")
            }
            guard FileManager.default.isReadableFile(atPath: file) else { throw ValidationError("\(file) is not readable") }
            if let name, name.trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("--name is empty") }
        }

        func run() async throws {
            let name = name ?? URL(fileURLWithPath: file).lastPathComponent
            var query = "name=" + PercentEncoding.encode(name)
            if let audience { query += "&audience=" + audience.rawValue }
            let target = MaterialsCommand.collection(meeting) + "?" + query
            try await Output.run(client) { _ in
                let (status, result): (Int, JSON)
                do {
                    (status, result) = try await MaterialsCommand.exchange(
                        client, HTTPRequest(method: "POST", target: target, bearerToken: client.resolvedToken, body: .file(path: file)))
                } catch let error as HTTPClientError {
                    guard case .broken = error else { throw error }
                    throw UploadBroken(error: error)
                }
                if client.json { return Output.printJSON(result) }
                let m = result["material"]
                let what = status == 201 ? "Uploaded" : "Already uploaded (the same name and bytes)"
                print("\(what): \(MaterialsCommand.line(m))" + Output.seqNote(result))
            }
        }
    }

    /// An upload the server cut off: a server refuses a body far over its
    /// limit without reading it, and its answer may not arrive.
    struct UploadBroken: Error, CustomStringConvertible {
        let error: HTTPClientError
        var description: String {
            "\(error)\nhint: the server may have refused the file before reading it all (a file far over its size limit, serve --material-max-mib; 20 MiB by default); if it is not that large, try again"
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The meeting's materials you may see.",
            discussion: """
                Examples:
                  roadshow materials list --meeting M-7Q2K
                  roadshow materials list M-7Q2K --json
                """
        )

        @OptionGroup var client: ClientOptions
        @Argument(help: "The meeting's id, e.g. M-7Q2K.") var meeting: String

        func run() async throws {
            let meeting = meeting
            let local = client.local
            try await Output.run(client) { session in
                let result = try await session.call("materials.list", ["meeting": .string(meeting)])
                if client.json { return Output.printJSON(result) }
                let files = result["materials"]?.arrayValue ?? []
                if files.isEmpty {
                    return print("No materials yet. Upload one: `roadshow materials upload \(meeting) FILE`.")
                }
                var table = TextTable([
                    .init("ID"), .init("Name", maxWidth: 40), .init("Size", alignment: .right), .init("Audience"),
                    .init("Uploaded by", maxWidth: 24), .init("When (\(local.timeZone.identifier))"),
                ])
                for m in files {
                    table.add([
                        m["id"]?.stringValue ?? "", m["name"]?.stringValue ?? "", Labels.bytes(m["bytes"]?.intValue),
                        Labels.materialAudience(m["audience"]?.stringValue), m["uploadedBy"]?["name"]?.stringValue ?? "",
                        local.format(wire: m["uploadedAt"]?.stringValue),
                    ])
                }
                print(table.render())
                let receipts = result["receipts"]?.arrayValue ?? []
                if !receipts.isEmpty {
                    print("\(receipts.count) read receipt(s) 已读回执: `roadshow materials receipts \(meeting)`")
                }
            }
        }
    }

    struct Get: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Download a material (a participant's first download is its read receipt).",
            discussion: """
                Saved under the server's name for it in the current directory (made safe: no
                path separators, no leading dots), or at --output; "-" writes it to stdout. An
                existing file is never replaced without --force.

                Examples:
                  roadshow materials get M-7Q2K F-1
                  roadshow materials get M-7Q2K F-1 --output ~/下载/项目路演.pdf --force
                  roadshow materials get M-7Q2K F-2 --output - | pdftotext - -
                """
        )

        @OptionGroup var client: ClientOptions
        @Argument(help: "The meeting's id, e.g. M-7Q2K.") var meeting: String
        @Argument(help: "The material's id, e.g. F-1.") var material: String
        @Option(name: [.short, .long], help: ArgumentHelp("Where to save it (\"-\": stdout).", valueName: "file")) var output: String?
        @Flag(help: "Replace a file that is already there.") var force = false

        func validate() throws {
            if let output, output != "-" {
                var isDirectory: ObjCBool = false
                if FileManager.default.fileExists(atPath: output, isDirectory: &isDirectory), isDirectory.boolValue {
                    throw ValidationError("--output \(output) is a directory; give a file name")
                }
                if !force, FileManager.default.fileExists(atPath: output) {
                    throw ValidationError("\(output) exists; pass --force to replace it")
                }
            }
            if output == "-", client.json { throw ValidationError("--json and --output - both write to stdout; choose one") }
        }

        func run() async throws {
            let target = MaterialsCommand.collection(meeting) + "/" + PercentEncoding.encode(material)
            if output == "-" {
                try await Output.run(client) { _ in
                    _ = try await MaterialsCommand.exchange(
                        client, HTTPRequest(method: "GET", target: target, bearerToken: client.resolvedToken, sink: .descriptor(1)))
                }
                return
            }
            // Into a hidden file beside where it goes, then linked to its name
            // (link(2) fails rather than replace) or renamed over with --force.
            let directory = output.map { URL(fileURLWithPath: $0).deletingLastPathComponent() }
                ?? URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
            let partial = directory.appendingPathComponent(".roadshow-\(UUID().uuidString).part").path
            defer { unlink(partial) }
            try await Output.run(client) { _ in
                let response = try await MaterialsCommand.download(
                    client, HTTPRequest(method: "GET", target: target, bearerToken: client.resolvedToken, sink: .newFile(path: partial)))
                let name = MaterialsCommand.safeName(disposition: response.contentDisposition, fallback: material)
                let destination = output ?? directory.appendingPathComponent(name).path
                try MaterialsCommand.place(partial, at: destination, replace: force)
                if client.json {
                    return Output.printJSON([
                        "material": .string(material), "name": .string(name), "path": .string(destination),
                        "bytes": .int(Int64(response.bytesToSink)), "contentType": response.contentType.map(JSON.string) ?? .null,
                    ])
                }
                print("Saved \(material) to \(destination) (\(Labels.bytes(Int64(response.bytesToSink))))")
            }
        }
    }

    struct Receipts: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Which units opened the materials meant for them, and a reminder to copy (organizer side).",
            discussion: """
                A unit has opened them when its participants together opened every file meant
                for the units (audience everyone or government).

                Examples:
                  roadshow materials receipts --meeting M-7Q2K
                  roadshow materials receipts M-7Q2K --lang en --json
                """
        )

        enum Language: String, ExpressibleByArgument, CaseIterable { case zh, en }

        @OptionGroup var client: ClientOptions
        @Argument(help: "The meeting's id, e.g. M-7Q2K.") var meeting: String
        @Option(help: "The reminder's language: zh (default) or en; errors are told in it too.") var lang: Language?

        func validate() throws {
            if let lang { Output.language = lang.rawValue }
        }

        func run() async throws {
            var args: [String: JSON] = ["meeting": .string(meeting)]
            if let lang { args["lang"] = .string(lang.rawValue) }
            let zh = (lang ?? .zh) == .zh
            try await Output.run(client) { session in
                let result = try await session.call("materials.receipts", .object(args))
                if client.json { return Output.printJSON(result) }
                let files = (result["materials"]?.arrayValue ?? []).compactMap(\.stringValue)
                let opened = result["opened"]?.intValue ?? 0
                let of = result["of"]?.intValue ?? 0
                print(Labels.unitsOpened(opened, of: of, zh: zh))
                print((zh ? "发给参会单位的资料：" : "Materials for the units: ") + (files.isEmpty ? "-" : files.joined(separator: ", ")))
                let units = result["units"]?.arrayValue ?? []
                if !units.isEmpty {
                    var table = TextTable([
                        .init(zh ? "单位" : "Unit", maxWidth: 30), .init(zh ? "全部查看" : "All opened"),
                        .init(zh ? "已查看" : "Opened"), .init(zh ? "参会人" : "Participants", maxWidth: 50),
                    ])
                    for u in units {
                        let people = (u["participants"]?.arrayValue ?? []).map { p in
                            let seen = (p["opened"]?.arrayValue ?? []).compactMap(\.stringValue)
                            return "\(p["name"]?.stringValue ?? p["id"]?.stringValue ?? "?") (\(seen.isEmpty ? "-" : seen.joined(separator: ",")))"
                        }
                        let seen = (u["opened"]?.arrayValue ?? []).compactMap(\.stringValue)
                        table.add([
                            u["unit"]?.stringValue ?? "", Labels.openedAll(u["openedAll"]?.boolValue, zh: zh),
                            seen.isEmpty ? "-" : seen.joined(separator: ", "), people.joined(separator: "; "),
                        ])
                    }
                    print(table.render())
                }
                let notOpened = (result["notOpened"]?.arrayValue ?? []).compactMap(\.stringValue)
                if !notOpened.isEmpty {
                    print((zh ? "尚未查看：" : "Not opened yet: ") + notOpened.joined(separator: zh ? "、" : ", "))
                }
                if let reminder = result["reminder"]?.stringValue, !reminder.isEmpty {
                    print("")
                    print(zh ? "提醒（可复制）：" : "Reminder (to copy):")
                    print(reminder)
                }
            }
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Remove a material (the organizer side: admin, organizer, host).",
            discussion: """
                A removed file is no longer listed or served, its read receipts go with it. The
                company asks the organizer to remove one of its own.

                Examples:
                  roadshow materials remove M-7Q2K F-1
                """
        )

        @OptionGroup var client: ClientOptions
        @Argument(help: "The meeting's id, e.g. M-7Q2K.") var meeting: String
        @Argument(help: "The material's id, e.g. F-1.") var material: String

        func run() async throws {
            // A key of its own, so that a repeat after a dropped connection removes once.
            let args: JSON = ["meeting": .string(meeting), "material": .string(material), "requestKey": .string(RequestKey.make())]
            try await Output.run(client) { session in
                let result = try await session.call("materials.remove", args)
                if client.json { return Output.printJSON(result) }
                print("Removed \(material)" + Output.seqNote(result))
            }
        }
    }

    // MARK: - HTTP

    /// "/api/meetings/M-7Q2K/materials" under the server's HTTP prefix.
    static func collection(_ meeting: String) -> String { "/api/meetings/\(PercentEncoding.encode(meeting))/materials" }

    /// The HTTP status the server answered with when it was not a success, and
    /// its body was not the protocol's error object (a proxy's page, an old server).
    struct UnexpectedAnswer: Error, CustomStringConvertible {
        let url: String
        let status: Int
        let text: String
        var description: String {
            let body = text.trimmingCharacters(in: .whitespacesAndNewlines).prefix(200)
            return "the server at \(url) answered HTTP \(status)" + (body.isEmpty ? "" : ": \(body)")
        }
    }

    /// Sends a request whose answer is the protocol's envelope; returns the
    /// status and `result`, or throws the server's error (RoadshowError).
    static func exchange(_ client: ClientOptions, _ request: HTTPRequest) async throws -> (Int, JSON) {
        let address = try ServerAddress(parsing: client.serverURL)
        let response = try await HTTPClient.send(request, server: address)
        if !response.isSuccess { throw failure(response, url: address.httpURL(request.target)) }
        if case .memory = request.sink {
            guard let json = response.json, json["ok"]?.boolValue == true else {
                throw UnexpectedAnswer(url: address.httpURL(request.target), status: response.status,
                                       text: String(decoding: response.body, as: UTF8.self))
            }
            return (response.status, json["result"] ?? .null)
        }
        return (response.status, .null)
    }

    /// A download: the response when it was a success, else the server's error.
    static func download(_ client: ClientOptions, _ request: HTTPRequest) async throws -> HTTPResponse {
        let address = try ServerAddress(parsing: client.serverURL)
        let response = try await HTTPClient.send(request, server: address)
        if !response.isSuccess { throw failure(response, url: address.httpURL(request.target)) }
        return response
    }

    /// The server's `{ok:false, error}` as a RoadshowError (shown as every command shows them).
    static func failure(_ response: HTTPResponse, url: String) -> any Error {
        if let json = response.json, json["ok"]?.boolValue == false, let error = json["error"] {
            return RoadshowError(wire: error)
        }
        return UnexpectedAnswer(url: url, status: response.status, text: String(decoding: response.body, as: UTF8.self))
    }

    // MARK: - Saving

    /// The file name a download is saved under: Content-Disposition's
    /// `filename*=UTF-8''…` (RFC 6266 / 8187), else its `filename="…"`, else
    /// `fallback`; made safe (FileName.safe: no path separators, reserved or
    /// control characters, no leading dots), its extension kept.
    static func safeName(disposition: String?, fallback: String) -> String {
        let raw = disposition.flatMap(dispositionName) ?? fallback
        // The whole name made safe (a "/" inside becomes "-"), not its last path component.
        let base = raw
        let dot = base.lastIndex(of: ".")
        let ext = dot.map { String(base[base.index(after: $0)...]) } ?? ""
        let stem = dot.map { String(base[..<$0]) } ?? base
        let safeExt = ext.isEmpty ? "" : FileName.safe(ext, fallback: "")
        let safeStem = FileName.safe(stem.isEmpty ? fallback : stem, fallback: FileName.safe(fallback, fallback: "material"))
        return safeExt.isEmpty || safeExt.contains(".") ? safeStem : safeStem + "." + safeExt
    }

    /// The name in a Content-Disposition value, nil if none is there.
    static func dispositionName(_ value: String) -> String? {
        var plain: String?
        for part in splitParameters(value).dropFirst() {
            guard let eq = part.firstIndex(of: "=") else { continue }
            let key = part[..<eq].trimmingCharacters(in: .whitespaces).lowercased()
            var v = part[part.index(after: eq)...].trimmingCharacters(in: .whitespaces)
            if key == "filename*" {
                // charset'language'percent-encoded; UTF-8 is the only charset servers send (RFC 8187).
                let pieces = v.split(separator: "'", maxSplits: 2, omittingEmptySubsequences: false)
                if pieces.count == 3, pieces[0].lowercased() == "utf-8", let decoded = String(pieces[2]).removingPercentEncoding, !decoded.isEmpty {
                    return decoded
                }
            } else if key == "filename" {
                if v.hasPrefix("\""), v.hasSuffix("\""), v.count >= 2 {
                    v = String(v.dropFirst().dropLast())
                    v = v.replacingOccurrences(of: "\\\"", with: "\"").replacingOccurrences(of: "\\\\", with: "\\")
                }
                if !v.isEmpty { plain = v }
            }
        }
        return plain
    }

    /// `a; b="x;y"; c` → ["a", "b=\"x;y\"", "c"]: split at semicolons outside quotes.
    static func splitParameters(_ value: String) -> [String] {
        var parts: [String] = []
        var current = ""
        var quoted = false
        var escaped = false
        for ch in value {
            if escaped {
                current.append(ch)
                escaped = false
            } else if quoted && ch == "\\" {
                current.append(ch)
                escaped = true
            } else if ch == "\"" {
                quoted.toggle()
                current.append(ch)
            } else if ch == ";" && !quoted {
                parts.append(current)
                current = ""
            } else {
                current.append(ch)
            }
        }
        parts.append(current)
        return parts.map { $0.trimmingCharacters(in: .whitespaces) }
    }

    struct CannotSave: Error, CustomStringConvertible {
        let path: String
        let reason: String
        var description: String { "cannot save to \(path): \(reason)" }
    }

    /// Gives the downloaded file its name: link(2), which fails rather than
    /// replace a file that is there, or rename(2) over it when `replace`.
    static func place(_ partial: String, at destination: String, replace: Bool) throws {
        if replace {
            guard rename(partial, destination) == 0 else { throw CannotSave(path: destination, reason: String(cString: strerror(errno))) }
            return
        }
        if link(partial, destination) == 0 { return }
        let error = errno
        if error == EEXIST { throw CannotSave(path: destination, reason: "a file is already there; pass --force to replace it, or --output FILE") }
        // A file system without hard links: a rename after a last look.
        if !FileManager.default.fileExists(atPath: destination), rename(partial, destination) == 0 { return }
        throw CannotSave(path: destination, reason: String(cString: strerror(error)))
    }

    /// "F-1 项目路演.pdf (1.2 MiB, everyone 全体)".
    static func line(_ m: JSON?) -> String {
        "\(m?["id"]?.stringValue ?? "?") \(m?["name"]?.stringValue ?? "") (\(Labels.bytes(m?["bytes"]?.intValue)), \(Labels.materialAudience(m?["audience"]?.stringValue)))"
    }
}
