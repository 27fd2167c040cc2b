import Foundation

/// A strict, forward-only reader of JSON bytes for the hand-written decoders (`PostJSONDecoder`).
///
/// It accepts only what it is sure `JSONDecoder` reads the same way, and throws `Unusual` for
/// everything else (odd escapes, deep nesting, invalid UTF-8, numbers it does not parse itself…):
/// its callers then hand the input to `JSONDecoder`, so behaviour and error messages stay
/// exactly those of `Codable`. The bytes must outlive the scanner.
struct JSONByteScanner {
    /// Not something this scanner decides: let `JSONDecoder` read the input.
    struct Unusual: Error {}

    private let base: UnsafePointer<UInt8>
    private let end: Int
    private(set) var at = 0
    /// Scratch space for strings with escapes.
    private var scratch: [UInt8] = []

    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        // An empty buffer may have no address; any valid pointer with `end == 0` is never read.
        base = bytes.baseAddress ?? UnsafePointer(bitPattern: 1)!
        end = bytes.count
    }

    var isAtEnd: Bool { at >= end }

    /// `read`'s value when it reads all of `bytes` (trailing whitespace allowed), nil when it
    /// finds something unusual or leaves bytes over: the caller then asks `JSONDecoder`.
    static func readWhole<T>(_ bytes: UnsafeBufferPointer<UInt8>,
                             _ read: (inout JSONByteScanner) throws(Unusual) -> T) -> T? {
        var s = JSONByteScanner(bytes)
        do {
            let value = try read(&s)
            s.skipSpace()
            return s.isAtEnd ? value : nil
        } catch {
            return nil
        }
    }

    /// Skips JSON whitespace (space, tab, LF, CR).
    mutating func skipSpace() {
        while at < end {
            let b = base[at]
            guard b == 0x20 || b == 0x0A || b == 0x09 || b == 0x0D else { return }
            at += 1
        }
    }

    /// The next byte after whitespace, not consumed.
    mutating func peek() throws(Unusual) -> UInt8 {
        skipSpace()
        guard at < end else { throw Unusual() }
        return base[at]
    }

    mutating func expect(_ byte: UInt8) throws(Unusual) {
        guard try peek() == byte else { throw Unusual() }
        at += 1
    }

    /// Consumes `byte` if it comes next.
    mutating func take(_ byte: UInt8) throws(Unusual) -> Bool {
        guard try peek() == byte else { return false }
        at += 1
        return true
    }

    /// Consumes a `null` if one comes next.
    mutating func takeNull() throws(Unusual) -> Bool {
        guard try peek() == 0x6E else { return false }
        try literal("null")
        return true
    }

    private mutating func literal(_ word: StaticString) throws(Unusual) {
        let n = word.utf8CodeUnitCount
        guard end - at >= n, memcmp(base + at, word.utf8Start, n) == 0 else { throw Unusual() }
        at += n
    }

    // MARK: objects and arrays

    /// Calls `member` with each key's raw bytes (no escapes: a key with one is `Unusual`) and
    /// the scanner positioned at its value, which `member` must consume.
    mutating func object(_ member: (inout JSONByteScanner, UnsafeBufferPointer<UInt8>) throws(Unusual) -> Void) throws(Unusual) {
        try members(key: { s throws(Unusual) in try s.rawKey() }, member)
    }

    /// As `object`, for a map with arbitrary string keys (escapes decoded).
    mutating func dictionary(_ member: (inout JSONByteScanner, String) throws(Unusual) -> Void) throws(Unusual) {
        try members(key: { s throws(Unusual) in try s.string() }, member)
    }

    /// `{ key: value, … }` with keys read by `key`.
    private mutating func members<Key>(key: (inout JSONByteScanner) throws(Unusual) -> Key,
                                       _ member: (inout JSONByteScanner, Key) throws(Unusual) -> Void) throws(Unusual) {
        try expect(0x7B)
        if try take(0x7D) { return }
        repeat {
            let k = try key(&self)
            try expect(0x3A)
            try member(&self, k)
        } while try take(0x2C)
        try expect(0x7D)
    }

    /// Calls `element` with the scanner positioned at each element.
    mutating func array(_ element: (inout JSONByteScanner) throws(Unusual) -> Void) throws(Unusual) {
        try expect(0x5B)
        if try take(0x5D) { return }
        repeat { try element(&self) } while try take(0x2C)
        try expect(0x5D)
    }

    /// A key's bytes: keys of the post shape are plain ASCII (anything else is `Unusual`).
    private mutating func rawKey() throws(Unusual) -> UnsafeBufferPointer<UInt8> { try asciiString() }

    // MARK: strings

    /// A string value: escapes decoded, UTF-8 validated.
    mutating func string() throws(Unusual) -> String {
        try expect(0x22)
        let start = at
        var high: UInt64 = 0
        while true {
            // Eight bytes at a time while none is a quote, a backslash or a control character.
            while end - at >= 8 {
                let v = UnsafeRawPointer(base + at).loadUnaligned(as: UInt64.self)
                guard !Self.hasSpecialByte(v) else { break }
                high |= v
                at += 8
            }
            guard at < end else { throw Unusual() }
            let b = base[at]
            if b == 0x22 {
                let bytes = UnsafeBufferPointer(start: base + start, count: at - start)
                at += 1
                if high & 0x8080_8080_8080_8080 == 0 { return String(decoding: bytes, as: UTF8.self) }
                return try Self.validated(bytes)
            }
            if b == 0x5C { return try escapedString(from: start) }
            guard b >= 0x20 else { throw Unusual() }
            high |= UInt64(b)
            at += 1
        }
    }

    /// Whether any of the eight bytes is `"`, `\` or below 0x20 (bit tricks on the word).
    @inline(__always)
    private static func hasSpecialByte(_ v: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
        func hasZeroByte(_ x: UInt64) -> UInt64 { (x &- ones) & ~x & highs }
        let quote = hasZeroByte(v ^ (ones &* 0x22)), backslash = hasZeroByte(v ^ (ones &* 0x5C))
        let control = (v &- ones &* 0x20) & ~v & highs
        return quote | backslash | control != 0
    }

    /// The string when `bytes` are valid UTF-8: decoding repairs invalid bytes, so the bytes
    /// come back unchanged exactly when they were valid (cheaper than `String(validating:)`).
    static func validated(_ bytes: UnsafeBufferPointer<UInt8>) throws(Unusual) -> String {
        guard let from = bytes.baseAddress, !bytes.isEmpty else { return "" }
        var s = String(decoding: bytes, as: UTF8.self)
        let same = s.withUTF8 { u in u.count == bytes.count && memcmp(u.baseAddress!, from, u.count) == 0 }
        guard same else { throw Unusual() }
        return s
    }

    /// The rest of a string that has an escape at `at`; its first `at - start` bytes are plain.
    private mutating func escapedString(from start: Int) throws(Unusual) -> String {
        scratch.removeAll(keepingCapacity: true)
        scratch.append(contentsOf: UnsafeBufferPointer(start: base + start, count: at - start))
        while at < end {
            let b = base[at]
            at += 1
            switch b {
            case 0x22:
                return try scratch.withUnsafeBufferPointer { (u) throws(Unusual) -> String in try Self.validated(u) }
            case 0x5C:
                guard at < end else { throw Unusual() }
                let e = base[at]
                at += 1
                switch e {
                case 0x22, 0x5C, 0x2F: scratch.append(e)
                case 0x62: scratch.append(0x08)
                case 0x66: scratch.append(0x0C)
                case 0x6E: scratch.append(0x0A)
                case 0x72: scratch.append(0x0D)
                case 0x74: scratch.append(0x09)
                case 0x75: try unicodeEscape()
                default: throw Unusual()
                }
            default:
                guard b >= 0x20 else { throw Unusual() }
                scratch.append(b)
            }
        }
        throw Unusual()
    }

    /// After `\u`: four hex digits, a surrogate pair as two escapes; a lone surrogate is `Unusual`.
    private mutating func unicodeEscape() throws(Unusual) {
        var v = try hex4()
        if v >= 0xD800 && v < 0xDC00 {
            guard end - at >= 6, base[at] == 0x5C, base[at + 1] == 0x75 else { throw Unusual() }
            at += 2
            let low = try hex4()
            guard low >= 0xDC00 && low < 0xE000 else { throw Unusual() }
            v = 0x10000 + ((v - 0xD800) << 10) + (low - 0xDC00)
        } else if v >= 0xDC00 && v < 0xE000 {
            throw Unusual()
        }
        guard let scalar = Unicode.Scalar(v) else { throw Unusual() }
        scratch.append(contentsOf: UTF8.encode(scalar)!)
    }

    private mutating func hex4() throws(Unusual) -> UInt32 {
        guard end - at >= 4 else { throw Unusual() }
        var v: UInt32 = 0
        for _ in 0..<4 {
            let b = base[at]
            let d: UInt8
            switch b {
            case 0x30...0x39: d = b - 0x30
            case 0x41...0x46: d = b - 0x41 + 10
            case 0x61...0x66: d = b - 0x61 + 10
            default: throw Unusual()
            }
            v = v << 4 | UInt32(d)
            at += 1
        }
        return v
    }

    /// A string's raw bytes between the quotes when it has no escapes, for callers that parse
    /// them themselves (dates). Non-ASCII or escaped content is `Unusual`.
    mutating func asciiString() throws(Unusual) -> UnsafeBufferPointer<UInt8> {
        try expect(0x22)
        let start = at
        while at < end {
            let b = base[at]
            if b == 0x22 {
                at += 1
                return UnsafeBufferPointer(start: base + start, count: at - 1 - start)
            }
            guard b >= 0x20, b != 0x5C, b < 0x80 else { throw Unusual() }
            at += 1
        }
        throw Unusual()
    }

    // MARK: numbers

    /// A JSON integer without fraction or exponent that fits in `Int64` (18 digits at most).
    mutating func integer() throws(Unusual) -> Int64 {
        _ = try peek()
        let negative = base[at] == 0x2D
        if negative { at += 1 }
        let start = at
        var v: Int64 = 0
        while at < end, base[at] >= 0x30, base[at] <= 0x39 {
            guard at - start < 18 else { throw Unusual() }
            v = v * 10 + Int64(base[at] - 0x30)
            at += 1
        }
        let digits = at - start
        guard digits > 0, !(digits > 1 && base[start] == 0x30), !(negative && v == 0) else { throw Unusual() }
        if at < end, base[at] == 0x2E || base[at] == 0x65 || base[at] == 0x45 { throw Unusual() }
        return negative ? -v : v
    }

    /// A JSON number as a finite `Double` (correctly rounded, as `JSONDecoder` reads it).
    mutating func double() throws(Unusual) -> Double {
        let bytes = try numberBytes()
        let text = String(decoding: bytes, as: UTF8.self)
        guard let d = Double(text), d.isFinite else { throw Unusual() }
        return d
    }

    /// The bytes of one number in strict JSON grammar: `-?(0|[1-9]d*)(.d+)?([eE][+-]?d+)?`.
    private mutating func numberBytes() throws(Unusual) -> UnsafeBufferPointer<UInt8> {
        _ = try peek()
        let start = at
        func digits(_ s: inout JSONByteScanner) -> Int {
            let from = s.at
            while s.at < s.end, s.base[s.at] >= 0x30, s.base[s.at] <= 0x39 { s.at += 1 }
            return s.at - from
        }
        if base[at] == 0x2D { at += 1 }
        let intStart = at
        let n = digits(&self)
        guard n > 0, !(n > 1 && base[intStart] == 0x30) else { throw Unusual() }
        if at < end, base[at] == 0x2E {
            at += 1
            guard digits(&self) > 0 else { throw Unusual() }
        }
        if at < end, base[at] == 0x65 || base[at] == 0x45 {
            at += 1
            if at < end, base[at] == 0x2B || base[at] == 0x2D { at += 1 }
            guard digits(&self) > 0 else { throw Unusual() }
        }
        guard at - start <= 64 else { throw Unusual() }
        return UnsafeBufferPointer(start: base + start, count: at - start)
    }

    // MARK: skipping

    /// Consumes any valid JSON value (an unknown key's), nested at most `depth` levels.
    mutating func skipValue(depth: Int = 32) throws(Unusual) {
        guard depth > 0 else { throw Unusual() }
        switch try peek() {
        case 0x22: _ = try string()
        case 0x7B: try object { s, _ throws(Unusual) in try s.skipValue(depth: depth - 1) }
        case 0x5B: try array { s throws(Unusual) in try s.skipValue(depth: depth - 1) }
        case 0x74: try literal("true")
        case 0x66: try literal("false")
        case 0x6E: try literal("null")
        default: _ = try numberBytes()
        }
    }
}

extension UnsafeBufferPointer<UInt8> {
    /// Whether these bytes spell `word` (a static ASCII key).
    func equals(_ word: StaticString) -> Bool {
        count == word.utf8CodeUnitCount && (count == 0 || memcmp(baseAddress!, word.utf8Start, count) == 0)
    }
}
