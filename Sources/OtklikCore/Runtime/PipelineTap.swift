import Foundation

/// `otklik tap`: polls each source once from its configured start (no state read or
/// written, no sinks) and hands out, as JSON lines, what flows at one point.
public enum PipelineTap {
    /// A complaint as seen before the incident stage.
    struct ComplaintLine: Encodable {
        var post: Post
        var verdict: Verdict?
        var geo: GeoTag?
    }

    public struct Summary: Sendable {
        public var polled = 0
        public var printed = 0
        /// `source id: error` for each source whose poll failed.
        public var failures: [String] = []
    }

    public static func run(_ built: BuiltPipeline, at point: TapPoint, limit: Int?,
                           emit: (String) -> Void) async -> Summary {
        var summary = Summary()
        let chain: StageChain
        do { chain = try StageChain(makers: built.stageMakers) } catch {
            summary.failures.append("stages: \(error)")
            return summary
        }
        let stages = chain.stages(upTo: point)
        for source in built.sources {
            if let limit, summary.printed >= limit { break }
            let result: PollResult
            do { result = try await source.connector.poll(after: nil) } catch {
                summary.failures.append("\(source.id): \(Redactor.redact(String(describing: error)))")
                continue
            }
            summary.polled += result.posts.count
            for post in result.posts {
                if let limit, summary.printed >= limit { break }
                var item = AnalysisItem(post: post)
                var dropped = false
                for stage in stages {
                    do {
                        if case .drop = try stage.process(&item) { dropped = true; break }
                    } catch { dropped = true; break }
                }
                if dropped { continue }
                let line: String?
                switch point {
                case .posts: line = try? OtklikJSON.line(post)
                case .complaints:
                    if let v = item.verdict, !v.isComplaint { continue }
                    line = try? OtklikJSON.line(ComplaintLine(post: post, verdict: item.verdict, geo: item.geo))
                case .incidents:
                    guard let incident = item.incident else { continue }
                    line = try? OtklikJSON.line(incident)
                }
                if let line { emit(line); summary.printed += 1 }
            }
        }
        return summary
    }
}
