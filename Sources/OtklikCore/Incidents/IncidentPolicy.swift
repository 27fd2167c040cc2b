/// How the `incident` stage opens and joins incidents. Conservative by default: a post
/// joins an open incident only with the same category and municipality, within
/// `joinWindow`, and either on the same street or with a near-identical text on no
/// conflicting street.
public struct IncidentPolicy: Sendable {
    /// Join later posts at all (false: every complaint opens its own incident).
    public var join = true
    public var joinWindow: Duration = .seconds(3 * 86400)
    /// Maximum SimHash distance for "the same text". Looser than dedupe's: candidates are
    /// already the same category in the same municipality within the window, and their place
    /// signatures (streets, houses, numbers) must be equal. A resident's re-post with an added
    /// sentence is typically 5–10 bits away on short posts.
    public var joinDistance = 10
    /// Two posts naming the same street (with a known settlement) are the same problem.
    public var joinByStreet = true
    public var shingle = 1
    /// Related post keys kept in an incident (`related_posts`): the first ones. Every further
    /// repeat only counts (`related_count`), so an incident that keeps being joined stays small.
    public var maxRelatedPosts = 100
    /// Open incidents kept whole in memory, the most recently changed (`IncidentBook.wholeLimit`);
    /// older ones are read back from the index's store when a post attaches to them. About 3 KB
    /// each: 4,096 add about 8 MB over 2,048 at a million posts and save a fifth of the store reads.
    public var wholeIncidents = 4096
    /// How long open incidents stay indexed for joins and repeats.
    public var retention: Duration = .seconds(14 * 86400)
    /// Category id (or block) → deadline, overriding `Taxonomy.deadline(of:)`.
    public var deadlines: [String: Duration] = [:]
    public var routing = IncidentRouting()

    public init() {}

    /// The response deadline of a category: config override (exact id, then block), else the taxonomy's.
    public func deadline(of category: String) -> Duration {
        if let d = deadlines[category] { return d }
        if let dot = category.firstIndex(of: "."), let d = deadlines[String(category[..<dot])] { return d }
        return Taxonomy.deadline(of: category)
    }
}
