import Foundation
import OtklikCore

/// libFuzzer entry: arbitrary bytes as post text (decoded as the connectors do, invalid UTF-8
/// replaced). Every token must lie inside the text, in order, with a non-empty word and stem,
/// and its word and stem scanned again from the text (`Token.word(in:)`) must be the ones the
/// tokenizer hashed.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTokenizer(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let length = text.utf8.count
    var previousEnd = 0, previousSentence = 0
    let tokenizer = FuzzTokenizer.tokenizer
    for t in tokenizer.tokenize(text) {
        guard t.start >= previousEnd, t.start < t.end, t.end <= length else {
            fatalError("token at \(t.start)..<\(t.end) outside 0..<\(length) or before \(previousEnd)")
        }
        guard t.sentence >= previousSentence else { fatalError("sentence index went back at \(t.start)") }
        let word = t.word(in: text), stem = tokenizer.stem(of: t, in: text)
        guard !word.isEmpty, !stem.isEmpty else { fatalError("empty word or stem at \(t.start)") }
        guard StableHash.fnv1a64(word) == t.wordHash, StableHash.fnv1a64(stem) == t.stemHash,
              word.unicodeScalars.count == t.length else {
            fatalError("word \(word.debugDescription) scanned again at \(t.start) is not the one hashed")
        }
        _ = t.surface(in: text)
        previousEnd = t.end; previousSentence = t.sentence
    }
    _ = Tokenizer.normalize(text)
    return 0
}

enum FuzzTokenizer {
    nonisolated(unsafe) static let tokenizer = Tokenizer(cacheLimit: 10_000)
}
