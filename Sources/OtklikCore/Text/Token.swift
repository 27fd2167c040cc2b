/// One word of a post after normalisation.
public struct Token: Sendable, Hashable {
    public enum Kind: UInt8, Sendable, BitwiseCopyable { case word, number, hashtag, mixed }
    /// Lowercased, `ё`→`е`.
    public var word: String
    /// Snowball stem of `word` (Russian for Cyrillic, English for Latin); numbers keep `word`.
    public var stem: String
    /// UTF-8 byte range of the surface form in the post's text.
    public var start: Int
    public var end: Int
    /// Index of the sentence the token is in; proximity rules stay within one.
    public var sentence: Int
    /// The surface form started with an uppercase letter (a hint for place names).
    public var capitalized: Bool
    public var kind: Kind
    /// `StableHash.fnv1a64(word)` and `StableHash.fnv1a64(stem)`, computed once per distinct
    /// word by the tokenizer: later stages look words up by these (`WordTable`) instead of
    /// hashing strings, which for Cyrillic means Unicode normalisation on every lookup.
    public var wordHash: UInt64
    public var stemHash: UInt64
    /// Letters (Unicode scalars) in `word`; `word.count` walks grapheme clusters.
    public var length: Int

    public init(word: String, stem: String, start: Int, end: Int, sentence: Int, capitalized: Bool, kind: Kind) {
        self.init(word: word, stem: stem, start: start, end: end, sentence: sentence, capitalized: capitalized,
                  kind: kind, wordHash: StableHash.fnv1a64(word), stemHash: StableHash.fnv1a64(stem),
                  length: word.unicodeScalars.count)
    }

    public init(word: String, stem: String, start: Int, end: Int, sentence: Int, capitalized: Bool, kind: Kind,
                wordHash: UInt64, stemHash: UInt64, length: Int) {
        self.word = word; self.stem = stem; self.start = start; self.end = end
        self.sentence = sentence; self.capitalized = capitalized; self.kind = kind
        self.wordHash = wordHash; self.stemHash = stemHash; self.length = length
    }

    /// The token as written in `text`.
    public func surface(in text: String) -> String {
        let u = text.utf8
        let s = u.index(u.startIndex, offsetBy: start), e = u.index(u.startIndex, offsetBy: end)
        return String(text[s..<e])
    }
}
