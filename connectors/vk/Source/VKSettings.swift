import Foundation
import OtklikCore

/// A `connector: vk` source's own keys, read with `SourceConfig.reader` (unknown keys are reported).
///
/// ```yaml
/// - id: rostov_walls
///   connector: vk
///   communities: [podslushano_rostov, -12345]   # or owner: -12345 / domain: name
///   token_env: VK_TOKEN                          # or a list: several tokens share the sources
///   token_type: service                          # user | service | community
///   comments: {days: 2, max_posts: 20}
///   search: {queries: ["нет воды"], latitude: 47.2, longitude: 39.7}
///   quotas: {wall.get: 5000}
/// ```
public struct VKSettings: Sendable {
    /// Numeric owner ids (`-123` / `123`) or screen names, as configured.
    public var communities: [String] = []
    public var tokenEnvs: [String] = ["VK_TOKEN"]
    public var tokenType: VKTokenType = .service
    public var apiVersion = "5.199"
    public var baseURL = "https://api.vk.com/method/"
    public var requestsPerSecond: Double?
    /// Fraction of the per-second limit actually used.
    public var margin = 0.83
    public var quotas = VKTokenBudget.defaultQuotas
    /// Share of each daily quota the scheduler allows itself.
    public var quotaSafety = 0.97
    public var pageSize = 100
    /// Pages one wall may take in one poll; the rest of a long gap is read on the next polls.
    public var maxPagesPerPoll = 10
    /// Overlap between consecutive pages, so a post deleted while paging does not hide another.
    public var pageOverlap = 5
    /// Batch the first page of several walls into one `execute` request.
    public var useExecute = true
    public var minInterval: Duration = .seconds(60)
    public var maxInterval: Duration = .seconds(6 * 3600)
    /// How long a closed, deleted or wrong source is left alone before it is tried again.
    public var skipSourceFor: Duration = .seconds(6 * 3600)
    public var comments: Comments?
    public var search: Search?

    public struct Comments: Sendable {
        /// Posts of the last `days` days are watched for new comments.
        public var days = 2
        /// At most this many posts' comments are fetched per poll.
        public var maxPosts = 20
        public var threadItems = 10
    }

    public struct Search: Sendable {
        public var queries: [String] = []
        public var latitude: Double?
        public var longitude: Double?
        public var maxPages = 5
    }

    public init() {}

    /// Reads the source's section; problems go to `diagnostics` with their position.
    public init(_ source: SourceConfig, diagnostics d: ConfigDiagnostics) {
        guard let r = source.reader(d) else { return }
        var list = r.strings("communities") ?? []
        if let owner = r.string("owner") { list.append(owner) }
        if let domain = r.string("domain") { list.append(domain) }
        communities = list.map { Self.normalize($0) }
        if let envs = r.strings("token_env"), !envs.isEmpty { tokenEnvs = envs }
        if let t = r.choice("token_type", VKTokenType.allCases.map(\.rawValue)) { tokenType = VKTokenType(rawValue: t)! }
        if let v = r.string("api_version") { apiVersion = v }
        if var b = r.string("base_url") {
            if !b.hasSuffix("/") { b += "/" }
            baseURL = b
        }
        requestsPerSecond = r.double("requests_per_second", range: 0.1...1000)
        if let m = r.double("margin", range: 0.1...1) { margin = m }
        if let q = r.mapping("quotas", context: "source '\(source.id)' quotas") {
            for k in q.keys { if let n = q.int(k, range: 1...1_000_000) { quotas[k] = n } }
            q.finish()
        }
        if let s = r.double("quota_safety", range: 0.1...1) { quotaSafety = s }
        if let n = r.int("page_size", range: 1...100) { pageSize = n }
        if let n = r.int("max_pages_per_poll", range: 1...1000) { maxPagesPerPoll = n }
        if let b = r.bool("execute") { useExecute = b }
        if let v = r.duration("min_interval") { minInterval = v }
        if let v = r.duration("max_interval") { maxInterval = v }
        if let v = r.duration("skip_source_for") { skipSourceFor = v }
        readComments(r, d)
        readSearch(r, d, source.id)
        if communities.isEmpty && (search?.queries.isEmpty ?? true) {
            d.error("source '\(source.id)': give 'communities' (or 'owner' / 'domain') or 'search.queries'", at: r.mark)
        }
        r.finish()
    }

    private mutating func readComments(_ r: MappingReader, _ d: ConfigDiagnostics) {
        guard let node = r.node("comments") else { return }
        if let s = node.scalar {
            if s == "true" { comments = Comments() }
            else if s != "false" { d.error("'comments' must be true, false or a mapping", at: node.mark) }
            return
        }
        guard let c = MappingReader(node, diagnostics: d, context: "'comments'") else { return }
        var out = Comments()
        if let n = c.int("days", range: 1...365) { out.days = n }
        if let n = c.int("max_posts", range: 1...1000) { out.maxPosts = n }
        if let n = c.int("thread_items", range: 0...10) { out.threadItems = n }
        if c.bool("enabled") != false { comments = out }
        c.finish()
    }

    private mutating func readSearch(_ r: MappingReader, _ d: ConfigDiagnostics, _ id: String) {
        guard let s = r.mapping("search", context: "source '\(id)' search") else { return }
        var out = Search()
        out.queries = s.strings("queries", required: true) ?? []
        out.latitude = s.double("latitude", range: -90...90)
        out.longitude = s.double("longitude", range: -180...180)
        if let n = s.int("max_pages", range: 1...100) { out.maxPages = n }
        if (out.latitude == nil) != (out.longitude == nil) {
            d.error("source '\(id)' search: give both 'latitude' and 'longitude'", at: s.mark)
        }
        s.finish()
        search = out
    }

    /// `https://vk.com/name`, `vk.com/club123`, `@name`, `public123` → `name` / `-123`.
    static func normalize(_ raw: String) -> String {
        var s = raw.trimmingCharacters(in: .whitespaces)
        for prefix in ["https://", "http://", "m.vk.com/", "vk.com/", "@"] where s.hasPrefix(prefix) {
            s.removeFirst(prefix.count)
        }
        if s.hasPrefix("vk.com/") { s.removeFirst(7) }
        for prefix in ["club", "public", "event"] where s.hasPrefix(prefix) {
            if let n = Int64(s.dropFirst(prefix.count)) { return String(-n) }
        }
        if s.hasPrefix("id"), let n = Int64(s.dropFirst(2)) { return String(n) }
        return s
    }

    /// A numeric owner id when the community is written as one.
    static func ownerID(_ s: String) -> Int64? { Int64(s) }
}
