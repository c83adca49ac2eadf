import CLibWebSockets
import Dispatch
import Foundation
import RoadshowCore
import RoadshowStore

/// An upload's state on its connection.
enum UploadState {
    /// Let in: its bytes go to a file in `incoming/`.
    case receiving(MaterialFiles.Incoming, Engine.MaterialUpload, received: Int64)
    /// Refused: the rest of the body is read and dropped, then the answer goes.
    case refusing(Engine.HTTPAnswer)
    /// Whole, and being stored and committed; the engine answers it.
    case storing
}

/// The materials' HTTP endpoints on the lws side: the body of a `POST`
/// streamed to disk as it arrives (never held in memory), the file of a `GET`
/// sent by lws from disk in pieces. The engine decides; this moves bytes.
extension LwsServer {
    /// A body larger than this is not read to the end to refuse it: the
    /// answer goes at once and the connection closes after it.
    var discardLimit: Int64 { 2 * config.limits.materialFileBytes + 1_048_576 }

    func postRequest(_ wsi: OpaquePointer, path rawPath: String) -> Int32 {
        guard let engine else { return -1 }
        let path = String(rawPath.prefix { $0 != "?" })
        let length = header(wsi, rs_tok_content_length, max: 32).flatMap { Int64($0.trimmingCharacters(in: .whitespaces)) }
        let id = nextHttpId
        nextHttpId += 1
        httpIds[wsi] = id
        httpWsis[id] = wsi
        guard case .upload(let meeting) = Engine.materialRoute(path) else {
            refuse(wsi, Engine.HTTPAnswer(status: 404, contentType: "text/plain; charset=utf-8", body: Array("not found\n".utf8)), length: length)
            return 0
        }
        let started = engine.beginUpload(
            request: id, authorization: header(wsi, rs_tok_authorization, max: 512), meeting: meeting,
            name: urlArg(wsi, "name"), audience: urlArg(wsi, "audience"), contentLength: length)
        switch started {
        case .failure(let error):
            refuse(wsi, Engine.httpError(error), length: length)
        case .success(let upload):
            guard let files = engine.materialFiles else { return -1 }
            do {
                uploads[wsi] = .receiving(try files.begin(), upload, received: 0)
            } catch {
                config.logger.error("an upload could not start: \(error)")
                refuse(wsi, Engine.httpError(RoadshowError(.internal, "the server could not store the file; try again")), length: length)
            }
        }
        return 0
    }

    /// Answers a refused upload: after its body when that is small enough to
    /// read, else at once, closing the connection after the answer.
    private func refuse(_ wsi: OpaquePointer, _ answer: Engine.HTTPAnswer, length: Int64?) {
        if let length, length > 0, length <= discardLimit {
            uploads[wsi] = .refusing(answer)
        } else {
            respond(wsi, answer, close: (length ?? 0) > 0)
        }
    }

    func uploadBody(_ wsi: OpaquePointer, _ input: UnsafeMutableRawPointer?, _ length: Int) -> Int32 {
        guard let state = uploads[wsi] else { return 0 }
        guard case .receiving(let incoming, let upload, let received) = state, let input else { return 0 }
        let total = received + Int64(length)
        if total > upload.expected {
            engine?.materialFiles?.discard(incoming)
            uploads[wsi] = .refusing(Engine.httpError(.badRequest(
                "the body is longer than its Content-Length", zh: "上传的内容与文件长度不符，请重新上传。", field: "body", reason: "length")))
            return 0
        }
        do {
            try MaterialFiles.write(incoming, UnsafeRawBufferPointer(start: input, count: length))
            uploads[wsi] = .receiving(incoming, upload, received: total)
        } catch {
            config.logger.error("\(error)")
            engine?.materialFiles?.discard(incoming)
            uploads[wsi] = .refusing(Engine.httpError(RoadshowError(.internal, "the server could not store the file (is its disk full?); try again later")))
        }
        return 0
    }

    func uploadComplete(_ wsi: OpaquePointer) -> Int32 {
        guard let state = uploads[wsi] else { return 0 }
        switch state {
        case .refusing(let answer):
            uploads.removeValue(forKey: wsi)
            respond(wsi, answer)
        case .storing:
            break
        case .receiving(let incoming, let upload, let received):
            guard let engine, let files = engine.materialFiles else { return -1 }
            guard received == upload.expected else {
                files.discard(incoming)
                uploads.removeValue(forKey: wsi)
                respond(wsi, Engine.httpError(.badRequest(
                    "the upload ended after \(received) of \(upload.expected) bytes; upload again", zh: "上传中断了，请重新上传。", field: "body", reason: "length")))
                return 0
            }
            uploads[wsi] = .storing
            // fsync and hashing block: off the service thread; the engine
            // hears back through its inbox.
            let inbox = engine.inbox
            let wake = engine.wake
            DispatchQueue.global(qos: .userInitiated).async {
                let result: Result<MaterialFiles.Stored, Inbox.ReadFailure>
                do { result = .success(try files.store(incoming)) } catch { result = .failure(Inbox.ReadFailure(description: "\(error)")) }
                inbox.post(.uploadStored(upload, result))
                wake()
            }
        }
        return 0
    }

    /// The engine's answer to an upload (`EnginePort`).
    func httpAnswered(_ request: Int, _ answer: Engine.HTTPAnswer) {
        guard let wsi = httpWsis[request] else { return }
        uploads.removeValue(forKey: wsi)
        respond(wsi, answer)
    }

    /// A connection gone: a half-received upload is deleted.
    func uploadClosed(_ wsi: OpaquePointer) {
        if case .receiving(let incoming, _, _) = uploads[wsi] { engine?.materialFiles?.discard(incoming) }
        uploads.removeValue(forKey: wsi)
        if let id = httpIds.removeValue(forKey: wsi) { httpWsis.removeValue(forKey: id) }
    }

    func serveMaterial(_ wsi: OpaquePointer, meeting: String, material: String) -> Int32 {
        guard let engine else { return -1 }
        let inline = urlArg(wsi, "inline") == "1"
        switch engine.download(authorization: header(wsi, rs_tok_authorization, max: 512), meeting: meeting, material: material, inline: inline) {
        case .failure(let error):
            respond(wsi, Engine.httpError(error))
            return 0
        case .success(let file):
            var names = file.headers.map { strdup($0.0) }
            var values = file.headers.map { strdup($0.1) }
            defer { (names + values).forEach { free($0) } }
            let n = names.withUnsafeMutableBufferPointer { np in
                values.withUnsafeMutableBufferPointer { vp in
                    np.baseAddress!.withMemoryRebound(to: UnsafePointer<CChar>?.self, capacity: np.count) { nb in
                        vp.baseAddress!.withMemoryRebound(to: UnsafePointer<CChar>?.self, capacity: vp.count) { vb in
                            rs_http_serve_file(wsi, file.path, file.contentType, nb, vb, Int32(file.headers.count))
                        }
                    }
                }
            }
            if n < 0 { return -1 }
            if n > 0 { return lws_http_transaction_completed(wsi) != 0 ? -1 : 0 }
            return 0
        }
    }

    private func urlArg(_ wsi: OpaquePointer, _ name: String) -> String? {
        var buffer = [CChar](repeating: 0, count: 1536)
        let n = rs_urlarg(wsi, name + "=", &buffer, Int32(buffer.count))
        return n < 0 ? nil : string(buffer)
    }
}
