import Synchronization

/// One incident version on its way to the sinks, shared by every sink's runner: its JSON
/// (exactly what `IncidentJSON` writes) is encoded once, by the first sink that asks, and the
/// runners' queues pass one reference instead of copying the incident's fields.
public final class OutgoingIncident: Sendable {
    public let incident: Incident
    private let encoded = Mutex<String?>(nil)

    public init(_ incident: Incident) { self.incident = incident }

    /// `IncidentJSON.string(incident)`, encoded on the first call.
    public var json: String {
        encoded.withLock { cached in
            if let cached { return cached }
            let s = IncidentJSON.string(incident)
            cached = s
            return s
        }
    }
}

extension Array where Element == OutgoingIncident {
    /// The batch as JSON lines, each newline-terminated.
    func jsonLines() -> [UInt8] {
        let jsons = map(\.json)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(jsons.reduce(0) { $0 + $1.utf8.count + 1 })
        for var s in jsons {
            s.withUTF8 { bytes.append(contentsOf: $0) }
            bytes.append(0x0A)
        }
        return bytes
    }
}
