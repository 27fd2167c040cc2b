import Foundation
import OtklikCore

/// libFuzzer entry: arbitrary bytes as a config file, through the YAML loader, `${VAR}`
/// interpolation and the typed config parser. Errors are fine; a trap is a bug.
///
/// A tree holding an `include` key is not expanded: the loader would read whatever path
/// the fuzzer spells (`/dev/zero` never ends), which tests the file system, not the parser.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzConfig(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let file = "/fuzz/config.yaml"
    let diagnostics = ConfigDiagnostics()
    guard let raw = try? YAMLLoader.load(text, file: file, diagnostics: diagnostics) else { return 0 }
    if mentionsInclude(raw) { return -1 }
    let loader = ConfigLoader(environment: ["HOME": "/home/fuzz", "EMPTY": "", "VK_TOKEN": "fuzz-token"],
                              diagnostics: diagnostics)
    guard let root = try? loader.load(text, file: file) else { return 0 }
    if let config = OtklikConfig.parse(root, file: file, diagnostics: diagnostics) {
        _ = config.pipelines.map(\.sources.count)
    }
    for e in diagnostics.errors where e.mark.map({ $0.file != file || $0.line < 1 || $0.column < 1 }) ?? false {
        fatalError("a config error has a bad mark: \(e.description)")
    }
    return 0
}

private func mentionsInclude(_ node: YAMLNode) -> Bool {
    switch node.kind {
    case .scalar(let s, _): return s == "include"
    case .sequence(let items): return items.contains(where: mentionsInclude)
    case .mapping(let pairs): return pairs.contains { mentionsInclude($0.key) || mentionsInclude($0.value) }
    }
}
