import Foundation
import OtklikCore

/// What a `vk` source's cursor holds: per wall where reading stopped, recent posts watched
/// for comments, per search query the newest time seen, and resolved screen names.
struct VKCursorState: Codable, Sendable, Hashable {
    /// Owner id (as a string) → mark.
    var walls: [String: VKWallMark] = [:]
    /// `owner_post` → what is known about the post's comments.
    var recent: [String: RecentPost] = [:]
    /// Query → newest publication time seen (Unix seconds).
    var search: [String: Int64] = [:]
    /// Screen name → owner id (negative for communities).
    var resolved: [String: Int64] = [:]

    struct RecentPost: Codable, Sendable, Hashable {
        var owner: Int64
        var id: Int64
        var date: Int64
        /// Comment count VK reported last.
        var reported: Int
        /// Comment count when comments were last fetched.
        var fetched: Int
        /// Highest comment id emitted.
        var lastCommentID: Int64
    }

    init() {}

    init(cursor: Cursor?) {
        guard let c = cursor, let data = c.value.data(using: .utf8),
              let s = try? JSONDecoder().decode(VKCursorState.self, from: data) else { return }
        self = s
    }

    var cursor: Cursor {
        let e = JSONEncoder()
        e.outputFormatting = .sortedKeys
        return Cursor(String(decoding: (try? e.encode(self)) ?? Data("{}".utf8), as: UTF8.self))
    }
}
