import Foundation
import OtklikCore

/// libFuzzer entry: arbitrary bytes as a rule pack. A pack the parser accepts must compile
/// and classify a few posts into verdicts that encode as JSON; a pack it refuses must say why.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRules(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let diagnostics = ConfigDiagnostics()
    guard let node = try? YAMLLoader.load(text, file: "/fuzz/rules.yaml", diagnostics: diagnostics) else { return 0 }
    let rules = RuleParser(diagnostics: diagnostics, tokenizer: Fuzz.tokenizer).parse(node)
    guard diagnostics.isEmpty, !rules.isEmpty else { return 0 }
    let classifier = Classifier(rules: RuleSet.compile(rules))
    for post in Fuzz.posts {
        let tokens = Fuzz.tokenizer.tokenize(post)
        let verdict = classifier.classify(tokens: tokens, text: post, source: ("fuzz", "jsonl"))
        guard (try? OtklikJSON.line(verdict)) != nil else { fatalError("verdict does not encode: \(verdict)") }
    }
    return 0
}

enum Fuzz {
    nonisolated(unsafe) static let tokenizer = Tokenizer()
    static let posts = [
        "Третий день нет воды на улице Ленина, дом 5. Когда починят?",
        "Яма на дороге у школы №12, машины бьют колёса; 2 недели никто не отвечает!!!",
        "Спасибо за концерт в парке #город",
        "",
    ]
}
