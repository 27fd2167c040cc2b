/// Splits text into normalised, stemmed tokens.
///
/// Words are runs of letters and digits: lowercased, `ё`→`е`, Latin look-alikes inside
/// Cyrillic words repaired, inner hyphens kept («из-за», «ростов-на-дону»), a dot splits
/// («ул.Ленина» → `ул`, `ленина`; «д.15» → `д`, `15`). URLs and @mentions are skipped,
/// `#hashtags` kept as words; emoji and punctuation ignored. `!`, `?`, `…`, a line break,
/// and a `.` followed by a space (except after abbreviations like «ул.», «д.», «г.») end
/// a sentence. HTML tags and entities are ignored (offsets still index the original text).
///
/// Works over UTF-8 bytes with reused buffers and a bounded word→stem cache, so
/// repeated words cost a hash lookup. Not thread-safe (it owns stemmers): one per worker.
public final class Tokenizer {
    private let russian: Stemmer
    private let english: Stemmer
    /// Lowercased word bytes → the word and its stem as strings (shared by every token of it).
    private struct Entry { var word: String; var stem: String; var wordHash: UInt64; var stemHash: UInt64; var length: Int }
    /// Keyed by `StableHash.fnv1a64` of the lowercased bytes (the token's `wordHash`): one
    /// probe, no byte comparison (see `WordTable` on collisions), into `entries`. The table's
    /// slots are 16 bytes and the entries lie in first-seen order (everyday words together),
    /// so far fewer cache lines are touched than with the entries in the table itself.
    private var lexicon = WordTable<Int32>(minimumCapacity: 8192)
    private var entries: [Entry] = []
    private let cacheLimit: Int
    /// The word being scanned, lowercased: fixed memory, no array bookkeeping per byte.
    /// Longer words (base64, runs of letters) keep their first `maxWordBytes` bytes.
    private let wordBytes = UnsafeMutablePointer<UInt8>.allocate(capacity: Tokenizer.maxWordBytes)
    static let maxWordBytes = 1024
    private var scratch: [UInt8] = []
    /// The words of the post being tokenized, found by the scan and then looked up in one
    /// tight loop (`found`): a lexicon miss no longer waits behind the next word's scanning
    /// and the retains of making a token, so several misses are in flight at once.
    private var pending = ScratchArray<PendingWord>(capacity: 256)
    private var found = ScratchArray<Int32>(capacity: 256)
    /// The pending words' lowercased bytes.
    private var arena = ScratchArray<UInt8>(capacity: 4096)

    private struct PendingWord {
        var start: Int, end: Int, sentence: Int
        var bytes: Int, count: Int
        var hash: UInt64
        var kind: Token.Kind
        var capitalized: Bool, cyrillic: Bool, latinOnly: Bool
    }

    /// `cacheLimit`: distinct words kept before the cache is cleared (about 150 bytes each;
    /// a day of a region's posts repeats far fewer everyday words than that).
    public init(cacheLimit: Int = 120_000) {
        russian = Stemmer(algorithm: "russian")!
        english = Stemmer(algorithm: "english")!
        self.cacheLimit = cacheLimit
    }

    deinit { wordBytes.deallocate(); pending.deallocate(); found.deallocate(); arena.deallocate() }

    /// Words the cache holds now (for tests and the bench).
    public var cachedWords: Int { lexicon.count }

    /// The stem of an already lowercased word: Russian for Cyrillic, English for plain
    /// Latin, the word itself otherwise.
    public func stem(_ word: String) -> String {
        if word.unicodeScalars.contains(where: { $0.value >= 0x400 && $0.value < 0x530 }) { return russian.stem(word) }
        if word.utf8.allSatisfy({ TextScalars.isASCIILetter($0) }) { return english.stem(word) }
        return word
    }

    /// Lowercase and `ё`→`е`.
    public static func normalize(_ s: String) -> String {
        let lower = s.lowercased()
        guard lower.utf8.contains(0x91) else { return lower }   // «ё» is D1 91 in UTF-8
        return lower.replacingOccurrences(of: "ё", with: "е")
    }

