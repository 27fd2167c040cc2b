import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A file opened for appending with POSIX calls: created 0600 (its folder 0700), every
/// `append` goes straight to the kernel (no user-space buffer), `sync` is `fsync`.
///
/// Not thread-safe; its owner confines it to one queue or actor.
final class AppendFile {
    let path: String
    private(set) var fd: Int32
    /// Bytes in the file, as far as this handle knows.
    private(set) var size: Int

    init(path: String) throws {
        self.path = path
        let dir = (path as NSString).deletingLastPathComponent
        if !dir.isEmpty { try Self.makeDirectory(dir) }
        fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw Self.error("cannot open", path) }
        var st = stat()
        size = fstat(fd, &st) == 0 ? Int(st.st_size) : 0
        if size > 0 { try endWithNewline() }
    }

    deinit { if fd >= 0 { _ = Glibc.close(fd) } }

    /// Creates `dir` and its missing parents with mode 0700.
    static func makeDirectory(_ dir: String) throws {
        var isDir: ObjCBool = false
        if FileManager.default.fileExists(atPath: dir, isDirectory: &isDir), isDir.boolValue { return }
        do {
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
        } catch {
            throw SinkError.retryable("cannot create directory \(dir): \(error.localizedDescription)")
        }
    }

    /// Whether `path` still names the file this handle writes to. False once the file (or a
    /// folder above it) was deleted, moved or replaced: writes through the old descriptor
    /// would then land in a file nobody reads.
    var isStillAtPath: Bool {
        var open = stat(), named = stat()
        guard fd >= 0, fstat(fd, &open) == 0, stat(path, &named) == 0 else { return false }
        return open.st_dev == named.st_dev && open.st_ino == named.st_ino
    }

    /// A line torn by a crash (no final newline) is closed, so the next line starts clean.
    private func endWithNewline() throws {
        let rfd = open(path, O_RDONLY | O_CLOEXEC)
        guard rfd >= 0 else { return }
        defer { _ = Glibc.close(rfd) }
        var last: UInt8 = 0
        if pread(rfd, &last, 1, off_t(size - 1)) == 1, last != 0x0A { try append(Data([0x0A])) }
    }

    func append(_ data: some ContiguousBytes) throws {
        guard Self.writeAll(fd, data) else {
            let failure = Self.error("cannot write", path)
            _ = ftruncate(fd, off_t(size))  // no half line left behind for the retry to follow
            throw failure
        }
        size += data.withUnsafeBytes { $0.count }
    }

    /// Writes every byte of `data` to `fd`, retrying short writes; false on error (see `errno`).
    static func writeAll(_ fd: Int32, _ data: some ContiguousBytes) -> Bool {
        data.withUnsafeBytes { (p: UnsafeRawBufferPointer) -> Bool in
            var offset = 0
            while offset < p.count {
                let n = write(fd, p.baseAddress! + offset, p.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    return false
                }
                offset += n
            }
            return true
        }
    }

    func sync() throws {
        if fsync(fd) != 0 { throw Self.error("cannot fsync", path) }
    }

    func close() {
        if fd >= 0 { _ = Glibc.close(fd); fd = -1 }
    }

    static func error(_ what: String, _ path: String) -> SinkError {
        .retryable("\(what) \(path): \(String(cString: strerror(errno)))")
    }
}
