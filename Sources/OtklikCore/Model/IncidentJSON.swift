import Foundation

/// A hand-written JSON encoder for `Incident`, byte for byte what `OtklikJSON.encoder()`
/// writes (sorted keys, unescaped slashes, ISO-8601 times, absent optionals left out).
///
/// Why: every incident version is encoded several times (the incident index's state, the
/// SQLite sink, the file sink, HTTP batches), and `JSONEncoder` costs tens of microseconds
/// per incident through `Codable`'s boxing. This writes straight into a byte buffer.
/// `IncidentJSONTests` checks it against `JSONEncoder` on many incidents.
public enum IncidentJSON {
    /// The incident as one JSON object (no trailing newline).
    public static func encode(_ i: Incident) -> [UInt8] {
        var w = JSONBytes()
        w.reserve(512 + i.text.utf8.count * 2)
        write(i, to: &w)
        return w.bytes
    }

    public static func data(_ i: Incident) -> Data { Data(encode(i)) }

    public static func string(_ i: Incident) -> String { String(decoding: encode(i), as: UTF8.self) }

    /// Appends the incident's object to `w`.
    public static func write(_ i: Incident, to w: inout JSONBytes) {
        w.open()
        w.key("category"); w.string(i.category)
        w.key("deadline"); w.date(i.deadline)
        if let e = i.executor {
            w.key("executor"); w.open()
            if let c = e.contact { w.key("contact"); w.string(c) }
            w.key("name"); w.string(e.name)
            w.close()
        }
        w.key("first_seen"); w.date(i.firstSeen)
        if let g = i.geo {
            w.key("geo"); w.open()
            w.key("geo_confidence"); w.number(g.confidence)
            w.key("geo_method"); w.string(g.method.rawValue)
            if let v = g.house { w.key("house"); w.string(v) }
            if let v = g.lat { w.key("lat"); w.number(v) }
            if let v = g.lon { w.key("lon"); w.number(v) }
            if let v = g.municipality { w.key("municipality"); w.string(v) }
            if let v = g.municipalityID { w.key("municipality_id"); w.string(v) }
            if let v = g.settlement { w.key("settlement"); w.string(v) }
            if let v = g.street { w.key("street"); w.string(v) }
            w.close()
        }
        w.key("id"); w.string(i.id)
        w.key("last_seen"); w.date(i.lastSeen)
        w.key("opened_by"); w.string(i.openedBy)
        w.key("related_count"); w.number(Double(i.relatedCount))
        w.key("related_posts"); w.array(i.relatedPosts) { w, s in w.string(s) }
        w.key("rules"); w.array(i.hits) { w, h in
            w.open()
            w.key("category"); w.string(h.category)
            w.key("matched"); w.array(h.matched) { w, s in w.string(s) }
            w.key("rule"); w.string(h.rule)
            w.key("weight"); w.number(h.weight)
            w.close()
        }
        w.key("score"); w.number(i.score)
        w.key("severity"); w.string(i.severity.rawValue)
        w.key("source_id"); w.string(i.sourceID)
        w.key("status"); w.string(i.status)
        if let s = i.subcategory { w.key("subcategory"); w.string(s) }
        w.key("text"); w.string(i.text)
        if let u = i.url { w.key("url"); w.string(u) }
        w.close()
    }
}

/// A JSON writer into bytes in Otklik's dialect (see `IncidentJSON`). Commas are placed
/// automatically: call `key` before each member of an object.
public struct JSONBytes {
    public private(set) var bytes: [UInt8] = []
    private var needComma = false

    public init() {}

    public mutating func reserve(_ n: Int) { bytes.reserveCapacity(n) }

    public mutating func open() { separate(); bytes.append(0x7B); needComma = false }
    public mutating func close() { bytes.append(0x7D); needComma = true }

    public mutating func key(_ k: StaticString) {
        separate()
        bytes.append(0x22)
        bytes.append(contentsOf: UnsafeBufferPointer(start: k.utf8Start, count: k.utf8CodeUnitCount))
        bytes.append(0x22); bytes.append(0x3A)
        needComma = false
    }

    public mutating func array<T>(_ items: [T], _ element: (inout JSONBytes, T) -> Void) {
        separate()
        bytes.append(0x5B); needComma = false
        for x in items { element(&self, x) }
        bytes.append(0x5D); needComma = true
    }

    private mutating func separate() {
        if needComma { bytes.append(0x2C) }
    }

    /// `JSONEncoder`'s escaping with `.withoutEscapingSlashes`: quote, backslash, and control
    /// characters; everything else (non-ASCII included) as is. Runs without any of them are
    /// found eight bytes at a time and copied whole.
    public mutating func string(_ s: String) {
        separate()
        bytes.append(0x22)
        if s.utf8.withContiguousStorageIfAvailable({ appendEscaped($0) }) == nil {
            var s = s
            s.withUTF8 { appendEscaped($0) }
        }
        bytes.append(0x22)
        needComma = true
    }

