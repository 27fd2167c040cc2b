import CSQLite
import Foundation

/// An SQLite error with the extended result code and the message.
public struct SQLiteError: Error, CustomStringConvertible, Sendable {
    public var code: Int32
    public var message: String
    public var sql: String?
    public var description: String {
        "SQLite error \(code): \(message)" + (sql.map { " (in: \($0.prefix(120)))" } ?? "")
    }
    /// `SQLITE_BUSY` / `SQLITE_LOCKED`: another process holds the database.
    public var isBusy: Bool { code & 0xff == SQLITE_BUSY || code & 0xff == SQLITE_LOCKED }
}

/// A value bound to or read from a statement.
public enum SQLiteValue: Sendable, Hashable {
    case null, int(Int64), double(Double), text(String), blob(Data)
    /// Text bound from its UTF-8 bytes (JSON encoded as bytes needs no `String` on the way);
    /// never read back: a query returns `.text`.
    case utf8([UInt8])
}

/// One SQLite connection. Not thread-safe: confine it to one actor or queue.
///
/// Opens in WAL mode with `synchronous=NORMAL`, a busy timeout, and extended result
/// codes; files are created 0600. All SQL takes bound parameters only.
public final class SQLiteDatabase {
    public let path: String
    let handle: OpaquePointer
    private var cache: [String: OpaquePointer] = [:]

