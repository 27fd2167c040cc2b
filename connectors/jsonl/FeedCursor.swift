import Foundation
import OtklikCore

/// Where a `jsonl` source stopped: the file's inode, the byte offset after the last
/// complete line, and that line's number (for messages). Stored as a small JSON cursor.
struct FeedCursor: Codable, Equatable, Sendable {
    var inode: UInt64
    var offset: UInt64
    var line: Int

    init(inode: UInt64, offset: UInt64, line: Int) { self.inode = inode; self.offset = offset; self.line = line }

    init?(_ cursor: Cursor?) {
        guard let cursor, let c = try? JSONDecoder().decode(FeedCursor.self, from: Data(cursor.value.utf8)) else { return nil }
        self = c
    }

    var cursor: Cursor {
        Cursor(#"{"inode":\#(inode),"line":\#(line),"offset":\#(offset)}"#)
    }
}
