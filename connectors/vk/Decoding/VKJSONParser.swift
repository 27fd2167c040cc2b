import Foundation

/// A malformed JSON document: where and why.
public struct VKJSONError: Error, Sendable, CustomStringConvertible {
    public var offset: Int
    public var reason: String
    public var description: String { "invalid JSON at byte \(offset): \(reason)" }
}

/// A small strict JSON parser over UTF-8 bytes, built for speed on VK responses
/// (no bridging through `NSDictionary`; strings without escapes are copied once).
public struct VKJSONParser {
    private let bytes: UnsafeBufferPointer<UInt8>
    private let skipping: Set<String>
    private var i = 0
    private var depth = 0
    private static let maxDepth = 256

    private init(_ bytes: UnsafeBufferPointer<UInt8>, skipping: Set<String>) { self.bytes = bytes; self.skipping = skipping }

    /// Members the VK decoder never reads and that make up most of a response's bytes
    /// (photo sizes, previews, avatars): stepped over, not built.
    public static let vkUnused: Set<String> = [
        "sizes", "preview", "photo_50", "photo_100", "photo_200", "photo_max", "photo_max_orig",
        "image", "images", "first_frame", "photo", "access_key", "track_code", "hash", "files",
        "restrictions", "ads", "donut", "reactions", "copyright", "online_info",
    ]

    /// Parses one JSON document (surrounding whitespace allowed). Object members named in
    /// `skipping` are validated and left out.
    public static func parse(_ data: Data, skipping: Set<String> = []) throws(VKJSONError) -> VKJSON {
        let result: Result<VKJSON, VKJSONError> = data.withUnsafeBytes { raw in
            var p = VKJSONParser(raw.bindMemory(to: UInt8.self), skipping: skipping)
            do throws(VKJSONError) {
                p.skipSpace()
                let v = try p.value()
                p.skipSpace()
                if p.i != p.bytes.count { throw p.fail("trailing characters") }
                return .success(v)
            } catch { return .failure(error) }
        }
        return try result.get()
    }

    private func fail(_ reason: String) -> VKJSONError { VKJSONError(offset: i, reason: reason) }

    private mutating func skipSpace() {
        while i < bytes.count {
            let c = bytes[i]
            if c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 { i += 1 } else { return }
        }
    }

    private mutating func value() throws(VKJSONError) -> VKJSON {
        guard i < bytes.count else { throw fail("unexpected end") }
        switch bytes[i] {
        case UInt8(ascii: "{"): return try object()
        case UInt8(ascii: "["): return try array()
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        default: return try number()
        }
    }

    private mutating func literal(_ word: StaticString) throws(VKJSONError) {
        let n = word.utf8CodeUnitCount
        guard i + n <= bytes.count else { throw fail("unexpected end") }
        let w = word.utf8Start
        for k in 0..<n where bytes[i + k] != w[k] { throw fail("unexpected character") }
        i += n
    }

    private mutating func enter() throws(VKJSONError) {
        depth += 1
        if depth > Self.maxDepth { throw fail("nesting deeper than \(Self.maxDepth)") }
    }

    private mutating func object() throws(VKJSONError) -> VKJSON {
        try enter()
        i += 1
        var pairs: [(String, VKJSON)] = []
        skipSpace()
        if i < bytes.count, bytes[i] == UInt8(ascii: "}") { i += 1; depth -= 1; return .object(pairs) }
        while true {
            skipSpace()
            guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { throw fail("expected a key") }
            let key = try string()
            skipSpace()
            guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { throw fail("expected ':'") }
            i += 1
            skipSpace()
            if !skipping.isEmpty && skipping.contains(key) { try skipValue() } else { pairs.append((key, try value())) }
            skipSpace()
            guard i < bytes.count else { throw fail("unexpected end") }
            if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
            if bytes[i] == UInt8(ascii: "}") { i += 1; break }
            throw fail("expected ',' or '}'")
        }
        depth -= 1
        return .object(pairs)
    }

    private mutating func array() throws(VKJSONError) -> VKJSON {
        try enter()
        i += 1
        var items: [VKJSON] = []
        skipSpace()
        if i < bytes.count, bytes[i] == UInt8(ascii: "]") { i += 1; depth -= 1; return .array(items) }
        while true {
            skipSpace()
            items.append(try value())
            skipSpace()
            guard i < bytes.count else { throw fail("unexpected end") }
            if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
            if bytes[i] == UInt8(ascii: "]") { i += 1; break }
            throw fail("expected ',' or ']'")
        }
        depth -= 1
        return .array(items)
    }

