import RoadshowCore

/// An authenticated conversation with a server that outlives dropped
/// connections: it connects and sends `auth {token}` on first use, and when a
/// connection drops it reconnects (with backoff), authenticates again and
/// repeats the call. Mutating calls carry a random `args.requestKey`, kept
/// across the repeats, so the server applies each of them once.
public actor RoadshowSession {
    public let url: String
    public let origin: String?
    public let connectTimeout: Duration
    public let callTimeout: Duration
    /// Repeats after a transient failure (0: fail at once).
    public let retries: Int
    public let backoff: Backoff

    private let token: String
    private var connection: RoadshowConnection?
    private var connecting: Task<(RoadshowConnection, JSON), any Error>?
    /// The `auth` result of the current connection: `{actor, meetings?}`.
    public private(set) var authResult: JSON?

    public init(
        url: String, token: String, origin: String? = nil, connectTimeout: Duration = .seconds(5),
        callTimeout: Duration = RoadshowConnection.defaultCallTimeout, retries: Int = 3, backoff: Backoff = .default
    ) {
        self.url = url
        self.token = token
        self.origin = origin
        self.connectTimeout = connectTimeout
        self.callTimeout = callTimeout
        self.retries = retries
        self.backoff = backoff
    }

    /// Who the token belongs to: the `actor` of the `auth` result.
    public func actor() async throws -> JSON {
        _ = try await connected()
        return authResult?["actor"] ?? .null
    }

    /// Calls `op` and returns its result; a server error throws `RoadshowError`.
    /// After a dropped connection the call is repeated on a new one, up to `retries` times.
    /// A paged list op (`meeting.list`, `dispatch.list`) with every page:
    /// follows `next` and returns the last page's result with the rows of all
    /// pages under `rows`.
    public func callAllPages(_ op: String, _ args: [String: JSON] = [:], rows: String) async throws -> JSON {
        var args = args
        var all: [JSON] = []
        while true {
            let result = try await call(op, .object(args))
            all += result[rows]?.arrayValue ?? []
            if let next = result["next"]?.stringValue {
                args["cursor"] = .string(next)
                continue
            }
            guard case .object(var o) = result else { return result }
            o[rows] = .array(all)
            return .object(o)
        }
    }

    public func call(_ op: String, _ args: JSON = [:]) async throws -> JSON {
        var args = args
        if RequestKey.isMutating(op), case .object(var fields) = args, fields["requestKey"] == nil {
            fields["requestKey"] = .string(RequestKey.make())
            args = .object(fields)
        }
        var attempt = 0
        while true {
            let current = try await connected()
            do {
                return try await current.call(op, args, timeout: callTimeout)
            } catch let error as RoadshowClientError where error.isTransient && attempt < retries {
                attempt += 1
                drop(current)
                try await Task.sleep(for: backoff.delay(attempt: attempt))
            }
        }
    }

    /// Closes the current connection (waiting up to a second for the close
    /// handshake, so a process may exit right after); a later call opens a new one.
    public func close() async {
        connecting?.cancel()
        connecting = nil
        guard let current = connection else { return }
        connection = nil
        current.close()
        _ = await current.closed(within: .seconds(1))
    }

    private func drop(_ stale: RoadshowConnection) {
        if connection === stale { connection = nil }
        stale.close()
    }

    /// The open, authenticated connection, made (with retries) if needed.
    /// Concurrent callers share one connection attempt.
    private func connected() async throws -> RoadshowConnection {
        if let connection, connection.isOpen { return connection }
        connection = nil
        let attempt = connecting ?? Task { [url, origin, token, connectTimeout, callTimeout, retries, backoff] in
            try await Self.open(
                url: url, origin: origin, token: token, connectTimeout: connectTimeout, callTimeout: callTimeout,
                retries: retries, backoff: backoff)
        }
        connecting = attempt
        let (opened, auth) = try await withTaskCancellationHandler {
            do {
                let result = try await attempt.value
                if connecting == attempt { connecting = nil }
                return result
            } catch {
                if connecting == attempt { connecting = nil }
                throw error
            }
        } onCancel: {
            attempt.cancel()
        }
        if connection == nil {
            connection = opened
            authResult = auth
        }
        return connection!
    }

    private static func open(
        url: String, origin: String?, token: String, connectTimeout: Duration, callTimeout: Duration, retries: Int,
        backoff: Backoff
    ) async throws -> (RoadshowConnection, JSON) {
        var attempt = 0
        while true {
            do {
                let c = try await RoadshowConnection.connect(url: url, origin: origin, timeout: connectTimeout)
                do {
                    return (c, try await c.call("auth", ["token": .string(token)], timeout: callTimeout))
                } catch {
                    c.close()
                    throw error
                }
            } catch let error as RoadshowClientError where error.isTransient && attempt < retries {
                attempt += 1
                try await Task.sleep(for: backoff.delay(attempt: attempt))
            }
        }
    }
}
