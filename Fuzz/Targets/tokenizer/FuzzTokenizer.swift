import Foundation
import OtklikCore

/// libFuzzer entry: arbitrary bytes as post text (decoded as the connectors do, invalid UTF-8
/// replaced). Every token must lie inside the text, in order, with a non-empty word and stem.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTokenizer(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let length = text.utf8.count
    var previousEnd = 0, previousSentence = 0
    for t in FuzzTokenizer.tokenizer.tokenize(text) {
        guard t.start >= previousEnd, t.start < t.end, t.end <= length else {
            fatalError("token \(t.word.debugDescription) at \(t.start)..<\(t.end) outside 0..<\(length) or before \(previousEnd)")
        }
        guard t.sentence >= previousSentence else { fatalError("sentence index went back at \(t.start)") }
        guard !t.word.isEmpty, !t.stem.isEmpty else { fatalError("empty word or stem at \(t.start)") }
        _ = t.surface(in: text)
        previousEnd = t.end; previousSentence = t.sentence
    }
    _ = Tokenizer.normalize(text)
    return 0
}

enum FuzzTokenizer {
    nonisolated(unsafe) static let tokenizer = Tokenizer(cacheLimit: 10_000)
}
