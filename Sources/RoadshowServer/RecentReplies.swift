import RoadshowCore

/// The full replies (secrets included) of the most recent requests that carried
/// a `requestKey`, so a retry right after a reconnect still gets its invite
/// link. Bounded: the oldest are forgotten first; the store still answers for
/// them, without the secrets.
struct RecentReplies {
    let limit: Int
    private var values: [String: (op: String, result: JSON)] = [:]
    private var order: [String] = []
    private var head = 0

    init(limit: Int) { self.limit = limit }

    subscript(key: String) -> (op: String, result: JSON)? { values[key] }

    mutating func insert(op: String, result: JSON, for key: String) {
        if values.updateValue((op, result), forKey: key) == nil { order.append(key) }
        while values.count > limit, head < order.count {
            values.removeValue(forKey: order[head])
            head += 1
        }
        if head > 1024, head * 2 > order.count {
            order.removeFirst(head)
            head = 0
        }
    }
}
