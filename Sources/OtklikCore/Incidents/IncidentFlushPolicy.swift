/// When the incident index hands the changes it gathered to its store.
///
/// The versions of one incident in a batch are written once, so the batch is counted in
/// distinct incidents changed, with a larger cap on post links (one per version, 24 bytes
/// each). At a million bench posts, 2,048 incidents or 8,192 links took the store writer's CPU
/// down by about a third against the old single cap of 1,024 changes (incidents and links
/// together), which flushed every 1,024 versions; peak memory at a million posts and 10,000
/// sources went from 185–186 to 192–193 MB (the batch holds whole versions of incidents the
/// book may have slimmed meanwhile). 4,096 / 16,384 reached 199 MB.
struct IncidentFlushPolicy: Sendable, Equatable {
    /// Distinct incidents changed since the last batch.
    var incidents = 2048
    /// Post links (one per version) since the last batch.
    var links = 8192
    /// Seconds since the last batch (a quiet stream is written within about this long).
    var seconds = 1.0

    func due(incidents: Int, links: Int, secondsSinceLast: Double) -> Bool {
        incidents >= self.incidents || links >= self.links || secondsSinceLast >= seconds
    }
}
