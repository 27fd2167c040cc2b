import Foundation
import Synchronization

/// The process-wide owner of every VK token's budget, keyed by a hash of the token,
/// so several sources (even in different pipelines) that use one token share its limits.
///
/// Used quotas survive restarts: they are written atomically to `vk-budget.json`
/// in the state folder after every change worth keeping.
public final class VKBudgetRegistry: Sendable {
    public static let shared = VKBudgetRegistry()

    struct Entry {
        var budget: VKTokenBudget
        var storePath: String?
        /// Each source's total poll weight on this token (for the budget split).
        var weights: [String: Double] = [:]
        var dirty = false
        /// A request on this token is on its way: the next one waits for its answer, so
        /// requests reach VK in the order they were paced.
        var inFlight = false
    }

    private let state = Mutex<[String: Entry]>([:])
    public init() {}

    /// A stable, non-reversible name for a token (FNV-1a 64), safe to log and store.
    public static func hash(token: String) -> String {
        var h: UInt64 = 0xcbf29ce484222325
        for b in token.utf8 { h = (h ^ UInt64(b)) &* 0x100000001b3 }
        return "vk-" + String(h, radix: 16)
    }

    /// Registers a token's budget once; later registrations reuse it. Used counts and
    /// pauses stored in `storePath` from an earlier run are restored.
    public func register(_ tokenHash: String, budget: VKTokenBudget, storePath: String?) {
        state.withLock { s in
            guard s[tokenHash] == nil else { return }
            var b = budget
            if let storePath, let saved = Self.load(storePath)[tokenHash] { b.restore(from: saved) }
            s[tokenHash] = Entry(budget: b, storePath: storePath)
        }
    }

    public func budget(_ tokenHash: String) -> VKTokenBudget? { state.withLock { $0[tokenHash]?.budget } }

    public func request(_ tokenHash: String, _ calls: [String: Int], now: Double) -> VKGrant {
        state.withLock { s in
            guard s[tokenHash] != nil else { return .stopped("unknown token") }
            let g = s[tokenHash]!.budget.request(calls, now: now)
            if case .at = g { s[tokenHash]!.dirty = true }
            return g
        }
    }

    public func record(_ tokenHash: String, error: VKAPIError, method: String, now: Double) {
        state.withLock { s in
            s[tokenHash]?.budget.record(error: error, method: method, now: now)
            s[tokenHash]?.dirty = true
        }
    }

    /// Marks a request on `tokenHash` as on its way; false when another one already is.
    public func begin(_ tokenHash: String) -> Bool {
        state.withLock { s in
            guard let e = s[tokenHash], !e.inFlight else { return false }
            s[tokenHash]!.inFlight = true
            return true
        }
    }

    /// Gives up a request begun with `begin` that was not sent.
    public func cancel(_ tokenHash: String) { state.withLock { $0[tokenHash]?.inFlight = false } }

    /// A request on `tokenHash` got its answer (or failed) at `t` (see `VKPacer.completed`).
    public func completed(_ tokenHash: String, at t: Double) {
        state.withLock { s in
            s[tokenHash]?.budget.pacer.completed(at: t)
            s[tokenHash]?.inFlight = false
        }
    }

    public func setWeight(_ tokenHash: String, source: String, weight: Double) {
        state.withLock { $0[tokenHash]?.weights[source] = weight }
    }

    /// Calls of `method` per day that `source` may plan with on `tokenHash`: the token's
    /// usable quota split by poll weight among the sources sharing it.
    public func dailyShare(_ tokenHash: String, source: String, method: String) -> Double {
        state.withLock { s in
            guard let e = s[tokenHash], let q = e.budget.quotas[method] else { return 0 }
            let total = e.weights.values.reduce(0, +)
            let mine = e.weights[source] ?? 0
            guard total > 0 else { return Double(q.usable) }
            return Double(q.usable) * mine / total
        }
    }

    /// Writes every changed budget to its file (temp file + rename).
    public func save() {
        let byPath: [String: [String: VKTokenBudget]] = state.withLock { s in
            var out: [String: [String: VKTokenBudget]] = [:]
            for (k, e) in s where e.dirty {
                guard let p = e.storePath else { continue }
                out[p, default: [:]][k] = e.budget
            }
            for k in s.keys { s[k]!.dirty = false }
            return out
        }
        for (path, budgets) in byPath {
            var all = Self.load(path)
            all.merge(budgets) { _, new in new }
            guard let data = try? JSONEncoder().encode(all) else { continue }
            let dir = (path as NSString).deletingLastPathComponent
            try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            let tmp = path + ".tmp"
            if FileManager.default.createFile(atPath: tmp, contents: data, attributes: [.posixPermissions: 0o600]) {
                _ = rename(tmp, path)
            }
        }
    }

    static func load(_ path: String) -> [String: VKTokenBudget] {
        guard let data = FileManager.default.contents(atPath: path) else { return [:] }
        return (try? JSONDecoder().decode([String: VKTokenBudget].self, from: data)) ?? [:]
    }
}
