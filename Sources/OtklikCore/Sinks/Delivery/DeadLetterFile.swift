import Foundation

/// The file where a sink's undeliverable batches end up: `<dir>/<sink>.dead.jsonl`, mode 0600.
///
/// One JSON object per incident and line, so nothing is lost and an operator can replay it:
/// `{"attempts":N,"dead_at":"…","error":"…","incident":{…},"sink":"…"}` (the error text redacted).
/// Writes run on a private queue, off the cooperative pool, and are fsynced before returning,
/// because the runner acknowledges the incidents once they are here.
public final class DeadLetterFile: Sendable {
    public let path: String
    public let sink: String
    private let queue = DispatchQueue(label: "otklik.sink.deadletter")

    public init(directory: String, sink: String) {
        self.sink = sink
        path = directory + "/" + Self.safeName(sink) + ".dead.jsonl"
    }

    struct Entry: Encodable {
        var sink: String
        var deadAt: Date
        var attempts: Int
        var error: String
        var incident: Incident
        enum CodingKeys: String, CodingKey {
            case sink, deadAt = "dead_at", attempts, error, incident
        }
    }

    /// Appends `batch` and syncs it to disk.
    public func append(_ batch: [Incident], error: String, attempts: Int, now: Date = Date()) async throws {
        let encoder = OtklikJSON.encoder()
        var data = Data()
        let reason = Redactor.redact(error)
        for incident in batch {
            data.append(try encoder.encode(Entry(sink: sink, deadAt: now, attempts: attempts, error: reason,
                                                 incident: incident)))
            data.append(0x0A)
        }
        let path = self.path, lines = data
        try await withCheckedThrowingContinuation { (cont: CheckedContinuation<Void, any Error>) in
            queue.async {
                cont.resume(with: Result {
                    let file = try AppendFile(path: path)
                    defer { file.close() }
                    try file.append(lines)
                    try file.sync()
                })
            }
        }
    }

    /// A sink name as a file name: anything but letters, digits, `-`, `_`, `.` becomes `_`.
    static func safeName(_ name: String) -> String {
        let s = String(name.map { $0.isLetter || $0.isNumber || "-_.".contains($0) ? $0 : "_" })
        return s.isEmpty || s.hasPrefix(".") ? "_" + s : s
    }
}
