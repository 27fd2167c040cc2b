import Foundation
import OtklikCore

enum ReportCommand: Command {
    static let name = "report"
    static let summary = "write the heat-map report (HTML or JSON)"
    static let help = """
    otklik report [--config FILE] [--pipeline NAME] [--db FILE] [--since WHEN] [--until WHEN]
                  (--html FILE | --format json)

    Builds the picture of where it hurts from the pipeline's SQLite sink: a heat map of
    municipalities × categories (sortable), the daily trend per category, the overdue
    incidents, the top incidents with links to the original posts, and a map of incidents
    drawn from their coordinates. The HTML file is self-contained (no external scripts,
    fonts or map tiles) and opens offline. --format json prints the same figures as JSON.

    Options:
      --pipeline NAME       pipeline whose sqlite sink to read (default: the first)
      --db FILE             read this database instead of the pipeline's
      --since WHEN          incidents first seen from WHEN (default 30d): 2026-11-01, ISO-8601, or 7d, 12h, 2w ago
      --until WHEN          … and before WHEN (a bare day includes that whole day; default: now)
      --category C          only this category or block (e.g. housing)
      --municipality M      only this municipality
      --html FILE           write the HTML report to FILE ('-' for standard output)
      --format F            html (with --html) or json (to standard output)
      --top N               how many top incidents to list (default 20)
      --timezone TZ         time zone that days are counted in (default: the system's; e.g. Europe/Moscow)

    Exit codes: 0 written (a store or range without incidents gives a report that says so);
    64 bad arguments; 65 the file is not an incidents database; 66 no database yet (the sink
    has written nothing); 73 FILE cannot be written; 78 a bad config.

    Examples:
      otklik report --pipeline rostov --since 7d --html out/report.html
      otklik report --pipeline rostov --since 2026-11-01 --until 2026-11-30 --format json | jq .summary
    """
    static let options = ["pipeline", "db", "since", "until", "category", "municipality", "html", "format", "top", "timezone"]
    static let flags: [String] = []

    static func run(_ args: Arguments) async throws -> ExitCode {
        let now = Date()
        let format = args.value("format") ?? (args.value("html") != nil ? "html" : "")
        switch format {
        case "html": guard args.value("html") != nil else { throw CommandError(.usage, "--format html needs --html FILE") }
        case "json": break
        case "": throw CommandError(.usage, "say where the report goes: --html FILE, or --format json")
        default: throw CommandError(.usage, "--format must be html or json, found '\(format)'")
        }
        var filter = try IncidentsCommand.makeFilter(args, now: now)
        if filter.since == nil { filter.since = now.addingTimeInterval(-30 * 86400) }
        let top = try args.value("top").map { v -> Int in
            guard let n = Int(v), n > 0 else { throw CommandError(.usage, "--top must be a positive number, found '\(v)'") }
            return n
        } ?? 20
        let timeZone = try IncidentsCommand.zone(args)

        let (store, location) = try IncidentsCommand.openStore(args, command: name)
        let result = try store.incidents(filter, now: now)
        IncidentsCommand.warnUndecodable(result, command: name)

        let options = ReportOptions(pipeline: location.pipeline?.name ?? args.value("pipeline"),
                                    region: location.pipeline?.region, since: filter.since, until: filter.until,
                                    now: now, timeZone: timeZone, topCount: top)
        let model = ReportModel.build(result.incidents, options: options)

        if format == "json" {
            let enc = OtklikJSON.encoder()
            enc.outputFormatting.insert(.prettyPrinted)
            FileHandle.standardOutput.write(try enc.encode(model) + Data("\n".utf8))
            return .ok
        }
        let html = Data(ReportHTML(model).render().utf8)
        let path = args.value("html")!
        if path == "-" {
            FileHandle.standardOutput.write(html)
            return .ok
        }
        do {
            let dir = (path as NSString).deletingLastPathComponent
            if !dir.isEmpty { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) }
            try html.write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw CommandError(.cantCreate, "cannot write \(path): \(writeFailure(path, error))")
        }
        FileHandle.standardError.write(Data("otklik report: \(model.summary.incidents) incident(s), \(model.summary.municipalities) municipalit(ies), \(model.summary.categories) categor(ies) → \(path)\n".utf8))
        return .ok
    }

    /// Why a file could not be written, in the words of the system call that failed
    /// (Foundation's own text on Linux says only "the operation could not be completed").
    static func writeFailure(_ path: String, _ error: any Error) -> String {
        var dir = (path as NSString).deletingLastPathComponent
        while !dir.isEmpty {
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: dir, isDirectory: &isDir) {
                if !isDir.boolValue { return "\(dir) is a file, not a folder" }
                break
            }
            dir = (dir as NSString).deletingLastPathComponent
        }
        switch (error as NSError).userInfo[NSUnderlyingErrorKey] {
        case let posix as POSIXError: return String(cString: strerror(posix.code.rawValue))
        case let ns as NSError where ns.domain == NSPOSIXErrorDomain: return String(cString: strerror(Int32(ns.code)))
        default: break
        }
        return error.localizedDescription
    }
}
