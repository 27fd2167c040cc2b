import Foundation
import OtklikCore
import OtklikTestSupport

/// A temp folder of YAML files for config tests, and the errors loading them yields.
struct ConfigFiles {
    let dir = TestPaths.makeTempDir("otklik-config")

    /// Writes `text` to `name` (subfolders allowed) and returns the full path.
    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        let path = dir + "/" + name
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// Loads `name` as a whole `pipelines.yaml`; the config, or every error as `file:line:col: message`
    /// with the folder stripped from file names.
    func load(_ name: String, environment: [String: String] = [:]) -> (OtklikConfig?, [String]) {
        do {
            return (try OtklikConfig.load(path: dir + "/" + name, environment: environment), [])
        } catch let e as ConfigErrors {
            return (nil, e.errors.map { $0.description.replacingOccurrences(of: dir + "/", with: "") })
        } catch {
            return (nil, ["unexpected: \(error)"])
        }
    }

    /// Loads `name` through `ConfigLoader` only (YAML, `${}` and includes, no typing).
    func tree(_ name: String, environment: [String: String] = [:]) -> (YAMLNode?, [String]) {
        let diagnostics = ConfigDiagnostics()
        let loader = ConfigLoader(environment: environment, diagnostics: diagnostics)
        do {
            let node = try loader.loadFile(dir + "/" + name)
            return (node, diagnostics.errors.map { $0.description.replacingOccurrences(of: dir + "/", with: "") })
        } catch let e as ConfigErrors {
            return (nil, e.errors.map { $0.description.replacingOccurrences(of: dir + "/", with: "") })
        } catch {
            return (nil, ["unexpected: \(error)"])
        }
    }
}

/// A minimal valid pipeline, to embed in test configs.
let minimalPipeline = """
pipelines:
  - name: demo
    sources:
      - id: feed
        connector: jsonl
    sinks:
      - type: file
"""
