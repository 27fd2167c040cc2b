/// A post's identity `<source_kind>:<post_id>` (`Post.key`) kept as its two parts: dedupe
/// hashes it and appends its bytes to the pending batch without building the String, which
/// for most keys (longer than 15 bytes) is an allocation per post.
struct DedupeKey {
    private let head: String
    private let id: String?
    /// `StableHash.fnv1a64` of the key's UTF-8 bytes (computed once: the stage asks for its
    /// bucket's cache line before the window checks it).
    let hash: UInt64

    /// `kind:id`.
    init(kind: String, id: String) {
        head = kind; self.id = id
        hash = StableHash.fnv1a64(continuing: StableHash.fnv1a64(continuing: StableHash.fnv1a64(continuing: StableHash.fnv1a64Seed, kind), ":"), id)
    }

    /// A whole key.
    init(_ key: String) { head = key; id = nil; hash = StableHash.fnv1a64(continuing: StableHash.fnv1a64Seed, key) }

    func append(to bytes: inout [UInt8]) {
        bytes.append(contentsOf: head.utf8)
        if let id {
            bytes.append(UInt8(ascii: ":"))
            bytes.append(contentsOf: id.utf8)
        }
    }

    var string: String { id.map { head + ":" + $0 } ?? head }
}