    private mutating func appendEscaped(_ u: UnsafeBufferPointer<UInt8>) {
        var run = 0
        var k = Self.nextEscape(u, from: 0)
        while k < u.count {
            if k > run { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: u[run..<k])) }
            escape(u[k])
            run = k + 1
            k = Self.nextEscape(u, from: run)
        }
        if u.count > run { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: u[run...])) }
    }

    private mutating func escape(_ b: UInt8) {
        bytes.append(0x5C)
        switch b {
        case 0x22: bytes.append(0x22)
        case 0x5C: bytes.append(0x5C)
        case 0x08: bytes.append(0x62)
        case 0x09: bytes.append(0x74)
        case 0x0A: bytes.append(0x6E)
        case 0x0C: bytes.append(0x66)
        case 0x0D: bytes.append(0x72)
        default:
            bytes.append(0x75); bytes.append(0x30); bytes.append(0x30)
            bytes.append(0x30 + (b >> 4)); bytes.append(b & 0xF < 10 ? 0x30 + (b & 0xF) : 0x57 + (b & 0xF))
        }
    }

    /// The index of the first byte at or after `start` that must be escaped (`u.count` if none).
    static func nextEscape(_ u: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        var k = start
        if let base = u.baseAddress {
            let raw = UnsafeRawPointer(base)
            while k + 8 <= u.count, !mayNeedEscape(raw.loadUnaligned(fromByteOffset: k, as: UInt64.self)) { k += 8 }
        }
        while k < u.count {
            let b = u[k]
            if b < 0x20 || b == 0x22 || b == 0x5C { return k }
            k += 1
        }
        return k
    }

    /// Whether any of the eight bytes is below 0x20, a quote or a backslash (exact: a word
    /// without one is never reported).
    @inline(__always) static func mayNeedEscape(_ w: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101, high: UInt64 = 0x8080_8080_8080_8080
        let quote = w ^ (ones &* 0x22), backslash = w ^ (ones &* 0x5C)
        let below20 = (w &- ones &* 0x20) & ~w
        let zeroQuote = (quote &- ones) & ~quote
        let zeroBackslash = (backslash &- ones) & ~backslash
        return (below20 | zeroQuote | zeroBackslash) & high != 0
    }

    /// As `JSONEncoder`: the shortest round-trip form, without a trailing `.0`. Whole numbers
    /// below 2^53 (counts, weights, most scores) are written from their digits without a `String`.
    public mutating func number(_ d: Double) {
        separate()
        if d.rounded() == d, abs(d) < 1e15, !(d == 0 && d.sign == .minus) {
            var v = Int64(d)
            if v < 0 { bytes.append(0x2D); v = -v }
            ISODate.appendDigits(v, minimum: 1, to: &bytes)
        } else {
            var s = d.description
            if s.hasSuffix(".0") { s.removeLast(2) }
            bytes.append(contentsOf: s.utf8)
        }
        needComma = true
    }

    public mutating func date(_ date: Date) {
        separate()
        bytes.append(0x22)
        if !ISODate.appendWholeSeconds(date, to: &bytes), !ISODate.appendMilliseconds(date, to: &bytes) {
            bytes.append(contentsOf: OtklikJSON.formatDate(date).utf8)
        }
        bytes.append(0x22)
        needComma = true
    }
}

/// `2026-11-24T10:15:00Z` without Foundation's formatter, for whole seconds in years 1900–9999
/// (the usual case); `OtklikJSON.formatDate` handles the rest.
enum ISODate {
    /// Appends the time and returns true, or appends nothing and returns false.
    static func appendWholeSeconds(_ date: Date, to out: inout [UInt8]) -> Bool {
        let t = date.timeIntervalSince1970
        guard t == t.rounded(), t >= -2_208_988_800, t < 253_402_300_800 else { return false }   // 1900…9999: Foundation uses the Julian calendar before 1582
        let secs = Int64(t)
        var days = secs / 86400, rem = secs % 86400
        if rem < 0 { rem += 86400; days -= 1 }
        // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        func digits(_ v: Int64, _ n: Int) { appendDigits(v, minimum: n, to: &out) }
        digits(year, 4); out.append(0x2D); digits(month, 2); out.append(0x2D); digits(day, 2)
        out.append(0x54)
        digits(rem / 3600, 2); out.append(0x3A); digits(rem / 60 % 60, 2); out.append(0x3A); digits(rem % 60, 2)
        out.append(0x5A)
        return true
    }

    /// Appends the decimal digits of `v` (not negative), zero-padded to at least `minimum` digits.
    static func appendDigits(_ v: Int64, minimum: Int, to out: inout [UInt8]) {
        var buf: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes: every Int64 fits
        withUnsafeMutableBytes(of: &buf) { b in
            var k = b.count, x = v
            repeat {
                k -= 1
                b[k] = 0x30 + UInt8(x % 10)
                x /= 10
            } while x > 0 || b.count - k < minimum
            out.append(contentsOf: UnsafeRawBufferPointer(rebasing: b[k...]))
        }
    }
}
