/// One word of a post after normalisation.
///
/// Plain values only, no strings: a post's tokens are copied, kept and freed as one block
/// of memory (a `String` per word and stem cost two reference-count updates per token when
/// made and two when freed, about a tenth of the analysis). Every later stage looks words
/// up by their hashes; the word itself, when a stage needs it, is `word(in:)`.
public struct Token: Sendable, Hashable, BitwiseCopyable {
    public enum Kind: UInt8, Sendable, BitwiseCopyable { case word, number, hashtag, mixed }
    /// UTF-8 byte range of the surface form in the post's text (a hashtag's includes `#`).
    public var start: Int
    public var end: Int
    /// Index of the sentence the token is in; proximity rules stay within one.
    public var sentence: Int
    /// Letters (Unicode scalars) in the word.
    public var length: Int
    /// `StableHash.fnv1a64` of the word (lowercased, `ё`→`е`) and of its Snowball stem
    /// (Russian for Cyrillic, English for Latin; numbers keep the word), computed once per
    /// distinct word by the tokenizer: later stages look words up by these (`WordTable`).
    public var wordHash: UInt64
    public var stemHash: UInt64
    public var kind: Kind
    /// The surface form started with an uppercase letter (a hint for place names).
    public var capitalized: Bool
    /// The word holds a hyphen («ростов-на-дону», «р-н»).
    public var hyphenated: Bool
    /// The word's number in its tokenizer's lexicon (-1: none, as for numbers), valid with
    /// `lexiconEpoch`: a later stage can keep what it learns of a word in an array indexed by
    /// it (words in first-seen order, everyday ones together) instead of a hash table.
    public var lexiconID: Int32
    /// Which lexicon `lexiconID` numbers words in: unique per tokenizer and per clearing of its cache.
    public var lexiconEpoch: UInt32

    public init(start: Int, end: Int, sentence: Int, length: Int, wordHash: UInt64, stemHash: UInt64,
                kind: Kind, capitalized: Bool, hyphenated: Bool, lexiconID: Int32 = -1, lexiconEpoch: UInt32 = 0) {
        self.start = start; self.end = end; self.sentence = sentence; self.length = length
        self.wordHash = wordHash; self.stemHash = stemHash
        self.kind = kind; self.capitalized = capitalized; self.hyphenated = hyphenated
        self.lexiconID = lexiconID; self.lexiconEpoch = lexiconEpoch
    }

    /// The word as the tokenizer normalised it (lowercase, `ё`→`е`, look-alikes repaired),
    /// made again from the surface form in `text`, the text this token was read from.
    public func word(in text: String) -> String { WordScanner.word(of: self, in: text) }

    /// The token as written in `text`.
    public func surface(in text: String) -> String {
        let u = text.utf8
        let s = u.index(u.startIndex, offsetBy: start), e = u.index(u.startIndex, offsetBy: end)
        return String(text[s..<e])
    }
}
