extension FileSink {
    /// Keys: `path` (default `<state_dir>/<pipeline>/incidents.jsonl`), `fsync_interval` (1s),
    /// `rotate_size` (e.g. `100MB`), `rotate: daily|none`, `keep` (rotated files kept, 7).
    public static let factory: SinkFactory = { config, ctx in
        let settings = try config.readKeys(ctx) { r in
            var s = Settings(path: r.path("path") ?? ctx.stateDir + "/incidents.jsonl")
            if let v = r.duration("fsync_interval") { s.fsyncInterval = v }
            if let v = r.size("rotate_size") {
                if v < 1024 {
                    ctx.diagnostics.error("'rotate_size' must be at least 1KB", at: r.node("rotate_size")?.mark)
                } else {
                    s.rotation.maxBytes = v
                }
            }
            s.rotation.daily = r.choice("rotate", ["daily", "none"]) == "daily"
            if let v = r.int("keep", range: 0...100_000) { s.rotation.keep = v }
            return s
        }
        return FileSink(name: config.name, settings: settings)
    }
}
