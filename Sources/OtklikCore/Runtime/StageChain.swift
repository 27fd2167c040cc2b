/// One worker's instances of the configured stages, run in order on each post.
public final class StageChain {
    public let stages: [any Stage]

    /// Calls every maker once: one fresh instance of each stage for this worker.
    public init(makers: [@Sendable () throws -> any Stage]) throws {
        stages = try makers.map { try $0() }
    }

    /// What became of one post after the chain.
    public enum Result: Sendable, Equatable {
        /// The post opened or updated an incident.
        case incident(Incident)
        /// Stopped early, or nothing to report: the reason label for metrics.
        case dropped(reason: String)
        /// A stage threw; the post is dropped and counted under `stage_error`.
        case failed(stage: String, message: String)
    }

    public func run(_ item: inout AnalysisItem) -> Result {
        for stage in stages {
            do {
                if case .drop(let reason) = try stage.process(&item) { return .dropped(reason: reason) }
            } catch {
                return .failed(stage: stage.name, message: String(describing: error))
            }
        }
        if let incident = item.incident { return .incident(incident) }
        if let v = item.verdict, !v.isComplaint { return .dropped(reason: "not_complaint") }
        return .dropped(reason: "no_incident")
    }

    /// Runs the chain and stops after the named point: `posts` (nothing run), `complaints`
    /// (every stage except `incident`), `incidents` (all). For `otklik tap`.
    public func stages(upTo point: TapPoint) -> [any Stage] {
        switch point {
        case .posts: return []
        case .complaints: return stages.filter { $0.name != "incident" }
        case .incidents: return stages
        }
    }
}

/// Where `otklik tap` looks at the flow.
public enum TapPoint: String, Sendable, CaseIterable { case posts, complaints, incidents }
