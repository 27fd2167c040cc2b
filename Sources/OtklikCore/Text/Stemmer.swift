import CStemmer

/// A Snowball stemmer with a cache. Not thread-safe: one per worker (libstemmer keeps
/// its output buffer in the stemmer).
public final class Stemmer {
    private let handle: OpaquePointer
    private var cache: [String: String] = [:]
    private let cacheLimit: Int

    /// `algorithm`: `russian`, `english`, … Nil when libstemmer does not know it.
    public init?(algorithm: String, cacheLimit: Int = 200_000) {
        guard let h = sb_stemmer_new(algorithm, "UTF_8") else { return nil }
        handle = h; self.cacheLimit = cacheLimit
    }

    deinit { sb_stemmer_delete(handle) }

    /// The stem of a lowercased word.
    public func stem(_ word: String) -> String {
        if let s = cache[word] { return s }
        var w = word
        let result: String = w.withUTF8 { stem(bytes: $0) ?? word }
        if cache.count >= cacheLimit { cache.removeAll(keepingCapacity: true) }
        cache[word] = result
        return result
    }

    /// The stem of lowercased UTF-8 bytes, uncached (the tokenizer's lexicon caches).
    public func stem(bytes: UnsafeBufferPointer<UInt8>) -> String? {
        withStem(bytes: bytes) { String(decoding: $0, as: UTF8.self) }
    }

    /// Hands `body` the stem's bytes (valid only during the call; nothing is allocated).
    public func withStem<R>(bytes: UnsafeBufferPointer<UInt8>, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R? {
        guard let p = sb_stemmer_stem(handle, bytes.baseAddress, Int32(bytes.count)) else { return nil }
        return body(UnsafeBufferPointer(start: p, count: Int(sb_stemmer_length(handle))))
    }
}
