import Foundation

extension IncidentBook {
    /// Drops the whole part of the oldest whole incidents beyond `wholeLimit`. Call only when
    /// every incident is persisted (right after a flush), so a slim version is never what gets written.
    public func slimColdIncidents() {
        var released: [Whole] = []
        slimColdIncidents(releasing: &released)
    }

    /// `slimColdIncidents()`, moving the dropped parts into `released`: the caller frees them
    /// (their strings and arrays) after it lets go of the lock every worker waits on.
    func slimColdIncidents(releasing released: inout [Whole]) {
        while wholes.count > wholeLimit, wholeHead < wholeOrder.count {
            let (h, idHash) = wholeOrder[wholeHead]
            wholeHead += 1
            guard entries[Int(h)].live, entries[Int(h)].idHash == idHash else { continue }
            if let w = wholes.removeValue(forKey: h) { released.append(w); slimGeneration &+= 1 }
        }
        if wholeHead > 4096, wholeHead * 2 > wholeOrder.count {
            wholeOrder.removeFirst(wholeHead); wholeHead = 0
        }
    }

    /// Forgets incidents last seen before `cutoff`; returns their ids.
    @discardableResult
    public func prune(lastSeenBefore cutoff: Date) -> [String] {
        var gone: Set<Handle> = []
        for (i, e) in entries.enumerated() where e.live && e.lastSeen < cutoff { gone.insert(Handle(i)) }
        guard !gone.isEmpty else { return [] }
        slimGeneration &+= 1
        var ids: [String] = []
        ids.reserveCapacity(gone.count)
        for h in gone {
            ids.append(id(h))
            let e = entries[Int(h)]
            if let k = Self.placeKey(categories[e.category] ?? "", places[e.geo]) {
                byPlace[k]?.removeAll { $0 == h }
                if byPlace[k]?.isEmpty == true { byPlace[k] = nil }
            }
            byID[e.idHash] = nil
            wholes[h] = nil
            oddIDs[h] = nil
            entries[Int(h)].live = false
            free.append(h)
        }
        count -= gone.count
        let stale = byPost.compactMap { gone.contains($0.value) ? $0.key : nil }
        for k in stale { byPost[k] = nil }
        wholeOrder = wholeOrder[wholeHead...].filter { entries[Int($0.handle)].live && !gone.contains($0.handle) }
        wholeHead = 0
        compactTablesIfSparse()
        return ids
    }

    /// Rebuilds the intern tables when most of their values belong to pruned incidents
    /// (places with coordinates are nearly unique per incident).
    func compactTablesIfSparse() {
        let limit = 2 * count + 1024
        guard places.count > limit || streets.count > limit || executors.count > limit
            || categories.count > limit || statuses.count > limit else { return }
        var (c, p, s, x, st) = (InternTable<String>(), InternTable<GeoTag>(), InternTable<String>(),
                                InternTable<Executor>(), InternTable<String>())
        for i in entries.indices where entries[i].live {
            let e = entries[i]
            entries[i].category = c.ref(categories[e.category])
            entries[i].geo = p.ref(places[e.geo])
            entries[i].street = s.ref(streets[e.street])
            entries[i].executor = x.ref(executors[e.executor])
            entries[i].status = st.ref(statuses[e.status])
        }
        (categories, places, streets, executors, statuses) = (c, p, s, x, st)
    }
}
