import Foundation

extension IncidentBook {
    /// The part of an incident only the newest ones keep in memory — the opening post's key,
    /// link, source and text, the subcategory, rule hits and related post keys — held as the
    /// incident's own values: packing and unpacking them to bytes cost more than the memory it saved
    /// for the few thousand incidents kept whole (rule ids and categories are the rule set's strings).
    struct Whole {
        let openedBy: String
        let url: String?
        let sourceID: String
        let text: String
        let subcategory: String?
        let relatedPosts: [String]
        let hits: [RuleHit]

        init(_ i: Incident) {
            openedBy = i.openedBy; url = i.url; sourceID = i.sourceID; text = i.text
            subcategory = i.subcategory; relatedPosts = i.relatedPosts; hits = i.hits
        }

        /// Sets the kept fields of `i`.
        func unpack(into i: inout Incident) {
            i.openedBy = openedBy; i.url = url; i.sourceID = sourceID; i.text = text
            i.subcategory = subcategory; i.relatedPosts = relatedPosts; i.hits = hits
        }
    }
}
