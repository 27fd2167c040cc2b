import Foundation
import OtklikCore

/// Turns decoded VK posts and comments into `Post`s.
///
/// Ids are the ones VK uses in its own links (`wall-1_23`, `wall-1_23?reply=45`), so
/// a post keeps the same key in every run and every source that reads it.
public struct VKPostMapper: Sendable {
    public var sourceID: String
    public init(sourceID: String) { self.sourceID = sourceID }

    /// Why an item produced no `Post`.
    public enum Drop: String, Sendable { case ads, deleted, empty }

    public static func url(owner: Int64, id: Int64) -> String { "https://vk.com/wall\(owner)_\(id)" }

    /// A wall post, or why it is dropped (`marked_as_ads` is noise).
    public func map(_ p: VKPost, names: VKNames) -> Result<Post, DropReason> {
        if p.markedAsAds { return .failure(DropReason(drop: .ads)) }
        let author = p.signerID ?? p.fromID
        var text = p.text
        var repostOf: PostOrigin?
        if let root = p.copyHistory.last {
            repostOf = PostOrigin(key: "vk:" + root.wallID,
                                  name: names.name(of: root.signerID ?? root.fromID ?? root.ownerID),
                                  url: Self.url(owner: root.ownerID, id: root.id))
            if text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                text = p.copyHistory.map(\.text).filter { !$0.isEmpty }.joined(separator: "\n\n")
            }
        }
        var attachments = p.attachments
        if p.text.isEmpty { attachments += p.copyHistory.flatMap(\.attachments) }
        var extra: [String: String] = ["owner_id": String(p.ownerID)]
        if p.isPinned { extra["pinned"] = "1" }
        if let s = p.source { extra["post_source"] = s }
        if let t = p.postType, t != "post" { extra["post_type"] = t }
        if p.copyHistory.count > 1, let via = p.copyHistory.first { extra["repost_via"] = "vk:" + via.wallID }
        let counters = p.counters
        return .success(Post(
            sourceKind: "vk", sourceID: sourceID, postID: p.wallID,
            url: Self.url(owner: p.ownerID, id: p.id),
            authorID: author.map { String($0) }, authorName: author.flatMap { names.name(of: $0) },
            published: Date(timeIntervalSince1970: TimeInterval(p.date)),
            edited: p.edited.flatMap { $0 > 0 ? Date(timeIntervalSince1970: TimeInterval($0)) : nil },
            text: text,
            coordinates: p.coordinates ?? p.copyHistory.lazy.compactMap(\.coordinates).first,
            repostOf: repostOf,
            counters: counters == PostCounters() ? nil : counters,
            attachments: attachments, extra: extra))
    }

    /// A comment (and its inline thread replies) under wall post `owner_postID`.
    /// Deleted comments are skipped; their replies are kept.
    public func map(comment c: VKComment, owner: Int64, postID: Int64, names: VKNames) -> [Post] {
        var out: [Post] = []
        let parentKey = "vk:wall\(owner)_\(postID)"
        func add(_ c: VKComment, thread: Int64?) {
            if !c.deleted && !(c.text.isEmpty && c.attachments.isEmpty) {
                let id = "wall\(owner)_\(postID)?reply=\(c.id)"
                let url = "https://vk.com/" + id + (thread.map { "&thread=\($0)" } ?? "")
                var extra: [String: String] = ["owner_id": String(owner), "comment_of": "wall\(owner)_\(postID)"]
                if let thread { extra["thread"] = String(thread) }
                if let r = c.replyToComment { extra["reply_to_comment"] = String(r) }
                out.append(Post(
                    sourceKind: "vk", sourceID: sourceID, postID: id, url: url,
                    authorID: c.fromID.map { String($0) }, authorName: c.fromID.flatMap { names.name(of: $0) },
                    published: Date(timeIntervalSince1970: TimeInterval(c.date)), text: c.text,
                    replyTo: PostOrigin(key: parentKey, url: Self.url(owner: owner, id: postID)),
                    counters: c.likes.map { PostCounters(likes: $0) },
                    attachments: c.attachments, extra: extra))
            }
            for r in c.thread { add(r, thread: thread ?? c.id) }
        }
        add(c, thread: c.threadParent)
        return out
    }

    public struct DropReason: Error, Sendable { public var drop: Drop }
}
