import Foundation
import RoadshowCore
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A plain HTTP GET for the server's /healthz, /metrics and page.
enum HTTP {
    struct Response {
        let status: Int
        let contentType: String?
    }

    static func get(_ url: String) async throws -> ([UInt8], Response) {
        let request = URLRequest(url: URL(string: url)!, cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: 10)
        return try await withCheckedThrowingContinuation { continuation in
            URLSession.shared.dataTask(with: request) { data, response, error in
                if let error { continuation.resume(throwing: error); return }
                let http = response as? HTTPURLResponse
                continuation.resume(returning: (
                    Array(data ?? Data()),
                    Response(status: http?.statusCode ?? 0, contentType: http?.value(forHTTPHeaderField: "Content-Type"))))
            }.resume()
        }
    }

    /// A whole answer: status, headers (lower-cased names) and body.
    struct Answer {
        let status: Int
        let headers: [String: String]
        let body: [UInt8]
        var json: JSON? { try? JSON.parse(String(decoding: body, as: UTF8.self)) }
        func header(_ name: String) -> String? { headers[name.lowercased()] }
    }

    /// Any request, e.g. a materials upload (`POST` with the file as the body).
    static func send(_ method: String, _ url: String, headers: [String: String] = [:], body: [UInt8]? = nil) async throws -> Answer {
        var request = URLRequest(url: URL(string: url)!, cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: 30)
        request.httpMethod = method
        for (k, v) in headers { request.setValue(v, forHTTPHeaderField: k) }
        if let body { request.httpBody = Data(body) }
        return try await withCheckedThrowingContinuation { continuation in
            URLSession.shared.dataTask(with: request) { data, response, error in
                if let error { continuation.resume(throwing: error); return }
                let http = response as? HTTPURLResponse
                var out: [String: String] = [:]
                for (k, v) in http?.allHeaderFields ?? [:] { out[String(describing: k).lowercased()] = String(describing: v) }
                continuation.resume(returning: Answer(status: http?.statusCode ?? 0, headers: out, body: Array(data ?? Data())))
            }.resume()
        }
    }

    /// A name for a URL's query: UTF-8, everything but unreserved characters percent-encoded.
    static func query(_ text: String) -> String {
        var out = ""
        for b in text.utf8 {
            if (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x2D || b == 0x2E || b == 0x5F || b == 0x7E {
                out.append(Character(Unicode.Scalar(b)))
            } else {
                out += String(format: "%%%02X", b)
            }
        }
        return out
    }
}
