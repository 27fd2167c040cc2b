import Foundation

/// Rewrites the metrics file (`metrics_file:`) atomically every `interval`, for a
/// node exporter's textfile collector or a quick `cat`.
public struct MetricsFileWriter: Sendable {
    public let path: String
    public let interval: Duration
    public let metrics: Metrics
    public let logger: Logger

    public init(path: String, interval: Duration, metrics: Metrics, logger: Logger) {
        self.path = path; self.interval = interval; self.metrics = metrics; self.logger = logger
    }

    /// Writes once now; a failure is logged, never fatal.
    public func writeNow() {
        do { try metrics.write(to: path) }
        catch { logger.warning("cannot write the metrics file", ["path": path, "error": error]) }
    }

    /// Writes until cancelled.
    public func run() async {
        while !Task.isCancelled {
            writeNow()
            do { try await Task.sleep(for: interval) } catch { return }
        }
    }
}
