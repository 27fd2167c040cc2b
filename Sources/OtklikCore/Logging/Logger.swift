import Foundation
import Synchronization

public enum LogLevel: String, Sendable, CaseIterable, Comparable {
    case debug, info, notice, warning, error
    /// syslog priority, for journald's `<N>` prefix.
    var syslogPriority: Int {
        switch self { case .debug: 7; case .info: 6; case .notice: 5; case .warning: 4; case .error: 3 }
    }
    var rank: Int { LogLevel.allCases.firstIndex(of: self)! }
    public static func < (a: LogLevel, b: LogLevel) -> Bool { a.rank < b.rank }
}

/// One line per event: `level=info msg="…" key=value …`, to stderr.
///
/// When stderr is the journal (`JOURNAL_STREAM` set) each line starts with the
/// syslog priority `<N>` and the time is left to journald. Every line passes
/// through `Redactor`, so tokens never reach the log.
public struct Logger: Sendable {
    public var label: String
    private let sink: LogSink

    public init(label: String, sink: LogSink = .shared) { self.label = label; self.sink = sink }

    public func with(label: String) -> Logger { Logger(label: label, sink: sink) }

    public func log(_ level: LogLevel, _ message: String, _ fields: KeyValuePairs<String, Any> = [:]) {
        guard level >= sink.level else { return }
        var line = ""
        if !sink.journal {
            line += OtklikJSON.formatDate(Date()) + " "
        } else {
            line += "<\(level.syslogPriority)>"
        }
        // Values are redacted before quoting too: escaping could split a registered secret.
        line += "level=\(level.rawValue) component=\(label) msg=\(Self.quote(Redactor.redact(message)))"
        for (k, v) in fields { line += " \(k)=\(Self.quote(Redactor.redact(String(describing: v))))" }
        sink.write(Redactor.redact(line))
    }

    public func debug(_ m: String, _ f: KeyValuePairs<String, Any> = [:]) { log(.debug, m, f) }
    public func info(_ m: String, _ f: KeyValuePairs<String, Any> = [:]) { log(.info, m, f) }
    public func notice(_ m: String, _ f: KeyValuePairs<String, Any> = [:]) { log(.notice, m, f) }
    public func warning(_ m: String, _ f: KeyValuePairs<String, Any> = [:]) { log(.warning, m, f) }
    public func error(_ m: String, _ f: KeyValuePairs<String, Any> = [:]) { log(.error, m, f) }

    static func quote(_ s: String) -> String {
        let plain = !s.isEmpty && s.unicodeScalars.allSatisfy {
            $0.value > 0x20 && $0 != "\"" && $0 != "=" && $0 != "\\" && $0.value != 0x7f
        }
        if plain { return s }
        var out = "\""
        for c in s.unicodeScalars {
            switch c {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if c.value < 0x20 || c.value == 0x7f { out += String(format: "\\x%02x", c.value) } else { out.unicodeScalars.append(c) }
            }
        }
        return out + "\""
    }
}

/// Where log lines go; the process-wide level and journald mode live here.
public final class LogSink: Sendable {
    public static let shared = LogSink()
    private let state = Mutex<(level: LogLevel, journal: Bool, capture: [String]?)>(
        (.info, LogSink.isJournal(), nil))

    /// Whether stderr goes to the journal: `JOURNAL_STREAM` is set and, when it holds systemd's
    /// `device:inode`, they are those of `fd` (so a child whose stderr was redirected to a file
    /// does not prefix its lines). A value that is not `device:inode` counts as set.
    public static func isJournal(environment: [String: String] = ProcessInfo.processInfo.environment,
                                 fd: Int32 = 2) -> Bool {
        guard let value = environment["JOURNAL_STREAM"], !value.isEmpty else { return false }
        let parts = value.split(separator: ":")
        guard parts.count == 2, let device = UInt64(parts[0]), let inode = UInt64(parts[1]) else { return true }
        var st = stat()
        guard fstat(fd, &st) == 0 else { return false }
        return UInt64(st.st_dev) == device && UInt64(st.st_ino) == inode
    }

    private let writer = Mutex<(@Sendable (String) -> Void)?>(nil)

    public init(level: LogLevel = .info, journal: Bool = false, capturing: Bool = false) {
        state.withLock { $0 = (level, journal, capturing ? [] : nil) }
    }
    private init() {}

    /// Sends each line (with its newline) to `write` instead of stderr; nil: back to stderr.
    /// A live display on the terminal uses it to print log lines above itself rather than
    /// have them overwritten.
    public func redirect(_ write: (@Sendable (String) -> Void)?) { writer.withLock { $0 = write } }

    public var level: LogLevel {
        get { state.withLock { $0.level } }
    }
    public func setLevel(_ l: LogLevel) { state.withLock { $0.level = l } }
    public var journal: Bool { state.withLock { $0.journal } }
    public func setJournal(_ j: Bool) { state.withLock { $0.journal = j } }

    /// Lines written so far, for sinks created with `capturing: true` (tests).
    public var captured: [String] { state.withLock { $0.capture ?? [] } }

    func write(_ line: String) {
        let captured = state.withLock { s -> Bool in
            if s.capture != nil { s.capture!.append(line); return true }
            return false
        }
        if captured { return }
        if let w = writer.withLock({ $0 }) { w(line + "\n"); return }
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}
