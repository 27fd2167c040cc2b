import Foundation

/// `otklik replay`: stored posts through a pipeline's whole analysis, either into its sinks or,
/// with `dryRun`, as one verdict line per post — how rules are tuned on past data.
public enum PostReplay {
    public struct Summary: Sendable {
        public var read = 0
        public var malformed = 0
        public var incidents = 0
        public var dropped: [String: Int] = [:]
    }

    /// Decodes one stored line: a `Post` JSON object, or a minimal `{"id": …, "text": …}`.
    public static func decodePost(_ line: Substring, sourceID: String, decoder: JSONDecoder) -> Post? {
        let data = Data(line.utf8)
        if var post = try? decoder.decode(Post.self, from: data) {
            if post.sourceID.isEmpty { post.sourceID = sourceID }
            return post
        }
        guard let obj = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let text = obj["text"] as? String else { return nil }
        let id = (obj["id"] as? String) ?? (obj["id"] as? NSNumber)?.stringValue ?? UUID().uuidString
        let published = (obj["published"] as? String).flatMap(OtklikJSON.parseDate) ?? Date(timeIntervalSince1970: 0)
        return Post(sourceKind: "replay", sourceID: sourceID, postID: id, published: published, text: text)
    }

    /// One dry-run line: the verdict, the place, and what dedupe/incident did.
    static func verdictLine(_ item: AnalysisItem, result: StageChain.Result) -> [String: Any] {
        var o: [String: Any] = ["id": item.post.postID, "key": item.post.key]
        if let v = item.verdict {
            o["is_complaint"] = v.isComplaint
            o["category"] = v.category
            o["subcategory"] = v.subcategory ?? NSNull()
            o["severity"] = v.severity.rawValue
            o["score"] = v.score
            o["rules"] = v.hits.map(\.rule)
            o["matched"] = Array(Set(v.hits.flatMap(\.matched))).sorted()
        }
        if let g = item.geo {
            o["municipality"] = g.municipality ?? NSNull()
            o["settlement"] = g.settlement ?? NSNull()
            o["street"] = g.street ?? NSNull()
            o["geo_method"] = g.method.rawValue
            o["geo_confidence"] = g.confidence
        }
        if let d = item.duplicateOf { o["duplicate_of"] = d }
        if let d = item.nearDuplicateOf { o["near_duplicate_of"] = d }
        switch result {
        case .incident(let i): o["incident"] = i.id
        case .dropped(let r): o["dropped"] = r
        case .failed(let s, let m): o["failed"] = "\(s): \(m)"
        }
        return o
    }

    /// Replays `lines` through `built`'s stages. Dry run: `emit` gets one JSON line per post and
    /// nothing is written. Otherwise every incident goes to every sink and the call returns once
    /// all of them are delivered.
    public static func run(_ built: BuiltPipeline, lines: some Sequence<Substring>, dryRun: Bool,
                           emit: (String) -> Void) async throws -> Summary {
        let chain = try StageChain(makers: built.stageMakers)
        let decoder = OtklikJSON.decoder()
        var summary = Summary()
        var runners: [SinkRunner] = []
        var loops: [Task<Void, Never>] = []
        if !dryRun {
            for s in built.sinks {
                let r = SinkRunner(sink: s.sink, config: s.config, deadLetterDir: built.context.stateDir,
                                   logger: built.context.logger.with(label: "sink.\(s.config.name)"),
                                   metrics: built.context.metrics)
                runners.append(r)
                loops.append(Task { await r.run() })
            }
        }
        for line in lines {
            let trimmed = line.drop(while: { $0 == " " || $0 == "\t" })
            if trimmed.isEmpty { continue }
            guard let post = decodePost(trimmed, sourceID: "replay", decoder: decoder) else {
                summary.malformed += 1
                continue
            }
            summary.read += 1
            var item = AnalysisItem(post: post)
            item.explain = dryRun
            let result = chain.run(&item)
            switch result {
            case .incident(let incident):
                summary.incidents += 1
                for r in runners { try await r.submit(incident) {} }
            case .dropped(let reason): summary.dropped[reason, default: 0] += 1
            case .failed: summary.dropped["stage_error", default: 0] += 1
            }
            if dryRun {
                let obj = verdictLine(item, result: result)
                if let data = try? JSONSerialization.data(withJSONObject: obj, options: [.sortedKeys, .withoutEscapingSlashes]) {
                    emit(String(decoding: data, as: UTF8.self))
                }
            }
        }
        for r in runners { r.close() }
        for l in loops { await l.value }
        return summary
    }
}
