/// How a connector tells the runtime that a poll or a backfill page failed, and what to do.
public enum ConnectorError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Temporary: try again after this long (rate limits, budgets, a platform hiccup).
    case retryAfter(Duration)
    /// The source cannot be read now (network down, server error); retry on the normal schedule.
    case unavailable(String)
    /// Retrying will not help until someone changes the config or the credentials.
    case fatal(String)

    public var description: String {
        switch self {
        case .retryAfter(let d): return "retry after \(d)"
        case .unavailable(let m): return "unavailable: \(Redactor.redact(m))"
        case .fatal(let m): return "fatal: \(Redactor.redact(m))"
        }
    }
}

extension ConnectorError: RetryAfterHinting {
    /// The wait of `.retryAfter`, so the poll loop never comes back sooner.
    public var retryAfter: Duration? {
        if case .retryAfter(let d) = self { return d }
        return nil
    }
}
