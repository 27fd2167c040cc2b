import Foundation
import Synchronization

/// The incident book shared by every worker of a pipeline, behind a lock, persisted in
/// batches and restored on first use (building the stage touches no disk).
///
/// The lock is held for the book's own work only: a worker that fills a batch takes the
/// changes out under it (two swaps) and hands them to the writer after letting go, and the
/// parts it slims and the versions it replaces are freed outside it too. With two workers
/// the lock had been held through each hand-off (a thousand versions copied and queued) and
/// each slimming (thousands of strings released), and the other worker slept on it.
public final class IncidentIndex: @unchecked Sendable {
    public let policy: IncidentPolicy
    private let path: String?
    private let clock: @Sendable () -> Date
    private let lock = AdaptiveLock()
    /// Held, after `lock`, by the one thread handing a batch over, until its batch is queued
    /// and the book slimmed: batches reach the writer in the order they were taken, and the
    /// book slims only incidents whose newest version is written, queued or in `dirty`.
    /// A worker never waits for it (`tryLock`: a busy hand-off only defers the next one).
    private let handoff = AdaptiveLock()
    private let book: IncidentBook
    /// The SQLite store, written off the lock by its own queue.
    private var writer: BackgroundWriter<IncidentStore>?
    /// A read-only connection for reading back incidents kept slim in memory: it does not
    /// wait behind the writer's queue (nil for an in-memory store).
    private var reader: IncidentStore?
    /// Incidents whose newest version is handed to the writer and not yet committed: those
    /// are read back through the writer, which has them.
    private let inFlight = InFlightIDs()
    /// Serialises `reader`, which a worker also uses outside `lock` (`prefetchLocked`).
    private let readerLock = AdaptiveLock()
    /// A slim incident's stored part read outside the lock for the post being applied, with
    /// the book's `slimGeneration` before the read: still its newest version while that is the same.
    private var prefetched: (id: String, generation: UInt64, part: IncidentStoredPart)?
    /// Incidents changed since the last batch was taken: their newest version (as the book
    /// holds it and the sinks get it), and their joining facts when those changed.
    private var dirty: [String: Dirty] = [:]
    private var pendingPosts: [(UInt64, String)] = []
    /// The last batch's emptied containers, given back for the next one (no regrowth).
    private var spare = Batch.Changes()
    private var lastFlush: Date
    private var lastPrune = Date.distantPast
    private var newest = Date.distantPast
    /// When the changes gathered go to the store.
    let flushPolicy: IncidentFlushPolicy

    struct Dirty {
        var incident: Incident
        var facts: IncidentBook.Facts?
    }

    /// Changes taken out of the index under the lock, to be queued for the store after it.
    struct Batch {
        struct Changes {
            var dirty: [String: Dirty] = [:]
            var posts: [(UInt64, String)] = []
        }
        var changes: Changes
        var writer: BackgroundWriter<IncidentStore>?
        var now: Date
    }

    /// `path`: the SQLite file; nil keeps the book in memory only.
    public convenience init(policy: IncidentPolicy, path: String?, clock: @escaping @Sendable () -> Date = { Date() }) {
        self.init(policy: policy, path: path, clock: clock, flushPolicy: IncidentFlushPolicy())
    }

    init(policy: IncidentPolicy, path: String?, clock: @escaping @Sendable () -> Date = { Date() }, flushPolicy: IncidentFlushPolicy) {
        self.policy = policy; self.path = path; self.clock = clock; self.flushPolicy = flushPolicy
        book = IncidentBook(wholeLimit: policy.wholeIncidents)
        lastFlush = clock()
    }

    deinit { try? flush() }

