import Foundation

/// One tag found by `HTMLBytes.nextTag`: where it sits and where its name is.
struct HTMLTag {
    /// Index of `<`.
    var start: Int
    /// Index just after `>`.
    var end: Int
    var nameStart: Int
    var nameEnd: Int
    var isClosing: Bool
}

/// A read-only view over HTML bytes with the few primitives the page parser needs:
/// substring search (memchr + memcmp), tag walking that respects quoted attribute
/// values, comments and `<script>`, attribute lookup and depth-aware element ends.
///
/// It never builds a DOM: the parser walks tags once and decodes only the ranges it keeps.
struct HTMLBytes {
    let p: UnsafeBufferPointer<UInt8>
    var count: Int { p.count }

    init(_ p: UnsafeBufferPointer<UInt8>) { self.p = p }

    @inline(__always) subscript(i: Int) -> UInt8 { p[i] }

    /// First index of `needle` in `from..<end`.
    func find(_ needle: [UInt8], from: Int, to end: Int? = nil) -> Int? {
        let end = min(end ?? count, count)
        let n = needle.count
        guard n > 0, from >= 0, end - from >= n, let base = p.baseAddress else { return nil }
        let first = Int32(needle[0])
        var i = from
        let last = end - n
        return needle.withUnsafeBufferPointer { nb -> Int? in
            while i <= last {
                guard let q = memchr(base + i, first, last - i + 1) else { return nil }
                i = base.distance(to: q.assumingMemoryBound(to: UInt8.self))
                if n == 1 || (base[i + 1] == nb[1] && memcmp(base + i, nb.baseAddress!, n) == 0) { return i }
                i += 1
            }
            return nil
        }
    }

    /// First index of `byte` in `from..<end`.
    func find(byte: UInt8, from: Int, to end: Int) -> Int? {
        guard from < end, let base = p.baseAddress,
              let q = memchr(base + from, Int32(byte), end - from) else { return nil }
        return base.distance(to: q.assumingMemoryBound(to: UInt8.self))
    }

    func hasPrefix(_ prefix: [UInt8], at i: Int) -> Bool {
        guard i >= 0, i + prefix.count <= count, let base = p.baseAddress else { return false }
        return prefix.withUnsafeBufferPointer { memcmp(base + i, $0.baseAddress!, prefix.count) == 0 }
    }

    func equals(_ r: Range<Int>, _ s: [UInt8]) -> Bool {
        r.count == s.count && hasPrefix(s, at: r.lowerBound)
    }

