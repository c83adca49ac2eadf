/// A page of a list that grows without bound (`meeting.list`,
/// `dispatch.list`): `limit` rows (at most `maxLimit`, the default), from
/// `cursor`, the `next` of the page before. A result with more after it
/// carries `next`. The cursor is an opaque string (today the offset in the
/// list's order), so a row added meanwhile may show on two pages; none is
/// skipped by it unless rows are removed.
public struct Paging: Sendable {
    public static let maxLimit = 500
    public static let keys: Set<String> = ["limit", "cursor"]

    public var limit: Int
    public var offset: Int

    public init(_ args: Args) throws(RoadshowError) {
        limit = Int(try args.optionalInt("limit", in: 1...Int64(Self.maxLimit), what: "how many rows to return") ?? Int64(Self.maxLimit))
        offset = 0
        if let cursor = try args.optionalString("cursor", maxLength: 20, what: "the next of the previous page") {
            guard let n = Int(cursor), n >= 0, String(n) == cursor else {
                try args.reject(.badRequest(
                    "args.cursor must be the next of a previous page, as it was given", zh: "翻页标记无效：请从第一页重新开始。",
                    field: "args.cursor", reason: "cursor"))
                return
            }
            offset = n
        }
    }

    /// This page's rows; `next` set in `result` when more follow.
    public func page<T>(_ rows: [T], into result: inout [String: JSON]) -> ArraySlice<T> {
        let start = min(offset, rows.count)
        let end = min(rows.count, start + limit)
        if end < rows.count { result["next"] = .string(String(end)) }
        return rows[start..<end]
    }
}
