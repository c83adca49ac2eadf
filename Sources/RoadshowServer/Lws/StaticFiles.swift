import Foundation

/// The page's files, served from inside `web/` only: the request path is
/// decoded, joined to the web root and resolved with `realpath`, and only a
/// regular file whose resolved path is still inside the resolved root is
/// served — a symlink or `..` that leads out is a 404, as is anything hidden.
/// Served by hand rather than by lws's file mount, which follows symlinks
/// and cannot add the security headers below to its answers.
struct StaticFiles {
    let root: String
    static let maxFileBytes = 8 * 1024 * 1024

    init(webRoot: String) {
        let resolved = webRoot.withCString { realpath($0, nil) }.map { p in defer { free(p) }; return String(cString: p) }
        root = resolved ?? URL(fileURLWithPath: webRoot).standardizedFileURL.path
    }

    struct File {
        let bytes: [UInt8]
        let contentType: String
    }

    /// The file a GET of `uri` answers with, or nil (404).
    func file(for uri: String) -> File? {
        var path = String(uri.prefix { $0 != "?" && $0 != "#" })
        guard let decoded = path.removingPercentEncoding, !decoded.contains("\0") else { return nil }
        path = decoded
        if path.hasSuffix("/") { path += "index.html" }
        let parts = path.split(separator: "/", omittingEmptySubsequences: true)
        // No "..", and nothing hidden (.git, .env, editor files).
        guard !parts.isEmpty, !parts.contains(where: { $0.hasPrefix(".") }) else { return nil }
        let joined = root + "/" + parts.joined(separator: "/")
        guard let real = joined.withCString({ realpath($0, nil) }).map({ p -> String in defer { free(p) }; return String(cString: p) }),
            real.hasPrefix(root + "/")
        else { return nil }
        var info = stat()
        guard stat(real, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, Int(info.st_size) <= Self.maxFileBytes,
            let type = Self.contentType(of: real), let data = FileManager.default.contents(atPath: real)
        else { return nil }
        return File(bytes: Array(data), contentType: type)
    }

    /// The types the page uses; a file of any other kind is not served.
    static func contentType(of path: String) -> String? {
        switch (path as NSString).pathExtension.lowercased() {
        case "html": "text/html; charset=utf-8"
        case "js", "mjs": "text/javascript; charset=utf-8"
        case "css": "text/css; charset=utf-8"
        case "json": "application/json"
        case "svg": "image/svg+xml"
        case "png": "image/png"
        case "ico": "image/x-icon"
        case "webp": "image/webp"
        case "woff2": "font/woff2"
        case "wav": "audio/wav"
        case "mp3": "audio/mpeg"
        case "ogg": "audio/ogg"
        case "txt", "md": "text/plain; charset=utf-8"
        default: nil
        }
    }
}

/// Headers on every HTTP answer: the page runs only its own scripts, talks
/// only to its own server, is never framed, sends no referrer, and nothing is
/// sniffed into another type. Styles: the page sets a few widths through
/// CSSOM (`el.style`), which `style-src 'self'` allows.
enum SecurityHeaders {
    static let policy = [
        "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data: blob:",
        "media-src 'self' blob: data:", "connect-src 'self'", "font-src 'self'", "object-src 'none'",
        // A meeting's PDF, fetched with the token and shown from a blob: URL in a frame.
        "frame-src 'self' blob:",
        "base-uri 'none'", "form-action 'self'", "frame-ancestors 'none'",
    ].joined(separator: "; ")

    static let lines: [(String, String)] = [
        ("content-security-policy:", policy),
        ("x-content-type-options:", "nosniff"),
        ("x-frame-options:", "DENY"),
        ("referrer-policy:", "no-referrer"),
        ("cross-origin-opener-policy:", "same-origin"),
        ("permissions-policy:", "camera=(self), microphone=(self), geolocation=()"),
    ]
}
