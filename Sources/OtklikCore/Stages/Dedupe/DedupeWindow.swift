import Foundation

/// The dedupe window shared by every worker of a pipeline: the in-memory `DedupeIndex`
/// behind a lock, persisted to SQLite in batches and restored on first use.
///
/// The file is opened lazily (on the first post), so building the stage — as
/// `otklik validate` does — touches no disk.
public final class DedupeWindow: @unchecked Sendable {
    public struct Settings: Sendable {
        public var window: Duration = .seconds(7 * 86400)
        public var maxEntries = 1_000_000
        /// Maximum Hamming distance between SimHashes of near-duplicates.
        public var distance = 3
        /// Words per shingle. Single words (a bag of stems) survive a resident's edits best:
        /// on real appeals with a typo and an added sentence, 61% are found at distance 3 with
        /// 1-word shingles against 48% with 2-word ones, and no more distinct appeals merge.
        public var shingle = 1
        /// Texts with fewer words are never near-duplicates (short posts repeat by chance).
        public var minWords = 4
        /// SQLite file; nil keeps the window in memory only.
        public var path: String?
        public var batchSize = 512
        public var flushInterval: Duration = .seconds(1)
        public init() {}
    }

    /// What the window says about a post.
    public enum Decision: Sendable, Equatable {
        case new
        /// The same post again (same key, same version): drop it.
        case duplicate
        /// A newer version (edited) of a post already seen.
        case update
        /// A repost/forward of a post in the window (its key).
        case repost(of: String)
        /// The same text with small edits: the key of the first post of its family.
        case nearDuplicate(of: String)
    }

    public let settings: Settings
    private let clock: @Sendable () -> Date
    private let lock = AdaptiveLock()
    private let index: DedupeIndex
    /// The SQLite store, written off the lock by its own queue.
    private var writer: BackgroundWriter<DedupeStore>?
    /// A read-only connection for key lookups that must not wait behind the writer (nil for
    /// an in-memory store, which only the writer's connection sees).
    private var reader: DedupeStore?
    /// The keys blobs of the newest batches handed to the writer, by batch number: lookups
    /// of recent posts (most near-duplicates repeat a recent post) and of batches still on
    /// their way to disk never touch SQLite. About 16 KB a batch.
    private var recentKeys: [UInt32: Data] = [:]
    static let recentBatches = 64
    /// Keys blobs read back from disk, the last `readBatches` of them: the first posts of
    /// families read from one batch (it holds the families of a few seconds) come together.
    static let readBatches = 16
    private var readKeys: [UInt32: Data] = [:]
    private var readOrder: [UInt32] = []
    /// Entries not yet handed to the writer, in the order they will be stored.
    private var pending = DedupePendingBatch()
    /// Keys of family roots answered lately, by hash, with their entry's sequence number: a
    /// post's near-duplicates all name it, and while its entry is still in the window its key
    /// is the same, so neither the key table nor the disk is asked again. On the bench's
    /// million posts 70% are near-duplicates of 26,000 first posts: 32,768 places (2 MB)
    /// answer 94% of them; the rest, mostly a family's first repeat, read a 16 KB keys blob.
    /// Sized to the window, made on the first post.
    ///
    /// A place is one cache line (`RootKeys`): the hash, the entry's sequence number
    /// (`DedupeIndex.holds(sequence:)`) and the key's bytes. A `String` kept there would
    /// live in a heap object of its own, and handing it out (a retain) was a second cache
    /// miss on most near-duplicates.
    private var rootKeys = RootKeys(places: 0)
    private let flushSeconds: Double
    /// The number the pending entries will be written under (`DedupeStore` batches).
    private var batch: UInt32 = 1
    private var lastFlush: Date
    private var lastPrune: Date = .distantPast

    public init(settings: Settings, clock: @escaping @Sendable () -> Date = { Date() }) {
        self.settings = settings
        self.clock = clock
        self.index = DedupeIndex(capacity: settings.maxEntries, distance: settings.distance, window: settings.window)
        self.lastFlush = clock()
        self.flushSeconds = settings.flushInterval.seconds
    }

    deinit {
        try? flush()
        rootKeys.deallocate()
    }

    public func check(key: String, fingerprint: TextFingerprint, published: Date, edited: Date?,
                      repostOf: String?) throws -> Decision {
        try check(key: DedupeKey(key), fingerprint: fingerprint, published: published, edited: edited, repostOf: repostOf)
    }

