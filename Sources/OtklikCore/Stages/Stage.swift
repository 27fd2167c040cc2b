import Foundation

/// What flows through the analysis chain: the post and what the stages learnt about it.
public struct AnalysisItem: Sendable {
    public var post: Post
    /// Normalised tokens of the post's text, set by `normalize`.
    public var tokens: [Token]
    /// Set by `dedupe` when the post repeats an earlier one (its key).
    public var duplicateOf: String?
    public var nearDuplicateOf: String?
    /// Set by `dedupe` when the post is a newer (edited) version of one already seen.
    public var isUpdate: Bool = false
    public var geo: GeoTag?
    public var verdict: Verdict?
    /// Set by `incident`: the incident this post opened or joined (a new version of it).
    public var incident: Incident?
    /// Keep the explanation (rules, words) of a post `classify` drops as not a complaint:
    /// `replay --dry-run` prints it; the daemon does not pay for it.
    public var explain = false

    public init(post: Post) {
        self.post = post; self.tokens = []
    }

    private var cachedFingerprint: (shingle: Int, value: TextFingerprint)?

    /// The fingerprint of `tokens` with `shingle`-word shingles: computed once, shared by
    /// `dedupe` and `incident`. Call after `tokens` are final.
    public mutating func fingerprint(shingle: Int) -> TextFingerprint {
        if let c = cachedFingerprint, c.shingle == shingle { return c.value }
        let f = TextFingerprint(tokens: tokens, shingle: shingle)
        cachedFingerprint = (shingle, f)
        return f
    }
}

/// What a stage decided.
public enum StageOutcome: Sendable, Equatable {
    case pass
    /// Stop here; the reason becomes the `otklik_posts_dropped_total{reason=…}` label.
    case drop(reason: String)
}

/// One step of analysis: normalize, dedupe, geotag, classify, incident, …
///
/// Instances are not shared between threads: the runtime asks the factory for one
/// instance per worker, so a stage may keep per-thread caches (a stemmer, buffers).
/// State that must be shared (the dedupe window) lives in an object the factory
/// captures and that synchronises itself.
public protocol Stage: AnyObject {
    var name: String { get }
    func process(_ item: inout AnalysisItem) throws -> StageOutcome
}

/// Builds a stage factory from the stage's config section (may be empty).
/// Called once per pipeline; the returned closure is called once per worker.
public typealias StageFactory = @Sendable (StageConfig, PluginContext) throws -> @Sendable () throws -> any Stage
