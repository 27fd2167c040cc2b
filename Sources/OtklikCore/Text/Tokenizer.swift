import Synchronization

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
    /// What the tokens of one distinct word share (plain values: 24 bytes).
    private struct Entry { var wordHash: UInt64; var stemHash: UInt64; var length: Int32; var hyphenated: Bool }
    /// Keyed by `lexiconKey` of the lowercased bytes: one probe, no byte comparison (see
    /// `WordTable` on collisions), into `entries`. The table's slots are 16 bytes and the
    /// entries lie in first-seen order (everyday words together), so far fewer cache lines
    /// are touched than with the entries in the table itself.
    private var lexicon = WordTable<Int32>(minimumCapacity: 8192)
    private var entries: [Entry] = []
    private let cacheLimit: Int
    /// This lexicon's `Token.lexiconEpoch`: new for every tokenizer and every clearing.
    private var epoch = Tokenizer.nextEpoch()
    private static let epochs = Atomic<UInt32>(0)
    private static func nextEpoch() -> UInt32 { epochs.add(1, ordering: .relaxed).newValue }
    /// Longer words (base64, runs of letters) keep their first `maxWordBytes` bytes.
    static let maxWordBytes = WordScanner.maxWordBytes
    private var scratch: [UInt8] = []
    /// The words of the post being tokenized, found by the scan and then looked up in one
    /// tight loop (`found`): a lexicon miss no longer waits behind the next word's scanning
    /// and the retains of making a token, so several misses are in flight at once.
    private var pending = ScratchArray<PendingWord>(capacity: 256)
    private var found = ScratchArray<Int32>(capacity: 256)
    /// The pending words' lowercased bytes, each followed by eight zero bytes (`lexiconKey`
    /// reads whole 8-byte words).
    private var arena = ScratchArray<UInt8>(capacity: 8192)

    private struct PendingWord {
        var start: Int, end: Int, sentence: Int
        var bytes: Int, count: Int
        var key: UInt64
        var kind: Token.Kind
        var capitalized: Bool, cyrillic: Bool, latinOnly: Bool
    }

    /// `cacheLimit`: distinct words kept before the cache is cleared (about 40 bytes each;
    /// a day of a region's posts repeats far fewer everyday words than that).
    public init(cacheLimit: Int = 120_000) {
        russian = Stemmer(algorithm: "russian")!
        english = Stemmer(algorithm: "english")!
        self.cacheLimit = cacheLimit
    }

    deinit { pending.deallocate(); found.deallocate(); arena.deallocate() }

    /// Words the cache holds now (for tests and the bench).
    public var cachedWords: Int { lexicon.count }

    /// The stem of an already lowercased word: Russian for Cyrillic, English for plain
    /// Latin, the word itself otherwise.
    public func stem(_ word: String) -> String {
        if word.unicodeScalars.contains(where: { TextScalars.isCyrillicLetter($0.value) }) { return russian.stem(word) }
        if word.utf8.contains(where: { TextScalars.isASCIILetter($0) }),
           word.utf8.allSatisfy({ TextScalars.isASCIILetter($0) || $0 == 0x2D || $0 == 0x5F }) {
            return english.stem(word)
        }
        return word
    }

    /// The stem a token's hash `stemHash` was made from (its word stemmed as the tokenizer
    /// stems it), from `text`, the text the token was read from.
    public func stem(of token: Token, in text: String) -> String {
        let w = token.word(in: text)
        return token.kind == .number ? w : stem(w)
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

    /// Abbreviations whose dot does not end a sentence («ул. Ленина»), by `lexiconKey`.
    private static let sentenceAbbreviations = WordSet(hashes: [
        "ул", "д", "г", "кв", "пр", "пер", "просп", "пл", "обл", "р", "руб", "т", "им", "с", "п", "мкр", "корп",
        "стр", "ст", "тел", "напр", "см", "пос", "дер", "х", "б", "бул", "ш", "наб", "рн", "р-н", "тыс", "млн",
        "ч", "мин", "вл", "эт", "пгт", "жк", "тц", "св", "гр", "им", "др", "пр-т", "к",
    ].map { lexiconKey(of: $0) })

    private func scan(_ p: UnsafeBufferPointer<UInt8>, into out: inout [Token]) {
        pending.removeAll(); arena.removeAll()
        findWords(p)
        // Cleared before the lookups, never between them and the tokens they make.
        if entries.count + pending.count > cacheLimit {
            lexicon.removeAll(); entries.removeAll(keepingCapacity: true); epoch = Self.nextEpoch()
        }
        found.removeAll()
        for k in 0..<pending.count {
            found.append(pending[k].kind == .number ? -1 : lexicon[pending[k].key] ?? -1)
        }
        out.reserveCapacity(out.count + pending.count)
        for k in 0..<pending.count {
            let w = pending[k]
            var id = found[k]
            let e = id >= 0 ? entries[Int(id)]
                : entry(UnsafeBufferPointer(start: arena.base + w.bytes, count: w.count), key: w.key,
                        cyrillic: w.cyrillic, latinOnly: w.latinOnly, number: w.kind == .number, id: &id)
            out.append(Token(start: w.start, end: w.end, sentence: w.sentence, length: Int(e.length),
                             wordHash: e.wordHash, stemHash: e.stemHash, kind: w.kind,
                             capitalized: w.capitalized, hyphenated: e.hyphenated, lexiconID: id, lexiconEpoch: epoch))
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
                           Self.sentenceAbbreviations.contains(pending[pending.count - 1].key) {
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
                    if i + 1 < n, WordScanner.isWordStart(p, i + 1) {
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

    private static func isURL(_ p: UnsafeBufferPointer<UInt8>, _ i: Int) -> Bool {
        func has(_ s: StaticString) -> Bool {
            let c = s.utf8Start, m = s.utf8CodeUnitCount
            guard i + m <= p.count else { return false }
            for k in 0..<m where (p[i + k] | (TextScalars.isASCIILetter(p[i + k]) ? 0x20 : 0)) != c[k] { return false }
            return true
        }
        return has("http://") || has("https://") || has("www.")
    }

    /// Scans one word starting at `from` into the arena; returns the index after it.
    private func scanWord(_ p: UnsafeBufferPointer<UInt8>, from: Int, tokenStart: Int, hashtag: Bool,
                          sentence: Int) -> Int {
        // Room for the longest word, its look-alike repair and the zero padding.
        arena.reserve(2 * Self.maxWordBytes + 8)
        let at = arena.count
        let w = WordScanner.scan(p, from: from, hashtag: hashtag, into: arena.base + at)
        if w.count == 0 { return max(w.end, from + 1) }
        var count = w.count
        if w.mixesScripts {
            var fixed = Array(UnsafeBufferPointer(start: arena.base + at, count: count))
            TextScalars.fixLookalikes(&fixed)
            fixed.withUnsafeBufferPointer { (arena.base + at).update(from: $0.baseAddress!, count: $0.count) }
            count = fixed.count
        }
        (arena.base + at + count).update(repeating: 0, count: 8)
        arena.extend(by: count + 8)
        pending.append(PendingWord(start: tokenStart, end: w.end, sentence: sentence, bytes: at, count: count,
                                   key: Self.lexiconKey(arena.base + at, count),
                                   kind: hashtag ? .hashtag : w.kind, capitalized: w.capitalized,
                                   cyrillic: w.hasCyrillic, latinOnly: w.latinOnly))
        return w.end
    }

    /// The lexicon's key of a word's bytes, which are followed by eight zero bytes: eight bytes
    /// a step (a folded 64×64→128-bit multiply), where FNV-1a took a dependent multiply per
    /// byte. Only this process's lexicon uses it; stored hashes stay FNV-1a (`Token.wordHash`).
    /// Not `KeySet.hash`: the arena's zero padding lets this one skip a tail loop and a final
    /// mix (`WordTable` mixes), which measured 0.1–0.3 µs a 300-character post.
    @inline(__always)
    static func lexiconKey(_ p: UnsafePointer<UInt8>, _ n: Int) -> UInt64 {
        let raw = UnsafeRawPointer(p)
        var h = UInt64(truncatingIfNeeded: n) ^ 0x2d35_8dcc_aa6c_78a5
        var i = 0
        repeat {
            let m = (h ^ raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)).multipliedFullWidth(by: 0x8bb8_4b93_962e_acc9)
            h = m.high ^ m.low
            i += 8
        } while i < n
        return h
    }

    static func lexiconKey(of word: String) -> UInt64 {
        let bytes = Array(word.utf8) + [UInt8](repeating: 0, count: 8)
        return bytes.withUnsafeBufferPointer { lexiconKey($0.baseAddress!, word.utf8.count) }
    }

    /// The entry of a lowercased word and its number (`id`, -1 when not kept), made on a
    /// lexicon miss (numbers are never kept: each house or phone number is new, and would
    /// crowd out words).
    private func entry(_ w: UnsafeBufferPointer<UInt8>, key: UInt64, cyrillic: Bool, latinOnly: Bool, number: Bool,
                       id: inout Int32) -> Entry {
        // A number gets no lexicon number even when a hashtag of the same digits («#1») made the
        // entry: what a later stage keeps by that number (the matcher's symbols: a number's
        // include `<num>`) must not depend on which kind of token the word came as first.
        if let i = lexicon[key] { id = number ? -1 : i; return entries[Int(i)] }
        let wordHash = StableHash.fnv1a64(bytes: w)
        var stemHash = wordHash
        if !number {
            let stemmer = cyrillic ? russian : (latinOnly ? english : nil)
            if let h = stemmer?.withStem(bytes: w, { StableHash.fnv1a64(bytes: $0) }) { stemHash = h }
        }
        var letters = 0
        for b in w where b & 0xC0 != 0x80 { letters += 1 }
        let e = Entry(wordHash: wordHash, stemHash: stemHash, length: Int32(letters), hyphenated: w.contains(0x2D))
        id = -1
        if !number {
            id = Int32(entries.count)
            lexicon[key] = id
            entries.append(e)
        }
        return e
    }
}
