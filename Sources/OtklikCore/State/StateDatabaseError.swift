import CSQLite

/// Why a state database cannot be used, with the exit code and the way out, so the daemon
/// says it in one line and never starts over a state it cannot read (that would re-read,
/// or silently skip, what the sources already delivered).
public struct StateDatabaseError: Error, CustomStringConvertible, Sendable {
    public enum Kind: Sendable, Equatable {
        /// Not an SQLite database, or damaged.
        case corrupt
        /// Written by a newer otklik (`PRAGMA user_version` above what this one knows).
        case newerSchema(found: Int, supported: Int)
        /// Another process holds a lock on it longer than the busy timeout.
        case locked
    }

    public var kind: Kind
    public var path: String
    /// The SQLite message behind it.
    public var detail: String

    public init(_ kind: Kind, path: String, detail: String = "") {
        self.kind = kind; self.path = path; self.detail = detail
    }

    /// Sorts an SQLite error met while opening `path`; nil when it is none of the kinds above.
    public static func classify(_ error: any Error, path: String) -> StateDatabaseError? {
        guard let e = error as? SQLiteError else { return error as? StateDatabaseError }
        switch e.code & 0xff {
        case SQLITE_NOTADB, SQLITE_CORRUPT: return StateDatabaseError(.corrupt, path: path, detail: e.message)
        case SQLITE_BUSY, SQLITE_LOCKED: return StateDatabaseError(.locked, path: path, detail: e.message)
        default: return nil
        }
    }

    /// 78 (EX_CONFIG: an operator must act; systemd does not restart) for a corrupt or newer
    /// database; 75 (EX_TEMPFAIL: try again later) for a locked one.
    public var exitCode: ExitCode {
        kind == .locked ? .tempFail : .config
    }

    public var description: String {
        switch kind {
        case .corrupt:
            return "the state database \(path) is not a readable SQLite database (\(detail)); it was left untouched: "
                + "restore it from a backup, or move it away to start with empty checkpoints (sources then read again from their start)"
        case .newerSchema(let found, let supported):
            return "the state database \(path) has schema version \(found), newer than this otklik supports (\(supported)); "
                + "it was left untouched: run the newer otklik, or move it away to start with empty checkpoints"
        case .locked:
            return "the state database \(path) is locked by another process (\(detail)); "
                + "is another otklik running with the same state_dir? It will be tried again on the next start"
        }
    }
}