    func check(key: DedupeKey, fingerprint: TextFingerprint, published: Date, edited: Date?,
               repostOf: String?) throws -> Decision {
        // Hashes and times before the lock: the critical section is only the window's own work.
        let kh = key.hash
        let wantsNear = fingerprint.words >= settings.minWords
        if wantsNear { index.prefetch(simhash: fingerprint.simhash, anchor: fingerprint.anchor) }
        let originHash = repostOf.map { StableHash.fnv1a64($0) }
        let publishedSec = DedupeEntry.seconds(published.timeIntervalSince1970)
        let editedSec = edited.map { DedupeEntry.seconds($0.timeIntervalSince1970) } ?? 0
        lock.lock()
        defer { lock.unlock() }
        index.prefetchFirstEntries(keyHash: kh, simhash: fingerprint.simhash, anchor: fingerprint.anchor, findNear: wantsNear)
        let now = clock()
        try openIfNeeded(now)
        try writer?.throwIfFailed()
        let nowSec = DedupeEntry.seconds(now.timeIntervalSince1970)
        index.evict(insertedBefore: nowSec &- min(nowSec, index.windowSeconds))
        var entry = DedupeEntry(keyHash: kh, simhash: fingerprint.simhash, rootHash: kh, anchor: fingerprint.anchor,
                                published: publishedSec, edited: editedSec, inserted: nowSec)
        let decision: Decision
        let roots = rootKeys.base.map { DedupeIndex.RootTable(base: UnsafeRawPointer($0), mask: rootKeys.mask, stride: RootKeys.stride) }
        let found = index.lookup(keyHash: kh, simhash: entry.simhash, anchor: entry.anchor, published: entry.published,
                                 findNear: wantsNear, roots: roots)
        if let seen = found.entry {
            guard entry.edited > seen.edited || (entry.simhash != seen.simhash && entry.edited >= seen.edited) else {
                return .duplicate
            }
            entry.rootHash = seen.rootHash
            entry.inserted = seen.inserted
            decision = .update
        } else if let origin = repostOf, let originHash, let seen = index.entry(forKey: originHash) {
            entry.rootHash = seen.rootHash
            decision = .repost(of: origin)
        } else if wantsNear, let near = found.near {
            entry.rootHash = near.rootHash
            let rootKey = try keyString(near.rootHash) ?? keyString(near.keyHash)
            decision = rootKey.map { .nearDuplicate(of: $0) } ?? .new
        } else {
            decision = .new
        }
        if let i = pending.index(of: kh) {
            pending.replace(at: i, with: entry)
            index.insert(entry, tag: DedupeStore.place(batch: batch, index: i), keySlot: found.keySlot)
        } else {
            index.insert(entry, tag: DedupeStore.place(batch: batch, index: pending.count), keySlot: found.keySlot)
            pending.append(entry, key: key)
        }
        // abs: after the clock steps back, pending entries must not wait for it to catch up.
        if pending.count >= settings.batchSize || abs(now.timeIntervalSince(lastFlush)) >= flushSeconds {
            try flushLocked(now)
        }
        return decision
    }

    /// Asks for the cache line where the window will look this key up: the stage calls it
    /// before it computes the post's fingerprint, so the line comes meanwhile. Lock-free.
    func prefetch(keyHash: UInt64) { index.prefetch(keyHash: keyHash) }

    /// Writes pending entries to disk now.
    public func flush() throws {
        lock.lock()
        defer { lock.unlock() }
        try flushLocked(clock())
        try writer?.drain()
    }

    /// Waits until batches already handed to the store are on disk (without flushing what is
    /// still pending in memory).
    public func waitForQueuedWrites() throws {
        lock.lock()
        let writer = self.writer
        lock.unlock()
        try writer?.drain()
    }

    /// Posts in the window.
    public var count: Int { lock.lock(); defer { lock.unlock() }; return index.count }

    /// Bytes held in memory by the window's index (see `DedupeIndex.memoryFootprint`).
    public var memoryFootprint: Int { lock.lock(); defer { lock.unlock() }; return index.memoryFootprint }

    private func openIfNeeded(_ now: Date) throws {
        guard writer == nil else { return }
        let s = try DedupeStore(path: settings.path ?? ":memory:")
        let nowSec = DedupeEntry.seconds(now.timeIntervalSince1970)
        for (e, place) in try s.load(since: nowSec &- min(nowSec, index.windowSeconds), limit: settings.maxEntries) {
            index.insert(e, tag: place)
        }
        batch = try s.lastBatch() &+ 1
        let places = 1 << max(6, min(15, Int.bitWidth - (settings.maxEntries / 32).leadingZeroBitCount))
        rootKeys = RootKeys(places: places)
        writer = BackgroundWriter(label: "otklik.dedupe.store", store: s)
        if let path = settings.path { reader = try DedupeStore(readingFrom: path) }
    }

    /// The key of a post in the window: in memory while pending or being written, else on disk.
    private func keyString(_ hash: UInt64) throws -> String? {
        if let i = pending.index(of: hash) { return pending.key(at: i) }
        if let key = rootKeys.key(hash, holds: index.holds(sequence:)) { return key }
        guard let (sequence, place) = index.sequenceAndTag(forKey: hash) else { return nil }
        let batch = UInt32(place >> 32)
        var keys = recentKeys[batch] ?? readKeys[batch]
        if keys == nil {
            keys = try reader.map { try $0.keys(batch: batch) } ?? writer?.sync { try $0.keys(batch: batch) }
            if let keys {
                // First come, first out: a family's first post (looked up again and again) comes back.
                if readOrder.count >= Self.readBatches { readKeys[readOrder.removeFirst()] = nil }
                readKeys[batch] = keys
                readOrder.append(batch)
            }
        }
        let key = keys.flatMap { DedupeBatch.key(at: Int(place & 0xFFFF_FFFF), keys: $0) }
        guard let key, StableHash.fnv1a64(key) == hash else { return nil }
        rootKeys.keep(key, hash: hash, sequence: sequence)
        return key
    }

    private func flushLocked(_ now: Date) throws {
        lastFlush = now
        guard let writer, !pending.isEmpty else { return }
        let id = self.batch
        self.batch &+= 1
        let (entries, keys) = pending.encoded()
        let newest = pending.entries.reduce(UInt32(0)) { max($0, $1.inserted) }
        pending.removeAll()
        recentKeys[id] = Data(keys)
        recentKeys[id &- UInt32(Self.recentBatches)] = nil
        writer.async { try $0.write(id: id, entries: entries, keys: keys, newest: newest) }
        if now.timeIntervalSince(lastPrune) >= 60 {
            lastPrune = now
            let nowSec = DedupeEntry.seconds(now.timeIntervalSince1970)
            let cutoff = nowSec &- min(nowSec, index.windowSeconds)
            writer.async { try $0.prune(insertedBefore: cutoff) }
        }
    }
}
