import Foundation

/// Where the analysis time goes: microseconds per post spent in each stage, on one thread.
public enum StageProfile {
    /// Runs `posts` through a fresh chain of `pipeline`, timing every stage call.
    public static func run(posts: ArraySlice<Post>, pipeline: BuiltPipeline) throws -> [(stage: String, microsPerPost: Double)] {
        let chain = try StageChain(makers: pipeline.stageMakers)
        var spent = Array(repeating: 0.0, count: chain.stages.count)
        for p in posts {
            var item = AnalysisItem(post: p)
            for (i, stage) in chain.stages.enumerated() {
                let t = BenchThreads.now()
                let outcome = try? stage.process(&item)
                spent[i] += BenchThreads.now() - t
                if case .drop? = outcome { break }
            }
        }
        let n = Double(max(1, posts.count))
        return zip(chain.stages, spent).map { ($0.name, $1 / n * 1e6) }
    }

    /// `normalize 3.1 µs, dedupe 0.8 µs, …`
    public static func summary(_ p: [(stage: String, microsPerPost: Double)]) -> String {
        p.map { String(format: "%@ %.1f µs", $0.stage, $0.microsPerPost) }.joined(separator: ", ")
    }
}
