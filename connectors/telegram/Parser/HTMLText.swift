/// Turns a fragment of message HTML into the plain text a reader sees: tags dropped,
/// `<br>` and block boundaries as line breaks, source whitespace collapsed, entities
/// decoded, emoji images back to their characters, link texts kept as written.
enum HTMLText {
    static func extract(_ bytes: HTMLBytes, _ range: Range<Int>) -> String {
        var w = Writer()
        w.out.reserveCapacity(range.count)
        append(bytes, range, into: &w)
        return w.finish()
    }

    struct Writer {
        var out: [UInt8] = []
        var pendingSpace = false

        mutating func text(_ b: UInt8) {
            if pendingSpace { out.append(0x20); pendingSpace = false }
            out.append(b)
        }

        mutating func run(_ bytes: UnsafeBufferPointer<UInt8>) {
            if pendingSpace { out.append(0x20); pendingSpace = false }
            out.append(contentsOf: bytes)
        }

        mutating func space() {
            if let last = out.last, last != 0x0A { pendingSpace = true }
        }

        mutating func newline(soft: Bool) {
            pendingSpace = false
            while let last = out.last, last == 0x20 { out.removeLast() }
            if soft, out.isEmpty || out.last == 0x0A { return }
            out.append(0x0A)
        }

        mutating func finish() -> String {
            while let last = out.last, last == 0x20 || last == 0x0A { out.removeLast() }
            var start = 0
            while start < out.count, out[start] == 0x0A || out[start] == 0x20 { start += 1 }
            return String(decoding: out[start...], as: UTF8.self)
        }
    }

    static func append(_ bytes: HTMLBytes, _ range: Range<Int>, into w: inout Writer) {
        var i = range.lowerBound
        let end = range.upperBound
        while i < end {
            let b = bytes[i]
            if b == UInt8(ascii: "<") {
                if bytes.hasPrefix(HTMLBytes.commentOpen, at: i) {
                    i = bytes.find(HTMLBytes.commentClose, from: i + 4, to: end).map { $0 + 3 } ?? end
                } else if let tag = bytes.nextTag(from: i, to: end), tag.start == i {
                    i = handle(tag, bytes, end: end, into: &w)
                } else {
                    w.text(b); i += 1
                }
            } else if b == UInt8(ascii: "&") {
                var decoded: [UInt8] = []
                if let next = HTMLEntities.decode(bytes, at: i, end: end, into: &decoded) {
                    for d in decoded {
                        if d == 0x0A { w.newline(soft: false) } else { w.text(d) }
                    }
                    i = next
                } else {
                    w.text(b); i += 1
                }
            } else if HTMLBytes.isSpace(b) {
                w.space(); i += 1
            } else {
                var j = i + 1
                while j < end {
                    let c = bytes[j]
                    if c == UInt8(ascii: "<") || c == UInt8(ascii: "&") || HTMLBytes.isSpace(c) { break }
                    j += 1
                }
                w.run(UnsafeBufferPointer(rebasing: bytes.p[i..<j]))
                i = j
            }
        }
    }

    /// Applies one tag and returns where scanning resumes.
    private static func handle(_ tag: HTMLTag, _ bytes: HTMLBytes, end: Int, into w: inout Writer) -> Int {
        let name = tag.nameStart..<tag.nameEnd
        if bytes.equals(name, br) { w.newline(soft: false); return tag.end }
        if blockNames.contains(where: { bytes.equals(name, $0) }) { w.newline(soft: true); return tag.end }
        if tag.isClosing { return tag.end }
        if bytes.equals(name, img), let alt = bytes.attribute(altAttr, in: tag), !alt.isEmpty {
            append(bytes, alt, into: &w)
            return tag.end
        }
        if bytes.equals(name, i), let cls = bytes.attribute(classAttr, in: tag), bytes.hasToken(emoji, in: cls) {
            let inner = bytes.elementEnd(of: tag, limit: end)
            var sub = Writer()
            append(bytes, tag.end..<inner, into: &sub)
            let text = sub.finish()
            if !text.isEmpty {
                for b in text.utf8 { w.text(b) }
            } else if let style = bytes.attribute(styleAttr, in: tag) {
                for b in emojiFromImageURL(bytes, style) { w.text(b) }
            }
            let close = bytes.nextTag(from: inner, to: end)
            return close.map { $0.start == inner ? $0.end : inner } ?? end
        }
        return tag.end
    }

    /// Old emoji markup carries only the image: `…/emoji/40/F09F94A5.png` names the
    /// character's UTF-8 bytes in hex.
    static func emojiFromImageURL(_ bytes: HTMLBytes, _ style: Range<Int>) -> [UInt8] {
        guard let dot = bytes.find(png, from: style.lowerBound, to: style.upperBound) else { return [] }
        var start = dot
        while start > style.lowerBound, bytes[start - 1] != UInt8(ascii: "/") { start -= 1 }
        let hex = bytes.string(start..<dot)
        guard hex.count % 2 == 0, !hex.isEmpty else { return [] }
        var out: [UInt8] = []
        var idx = hex.startIndex
        while idx < hex.endIndex {
            let next = hex.index(idx, offsetBy: 2)
            guard let v = UInt8(hex[idx..<next], radix: 16) else { return [] }
            out.append(v)
            idx = next
        }
        return String(validating: out, as: UTF8.self) != nil ? out : []
    }

    static let br = Array("br".utf8)
    static let img = Array("img".utf8)
    static let i = Array("i".utf8)
    static let emoji = Array("emoji".utf8)
    static let png = Array(".png".utf8)
    static let altAttr = Array("alt".utf8)
    static let classAttr = Array("class".utf8)
    static let styleAttr = Array("style".utf8)
    static let blockNames: [[UInt8]] = ["div", "p", "blockquote", "pre", "li", "tr", "h1", "h2", "h3", "h4"].map { Array($0.utf8) }
}
