/// The `normalize` stage: tokenizes the post's text into `item.tokens` (lowercased,
/// `ё`→`е`, stemmed, sentences, HTML ignored). Every later text stage reads those tokens.
///
/// Config: none (`- normalize`).
public final class NormalizeStage: Stage {
    public let name = "normalize"
    private let tokenizer = Tokenizer()

    public init() {}

    public func process(_ item: inout AnalysisItem) throws -> StageOutcome {
        var tokens = item.tokens
        tokens.removeAll(keepingCapacity: true)
        tokenizer.tokenize(item.post.text, into: &tokens)
        item.tokens = tokens
        return .pass
    }

    public static let factory: StageFactory = { config, ctx in
        config.reader(ctx.diagnostics)?.finish()
        return { NormalizeStage() }
    }
}
