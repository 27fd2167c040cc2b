import Foundation
import OtklikCore

extension VKSource {
    /// For `otklik status`: each token's state and remaining daily budget per method, and
    /// per community how fresh the last read is, the planned interval and the posting rate.
    public func statusFields() -> [String: String] {
        let now = clock.now()
        var f: [String: String] = [:]
        for t in tokens {
            guard let b = registry.budget(t.hash) else { continue }
            let p = "token.\(t.hash)"
            f[p + ".state"] = b.isStopped ? "stopped" : (b.pausedUntil > now ? "paused" : "ok")
            for (method, left) in b.remaining(at: now) { f[p + ".\(method).remaining"] = String(left) }
            for (method, n) in b.callsToday where b.callsDay == b.calendar.index(now) {
                f[p + ".\(method).calls_today"] = String(n)
            }
        }
        let keys = communityKeys
        let daily = dailyWallCalls()
        let total = planner.totalWeight(keys, now: now)
        for k in keys {
            let p = "community.\(k)"
            if let last = lastRead[k] { f[p + ".freshness_s"] = String(Int(now - last)) }
            f[p + ".interval_s"] = String(Int(planner.interval(k, dailyCalls: daily, totalWeight: total)))
            if let c = planner.community(k) { f[p + ".posts_per_hour"] = String(format: "%.2f", c.ratePerHour) }
            if let why = skipped[k] { f[p + ".skipped"] = why }
        }
        for (name, why) in skipped where !keys.contains(name) { f["community.\(name).skipped"] = why }
        return f
    }

    /// Budget gauges for the metrics file, and the status fields as JSON in the state folder
    /// (written atomically; `otklik status` may run in another process).
    func publishStatus() {
        let now = clock.now()
        for t in tokens {
            guard let b = registry.budget(t.hash) else { continue }
            for (method, left) in b.remaining(at: now) {
                metrics.set("otklik_vk_budget_remaining", Double(left), ["token": t.hash, "method": method])
            }
        }
        for (k, last) in lastRead {
            metrics.set("otklik_vk_wall_freshness_seconds", now - last, ["source": sourceID, "community": k])
        }
        guard let path = statusPath else { return }
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .prettyPrinted]
        guard let data = try? e.encode(statusFields()) else { return }
        let dir = (path as NSString).deletingLastPathComponent
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let tmp = path + ".tmp"
        if FileManager.default.createFile(atPath: tmp, contents: data) { _ = rename(tmp, path) }
    }
}
