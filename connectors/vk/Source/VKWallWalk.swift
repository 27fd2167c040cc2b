/// Posts not yet read between two ids: strictly below `below` and above `floor`.
/// `tail` is how many posts of the wall were at or after the resume point when it was
/// recorded — new posts land on top, so `total - tail` finds the point again.
public struct VKWallGap: Codable, Sendable, Hashable {
    public var below: Int64
    public var floor: Int64
    public var tail: Int
}

/// Where a wall was read up to: every post with id ≤ `last` was emitted, except those in
/// `gaps` (left when a walk hit its page cap; read on later polls, newest first).
public struct VKWallMark: Codable, Sendable, Hashable {
    public var last: Int64
    public var gaps: [VKWallGap]
    /// The newest `edited` time seen: an older post edited after it is read again.
    public var lastEdit: Int64?
    public init(last: Int64, gaps: [VKWallGap] = [], lastEdit: Int64? = nil) {
        self.last = last; self.gaps = gaps; self.lastEdit = lastEdit
    }
}

/// One walk down a wall (newest first) collecting posts not read before. Pure logic:
/// feed it the pages the API returns; it says which offset to ask next and when to stop.
///
/// Offsets move while we page (new posts push everything down, deletions pull it up), so
/// the walk never trusts them: consecutive pages overlap by a few posts, ids already seen
/// are dropped, and the walk stops at the first id it had read in an earlier poll. The
/// pinned post comes first whatever its age and never stops the walk. Posts already read
/// that were edited since are read again. When the page cap
/// cuts a walk short, the unread range is remembered as a gap and read on later polls.
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
    /// -1 while reading new posts on top, then the index of the gap being read.
    private var phase = -1
    /// The lowest non-pinned id met in the current phase.
    private var lowest: Int64?
    private var total = 0
    private var newestEdit: Int64?

    public init(mark: VKWallMark?, pageSize: Int = 100, overlap: Int = 5) {
        self.mark = mark; self.pageSize = pageSize; self.overlap = min(overlap, pageSize / 4)
    }

    private var phaseFloor: Int64? {
        guard let m = mark else { return nil }
        return phase < 0 ? m.last : m.gaps[phase].floor
    }

    private func wanted(_ id: Int64) -> Bool {
        guard let m = mark else { return true }
        if id > m.last { return true }
        return m.gaps.contains { id < $0.below && id > $0.floor }
    }

    /// Takes one page that was asked at `offset`; `total` is the wall's post count VK reported.
    public mutating func consume(_ items: [VKPost], total: Int) {
        pages += 1
        self.total = total
        var jump = false
        var stopped = false
        for p in items {
            if let e = p.edited {
                newestEdit = max(newestEdit ?? e, e)
                // Read before and edited since: read again (sinks upsert by id).
                if let m = mark, let seenEdit = m.lastEdit, e > seenEdit, !wanted(p.id), seen.insert(p.id).inserted {
                    collected.append(p)
                }
            }
            if stopped { continue }   // the rest of the page is only checked for edits
            if p.isPinned {
                if wanted(p.id), seen.insert(p.id).inserted { collected.append(p) }
                continue
            }
            if let fl = phaseFloor, p.id <= fl {
                if let m = mark, phase + 1 < m.gaps.count { phase += 1; lowest = nil; jump = true } else { done = true }
                stopped = true
                continue
            }
            if phase >= 0, let m = mark, p.id >= m.gaps[phase].below { continue }
            lowest = min(lowest ?? p.id, p.id)
            if wanted(p.id), seen.insert(p.id).inserted { collected.append(p) }
        }
        // The first read of a wall takes one page; a short page is the end of the wall.
        if mark == nil || items.count < pageSize { done = true }
        if jump, let m = mark {
            offset = max(0, total - m.gaps[phase].tail)
        } else {
            offset += max(1, items.count - overlap)
        }
    }

    /// The mark after this walk; `done == false` means the page cap cut it short.
    public func finish() -> VKWallMark? {
        let newest = collected.map(\.id).max()
        guard let m = mark else { return newest.map { VKWallMark(last: $0, lastEdit: newestEdit ?? 0) } }
        let last = max(m.last, newest ?? m.last)
        let edit = max(m.lastEdit ?? 0, newestEdit ?? 0)
        if done { return VKWallMark(last: last, lastEdit: edit) }
        let tail = max(0, total - offset)
        if phase < 0 {
            let top = lowest.map { VKWallGap(below: $0, floor: m.last, tail: tail) }
            return VKWallMark(last: last, gaps: (top.map { [$0] } ?? []) + m.gaps, lastEdit: edit)
        }
        var gaps = Array(m.gaps[phase...])
        if let low = lowest { gaps[0].below = min(gaps[0].below, low) }
        gaps[0].tail = tail
        return VKWallMark(last: last, gaps: gaps, lastEdit: edit)
    }

    /// Seconds covered by the collected posts up to `now` (seeds the posting rate on a first read).
    public func span(now: Double) -> Double? {
        guard let oldest = collected.filter({ !$0.isPinned }).map(\.date).min() else { return nil }
        return max(60, now - Double(oldest))
    }
}
