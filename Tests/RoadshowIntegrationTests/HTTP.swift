import Foundation
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
}