    public func tokenize(_ text: String) -> [Token] {
        var out: [Token] = []
        tokenize(text, into: &out)
        return out
    }

    /// Appends the tokens of `text` to `out` (reuse `out` across posts to avoid allocations).
    public func tokenize(_ text: String, into out: inout [Token]) {
        var t = text
        t.withUTF8 { raw in
            if MarkupStripper.mayHaveMarkup(raw) {
                scratch.removeAll(keepingCapacity: true)
                scratch.append(contentsOf: raw)
                MarkupStripper.blank(&scratch)
                scratch.withUnsafeBufferPointer { scan($0, into: &out) }
            } else {
                scan(raw, into: &out)
            }
        }
    }

    private static let sentenceAbbreviations = WordSet([
        "ул", "д", "г", "кв", "пр", "пер", "просп", "пл", "обл", "р", "руб", "т", "им", "с", "п", "мкр", "корп",
        "стр", "ст", "тел", "напр", "см", "пос", "дер", "х", "б", "бул", "ш", "наб", "рн", "р-н", "тыс", "млн",
        "ч", "мин", "вл", "эт", "пгт", "жк", "тц", "св", "гр", "им", "т.е", "т.к", "др", "пр-т", "к",
    ])

    private func scan(_ p: UnsafeBufferPointer<UInt8>, into out: inout [Token]) {
        pending.removeAll(); arena.removeAll()
        findWords(p)
        // Cleared before the lookups, never between them and the tokens they make.
        if entries.count + pending.count > cacheLimit { lexicon.removeAll(); entries.removeAll(keepingCapacity: true) }
        found.removeAll()
        for k in 0..<pending.count {
            found.append(pending[k].kind == .number ? -1 : lexicon[pending[k].hash] ?? -1)
        }
        out.reserveCapacity(out.count + pending.count)
        for k in 0..<pending.count {
            let w = pending[k]
            let e = found[k] >= 0 ? entries[Int(found[k])]
                : entry(UnsafeBufferPointer(start: arena.base + w.bytes, count: w.count), hash: w.hash,
                        cyrillic: w.cyrillic, latinOnly: w.latinOnly, number: w.kind == .number)
            out.append(Token(word: e.word, stem: e.stem, start: w.start, end: w.end, sentence: w.sentence,
                             capitalized: w.capitalized, kind: w.kind, wordHash: e.wordHash, stemHash: e.stemHash,
                             length: e.length))
        }
    }

    /// The scan proper: fills `pending` (and `arena`) with the words of `p`.
    private func findWords(_ p: UnsafeBufferPointer<UInt8>) {
        let n = p.count
        var sentence = 0
        var i = 0
        func breakSentence() {
            if pending.count > 0, pending[pending.count - 1].sentence == sentence { sentence += 1 }
        }
        while i < n {
            let b = p[i]
            if b < 0x80 {
                if TextScalars.isASCIIAlnum(b) {
                    if (b == 0x68 || b == 0x77 || b == 0x48 || b == 0x57), Self.isURL(p, i) {
                        while i < n, !Self.isSpace(p[i]) { i += 1 }
                        continue
                    }
                    i = scanWord(p, from: i, tokenStart: i, hashtag: false, sentence: sentence)
                    continue
                }
                switch b {
                case 0x2E: // '.'
                    if i + 1 >= n || Self.isSpace(p[i + 1]) {
                        if pending.count > 0, pending[pending.count - 1].sentence == sentence,
                           pending[pending.count - 1].end == i,
                           pending[pending.count - 1].end - pending[pending.count - 1].start <= 10,
                           Self.sentenceAbbreviations.contains(pending[pending.count - 1].hash) {
                            // «ул. Ленина»: not the end of a sentence.
                        } else {
                            breakSentence()
                        }
                    }
                    i += 1
                case 0x21, 0x3F, 0x0A, 0x3B: // ! ? newline ;
                    breakSentence(); i += 1
                case 0x40: // '@'
                    i += 1
                    while i < n, TextScalars.isASCIIAlnum(p[i]) || p[i] == 0x5F || p[i] == 0x2E { i += 1 }
                case 0x23: // '#'
                    if i + 1 < n, Self.isWordStart(p, i + 1) {
                        i = scanWord(p, from: i + 1, tokenStart: i, hashtag: true, sentence: sentence)
                    } else { i += 1 }
                default:
                    i += 1
                }
                continue
            }
            let (v, len) = TextScalars.decode(p, i)
            if TextScalars.isLetter(v) {
                i = scanWord(p, from: i, tokenStart: i, hashtag: false, sentence: sentence)
            } else {
                if v == 0x2026 { breakSentence() }   // '…'
                i += len
            }
        }
    }

