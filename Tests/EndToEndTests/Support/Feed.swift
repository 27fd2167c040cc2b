import Foundation

/// A JSONL feed file the tests append posts to, with neutral made-up content.
struct Feed {
    let path: String

    init(path: String) {
        self.path = path
        if !FileManager.default.fileExists(atPath: path) { _ = FileManager.default.createFile(atPath: path, contents: nil) }
    }

    /// Post `n`: a complaint ("яма") when `complaint`, else a thank-you note.
    static func line(_ n: Int, complaint: Bool) -> String {
        let text = complaint ? "Во дворе дома \(n) глубокая яма, машины бьют колёса" : "Спасибо за праздник номер \(n)"
        let minute = String(format: "%02d", n % 60), hour = String(format: "%02d", (n / 60) % 24)
        return #"{"source_kind":"test","post_id":"p\#(n)","published":"2026-11-02T\#(hour):\#(minute):00Z","text":"\#(text)"}"#
    }

    func append(_ range: ClosedRange<Int>, complaintEvery k: Int = 2) throws {
        let text = range.map { Self.line($0, complaint: $0 % k == 0) + "\n" }.joined()
        try append(raw: text)
    }

    func append(raw: String) throws {
        let h = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try h.seekToEnd(); try h.write(contentsOf: Data(raw.utf8)); try h.close()
    }
}

/// Reads counters out of a Prometheus text file.
enum PromFile {
    static func value(_ path: String, _ series: String) -> Double? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix(series + " ") {
            return Double(line.dropFirst(series.count + 1))
        }
        return nil
    }
}
