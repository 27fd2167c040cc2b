extension PluginRegistry {
    /// The stages and sinks that ship with the core.
    public static func builtIn() -> PluginRegistry {
        var r = PluginRegistry()
        BuiltInStages.register(in: &r)
        BuiltInSinks.register(in: &r)
        return r
    }
}

/// Registration of the core stages; each stage folder adds its line here.
public enum BuiltInStages {
    public static func register(in r: inout PluginRegistry) {
        r.register(stage: "passthrough", PassThroughStage.factory)
        r.register(stage: "keyword", KeywordStage.factory)
        r.register(stage: "normalize", NormalizeStage.factory)
        r.register(stage: "classify", ClassifyStage.factory)
        r.register(stage: "dedupe", DedupeStage.factory)
        r.register(stage: "geotag", GeotagStage.factory)
        r.register(stage: "incident", IncidentStage.factory)
    }
}

/// Registration of the core sinks; each sink folder adds its line here.
public enum BuiltInSinks {
    public static func register(in r: inout PluginRegistry) {
        r.register(sink: "stdout", StdoutSink.factory)
        r.register(sink: "file", FileSink.factory)
        r.register(sink: "sqlite", SQLiteSink.factory)
        r.register(sink: "http", HTTPSink.factory)
    }
}
