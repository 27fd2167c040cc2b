/// Where a wall was read up to: every post with id ≤ `last` was emitted, except the
/// ids strictly between `gapFloor` and `gapBelow` when an earlier walk hit its page cap.
public struct VKWallMark: Codable, Sendable, Hashable {
    public var last: Int64
    public var gapBelow: Int64?
    public var gapFloor: Int64?
    public init(last: Int64, gapBelow: Int64? = nil, gapFloor: Int64? = nil) {
        self.last = last; self.gapBelow = gapBelow; self.gapFloor = gapFloor
    }
}

/// One walk down a wall (newest first) collecting posts not read before. Pure logic:
/// feed it the pages the API returns; it says which offset to ask next and when to stop.
///
/// Offsets move while we page (new posts push everything down, deletions pull it up), so
/// the walk never trusts them: consecutive pages overlap by a few posts, ids already seen
/// are dropped, and the walk stops at the first id it had read in an earlier poll. The
/// pinned post comes first whatever its age and never stops the walk.
public struct VKWallWalk: Sendable {
    public let mark: VKWallMark?
    public let pageSize: Int
    public let overlap: Int
    public private(set) var offset = 0
    public private(set) var pages = 0
    public private(set) var done = false
    /// New posts in the order met (newest first, pinned possibly first).
    public private(set) var collected: [VKPost] = []
    private var seen: Set<Int64> = []
    /// The lowest non-pinned id met so far.
    private var lowest: Int64?

    public init(mark: VKWallMark?, pageSize: Int = 100, overlap: Int = 5) {
        self.mark = mark; self.pageSize = pageSize; self.overlap = min(overlap, max(0, pageSize - 1))
    }

    private var floor: Int64? { mark.map { $0.gapFloor ?? $0.last } }

    private func wanted(_ id: Int64) -> Bool {
        guard let m = mark else { return true }
        if id > m.last { return true }
        if let below = m.gapBelow, let fl = m.gapFloor { return id < below && id > fl }
        return false
    }

    /// Takes one page that was asked at `offset`.
    public mutating func consume(_ items: [VKPost]) {
        pages += 1
        for p in items {
            if p.isPinned {
                if wanted(p.id), seen.insert(p.id).inserted { collected.append(p) }
                continue
            }
            if let fl = floor, p.id <= fl { done = true; break }
            lowest = min(lowest ?? p.id, p.id)
            if wanted(p.id), seen.insert(p.id).inserted { collected.append(p) }
        }
        // The first read of a wall takes one page; a short page is the end of the wall.
        if mark == nil || items.count < pageSize { done = true }
        offset += max(1, items.count - overlap)
    }

    /// The mark after this walk; `done == false` means the page cap cut it short.
    public func finish() -> VKWallMark? {
        let newest = collected.map(\.id).max()
        guard let m = mark else { return newest.map { VKWallMark(last: $0) } }
        let last = max(m.last, newest ?? m.last)
        if done { return VKWallMark(last: last) }
        guard let low = lowest else { return VKWallMark(last: last, gapBelow: m.gapBelow, gapFloor: m.gapFloor) }
        return VKWallMark(last: last, gapBelow: min(low, m.gapBelow ?? low), gapFloor: m.gapFloor ?? m.last)
    }

    /// Seconds covered by the collected posts up to `now` (seeds the posting rate on a first read).
    public func span(now: Double) -> Double? {
        guard let oldest = collected.filter({ !$0.isPinned }).map(\.date).min() else { return nil }
        return max(60, now - Double(oldest))
    }
}