    /// Steps over one value without building it (brackets and strings must still balance).
    private mutating func skipValue() throws(VKJSONError) {
        guard i < bytes.count else { throw fail("unexpected end") }
        switch bytes[i] {
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            var stack: [UInt8] = []
            repeat {
                guard i < bytes.count else { throw fail("unexpected end") }
                let c = bytes[i]
                switch c {
                case UInt8(ascii: "{"): stack.append(UInt8(ascii: "}")); i += 1
                case UInt8(ascii: "["): stack.append(UInt8(ascii: "]")); i += 1
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    guard stack.popLast() == c else { throw fail("mismatched bracket") }
                    i += 1
                case UInt8(ascii: "\""): try skipString()
                default: i += 1
                }
                if stack.count > Self.maxDepth { throw fail("nesting deeper than \(Self.maxDepth)") }
            } while !stack.isEmpty
        case UInt8(ascii: "\""): try skipString()
        default: _ = try value()
        }
    }

    private mutating func skipString() throws(VKJSONError) {
        i += 1
        while i < bytes.count {
            let c = bytes[i]
            if c == UInt8(ascii: "\"") { i += 1; return }
            i += c == UInt8(ascii: "\\") ? 2 : 1
        }
        throw fail("unterminated string")
    }

    private mutating func number() throws(VKJSONError) -> VKJSON {
        let start = i
        var integral = true
        if i < bytes.count, bytes[i] == UInt8(ascii: "-") { i += 1 }
        var digits = 0
        var value: Int64 = 0
        var overflow = false
        while i < bytes.count, bytes[i] >= 0x30, bytes[i] <= 0x39 {
            let (m, o1) = value.multipliedReportingOverflow(by: 10)
            let (a, o2) = m.addingReportingOverflow(Int64(bytes[i] - 0x30))
            value = a; overflow = overflow || o1 || o2
            i += 1; digits += 1
        }
        guard digits > 0 else { throw fail("unexpected character") }
        if i < bytes.count, bytes[i] == UInt8(ascii: ".") {
            integral = false; i += 1
            while i < bytes.count, bytes[i] >= 0x30, bytes[i] <= 0x39 { i += 1 }
        }
        if i < bytes.count, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
            integral = false; i += 1
            if i < bytes.count, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i += 1 }
            while i < bytes.count, bytes[i] >= 0x30, bytes[i] <= 0x39 { i += 1 }
        }
        if integral && !overflow {
            return .int(bytes[start] == UInt8(ascii: "-") ? -value : value)
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self)
        guard let d = Double(text) else { throw fail("bad number") }
        return .double(d)
    }

    private mutating func string() throws(VKJSONError) -> String {
        i += 1
        let start = i
        while i < bytes.count {
            let c = bytes[i]
            if c == UInt8(ascii: "\"") {
                let s = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self)
                i += 1
                return s
            }
            if c == UInt8(ascii: "\\") { return try escapedString(from: start) }
            i += 1
        }
        throw fail("unterminated string")
    }

    private mutating func escapedString(from start: Int) throws(VKJSONError) -> String {
        var out: [UInt8] = Array(UnsafeBufferPointer(rebasing: bytes[start..<i]))
        while i < bytes.count {
            let c = bytes[i]
            if c == UInt8(ascii: "\"") { i += 1; return String(decoding: out, as: UTF8.self) }
            if c != UInt8(ascii: "\\") { out.append(c); i += 1; continue }
            i += 1
            guard i < bytes.count else { break }
            let e = bytes[i]
            i += 1
            switch e {
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "u"):
                var scalar = try hex4()
                if (0xD800..<0xDC00).contains(scalar), i + 1 < bytes.count,
                   bytes[i] == UInt8(ascii: "\\"), bytes[i + 1] == UInt8(ascii: "u") {
                    i += 2
                    let low = try hex4()
                    if (0xDC00..<0xE000).contains(low) {
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    } else {
                        out.append(contentsOf: Self.utf8(0xFFFD)); scalar = low
                    }
                }
                out.append(contentsOf: Self.utf8(scalar))
            default: out.append(e)
            }
        }
        throw fail("unterminated string")
    }

    private mutating func hex4() throws(VKJSONError) -> UInt32 {
        guard i + 4 <= bytes.count else { throw fail("bad \\u escape") }
        var v: UInt32 = 0
        for _ in 0..<4 {
            let c = bytes[i]
            let d: UInt32
            switch c {
            case 0x30...0x39: d = UInt32(c - 0x30)
            case 0x41...0x46: d = UInt32(c - 0x41 + 10)
            case 0x61...0x66: d = UInt32(c - 0x61 + 10)
            default: throw fail("bad \\u escape")
            }
            v = v << 4 | d
            i += 1
        }
        return v
    }

    private static func utf8(_ v: UInt32) -> [UInt8] {
        guard let s = Unicode.Scalar(v) else { return [0xEF, 0xBF, 0xBD] }
        return Array(String(Character(s)).utf8)
    }
}