    public init(path: String, busyTimeout: Duration = .seconds(5), readOnly: Bool = false) throws {
        self.path = path
        if !readOnly, path != ":memory:" {
            let dir = (path as NSString).deletingLastPathComponent
            if !dir.isEmpty {
                try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true,
                                                         attributes: [.posixPermissions: 0o700])
            }
            if !FileManager.default.fileExists(atPath: path) {
                _ = FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600])
            }
        }
        var db: OpaquePointer?
        let flags = (readOnly ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)) | SQLITE_OPEN_NOMUTEX
        let rc = sqlite3_open_v2(path, &db, flags, nil)
        guard rc == SQLITE_OK, let db else {
            let msg = db.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open"
            sqlite3_close(db)
            throw SQLiteError(code: rc, message: "\(msg): \(path)")
        }
        handle = db
        sqlite3_extended_result_codes(db, 1)
        sqlite3_busy_timeout(db, Int32(busyTimeout.seconds * 1000))
        if !readOnly {
            let mode = try query("PRAGMA journal_mode=WAL").first?.first
            if case .text(let m)? = mode, m.lowercased() != "wal", path != ":memory:" {
                throw SQLiteError(code: SQLITE_ERROR, message: "cannot switch \(path) to WAL (got \(m))")
            }
            try execute("PRAGMA synchronous=NORMAL")
        }
    }

    deinit {
        for (_, s) in cache { sqlite3_finalize(s) }
        sqlite3_close_v2(handle)
    }

    private func error(_ rc: Int32, _ sql: String?) -> SQLiteError {
        SQLiteError(code: rc, message: String(cString: sqlite3_errmsg(handle)), sql: sql)
    }

    private func statement(_ sql: String) throws -> OpaquePointer {
        if let s = cache[sql] { return s }
        var stmt: OpaquePointer?
        let rc = sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &stmt, nil)
        guard rc == SQLITE_OK, let stmt else { throw error(rc, sql) }
        cache[sql] = stmt
        return stmt
    }

    private func bind(_ stmt: OpaquePointer, _ params: [SQLiteValue], _ sql: String) throws {
        guard Int(sqlite3_bind_parameter_count(stmt)) == params.count else {
            throw SQLiteError(code: SQLITE_RANGE, message: "expected \(sqlite3_bind_parameter_count(stmt)) parameters, got \(params.count)", sql: sql)
        }
        for (i, p) in params.enumerated() {
            let idx = Int32(i + 1)
            let rc: Int32
            switch p {
            case .null: rc = sqlite3_bind_null(stmt, idx)
            case .int(let v): rc = sqlite3_bind_int64(stmt, idx, v)
            case .double(let v): rc = sqlite3_bind_double(stmt, idx, v)
            case .text(let v): rc = Self.bindText(stmt, idx, v)
            case .utf8(let v): rc = v.withUnsafeBufferPointer { Self.bindText(stmt, idx, $0) }
            case .blob(let v): rc = v.withUnsafeBytes { otk_sqlite3_bind_blob_transient(stmt, idx, $0.baseAddress, Int32($0.count)) }
            }
            if rc != SQLITE_OK { throw error(rc, sql) }
        }
    }

    /// Binds `text` from its own UTF-8 storage (no C-string copy), up to its first NUL as a C
    /// string would be.
    private static func bindText(_ stmt: OpaquePointer, _ idx: Int32, _ text: String) -> Int32 {
        var text = text
        return text.withUTF8 { bindText(stmt, idx, $0) }
    }

    private static func bindText(_ stmt: OpaquePointer, _ idx: Int32, _ u: UnsafeBufferPointer<UInt8>) -> Int32 {
        guard let base = u.baseAddress, !u.isEmpty else { return otk_sqlite3_bind_text_transient(stmt, idx, "", 0) }
        let length = memchr(base, 0, u.count).map { base.distance(to: $0.assumingMemoryBound(to: UInt8.self)) } ?? u.count
        return UnsafeRawPointer(base).withMemoryRebound(to: CChar.self, capacity: length) {
            otk_sqlite3_bind_text_transient(stmt, idx, $0, Int32(length))
        }
    }

    /// Runs one statement; returns the number of rows changed.
    @discardableResult
    public func execute(_ sql: String, _ params: [SQLiteValue] = []) throws -> Int {
        let stmt = try statement(sql)
        defer { sqlite3_reset(stmt); sqlite3_clear_bindings(stmt) }
        try bind(stmt, params, sql)
        while true {
            let rc = sqlite3_step(stmt)
            if rc == SQLITE_DONE { break }
            if rc == SQLITE_ROW { continue }
            throw error(rc, sql)
        }
        return Int(sqlite3_changes(handle))
    }

    /// Runs several `;`-separated statements without parameters (schema scripts).
    public func executeScript(_ sql: String) throws {
        var err: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(handle, sql, nil, nil, &err)
        if rc != SQLITE_OK {
            let msg = err.map { String(cString: $0) } ?? "error"
            sqlite3_free(err)
            throw SQLiteError(code: rc, message: msg, sql: sql)
        }
    }

    /// All rows of a query.
    public func query(_ sql: String, _ params: [SQLiteValue] = []) throws -> [[SQLiteValue]] {
        var rows: [[SQLiteValue]] = []
        try forEach(sql, params) { rows.append($0) }
        return rows
    }

    /// Streams rows of a query to `body`.
    public func forEach(_ sql: String, _ params: [SQLiteValue] = [], _ body: ([SQLiteValue]) throws -> Void) throws {
        let stmt = try statement(sql)
        defer { sqlite3_reset(stmt); sqlite3_clear_bindings(stmt) }
        try bind(stmt, params, sql)
        let n = sqlite3_column_count(stmt)
        while true {
            let rc = sqlite3_step(stmt)
            if rc == SQLITE_DONE { break }
            guard rc == SQLITE_ROW else { throw error(rc, sql) }
            var row: [SQLiteValue] = []
            row.reserveCapacity(Int(n))
            for c in 0..<n {
                switch sqlite3_column_type(stmt, c) {
                case SQLITE_INTEGER: row.append(.int(sqlite3_column_int64(stmt, c)))
                case SQLITE_FLOAT: row.append(.double(sqlite3_column_double(stmt, c)))
                case SQLITE_TEXT: row.append(.text(String(cString: sqlite3_column_text(stmt, c))))
                case SQLITE_BLOB:
                    let len = Int(sqlite3_column_bytes(stmt, c))
                    row.append(.blob(len == 0 ? Data() : Data(bytes: sqlite3_column_blob(stmt, c), count: len)))
                default: row.append(.null)
                }
            }
            try body(row)
        }
    }

    /// Runs `body` in `BEGIN IMMEDIATE … COMMIT`, rolling back if it throws.
    public func transaction<T>(_ body: () throws -> T) throws -> T {
        try execute("BEGIN IMMEDIATE")
        do {
            let r = try body()
            try execute("COMMIT")
            return r
        } catch {
            _ = try? execute("ROLLBACK")
            throw error
        }
    }

    /// `PRAGMA user_version`, used as the schema version.
    public var userVersion: Int {
        get throws {
            if case .int(let v)? = try query("PRAGMA user_version").first?.first { return Int(v) }
            return 0
        }
    }
    public func setUserVersion(_ v: Int) throws { try executeScript("PRAGMA user_version = \(v)") }

    /// Checks the file is a database at all (a corrupt file fails here, clearly).
    public func integrityCheck() throws -> Bool {
        if case .text(let s)? = try query("PRAGMA quick_check").first?.first { return s == "ok" }
        return false
    }
}

extension SQLiteValue {
    public var int: Int64? { if case .int(let v) = self { return v }; if case .double(let d) = self { return Int64(d) }; return nil }
    public var double: Double? { if case .double(let v) = self { return v }; if case .int(let i) = self { return Double(i) }; return nil }
    public var text: String? {
        if case .text(let v) = self { return v }
        if case .utf8(let v) = self { return String(decoding: v, as: UTF8.self) }
        return nil
    }
    public var blob: Data? { if case .blob(let v) = self { return v }; return nil }
}
