import Foundation

extension SinkConfig {
    /// Reads this sink's own keys with `body`, then reports unknown keys ("did you mean …?").
    /// Every problem goes to the context's diagnostics (so `otklik validate` lists them all)
    /// and is thrown too, so a broken sink is never built.
    func readKeys<T>(_ ctx: PluginContext, _ body: (MappingReader) -> T) throws -> T {
        let d = ctx.diagnostics
        let before = d.errors.count
        let r = reader(d) ?? MappingReader(.emptyMapping(at: node.mark), diagnostics: d, context: "sink '\(name)'")!
        let value = body(r)
        r.finish()
        let errors = d.errors
        if errors.count > before { throw ConfigErrors(Array(errors[before...])) }
        return value
    }
}

extension Array where Element == Incident {
    /// The batch as JSON lines, each ending in a newline.
    func jsonLines() throws -> Data {
        var bytes: [UInt8] = []
        for incident in self {
            bytes.append(contentsOf: IncidentJSON.encode(incident))
            bytes.append(0x0A)
        }
        return Data(bytes)
    }
}
