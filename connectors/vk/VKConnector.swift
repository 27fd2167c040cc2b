import OtklikCore

/// Registration of the `vk` connector.
public enum VKConnector {
    public static func register(in r: inout PluginRegistry) {
        r.register(connector: "vk") { source, ctx in make(source, ctx) }
    }

    /// Builds a `vk` source from its config section. No network I/O: screen names are
    /// resolved on the first poll. A missing token is reported by the first poll, so that
    /// `otklik validate` works where the token is not installed.
    public static func make(_ source: SourceConfig, _ ctx: PluginContext,
                            registry: VKBudgetRegistry = .shared, clock: any VKClock = VKSystemClock()) -> VKSource {
        let settings = VKSettings(source, diagnostics: ctx.diagnostics)
        let tokens = settings.tokenEnvs.compactMap { ctx.secret($0) }
        return VKSource(sourceID: source.id, settings: settings, tokens: tokens, http: ctx.http, logger: ctx.logger,
                        metrics: ctx.metrics, stateDir: ctx.stateDir, registry: registry, clock: clock)
    }
}
