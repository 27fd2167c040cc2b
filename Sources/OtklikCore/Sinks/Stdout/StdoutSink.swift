import Foundation

/// `type: stdout`: one JSON line per incident on standard output, for pipes and backfills.
///
/// Writes go straight to file descriptor 1 from the sink's own queue, so a slow reader
/// slows the sink (and, through its queue, the pipeline) instead of the cooperative pool.
public actor StdoutSink: Sink {
    public nonisolated let name: String
    private nonisolated let executor = DispatchQueueExecutor(label: "otklik.sink.stdout")
    public nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }
    private let fd: Int32

    /// `fd` is 1 except in tests.
    public init(name: String, fd: Int32 = 1) { self.name = name; self.fd = fd }

    public func write(_ batch: [Incident]) throws {
        guard AppendFile.writeAll(fd, try batch.jsonLines()) else {
            throw SinkError.retryable("cannot write to standard output: \(String(cString: strerror(errno)))")
        }
    }

    public func flush() {}
    public func close() {}

    /// No keys of its own.
    public static let factory: SinkFactory = { config, ctx in
        try config.readKeys(ctx) { _ in }
        return StdoutSink(name: config.name)
    }
}
