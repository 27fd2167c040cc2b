import Synchronization

/// One incident version on its way to the sinks, shared by every sink's runner: its JSON
/// (exactly what `IncidentJSON` writes) is encoded once, by the first sink that asks, and the
/// runners' queues pass one reference instead of copying the incident's fields.
public final class OutgoingIncident: Sendable {
    public let incident: Incident
    private let encoded = Mutex<[UInt8]?>(nil)

    public init(_ incident: Incident) { self.incident = incident }

    /// `IncidentJSON.encode(incident)`, encoded on the first call. The sinks write these bytes
    /// as they are (a file line, an SQLite text value): no `String` is made of them.
    public var jsonBytes: [UInt8] {
        encoded.withLock { cached in
            if let cached { return cached }
            let bytes = IncidentJSON.encode(incident)
            cached = bytes
            return bytes
        }
    }

    /// `IncidentJSON.string(incident)`.
    public var json: String { String(decoding: jsonBytes, as: UTF8.self) }
}

extension Array where Element == OutgoingIncident {
    /// The batch as JSON lines, each newline-terminated.
    func jsonLines() -> [UInt8] {
        let jsons = map(\.jsonBytes)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(jsons.reduce(0) { $0 + $1.count + 1 })
        for json in jsons {
            bytes.append(contentsOf: json)
            bytes.append(0x0A)
        }
        return bytes
    }
}
