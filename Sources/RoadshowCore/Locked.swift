import Foundation

/// A value behind a lock, for state that crosses threads (inboxes, wake-up
/// handles, reply routers).
///
/// Hand-written rather than `Synchronization.Mutex` on purpose: on Linux
/// `Mutex` locks with a futex inside the (uninstrumented) Swift runtime, so
/// ThreadSanitizer cannot see it and reports every access it guards as a race
/// (seen in `make tsan-test`). `NSLock` is a pthread mutex, which TSan
/// understands, so the TSan run stays meaningful.
public final class Locked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    public init(_ value: Value) { self.value = value }

    public func withLock<R>(_ body: (inout Value) throws -> R) rethrows -> R {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}