    /// Applies one analysed post; returns the incident version to emit, if any.
    public func apply(_ item: AnalysisItem, fingerprint: TextFingerprint) throws -> (Incident?, IncidentBuilder.Change) {
        // Declared before the lock so that what they hold is released after it.
        var replaced: Dirty?
        var batch: Batch?
        let result: (Incident?, IncidentBuilder.Change)
        lock.lock()
        do {
            try openIfNeeded()
            try writer?.throwIfFailed()
            let builder = IncidentBuilder(policy: policy)
            var plan = builder.plan(item, fingerprint: fingerprint, book: book)
            // The book may change while the lock is let go for the read: plan again.
            if let h = plan.handle, prefetchLocked(h) { plan = builder.plan(item, fingerprint: fingerprint, book: book) }
            result = builder.apply(item, fingerprint: fingerprint, plan: plan, book: book)
            prefetched = nil
            if let incident = result.0 {
                let facts = result.1 == .opened || result.1 == .updated ? builder.facts(item, fingerprint) : nil
                replaced = dirty.updateValue(Dirty(incident: incident, facts: facts), forKey: incident.id)
                if facts == nil, let f = replaced?.facts { dirty[incident.id]?.facts = f }
                pendingPosts.append((StableHash.fnv1a64(item.post.key), incident.id))
                newest = max(newest, incident.lastSeen)
            }
            let now = clock()
            if flushPolicy.due(incidents: dirty.count, links: pendingPosts.count, secondsSinceLast: now.timeIntervalSince(lastFlush)),
               handoff.tryLock() {
                batch = takeBatchLocked(now)
            }
        } catch {
            lock.unlock()
            throw error
        }
        lock.unlock()
        if let batch { try handOff(batch) }
        _ = replaced
        return result
    }

    public func flush() throws {
        handoff.lock()
        lock.lock()
        let batch = takeBatchLocked(clock())
        lock.unlock()
        try handOff(batch)
        try batch.writer?.drain()
    }

    /// Slims the book now, as a hand-off does while other workers keep changing it (tests:
    /// an incident changed since the last batch was taken may be slimmed).
    func slimNow() {
        var released: [IncidentBook.Whole] = []
        lock.lock()
        book.slimColdIncidents(releasing: &released)
        lock.unlock()
    }

    /// See `IncidentBook.wholeLimit`.
    public var wholeLimit: Int {
        get { lock.lock(); defer { lock.unlock() }; return book.wholeLimit }
        set { lock.lock(); defer { lock.unlock() }; book.wholeLimit = newValue }
    }

    /// Incidents held without text and rule hits (`IncidentBook.slimColdIncidents`).
    public var slimCount: Int { lock.lock(); defer { lock.unlock() }; return book.slimCount }

    /// Open incidents held in memory.
    public var count: Int { lock.lock(); defer { lock.unlock() }; return book.count }

    private func openIfNeeded() throws {
        guard writer == nil else { return }
        let s = try IncidentStore(path: path ?? ":memory:")
        try s.load(into: book, retention: policy.retention)
        newest = book.newestLastSeen ?? .distantPast
        let w = BackgroundWriter(label: "otklik.incidents.store", store: s)
        writer = w
        if let path { reader = try IncidentStore(readingFrom: path) }
        let (reader, inFlight) = (self.reader, self.inFlight)
        // Runs under `lock` (so no version is queued meanwhile); the writer's queue never takes it.
        // A version not yet taken for the store, or still queued, is taken from memory: waiting for
        // the writer under the lock (a commit, a WAL checkpoint) would keep the other workers waiting too.
        book.loader = { [unowned self] id in
            if let d = self.dirty[id] { return IncidentStoredPart(d.incident) }
            if let part = inFlight.part(id) { return part }
            if let p = self.prefetched, p.id == id, p.generation == self.book.slimGeneration { return p.part }
            if let reader, let stored = self.readLocked(reader, id) { return stored }
            return try? w.sync { try $0.fetchPart(id: id) }
        }
    }

    private func readLocked(_ reader: IncidentStore, _ id: String) -> IncidentStoredPart? {
        readerLock.lock()
        defer { readerLock.unlock() }
        return try? reader.fetchPart(id: id)
    }

