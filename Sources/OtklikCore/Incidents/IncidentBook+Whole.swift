import Foundation

extension IncidentBook {
    /// The part of an incident only the newest ones keep in memory — the opening post's key,
    /// link, source and text, the subcategory, rule hits and related post keys — packed in
    /// one byte buffer: one allocation instead of a dozen small strings and arrays (about
    /// half the memory), unpacked only when the incident is emitted or joined.
    struct Whole {
        private(set) var bytes: [UInt8] = []

        init(_ i: Incident) {
            // Exact enough that the buffer never grows (growth would leave up to half of it unused).
            func size(_ s: String?) -> Int { (s?.utf8.count ?? 0) + 5 }
            var need = size(i.openedBy) + size(i.url) + size(i.sourceID) + size(i.text) + size(i.subcategory) + 10
            for k in i.relatedPosts { need += size(k) }
            for h in i.hits { need += size(h.rule) + size(h.category) + 15 + h.matched.reduce(0) { $0 + size($1) } }
            bytes.reserveCapacity(need)
            put(i.openedBy); put(i.url); put(i.sourceID); put(i.text); put(i.subcategory)
            put(i.relatedPosts.count)
            for k in i.relatedPosts { put(k) }
            put(i.hits.count)
            for h in i.hits {
                put(h.rule); put(h.category)
                put(Int(bitPattern: UInt(h.weight.bitPattern)))
                put(h.matched.count)
                for m in h.matched { put(m) }
            }
        }

        /// Sets the packed fields of `i`.
        func unpack(into i: inout Incident) {
            var r = Reader(bytes: bytes)
            i.openedBy = r.string(); i.url = r.optional(); i.sourceID = r.string(); i.text = r.string()
            i.subcategory = r.optional()
            i.relatedPosts = (0..<r.int()).map { _ in r.string() }
            i.hits = (0..<r.int()).map { _ in
                let rule = r.string(), category = r.string()
                let weight = Double(bitPattern: UInt64(UInt(bitPattern: r.int())))
                return RuleHit(rule: rule, category: category, weight: weight, matched: (0..<r.int()).map { _ in r.string() })
            }
        }

        /// LEB128, with 0 reserved for "absent" in optional strings (lengths are stored + 1).
        private mutating func put(_ n: Int) {
            var v = UInt(bitPattern: n)
            while v >= 0x80 { bytes.append(UInt8(v & 0x7F) | 0x80); v >>= 7 }
            bytes.append(UInt8(v))
        }

        private mutating func put(_ s: String?) {
            guard let s else { put(0); return }
            put(s.utf8.count + 1)
            bytes.append(contentsOf: s.utf8)
        }

        private struct Reader {
            let bytes: [UInt8]
            var at = 0

            mutating func int() -> Int {
                var v: UInt = 0, shift: UInt = 0
                while true {
                    let b = bytes[at]; at += 1
                    v |= UInt(b & 0x7F) << shift
                    if b < 0x80 { return Int(bitPattern: v) }
                    shift += 7
                }
            }

            mutating func optional() -> String? {
                let n = int()
                guard n > 0 else { return nil }
                defer { at += n - 1 }
                return String(decoding: bytes[at..<at + n - 1], as: UTF8.self)
            }

            mutating func string() -> String { optional() ?? "" }
        }
    }
}
