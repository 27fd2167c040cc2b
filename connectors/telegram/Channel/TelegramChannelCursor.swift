import Foundation
import OtklikCore

/// The `telegram` connector's cursor: the newest message id seen, the edit marks already
/// reported, and the validators for conditional requests. Stored as compact JSON.
struct TelegramChannelCursor: Codable, Sendable, Equatable {
    /// Newest message id seen (service messages included).
    var lastID: Int?
    /// Message id → hash of the text last reported for an edited message.
    var edits: [String: String] = [:]
    var etag: String?
    var lastModified: String?

    enum CodingKeys: String, CodingKey {
        case lastID = "last_id", edits, etag, lastModified = "last_modified"
    }

    init(lastID: Int? = nil) { self.lastID = lastID }

    init(_ cursor: Cursor?) throws {
        guard let cursor else { self.init(); return }
        do { self = try JSONDecoder().decode(Self.self, from: Data(cursor.value.utf8)) }
        catch { throw ConnectorError.fatal("telegram: unreadable cursor '\(cursor.value)'; reset the source's checkpoint") }
    }

    var cursor: Cursor {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        return Cursor(String(decoding: (try? e.encode(self)) ?? Data("{}".utf8), as: UTF8.self))
    }

    /// How many edit marks to remember, counted back from `lastID`.
    static let editWindow = 2000
}

/// The pure part of a poll: which pages to fetch and which messages to emit.
enum TelegramPollPlan {
    /// After reading a page, the id to fetch older messages before, or nil when the
    /// pages read so far already reach the last seen message (or there is nothing older).
    static func nextBefore(page: TelegramPage, lastID: Int?) -> Int? {
        guard let lastID, let oldest = page.oldestID, oldest > lastID + 1 else { return nil }
        return page.before.map { min($0, oldest) } ?? oldest
    }

    /// New messages (id above `lastID`) and edits of known messages not reported yet,
    /// oldest first, with the cursor that follows them.
    static func select(_ messages: [TelegramMessage], serviceIDs: [Int], state: TelegramChannelCursor)
        -> (emit: [(message: TelegramMessage, isUpdate: Bool)], next: TelegramChannelCursor) {
        var next = state
        var seen = Set<Int>()
        var out: [(TelegramMessage, Bool)] = []
        for m in messages.sorted(by: { $0.id < $1.id }) where seen.insert(m.id).inserted {
            let key = String(m.id)
            let hash = m.isEdited ? textHash(m.text) : nil
            if let last = state.lastID, m.id <= last {
                if let hash, state.edits[key] != hash {
                    out.append((m, true))
                    next.edits[key] = hash
                }
            } else {
                out.append((m, false))
                if let hash { next.edits[key] = hash }
            }
        }
        let newest = (messages.map(\.id) + serviceIDs).max()
        if let newest { next.lastID = max(state.lastID ?? newest, newest) }
        if let last = next.lastID {
            next.edits = next.edits.filter { (Int($0.key) ?? 0) > last - TelegramChannelCursor.editWindow }
        }
        return (out, next)
    }

    /// FNV-1a 64 of the text: stable across runs (unlike `Hasher`).
    static func textHash(_ s: String) -> String {
        var h: UInt64 = 0xcbf29ce484222325
        for b in s.utf8 { h = (h ^ UInt64(b)) &* 0x100000001b3 }
        return String(h, radix: 16)
    }
}

/// Waiting times: jittered poll intervals and backoff after refusals.
enum TelegramSchedule {
    /// `interval` moved by up to ±`jitter`; `unit` in 0..<1 picks where (a random number in production).
    static func jittered(_ interval: Duration, jitter: Duration, unit: Double) -> Duration {
        let offset = jitter * ((unit * 2) - 1)
        let d = interval + offset
        return d < .seconds(1) ? .seconds(1) : d
    }

    /// `base · 2^(failures-1)`, capped at `max`.
    static func backoff(failures: Int, base: Duration, max: Duration) -> Duration {
        guard failures > 0 else { return .zero }
        var d = base
        for _ in 1..<min(failures, 30) {
            d = d * 2
            if d >= max { return max }
        }
        return d < max ? d : max
    }
}