    /// Reads the stored part of slim incident `h` with `lock` let go meanwhile, when its newest
    /// version is on disk: a store read (a query and a JSON parse, about one post in five that
    /// reach the book) was the longest thing a worker did under the lock, and the other worker
    /// slept on it. True when the lock was let go (the book may have changed).
    private func prefetchLocked(_ h: IncidentBook.Handle) -> Bool {
        guard let reader, book.isSlim(h) else { return false }
        let id = book.id(h)
        guard dirty[id] == nil, !inFlight.contains(id) else { return false }
        let generation = book.slimGeneration
        lock.unlock()
        let part = readLocked(reader, id)
        lock.lock()
        if let part { prefetched = (id, generation, part) }
        return true
    }

    /// Takes the changes gathered so far (the caller holds `lock` and `handoff`).
    private func takeBatchLocked(_ now: Date) -> Batch {
        lastFlush = now
        var changes = Batch.Changes()
        swap(&changes, &spare)
        swap(&changes.dirty, &dirty)
        swap(&changes.posts, &pendingPosts)
        return Batch(changes: changes, writer: writer, now: now)
    }

    /// Queues a taken batch for the store, then slims the book and prunes it; lets go of `handoff`.
    private func handOff(_ batch: Batch) throws {
        defer { handoff.unlock() }
        guard let writer = batch.writer else { return }
        var changes = batch.changes
        if !changes.dirty.isEmpty || !changes.posts.isEmpty {
            let incidents = changes.dirty.values.map { ($0.incident, $0.facts) }
            let posts = changes.posts
            let ids = incidents.map(\.0.id)
            let inFlight = self.inFlight
            inFlight.add(incidents.map { ($0.0.id, IncidentStoredPart($0.0)) })
            writer.async { store in
                defer { inFlight.remove(ids) }
                try store.write(incidents: incidents, posts: posts)
            }
        }
        changes.dirty.removeAll(keepingCapacity: true)
        changes.posts.removeAll(keepingCapacity: true)
        var released: [IncidentBook.Whole] = []
        lock.lock()
        swap(&spare, &changes)
        book.slimColdIncidents(releasing: &released)
        // Pruning walks every open incident: once a minute is plenty for a retention of days.
        let now = batch.now
        if now.timeIntervalSince(lastPrune) >= 60 || now < lastPrune {
            lastPrune = now
            let cutoff = newest.addingTimeInterval(-policy.retention.seconds)
            let gone = book.prune(lastSeenBefore: cutoff)
            if !gone.isEmpty {
                for id in gone { dirty[id] = nil }
                writer.async { try $0.prune(lastSeenBefore: cutoff) }
            }
        }
        lock.unlock()
    }
}

/// Ids of incidents with a version on its way to disk (counted: one id can be in two batches),
/// with the stored part of the newest queued version.
final class InFlightIDs: Sendable {
    private let ids = Mutex<[String: (count: Int, part: IncidentStoredPart?)]>([:])

    func add(_ batch: [String]) { add(batch.map { ($0, nil) }) }

    func add(_ batch: [(id: String, part: IncidentStoredPart?)]) {
        ids.withLock {
            for (id, part) in batch {
                let old = $0[id]
                $0[id] = ((old?.count ?? 0) + 1, part ?? old?.part)
            }
        }
    }

    func remove(_ batch: [String]) {
        ids.withLock {
            for id in batch {
                guard let old = $0[id] else { continue }
                $0[id] = old.count > 1 ? (old.count - 1, old.part) : nil
            }
        }
    }

    func contains(_ id: String) -> Bool { ids.withLock { $0[id] != nil } }

    /// The stored part of the newest queued version of `id`, nil when none is queued.
    func part(_ id: String) -> IncidentStoredPart? { ids.withLock { $0[id]?.part } }
}
