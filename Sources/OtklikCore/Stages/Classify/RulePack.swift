import Foundation

/// Finds and loads rule packs: YAML files holding lists of rules.
public enum RulePack {
    /// Where the rules live when a config names none: `$OTKLIK_RULES`, then `rules/` next
    /// to the config file, then `./rules`, then `<prefix>/share/otklik/rules` next to the
    /// binary's `bin/`, the checkout a development build runs from, `/usr/share/otklik/rules`.
    public static func defaultDirectory(configFile: String?, environment: [String: String]) -> String? {
        var candidates: [String] = []
        if let env = environment["OTKLIK_RULES"], !env.isEmpty { candidates.append(env) }
        if let configFile {
            let dir = (configFile as NSString).deletingLastPathComponent
            candidates.append(dir.isEmpty ? "rules" : dir + "/rules")
        }
        candidates.append("rules")
        let exe = URL(fileURLWithPath: CommandLine.arguments.first ?? "").resolvingSymlinksInPath().path
        let exeDir = (exe as NSString).deletingLastPathComponent
        candidates.append(((exeDir as NSString).deletingLastPathComponent as NSString).appendingPathComponent("share/otklik/rules"))
        if let r = exe.range(of: "/.build/") { candidates.append(String(exe[..<r.lowerBound]) + "/rules") }
        candidates.append("/usr/share/otklik/rules")
        var isDir: ObjCBool = false
        return candidates.first { FileManager.default.fileExists(atPath: $0, isDirectory: &isDir) && isDir.boolValue }
    }

    /// The `*.yaml` files of a directory, or the files a glob or path names, sorted.
    public static func files(at path: String) -> [String] {
        var isDir: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDir), isDir.boolValue {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
            return names.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted().map { path + "/" + $0 }
        }
        return ConfigLoader.glob(path)
    }

    /// Loads and parses every rule of the files at `path` (a directory, file or glob).
    /// Problems go to `diagnostics` with their marks.
    public static func load(path: String, diagnostics: ConfigDiagnostics,
                            environment: [String: String] = ProcessInfo.processInfo.environment) -> [Rule] {
        let files = files(at: path)
        if files.isEmpty {
            diagnostics.error("no rule files at '\(path)'", at: nil)
            return []
        }
        let loader = ConfigLoader(environment: environment, diagnostics: diagnostics)
        var items: [YAMLNode] = []
        for f in files {
            do {
                let node = try loader.loadFile(f)
                if let seq = node.sequence { items += seq }
                else if !node.isNull && !(node.mapping?.isEmpty ?? false) {
                    diagnostics.error("a rule file holds a list of rules, found \(node.kindName)", at: node.mark)
                }
            } catch let e as ConfigErrors {
                diagnostics.append(e.errors)
            } catch {
                diagnostics.error("cannot read rules: \(error)", at: SourceMark(file: f, line: 1, column: 1))
            }
        }
        let mark = SourceMark(file: path, line: 1, column: 1)
        return RuleParser(diagnostics: diagnostics).parse(YAMLNode(.sequence(items), mark: mark))
    }
}
