import Foundation
import Synchronization

/// The incident book shared by every worker of a pipeline, behind a lock, persisted in
/// batches and restored on first use (building the stage touches no disk).
public final class IncidentIndex: @unchecked Sendable {
    public let policy: IncidentPolicy
    private let path: String?
    private let clock: @Sendable () -> Date
    private let lock = AdaptiveLock()
    private let book: IncidentBook
    /// The SQLite store, written off the lock by its own queue.
    private var writer: BackgroundWriter<IncidentStore>?
    /// A read-only connection for reading back incidents kept slim in memory: it does not
    /// wait behind the writer's queue (nil for an in-memory store).
    private var reader: IncidentStore?
    /// Incidents whose newest version is handed to the writer and not yet committed: those
    /// are read back through the writer, which has them.
    private let inFlight = InFlightIDs()
    /// Incidents changed since the last flush: their newest version (as the book holds it and the
    /// sinks get it), and whether their joining facts changed.
    private var dirty: [String: (incident: Incident, factsChanged: Bool)] = [:]
    private var pendingPosts: [(UInt64, String)] = []
    private var lastFlush: Date
    private var lastPrune = Date.distantPast
    private var newest = Date.distantPast
    /// Changes (versions and post links) gathered before a write to the store: the versions
    /// of one incident in between are written once. Larger batches cost the store's writer
    /// less (2,048 rather than 256: about a third less CPU) but raise peak memory (2,048: about
    /// 10 MB more at a million posts, near the 200 MB budget; 1,024: about 5 MB).
    private let batchSize = 1024

    /// `path`: the SQLite file; nil keeps the book in memory only.
    public init(policy: IncidentPolicy, path: String?, clock: @escaping @Sendable () -> Date = { Date() }) {
        self.policy = policy; self.path = path; self.clock = clock
        book = IncidentBook(wholeLimit: policy.wholeIncidents)
        lastFlush = clock()
    }

    deinit { try? flush() }

    /// Applies one analysed post; returns the incident version to emit, if any.
    public func apply(_ item: AnalysisItem, fingerprint: TextFingerprint) throws -> (Incident?, IncidentBuilder.Change) {
        lock.lock()
        defer { lock.unlock() }
        try openIfNeeded()
        try writer?.throwIfFailed()
        let (incident, change) = IncidentBuilder(policy: policy).apply(item, fingerprint: fingerprint, book: book)
        if let incident {
            let factsChanged = dirty[incident.id]?.factsChanged == true || change == .opened || change == .updated
            dirty[incident.id] = (incident, factsChanged)
            pendingPosts.append((StableHash.fnv1a64(item.post.key), incident.id))
            newest = max(newest, incident.lastSeen)
        }
        let now = clock()
        if dirty.count + pendingPosts.count >= batchSize || now.timeIntervalSince(lastFlush) >= 1 { try flushLocked(now) }
        return (incident, change)
    }

    public func flush() throws {
        lock.lock()
        defer { lock.unlock() }
        try flushLocked(clock())
        try writer?.drain()
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
        // A version still queued is taken from memory: waiting for the writer under the lock
        // (a commit, a WAL checkpoint) would keep the other workers waiting too.
        book.loader = { id in
            if let part = inFlight.part(id) { return part }
            if let reader, let stored = try? reader.fetchPart(id: id) { return stored }
            return try? w.sync { try $0.fetchPart(id: id) }
        }
    }

    private func flushLocked(_ now: Date) throws {
        lastFlush = now
        guard let writer else { return }
        // The versions as applied: rebuilding each from the book would cost as much again, under the lock.
        let incidents = dirty.compactMap { id, change in
            book.handle(id: id).map { (change.incident, change.factsChanged ? book.facts($0) : nil) }
        }
        let posts = pendingPosts
        dirty.removeAll(keepingCapacity: true)
        pendingPosts.removeAll(keepingCapacity: true)
        if !incidents.isEmpty || !posts.isEmpty {
            let ids = incidents.map(\.0.id)
            let inFlight = self.inFlight
            inFlight.add(incidents.map { ($0.0.id, IncidentStoredPart($0.0)) })
            writer.async { store in
                defer { inFlight.remove(ids) }
                try store.write(incidents: incidents, posts: posts)
            }
        }
        book.slimColdIncidents()
        // Pruning walks every open incident: once a minute is plenty for a retention of days.
        if now.timeIntervalSince(lastPrune) >= 60 || now < lastPrune {
            lastPrune = now
            let cutoff = newest.addingTimeInterval(-policy.retention.seconds)
            if !book.prune(lastSeenBefore: cutoff).isEmpty { writer.async { try $0.prune(lastSeenBefore: cutoff) } }
        }
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
