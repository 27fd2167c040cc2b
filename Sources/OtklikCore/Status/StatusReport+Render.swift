import Foundation

extension StatusReport {
    /// A readable block per pipeline: sources, then sinks, then notes.
    public func renderText(now: Date) -> String {
        func ago(_ d: Date?) -> String {
            guard let d else { return "never" }
            return Self.duration(now.timeIntervalSince(d)) + " ago"
        }
        var out = "pipeline \(pipeline)\n"
        out += "  sources:\n"
        for s in sources {
            let mark = s.failing ? "FAILING" : (s.errorStreak > 0 ? "erring" : "ok")
            out += "    \(s.id) [\(s.connector ?? "?")] \(mark): last success \(ago(s.lastSuccessAt)), "
            out += "newest post \(ago(s.newestPostAt)), posts read \(s.postsRead)"
            if s.errorStreak > 0 {
                out += ", error streak \(s.errorStreak)"
                if let f = s.failingFor { out += " (failing for \(Self.duration(f)))" }
                if let e = s.lastError { out += "\n      last error: \(Redactor.redact(e))" }
            }
            out += "\n"
            for (k, v) in (s.connectorStatus ?? [:]).sorted(by: { $0.key < $1.key }) {
                out += "      \(k) = \(v)\n"
            }
        }
        out += "  sinks:\n"
        for k in sinks {
            out += "    \(k.name) [\(k.type ?? "?")]: queue \(k.queueDepth.map(String.init) ?? "?"), "
            out += "last delivery \(k.lastDeliveryAt == nil && k.queueDepth == nil ? "?" : ago(k.lastDeliveryAt))"
            if let d = k.delivered { out += ", delivered \(d)" }
            if let d = k.deadLettered, d > 0 { out += ", dead-lettered \(d)" }
            out += "\n"
        }
        for n in notes { out += "  note: \(n)\n" }
        return out
    }

    /// `90` → `1m30s`, `7200` → `2h0m`.
    static func duration(_ t: TimeInterval) -> String {
        let s = Int(max(0, t))
        if s < 60 { return "\(s)s" }
        if s < 3600 { return "\(s / 60)m\(s % 60)s" }
        if s < 86400 { return "\(s / 3600)h\(s % 3600 / 60)m" }
        return "\(s / 86400)d\(s % 86400 / 3600)h"
    }
}
