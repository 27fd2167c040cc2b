import Foundation
import OtklikCore
#if canImport(Glibc)
import Glibc
#endif

enum IncidentsCommand: Command {
    static let name = "incidents"
    static let summary = "list incidents from the SQLite sink"
    static let help = """
    otklik incidents [--config FILE] [--pipeline NAME] [--db FILE] [filters]

    Lists incidents from the pipeline's SQLite sink, newest first (most overdue first with
    --overdue). On a terminal it prints an aligned table; otherwise one JSON incident per
    line (JSONL), ready for jq or another tool. The database is opened read-only, so this
    is safe while the daemon runs.

    Options:
      --pipeline NAME       pipeline whose sqlite sink to read (default: the first)
      --db FILE             read this database instead of the pipeline's
      --since WHEN          first seen at or after WHEN: 2026-11-01, 2026-11-01T10:00:00Z, or 7d, 12h, 2w ago
      --until WHEN          first seen before WHEN (a bare day includes that whole day)
      --category C          a category id or a block: 'housing' also lists housing.water, …
      --municipality M      municipality id or name (case and ё/е do not matter)
      --status S            only this status (new, in_progress, closed, …)
      --overdue             only open incidents past their deadline
      --limit N             at most N incidents
      --format F            table or jsonl (default: table on a terminal, jsonl otherwise)
      --timezone TZ         time zone of the table's times (default: the system's; e.g. Europe/Moscow)

    Exit codes: 0 listed (also when nothing matches: the table says so on stderr, JSONL
    prints nothing); 64 bad arguments; 65 the file is not an incidents database; 66 no
    database yet (the sink has written nothing); 78 a bad config.

    Examples:
      otklik incidents --pipeline rostov --since 7d --category housing
      otklik incidents --pipeline rostov --overdue --municipality Шахты --limit 20
      otklik incidents --db state/rostov/incidents.sqlite --since 2026-11-01 | jq -r .id
    """
    static let options = ["pipeline", "db", "since", "until", "category", "municipality", "status", "limit",
                          "format", "timezone"]
    static let flags = ["overdue"]

    static func run(_ args: Arguments) async throws -> ExitCode {
        let now = Date()
        let filter = try makeFilter(args, now: now)
        let limit = try args.value("limit").map { v -> Int in
            guard let n = Int(v), n > 0 else { throw CommandError(.usage, "--limit must be a positive number, found '\(v)'") }
            return n
        }
        let format = try args.value("format").map { f -> String in
            guard ["table", "jsonl"].contains(f) else { throw CommandError(.usage, "--format must be table or jsonl, found '\(f)'") }
            return f
        } ?? (isatty(STDOUT_FILENO) == 1 ? "table" : "jsonl")
        let timeZone = try zone(args)

        let (store, _) = try openStore(args)
        let result = try store.incidents(filter, order: filter.overdue ? .deadline : .newestFirst, limit: limit, now: now)
        warnUndecodable(result, command: name)

        if format == "jsonl" {
            var out = ""
            for i in result.incidents { out += try OtklikJSON.line(i) + "\n" }
            FileHandle.standardOutput.write(Data(out.utf8))
        } else if result.incidents.isEmpty {
            stderr(nothingFound(filter, store: store))
        } else {
            let table = IncidentTable(now: now, width: terminalWidth(), timeZone: timeZone)
            print(table.render(result.incidents), terminator: "")
            print("\(result.incidents.count) incident(s)\(limit == result.incidents.count ? " (--limit \(limit!))" : "")")
        }
        return .ok
    }

    static func makeFilter(_ args: Arguments, now: Date) throws -> IncidentFilter {
        var f = IncidentFilter()
        do {
            f.since = try args.value("since").map { try DateArgument.parse($0, now: now, option: "since") }
            f.until = try args.value("until").map { try DateArgument.parse($0, now: now, endOfDay: true, option: "until") }
        } catch let e as DateArgument.ParseError {
            throw CommandError(.usage, e.description)
        }
        if let s = f.since, let u = f.until, s >= u { throw CommandError(.usage, "--since must be earlier than --until") }
        f.category = args.value("category").map(resolveCategory)
        f.municipality = args.value("municipality")
        f.status = args.value("status")
        f.overdue = args.flag("overdue")
        return f
    }

    /// A category id as given, or the id of a category named in Russian (`Дороги` → `roads`).
    static func resolveCategory(_ s: String) -> String {
        if Taxonomy.category(s) != nil { return s }
        let folded = IncidentFilter.foldName(s)
        return Taxonomy.categories.first { IncidentFilter.foldName($0.name) == folded }?.id ?? s
    }

    static func openStore(_ args: Arguments, command: String = name) throws -> (IncidentStoreReader, IncidentDatabaseLocation) {
        let location = try IncidentDatabaseLocation.resolve(
            db: args.value("db"), configPath: { try CommandRunner.configPath(args) }, pipeline: args.value("pipeline"))
        if args.value("db") == nil {
            for w in location.warnings { stderr("warning: \(w)", command: command) }
        }
        do { return (try IncidentStoreReader(path: location.path), location) }
        catch let e as IncidentStoreError {
            if case .missing = e { throw CommandError(.noInput, e.description) }
            throw CommandError(.dataError, e.description)
        }
    }

    static func zone(_ args: Arguments) throws -> TimeZone {
        guard let id = args.value("timezone") else { return TimeZone.current }
        guard let tz = TimeZone(identifier: id) else {
            throw CommandError(.usage, "--timezone: unknown time zone '\(id)' (use e.g. UTC, Europe/Moscow)")
        }
        return tz
    }

    static func warnUndecodable(_ r: IncidentQueryResult, command: String) {
        guard !r.undecodable.isEmpty else { return }
        let shown = r.undecodable.prefix(5).map { "\($0.id) (\($0.reason))" }.joined(separator: "; ")
        stderr("warning: \(r.undecodable.count) row(s) could not be read and are not listed: \(shown)\(r.undecodable.count > 5 ? "; …" : "")",
               command: command)
    }

    /// Explains an empty answer, with a hint when a filter value looks like a typo.
    static func nothingFound(_ f: IncidentFilter, store: IncidentStoreReader) -> String {
        var msg = "no incidents match"
        if let c = f.category, Taxonomy.category(c) == nil {
            let ids = Taxonomy.categories.map(\.id)
            msg += "; category '\(c)' is unknown" + (suggestion(for: c, among: ids).map { " (did you mean '\($0)'?)" } ?? "")
        }
        if let m = f.municipality, let names = try? store.municipalityNames(), !names.isEmpty,
           !names.contains(where: { IncidentFilter.foldName($0) == IncidentFilter.foldName(m) }) {
            msg += "; no municipality '\(m)'" + (suggestion(for: m, among: names).map { " (did you mean '\($0)'?)" } ?? "")
        }
        return msg
    }

    static func terminalWidth() -> Int {
        var w = winsize()
        if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &w) == 0, w.ws_col > 0 { return Int(w.ws_col) }
        if let c = ProcessInfo.processInfo.environment["COLUMNS"].flatMap(Int.init), c > 0 { return c }
        return 160
    }

    static func stderr(_ s: String, command: String = name) {
        FileHandle.standardError.write(Data("otklik \(command): \(Redactor.redact(s))\n".utf8))
    }
}
