import Foundation

/// `dedupe`: drops a post seen before (same key, same version), and marks reposts and
/// near-duplicates so the incident stage can attach them to the first post's incident.
///
/// An edited version of a seen post passes with `isUpdate` set. Config:
/// `window` (7d), `max_entries` (1000000), `distance` (3 bits; 4 finds more edited copies at several times the lookup cost), `shingle` (1 word),
/// `min_words` (4), `persist` (true: `<stateDir>/dedupe.sqlite`).
public final class DedupeStage: Stage {
    public let name = "dedupe"
    private let window: DedupeWindow
    private let tokenizer: Tokenizer?

    public init(window: DedupeWindow, tokenizer: Tokenizer? = nil) {
        self.window = window; self.tokenizer = tokenizer
    }

    public func process(_ item: inout AnalysisItem) throws -> StageOutcome {
        if item.tokens.isEmpty, !item.post.text.isEmpty {
            item.tokens = (tokenizer ?? Tokenizer()).tokenize(item.post.text)
        }
        let key = DedupeKey(kind: item.post.sourceKind, id: item.post.postID)
        window.prefetch(keyHash: key.hash)
        let fp = item.fingerprint(shingle: window.settings.shingle)
        switch try window.check(key: key, fingerprint: fp,
                                published: item.post.published, edited: item.post.edited,
                                repostOf: item.post.repostOf?.key) {
        case .new: return .pass
        case .duplicate: return .drop(reason: "duplicate")
        case .update: item.isUpdate = true; return .pass
        case .repost(let origin): item.duplicateOf = origin; return .pass
        case .nearDuplicate(let first): item.nearDuplicateOf = first; return .pass
        }
    }

    /// Reads the stage's settings; the window is created once per pipeline and shared.
    public static func settings(_ config: StageConfig, _ ctx: PluginContext) -> DedupeWindow.Settings {
        var s = DedupeWindow.Settings()
        guard let r = config.reader(ctx.diagnostics) else { return s }
        if let w = r.duration("window") { s.window = w }
        if let n = r.int("max_entries", range: 1...50_000_000) { s.maxEntries = n }
        if let d = r.int("distance", range: 0...8) { s.distance = d }
        if let k = r.int("shingle", range: 1...8) { s.shingle = k }
        if let m = r.int("min_words", range: 1...100) { s.minWords = m }
        if r.bool("persist") ?? true { s.path = ctx.stateDir + "/dedupe.sqlite" }
        r.finish()
        return s
    }

    public static let factory: StageFactory = { config, ctx in
        let window = DedupeWindow(settings: settings(config, ctx))
        return { DedupeStage(window: window, tokenizer: Tokenizer()) }
    }
}
