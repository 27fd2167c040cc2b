extension DedupeIndex {
    /// Runs: the bench's million posts are mostly families of near-identical texts, so band
    /// chains hold long stretches of entries with one SimHash and anchor; a walk that does
    /// not match one of them would read every entry of the stretch (about two thirds of
    /// the entries walked past at a million posts).
    ///
    /// An entry that comes in with the SimHash and anchor of the entry at the head of all
    /// its band chains joins that entry's run: it stands right before it in every band, so
    /// one link serves all bands, and its other links say where the run ends — its last
    /// entry, which keeps ordinary band links — and how many entries on that is. A walk
    /// that finds the first entry of a run too far or of another place goes straight to the
    /// last one and counts the entries passed, so each band still looks at the same first
    /// `maxProbe` entries in the same order as before: the answers do not change.
    ///
    /// A run member's links: 0, the next entry (for every band); 1, the run's last entry;
    /// 2, the entries from it to the last one; 3, `runMarker`. Only with four bands or more
    /// (distance 3, the default, and up).
    static let runMarker = UInt32.max - 1

    var runsEnabled: Bool { bands >= 4 }

    @inline(__always)
    func isRunMember(_ s: Int) -> Bool { runsEnabled && slots.link(s, 3).pointee == Self.runMarker }

    /// The entry after `s` in band `band`'s chain.
    @inline(__always)
    func next(_ s: Int, _ band: Int) -> UInt32 { slots.link(s, isRunMember(s) ? 0 : band).pointee }

    /// For a run member: the run's last entry and how many entries on it is.
    @inline(__always)
    func runSkip(_ s: Int) -> (last: UInt32, passed: UInt32)? {
        guard isRunMember(s) else { return nil }
        return (slots.link(s, 1).pointee, slots.link(s, 2).pointee)
    }

    /// Links `slot` at the head of its band chains; a new entry (`joiningRun`) with the
    /// SimHash and anchor of the head of all of them joins its run.
    func linkBands(_ simhash: UInt64, _ anchor: UInt32, _ slot: Int, joiningRun: Bool) {
        if joiningRun, runsEnabled {
            let head = bandHeads[bandBucket(0, simhash, anchor)]
            if head != Self.none, (1..<bands).allSatisfy({ bandHeads[bandBucket($0, simhash, anchor)] == head }) {
                let h = Int(head), hot = slots.hot(h)
                if hot.simhash == simhash, hot.anchor == anchor {
                    slots.link(slot, 0).pointee = head
                    if let run = runSkip(h) {
                        slots.link(slot, 1).pointee = run.last
                        slots.link(slot, 2).pointee = run.passed + 1
                    } else {
                        slots.link(slot, 1).pointee = head
                        slots.link(slot, 2).pointee = 1
                    }
                    slots.link(slot, 3).pointee = Self.runMarker
                    for band in 0..<bands { bandHeads[bandBucket(band, simhash, anchor)] = UInt32(slot) }
                    return
                }
            }
        }
        for band in 0..<bands {
            let b = bandBucket(band, simhash, anchor)
            slots.link(slot, band).pointee = bandHeads[b]
            bandHeads[b] = UInt32(slot)
        }
    }

    /// Takes `slot` out of its band chains, keeping its run's links right.
    func unlinkBands(_ simhash: UInt64, _ anchor: UInt32, _ slot: Int) {
        let x = UInt32(slot)
        for band in 0..<bands {
            let b = bandBucket(band, simhash, anchor)
            var prev = Self.none, runStart = Self.none
            var s = bandHeads[b]
            while s != x && s != Self.none {
                if isRunMember(Int(s)) { if runStart == Self.none { runStart = s } } else { runStart = Self.none }
                prev = s
                s = next(Int(s), band)
            }
            guard s == x else { continue }
            if prev == Self.none {
                bandHeads[b] = next(slot, band)
            } else if isRunMember(Int(prev)) {
                // `slot` is in `prev`'s run, which stands the same in every band: one edit serves them all.
                leaveRun(slot, previous: Int(prev), runStart: Int(runStart))
                return
            } else {
                slots.link(Int(prev), band).pointee = next(slot, band)
            }
        }
    }

    /// Takes run entry `slot` (a member, or the last entry) out of its run; `previous` is
    /// the member before it, `runStart` the run's first member.
    private func leaveRun(_ slot: Int, previous: Int, runStart: Int) {
        let last = !isRunMember(slot)
        if last {
            // `previous` becomes the last entry: it takes `slot`'s band links.
            for band in 0..<bands { slots.link(previous, band).pointee = slots.link(slot, band).pointee }
        } else {
            slots.link(previous, 0).pointee = slots.link(slot, 0).pointee
        }
        var s = runStart
        while true {
            if s == previous && last { break }
            if last { slots.link(s, 1).pointee = UInt32(previous) }
            slots.link(s, 2).pointee -= 1
            if s == previous { break }
            s = Int(slots.link(s, 0).pointee)
        }
    }
}
