import Foundation

/// Scratch folders and paths for tests: every test gets its own directory.
public enum TestPaths {
    /// A new empty directory under the system temp folder.
    public static func makeTempDir(_ prefix: String = "otklik") -> String {
        let dir = NSTemporaryDirectory() + "\(prefix)-\(UUID().uuidString)"
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    /// The repository root (found from this source file's path).
    public static var repoRoot: String {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }

    /// `../shared/fixtures` next to the repository, when it exists (a developer's machine).
    public static var sharedFixtures: String? {
        let p = (repoRoot as NSString).deletingLastPathComponent + "/shared/fixtures"
        return FileManager.default.fileExists(atPath: p) ? p : nil
    }
}
