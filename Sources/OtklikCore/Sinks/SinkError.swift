/// How a sink tells its `SinkRunner` what to do with a batch it could not write.
///
/// Any other error thrown by `Sink.write` counts as `.retryable(after: nil)`.
public enum SinkError: Error, Sendable, CustomStringConvertible {
    /// Try the same batch again later; `after` is the destination's own hint (`Retry-After`),
    /// which wins over the computed backoff.
    case retryable(String, after: Duration? = nil)
    /// The destination refused the batch for good (an HTTP 400): retrying cannot help, so the
    /// batch goes straight to the dead-letter file.
    case permanent(String)

    public var description: String {
        switch self {
        case .retryable(let m, let after):
            return after.map { "\(m) (retry after \(Self.format($0)))" } ?? m
        case .permanent(let m): return m
        }
    }

    static func format(_ d: Duration) -> String {
        let s = d.seconds
        return s < 1 ? "\(Int((s * 1000).rounded()))ms" : String(format: "%.1fs", s)
    }
}