    @inline(__always) private static func isSpace(_ b: UInt8) -> Bool {
        b == 0x20 || b == 0x0A || b == 0x09 || b == 0x0D
    }

    private static func isWordStart(_ p: UnsafeBufferPointer<UInt8>, _ i: Int) -> Bool {
        let b = p[i]
        if b < 0x80 { return TextScalars.isASCIIAlnum(b) }
        return TextScalars.isLetter(TextScalars.decode(p, i).value)
    }

    private static func isURL(_ p: UnsafeBufferPointer<UInt8>, _ i: Int) -> Bool {
        func has(_ s: StaticString) -> Bool {
            let c = s.utf8Start, m = s.utf8CodeUnitCount
            guard i + m <= p.count else { return false }
            for k in 0..<m where (p[i + k] | (TextScalars.isASCIILetter(p[i + k]) ? 0x20 : 0)) != c[k] { return false }
            return true
        }
        return has("http://") || has("https://") || has("www.")
    }

    /// Scans one word starting at `from`; returns the index after it.
    private func scanWord(_ p: UnsafeBufferPointer<UInt8>, from: Int, tokenStart: Int, hashtag: Bool,
                          sentence: Int) -> Int {
        let n = p.count
        var word = WordBuffer(bytes: wordBytes)
        var j = from
        var hasLetter = false, hasDigit = false, hasCyrillic = false, hasLatin = false, hasOther = false
        var lastWasDigit = false
        var capitalized = false
        while j < n {
            let b = p[j]
            if b < 0x80 {
                if TextScalars.isASCIIDigit(b) {
                    word.put(b); hasDigit = true; lastWasDigit = true; j += 1; continue
                }
                if TextScalars.isASCIILetter(b) {
                    if j == from, b < 0x61 { capitalized = true }
                    word.put(b | 0x20); hasLetter = true; hasLatin = true; lastWasDigit = false; j += 1; continue
                }
                if (b == 0x2D || (b == 0x5F && hashtag)), j + 1 < n, word.count > 0, Self.isWordStart(p, j + 1) {
                    let nextIsDigit = TextScalars.isASCIIDigit(p[j + 1])
                    if lastWasDigit && nextIsDigit { break }   // phone numbers, dates: split
                    word.put(b); j += 1; continue
                }
                break
            }
            // Russian letters (А–я, Ё, ё: two bytes, D0 or D1 first), the bulk of the input.
            if b == 0xD0 || b == 0xD1, j + 1 < n, p[j + 1] & 0xC0 == 0x80 {
                let v = UInt32(b & 0x1F) << 6 | UInt32(p[j + 1] & 0x3F)
                if (v >= 0x410 && v <= 0x44F) || v == 0x401 || v == 0x451 {
                    let upper = v < 0x430 || v == 0x401
                    if j == from { capitalized = upper }
                    let l = v == 0x401 || v == 0x451 ? 0x435 : (v < 0x430 ? v + 0x20 : v)
                    word.put2(UInt8(0xC0 | l >> 6), UInt8(0x80 | l & 0x3F))
                    hasLetter = true; hasCyrillic = true; lastWasDigit = false; j += 2; continue
                }
            }
            let (v, len) = TextScalars.decode(p, j)
            if TextScalars.isCyrillicLetter(v) {
                if j == from { capitalized = TextScalars.isUppercase(v) }
                word.putLowercased(v)
                hasLetter = true; hasCyrillic = true; lastWasDigit = false; j += len; continue
            }
            if v == 0x301 || v == 0xAD { j += len; continue }   // stress mark, soft hyphen
            if TextScalars.isLetter(v) {
                if j == from { capitalized = TextScalars.isUppercase(v) }
                word.putLowercased(v)
                hasLetter = true; hasOther = true; lastWasDigit = false; j += len; continue
            }
            break
        }
        if word.count == 0 { return max(j, from + 1) }
        let kind: Token.Kind = hashtag ? .hashtag : (hasLetter && hasDigit ? .mixed : (hasDigit ? .number : .word))
        let latinOnly = hasLatin && !hasCyrillic && !hasDigit && !hasOther
        let at = arena.count
        var hash = word.hash
        if hasCyrillic && hasLatin {
            var fixed = Array(UnsafeBufferPointer(start: wordBytes, count: word.count))
            TextScalars.fixLookalikes(&fixed)
            fixed.withUnsafeBufferPointer { arena.append(from: $0.baseAddress!, count: $0.count) }
            hash = StableHash.fnv1a64(bytes: fixed)
        } else {
            arena.append(from: wordBytes, count: word.count)
        }
        pending.append(PendingWord(start: tokenStart, end: j, sentence: sentence, bytes: at, count: arena.count - at,
                                   hash: hash, kind: kind, capitalized: capitalized, cyrillic: hasCyrillic,
                                   latinOnly: latinOnly))
        return j
    }

