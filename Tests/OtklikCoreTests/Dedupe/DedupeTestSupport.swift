import Foundation
@testable import OtklikCore

/// Builds posts and runs them through a dedupe stage over a window with a fake clock.
final class DedupeHarness {
    final class Clock: @unchecked Sendable {
        var now = Date(timeIntervalSince1970: 1_790_000_000)
    }
    let clock = Clock()
    let window: DedupeWindow
    let stage: DedupeStage
    let tokenizer = Tokenizer()

    init(path: String? = nil, configure: (inout DedupeWindow.Settings) -> Void = { _ in }) {
        var s = DedupeWindow.Settings()
        s.path = path
        configure(&s)
        let clock = self.clock
        window = DedupeWindow(settings: s, clock: { clock.now })
        stage = DedupeStage(window: window)
    }

    static func post(_ id: String, _ text: String, source: String = "vk", at t: TimeInterval = 1_790_000_000,
                     edited: TimeInterval? = nil, repostOf: String? = nil) -> Post {
        Post(sourceKind: source, sourceID: "src", postID: id, published: Date(timeIntervalSince1970: t),
             edited: edited.map { Date(timeIntervalSince1970: $0) }, text: text,
             repostOf: repostOf.map { PostOrigin(key: $0) })
    }

    /// Runs one post; returns the outcome and the item after the stage.
    @discardableResult
    func run(_ post: Post) throws -> (StageOutcome, AnalysisItem) {
        var item = AnalysisItem(post: post)
        item.tokens = tokenizer.tokenize(post.text)
        let outcome = try stage.process(&item)
        return (outcome, item)
    }
}
