/// How long to wait before the next reconnect: doubling from `initial` up to
/// `maximum`, each delay spread by ±`jitter` so many clients of a restarted
/// server do not come back in one burst.
public struct Backoff: Sendable, Equatable {
    public var initial: Duration
    public var maximum: Duration
    public var jitter: Double

    public init(initial: Duration = .milliseconds(250), maximum: Duration = .seconds(10), jitter: Double = 0.2) {
        self.initial = initial
        self.maximum = maximum
        self.jitter = jitter
    }

    public static let `default` = Backoff()

    /// The delay before attempt `attempt` (1 for the first retry), without jitter.
    public func baseDelay(attempt: Int) -> Duration {
        var d = initial
        for _ in 1..<max(1, attempt) {
            d = d * 2
            if d >= maximum { return maximum }
        }
        return min(d, maximum)
    }

    public func delay(attempt: Int) -> Duration {
        let base = baseDelay(attempt: attempt)
        guard jitter > 0 else { return base }
        let factor = Double.random(in: (1 - jitter)...(1 + jitter))
        return base * factor
    }
}