    /// The cached entry of a lowercased word whose FNV-1a hash is `h`, made on a miss.
    private func entry(_ w: UnsafeBufferPointer<UInt8>, hash h: UInt64, cyrillic: Bool, latinOnly: Bool, number: Bool) -> Entry {
        if let i = lexicon[h] { return entries[Int(i)] }
        let s = String(decoding: w, as: UTF8.self)
        var stem = s
        if !number {
            if cyrillic { stem = russian.stem(bytes: w) ?? s }
            else if latinOnly { stem = english.stem(bytes: w) ?? s }
        }
        let e = Entry(word: s, stem: stem, wordHash: h, stemHash: StableHash.fnv1a64(stem),
                      length: s.unicodeScalars.count)
        // Numbers are not kept: each house or phone number is new, and would crowd out words.
        if !number {
            lexicon[h] = Int32(entries.count)
            entries.append(e)
        }
        return e
    }
}

/// The bytes of the word being scanned and their FNV-1a hash, computed as they are written.
private struct WordBuffer {
    let bytes: UnsafeMutablePointer<UInt8>
    var count = 0
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325

    @inline(__always)
    mutating func put(_ b: UInt8) {
        guard count < Tokenizer.maxWordBytes else { return }
        bytes[count] = b
        count += 1
        hash = (hash ^ UInt64(b)) &* 0x0000_0100_0000_01b3
    }

    /// Two bytes of one letter (one bound check).
    @inline(__always)
    mutating func put2(_ b0: UInt8, _ b1: UInt8) {
        guard count + 2 <= Tokenizer.maxWordBytes else { return }
        bytes[count] = b0; bytes[count + 1] = b1
        count += 2
        hash = (hash ^ UInt64(b0)) &* 0x0000_0100_0000_01b3
        hash = (hash ^ UInt64(b1)) &* 0x0000_0100_0000_01b3
    }

    /// The lowercased, `ё`→`е` UTF-8 form of a non-ASCII letter.
    @inline(__always)
    mutating func putLowercased(_ v: UInt32) {
        let c = TextScalars.lowercasedCyrillic(v)
        if c != 0 { putUTF8(c); return }
        for u in TextScalars.lowercaseMapping(v) { putUTF8(u) }
    }

    /// Whole sequences only: a word cut at `maxWordBytes` stays valid UTF-8.
    @inline(__always)
    mutating func putUTF8(_ v: UInt32) {
        guard count + TextScalars.utf8Length(v) <= Tokenizer.maxWordBytes else { return }
        TextScalars.encodeUTF8(v) { put($0) }
    }
}
