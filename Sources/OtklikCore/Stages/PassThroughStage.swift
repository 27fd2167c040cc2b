/// A stage that passes every post on; proves the plumbing and fills gaps in tests.
public final class PassThroughStage: Stage {
    public let name = "passthrough"
    public init() {}
    public func process(_ item: inout AnalysisItem) throws -> StageOutcome { .pass }

    public static let factory: StageFactory = { config, ctx in
        config.reader(ctx.diagnostics)?.finish()
        return { PassThroughStage() }
    }
}
