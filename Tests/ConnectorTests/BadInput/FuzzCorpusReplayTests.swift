import Foundation
import OtklikCore
import OtklikTestSupport
import Testing
import TelegramConnector
import VKConnector

/// Replays the fuzzers' seeds (`Fuzz/corpus/<target>/`) and every crash they found
/// (`Fuzz/regressions/<target>/`) through the same parsers in the normal suite, so a fixed
/// crash stays fixed without building the fuzzers. A trap here fails the whole run.
@Suite struct FuzzCorpusReplayTests {
    static func inputs(_ target: String) -> [(name: String, data: Data)] {
        let fuzz = TestPaths.repoRoot + "/Fuzz"
        return ["corpus", "regressions"].flatMap { kind -> [(name: String, data: Data)] in
            let dir = "\(fuzz)/\(kind)/\(target)"
            let names = ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).sorted()
            return names.compactMap { n in FileManager.default.contents(atPath: dir + "/" + n).map { ("\(kind)/\(n)", $0) } }
        }
    }

    @Test func telegramInputs_parseAndEncode() throws {
        let all = Self.inputs("telegram")
        #expect(!all.isEmpty, "no seeds under Fuzz/corpus/telegram")
        for (name, data) in all {
            let page = TelegramPageParser.parse(html: data)
            for m in page.messages {
                let post = Post(sourceKind: "telegram", sourceID: "fuzz", postID: m.postID, published: m.published,
                                text: m.text, coordinates: m.coordinates)
                #expect((try? OtklikJSON.line(post)) != nil, "\(name): message \(m.id) does not encode")
            }
        }
    }

    @Test func vkInputs_decodeMapAndEncode() throws {
        let all = Self.inputs("vk")
        #expect(!all.isEmpty, "no seeds under Fuzz/corpus/vk")
        let mapper = VKPostMapper(sourceID: "fuzz")
        for (name, data) in all {
            var posts: [Post] = []
            if let page = try? VKDecoder.decodeWall(data: data) {
                posts += page.items.compactMap { try? mapper.map($0, names: page.names).get() }
            }
            if let page = try? VKDecoder.decodeComments(data: data) {
                posts += page.items.flatMap { mapper.map(comment: $0, owner: -1, postID: 1, names: page.names) }
            }
            if let page = try? VKDecoder.decodeSearch(data: data) {
                posts += page.items.compactMap { try? mapper.map($0, names: page.names).get() }
            }
            _ = try? VKDecoder.decodeGroups(data: data)
            _ = try? VKDecoder.decodeExecute(data: data, calls: 3)
            for p in posts { #expect((try? OtklikJSON.line(p)) != nil, "\(name): \(p.postID) does not encode") }
        }
    }

    @Test func configAndRuleInputs_loadOrReportWithMarks() throws {
        let all = Self.inputs("config") + Self.inputs("rules")
        #expect(!all.isEmpty)
        for (name, data) in all {
            let text = String(decoding: data, as: UTF8.self)
            let d = ConfigDiagnostics()
            guard let node = try? YAMLLoader.load(text, file: "/fuzz/x.yaml", diagnostics: d) else { continue }
            _ = OtklikConfig.parse(node, file: "/fuzz/x.yaml", diagnostics: d)
            let rules = RuleParser(diagnostics: ConfigDiagnostics()).parse(node)
            if !rules.isEmpty {
                let post = "Третий день нет воды на улице Ленина, дом 5"
                _ = Classifier(rules: RuleSet.compile(rules)).classify(tokens: Tokenizer().tokenize(post), text: post)
            }
            #expect(d.errors.allSatisfy { $0.mark.map { $0.file == "/fuzz/x.yaml" && $0.line >= 1 } ?? true }, "\(name)")
        }
    }

    @Test func tokenizerInputs_keepOffsetsInside() throws {
        let all = Self.inputs("tokenizer")
        #expect(!all.isEmpty)
        let tokenizer = Tokenizer()
        for (name, data) in all {
            let text = String(decoding: data, as: UTF8.self)
            let tokens = tokenizer.tokenize(text)
            #expect(tokens.allSatisfy { $0.start < $0.end && $0.end <= text.utf8.count }, "\(name)")
        }
    }
}