    func string(_ r: Range<Int>) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: p[r]), as: UTF8.self)
    }

    /// The next tag at or after `from` (before `end`); comments are skipped and a
    /// `<script>`/`<style>` body is jumped over.
    func nextTag(from: Int, to end: Int) -> HTMLTag? {
        var i = from
        while let lt = find(byte: UInt8(ascii: "<"), from: i, to: end) {
            if hasPrefix(Self.commentOpen, at: lt) {
                guard let c = find(Self.commentClose, from: lt + 4, to: end) else { return nil }
                i = c + 3
                continue
            }
            var j = lt + 1
            let closing = j < end && p[j] == UInt8(ascii: "/")
            if closing { j += 1 }
            let nameStart = j
            while j < end, Self.isNameByte(p[j]) { j += 1 }
            if j == nameStart { i = lt + 1; continue }
            let nameEnd = j
            guard let gt = tagEnd(from: j, to: end) else { return nil }
            var tag = HTMLTag(start: lt, end: gt + 1, nameStart: nameStart, nameEnd: nameEnd, isClosing: closing)
            if !closing, equals(nameStart..<nameEnd, Self.script) || equals(nameStart..<nameEnd, Self.style) {
                let close: [UInt8] = Array("</".utf8) + Array(UnsafeBufferPointer(rebasing: p[nameStart..<nameEnd]))
                tag.end = find(close, from: tag.end, to: end) ?? end
            }
            return tag
        }
        return nil
    }

    /// Index of the `>` closing a tag, skipping quoted values.
    private func tagEnd(from: Int, to end: Int) -> Int? {
        var j = from
        while j < end {
            let b = p[j]
            if b == UInt8(ascii: ">") { return j }
            if b == UInt8(ascii: "\"") || b == UInt8(ascii: "'") {
                guard let q = find(byte: b, from: j + 1, to: end) else { return nil }
                j = q + 1
            } else {
                j += 1
            }
        }
        return nil
    }

    /// The raw (undecoded) value of attribute `name` in `tag`.
    func attribute(_ name: [UInt8], in tag: HTMLTag) -> Range<Int>? {
        var j = tag.nameEnd
        let end = tag.end - 1
        while j < end {
            while j < end, Self.isSpace(p[j]) || p[j] == UInt8(ascii: "/") { j += 1 }
            let ns = j
            while j < end, p[j] != UInt8(ascii: "="), p[j] != UInt8(ascii: ">"), !Self.isSpace(p[j]) { j += 1 }
            let nameRange = ns..<j
            if j == ns { j += 1; continue }
            while j < end, Self.isSpace(p[j]) { j += 1 }
            var value: Range<Int> = j..<j
            if j < end, p[j] == UInt8(ascii: "=") {
                j += 1
                while j < end, Self.isSpace(p[j]) { j += 1 }
                if j < end, p[j] == UInt8(ascii: "\"") || p[j] == UInt8(ascii: "'") {
                    let q = find(byte: p[j], from: j + 1, to: end) ?? end
                    value = (j + 1)..<q
                    j = q + 1
                } else {
                    let vs = j
                    while j < end, !Self.isSpace(p[j]) { j += 1 }
                    value = vs..<j
                }
            }
            if equals(nameRange, name) { return value }
        }
        return nil
    }

    /// Whether the space-separated `class` value in `r` has exactly the token `token`.
    func hasToken(_ token: [UInt8], in r: Range<Int>) -> Bool {
        var from = r.lowerBound
        while let i = find(token, from: from, to: r.upperBound) {
            let before = i == r.lowerBound || Self.isSpace(p[i - 1])
            let after = i + token.count == r.upperBound || Self.isSpace(p[i + token.count])
            if before && after { return true }
            from = i + 1
        }
        return false
    }

    /// End of the element opened by `tag`: the index of the `<` of its matching closing
    /// tag (same name, nesting counted), or `limit` when it never closes.
    func elementEnd(of tag: HTMLTag, limit: Int) -> Int {
        let name = tag.nameStart..<tag.nameEnd
        if isVoid(name) { return tag.end }
        var depth = 1
        var i = tag.end
        while let t = nextTag(from: i, to: limit) {
            if sameName(t.nameStart..<t.nameEnd, name) {
                depth += t.isClosing ? -1 : 1
                if depth == 0 { return t.start }
            }
            i = t.end
        }
        return limit
    }

    private func sameName(_ a: Range<Int>, _ b: Range<Int>) -> Bool {
        guard a.count == b.count, let base = p.baseAddress else { return false }
        return memcmp(base + a.lowerBound, base + b.lowerBound, a.count) == 0
    }

    private func isVoid(_ name: Range<Int>) -> Bool {
        switch name.count {
        case 2: return equals(name, Self.br) || equals(name, Self.hr)
        case 3: return equals(name, Self.img) || equals(name, Self.wbr) || equals(name, Self.col)
        case 4: return equals(name, Self.meta) || equals(name, Self.link) || equals(name, Self.base) || equals(name, Self.area)
        case 5: return equals(name, Self.input) || equals(name, Self.embed) || equals(name, Self.track)
        case 6: return equals(name, Self.source)
        default: return false
        }
    }

    @inline(__always) static func isSpace(_ b: UInt8) -> Bool {
        b == 0x20 || b == 0x0A || b == 0x09 || b == 0x0D || b == 0x0C
    }

    @inline(__always) static func isNameByte(_ b: UInt8) -> Bool {
        (b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z")) || (b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z"))
            || (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9")) || b == UInt8(ascii: "-") || b == UInt8(ascii: ":")
    }

    static let commentOpen = Array("<!--".utf8)
    static let commentClose = Array("-->".utf8)
    static let script = Array("script".utf8)
    static let style = Array("style".utf8)
    static let br = Array("br".utf8), hr = Array("hr".utf8), img = Array("img".utf8), wbr = Array("wbr".utf8)
    static let col = Array("col".utf8), meta = Array("meta".utf8), link = Array("link".utf8), base = Array("base".utf8)
    static let area = Array("area".utf8), input = Array("input".utf8), embed = Array("embed".utf8)
    static let track = Array("track".utf8), source = Array("source".utf8)
}
