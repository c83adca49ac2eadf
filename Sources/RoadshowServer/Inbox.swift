import Foundation
import RoadshowStore
import Synchronization

/// Work handed to the service thread by other threads (the writer, `stop()`).
/// Only `lws_cancel_service` may wake lws from another thread, so producers
/// append here and then call `wake`.
final class Inbox: Sendable {
    enum Item: Sendable {
        case committed(tickets: [Int])
        case failed(tickets: [Int], error: String)
        case shutdown
    }

    private let items = Mutex<[Item]>([])

    func post(_ item: Item) { items.withLock { $0.append(item) } }

    func drain() -> [Item] {
        items.withLock { current in
            let out = current
            current.removeAll(keepingCapacity: true)
            return out
        }
    }
}
