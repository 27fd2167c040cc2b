import Dispatch
import Foundation

/// A pipeline's state database, `<state_dir>/<pipeline>/state.sqlite`: each source's
/// committed cursor and its health.
///
/// SQLite calls block, so they run on the store's own serial queue, never on the
/// cooperative pool; async callers wait without holding a pool thread.
public final class CheckpointStore: @unchecked Sendable {
    public static let schemaVersion = 1
    public let path: String
    private let queue = DispatchQueue(label: "otklik.checkpoints")
    /// Touched only on `queue`.
    private let db: SQLiteDatabase

    /// `stateDir` is the pipeline's folder (`PluginContext.stateDir`).
    public static func path(stateDir: String) -> String { stateDir + "/state.sqlite" }

    /// Throws `StateDatabaseError` when the file is corrupt, from a newer otklik, or locked.
    public init(path: String) throws {
        self.path = path
        do {
            db = try SQLiteDatabase(path: path)
            try queue.sync { try migrate() }
        } catch {
            throw StateDatabaseError.classify(error, path: path) ?? error
        }
    }

    private func migrate() throws {
        let version = try db.userVersion
        if version > Self.schemaVersion {
            throw StateDatabaseError(.newerSchema(found: version, supported: Self.schemaVersion), path: path)
        }
        if version == Self.schemaVersion { return }
        try db.transaction {
            try db.executeScript("""
            CREATE TABLE IF NOT EXISTS cursors(
                source_id TEXT PRIMARY KEY, cursor TEXT NOT NULL, updated_at REAL NOT NULL);
            CREATE TABLE IF NOT EXISTS source_health(
                source_id TEXT PRIMARY KEY, last_poll_at REAL, last_success_at REAL, newest_post_at REAL,
                error_streak INTEGER NOT NULL DEFAULT 0, last_error TEXT, last_error_at REAL,
                posts_read INTEGER NOT NULL DEFAULT 0);
            """)
            try db.setUserVersion(Self.schemaVersion)
        }
    }

    /// Every committed cursor by source id.
    public func cursors() throws -> [String: Cursor] {
        try queue.sync {
            var out: [String: Cursor] = [:]
            try db.forEach("SELECT source_id, cursor FROM cursors") { row in
                if let id = row[0].text, let c = row[1].text { out[id] = Cursor(c) }
            }
            return out
        }
    }

    public func cursor(source: String) throws -> Cursor? { try cursors()[source] }

    /// Every source's stored health, by source id.
    public func health() throws -> [String: SourceHealth] {
        try queue.sync {
            var out: [String: SourceHealth] = [:]
            try db.forEach("""
                SELECT source_id, last_poll_at, last_success_at, newest_post_at, error_streak, last_error,
                       last_error_at, posts_read FROM source_health
                """) { r in
                guard let id = r[0].text else { return }
                func date(_ v: SQLiteValue) -> Date? { v.double.map { Date(timeIntervalSince1970: $0) } }
                out[id] = SourceHealth(sourceID: id, lastPollAt: date(r[1]), lastSuccessAt: date(r[2]),
                                       newestPostAt: date(r[3]), errorStreak: Int(r[4].int ?? 0),
                                       lastError: r[5].text, lastErrorAt: date(r[6]), postsRead: Int(r[7].int ?? 0))
            }
            return out
        }
    }

    /// Writes cursors and health in one transaction, off the cooperative pool.
    public func save(cursors: [String: Cursor], health: [SourceHealth], now: Date = Date()) async throws {
        if cursors.isEmpty && health.isEmpty { return }
        try await withCheckedThrowingContinuation { (cont: CheckedContinuation<Void, any Error>) in
            queue.async {
                do {
                    try self.saveNow(cursors: cursors, health: health, now: now)
                    cont.resume()
                } catch { cont.resume(throwing: error) }
            }
        }
    }

    /// The blocking form of `save`, for one-shot commands and tests.
    public func saveSync(cursors: [String: Cursor], health: [SourceHealth], now: Date = Date()) throws {
        try queue.sync { try saveNow(cursors: cursors, health: health, now: now) }
    }

    private func saveNow(cursors: [String: Cursor], health: [SourceHealth], now: Date) throws {
        try db.transaction {
            for (id, c) in cursors {
                try db.execute("""
                    INSERT INTO cursors(source_id, cursor, updated_at) VALUES(?, ?, ?)
                    ON CONFLICT(source_id) DO UPDATE SET cursor = excluded.cursor, updated_at = excluded.updated_at
                    """, [.text(id), .text(c.value), .double(now.timeIntervalSince1970)])
            }
            func d(_ v: Date?) -> SQLiteValue { v.map { .double($0.timeIntervalSince1970) } ?? .null }
            for h in health {
                try db.execute("""
                    INSERT INTO source_health(source_id, last_poll_at, last_success_at, newest_post_at, error_streak,
                                              last_error, last_error_at, posts_read)
                    VALUES(?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT(source_id) DO UPDATE SET last_poll_at = excluded.last_poll_at,
                        last_success_at = excluded.last_success_at, newest_post_at = excluded.newest_post_at,
                        error_streak = excluded.error_streak, last_error = excluded.last_error,
                        last_error_at = excluded.last_error_at, posts_read = excluded.posts_read
                    """, [.text(h.sourceID), d(h.lastPollAt), d(h.lastSuccessAt), d(h.newestPostAt),
                          .int(Int64(h.errorStreak)), h.lastError.map { .text($0) } ?? .null, d(h.lastErrorAt),
                          .int(Int64(h.postsRead))])
            }
        }
    }
}
