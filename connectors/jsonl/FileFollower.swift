import Foundation

/// Reads complete lines from a growing file the way `tail -F` follows it: it keeps
/// reading the open file to its end, then notices when the path now names another file
/// (rotation: switch to it, from its start) or the same file got shorter (truncation:
/// start over). A trailing line without its newline waits for the next read.
///
/// Not thread-safe: owned by one `JSONLFeed` actor.
final class FileFollower {
    let path: String
    private(set) var fd: Int32 = -1
    private(set) var inode: UInt64 = 0
    private(set) var offset: UInt64 = 0
    private(set) var line = 0
    /// What happened since the last call (rotation, truncation), for the log.
    var notices: [String] = []
    /// Allocated on the first read that has bytes to read (thousands of idle feeds must stay
    /// cheap), 4 KiB, doubling while reads fill it, up to `largestRead`, or up to
    /// `maxLineBytes` for a line longer than that.
    private var buffer: [UInt8] = []
    static let largestRead = 1 << 20
    /// A line longer than this is skipped (with a notice) instead of growing the buffer
    /// without end: a file with no newline must not take all the memory. A power of two.
    var maxLineBytes = 1 << 26
    /// Inside a line longer than `maxLineBytes`: bytes are dropped up to its newline.
    private var discarding = false
    /// Bytes of the read whose lines `forEachLine` is handing out: with a line's length, about how
    /// many lines it holds.
    private(set) var chunkBytes = 0

    init(path: String) { self.path = path }
    deinit { if fd >= 0 { close(fd) } }

    var position: FeedCursor { FeedCursor(inode: inode, offset: offset, line: line) }

    /// Opens the file at `resume` when it is still the same file, else at its start
    /// (or its end when `atEnd`). False when the file does not exist (yet).
    func open(resume: FeedCursor?, atEnd: Bool) -> Bool {
        if fd >= 0 { return true }
        let f = Glibc.open(path, O_RDONLY | O_CLOEXEC)
        guard f >= 0 else { return false }
        var st = stat()
        guard fstat(f, &st) == 0 else { close(f); return false }
        fd = f; inode = UInt64(st.st_ino)
        let size = UInt64(st.st_size)
        if let r = resume {
            if r.inode == inode && r.offset <= size {
                offset = r.offset; line = r.line
            } else {
                offset = 0; line = 0
                notices.append("the file was replaced or truncated while stopped; reading it from the start")
            }
        } else if atEnd {
            offset = 0; line = 0
            _ = forEachLine(max: Int.max, skipping: true) { _, _ in }
        } else {
            offset = 0; line = 0
        }
        return true
    }

    /// Up to `max` complete lines with their 1-based numbers, and whether more are waiting.
    func readLines(max: Int) -> (lines: [(data: Data, number: Int)], more: Bool) {
        var out: [(data: Data, number: Int)] = []
        let more = forEachLine(max: max) { bytes, number in out.append((Data(bytes), number)) }
        return (out, more)
    }

    /// Calls `body` with each of up to `max` complete lines (its bytes, valid only during the
    /// call, and its 1-based number); true when more are waiting.
    func forEachLine(max: Int, _ body: (UnsafeBufferPointer<UInt8>, Int) -> Void) -> Bool {
        forEachLine(max: max, skipping: false, body)
    }

    private func forEachLine(max: Int, skipping: Bool, _ body: (UnsafeBufferPointer<UInt8>, Int) -> Void) -> Bool {
        guard fd >= 0 else { return false }
        var taken = 0
        while true {
            if buffer.isEmpty {
                var st = stat()
                if fstat(fd, &st) == 0, UInt64(st.st_size) <= offset {
                    if switchedFile() { continue }
                    return false
                }
                buffer = [UInt8](repeating: 0, count: 4096)
            }
            let n = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, off_t(offset)) }
            if n < 0 { if errno == EINTR { continue }; return false }
            if n == 0 {
                if switchedFile() { continue }
                return false
            }
            chunkBytes = n
            let (start, sawNewline, full) = buffer.withUnsafeBufferPointer { b -> (Int, Bool, Bool) in
                let base = b.baseAddress!
                var start = 0
                var sawNewline = false
                while start < n, let hit = memchr(base + start, 0x0A, n - start) {
                    let i = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                    sawNewline = true
                    line += 1
                    if !skipping, !discarding, i > start {
                        body(UnsafeBufferPointer(start: base + start, count: i - start), line)
                        taken += 1
                    }
                    if discarding {
                        discarding = false
                        notices.append("line \(line) is longer than \(maxLineBytes) bytes; skipped it")
                    }
                    offset += UInt64(i - start + 1)
                    start = i + 1
                    if taken >= max { return (start, sawNewline, true) }
                }
                return (start, sawNewline, false)
            }
            if full { return true }
            let filled = n == buffer.count
            if filled, !sawNewline, discarding || buffer.count >= maxLineBytes {
                offset += UInt64(n)
                discarding = true
                continue
            }
            if filled, !sawNewline || buffer.count < Self.largestRead {
                buffer = [UInt8](repeating: 0, count: buffer.count * 2)
            }
            if !filled {
                // At the end with maybe a partial line; only look for rotation when nothing is pending.
                if start == n, switchedFile() { continue }
                return false
            }
        }
    }

    /// At the end of the open file: follows a rotation or a truncation. True when the position changed.
    private func switchedFile() -> Bool {
        var st = stat()
        guard stat(path, &st) == 0 else { return false }
        if UInt64(st.st_ino) != inode {
            close(fd); fd = -1
            let f = Glibc.open(path, O_RDONLY | O_CLOEXEC)
            guard f >= 0 else { return false }
            var nst = stat()
            fstat(f, &nst)
            fd = f; inode = UInt64(nst.st_ino); offset = 0; line = 0
            notices.append("the file was rotated; following the new one")
            return true
        }
        if UInt64(st.st_size) < offset {
            offset = 0; line = 0
            notices.append("the file was truncated; reading it from the start")
            return true
        }
        return false
    }
}
