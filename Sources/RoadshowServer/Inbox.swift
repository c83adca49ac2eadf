import Dispatch
import RoadshowCore
import RoadshowStore
import Synchronization

/// Work handed to the service thread by other threads (the writer, the
/// reader, `stop()`). Only `lws_cancel_service` may wake lws from another
/// thread, so producers append here and then call `Waker.wake`.
final class Inbox: Sendable {
    enum Item: Sendable {
        case committed(tickets: [Int])
        case failed(tickets: [Int], error: String)
        /// Stop taking requests; finish what was received.
        case shutdown
        /// Draining took too long: end the loop now.
        case forceStop
        /// A stored `requestKey` reply looked up off the service thread (nil: none).
        case storedReply(read: Int, Result<StoredReply?, ReadFailure>)
        /// A stream's events read for a resume from far behind.
        case catchUp(read: Int, Result<[RecordedEvent], ReadFailure>)
        /// An upload's bytes synced, hashed and in place (`MaterialFiles.store`).
        case uploadStored(Engine.MaterialUpload, Result<MaterialFiles.Stored, ReadFailure>)
        /// Every stored `requestKey`'s fingerprint, read once after start-up.
        case storedReplyKeys(Result<Set<UInt64>, ReadFailure>)
    }

    struct ReadFailure: Error, Sendable {
        let description: String
    }

    private let items = Locked<[Item]>([])

    func post(_ item: Item) { items.withLock { $0.append(item) } }

    func drain() -> [Item] {
        items.withLock { current in
            let out = current
            current.removeAll(keepingCapacity: true)
            return out
        }
    }
}

/// Wakes the service thread from any thread: `lws_cancel_service` on the
/// context while it exists, nothing before it is made or after it is gone.
/// The lock makes "destroyed" and "being woken" exclusive.
final class Waker: Sendable {
    private let context = Locked<ContextPointer?>(nil)
    private let wakeUp: @Sendable (ContextPointer) -> Void

    struct ContextPointer: @unchecked Sendable {
        let pointer: OpaquePointer
    }

    init(_ wakeUp: @escaping @Sendable (ContextPointer) -> Void) { self.wakeUp = wakeUp }

    func attach(_ context: OpaquePointer?) {
        self.context.withLock { $0 = context.map(ContextPointer.init) }
    }

    func wake() {
        context.withLock { if let c = $0 { wakeUp(c) } }
    }
}

/// Reads the database off the service thread and posts what it read to the
/// inbox (a resume from far behind, an old `requestKey`'s stored reply).
final class Reader: Sendable {
    private let store: any EventStorage
    private let inbox: Inbox
    private let wake: @Sendable () -> Void
    private let queue = DispatchQueue(label: "roadshow-reader")

    init(store: any EventStorage, inbox: Inbox, wake: @escaping @Sendable () -> Void) {
        self.store = store
        self.inbox = inbox
        self.wake = wake
    }

    func storedReply(read: Int, actor: String, scope: String, key: String) {
        run { [store] in
            .storedReply(read: read, Result { try store.storedReply(actor: actor, scope: scope, key: key) }.mapError { Inbox.ReadFailure(description: "\($0)") })
        }
    }

    func events(read: Int, stream: String, after: Int64, upTo: Int64) {
        run { [store] in
            .catchUp(read: read, Result { try store.events(stream: stream, after: after, upTo: upTo) }.mapError { Inbox.ReadFailure(description: "\($0)") })
        }
    }

    /// The fingerprints of every stored reply's (actor, scope, key): read on a
    /// queue of its own, so the point reads above do not wait behind it.
    func storedReplyKeys() {
        run(on: DispatchQueue.global(qos: .utility)) { [store] in
            .storedReplyKeys(Result {
                var all = Set<UInt64>()
                for k in try store.storedReplyKeys() { all.insert(ReplyCache.fingerprint(ReplyCache.key(actor: k.actor, scope: k.scope, key: k.key))) }
                return all
            }.mapError { Inbox.ReadFailure(description: "\($0)") })
        }
    }

    private func run(on other: DispatchQueue? = nil, _ body: @escaping @Sendable () -> Inbox.Item) {
        (other ?? queue).async { [inbox, wake] in
            inbox.post(body())
            wake()
        }
    }
}
