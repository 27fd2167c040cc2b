import Foundation

/// Reads posts from JSON lines for `explain` and the quality bench: `{"id", "text"}`
/// (plus optional labels) or a full `Post`. A bad line is reported, never fatal.
public enum PostLines {
    public enum Line {
        case post(id: String, Post)
        /// `where` is `FILE:LINE`.
        case bad(where: String, message: String)
    }

    /// Calls `body` for every non-empty line of `file` (`-` for standard input).
    public static func read(_ file: String, _ body: (Line) throws -> Void) throws {
        try readObjects(file) { where_, object in
            guard let object else { try body(.bad(where: where_, message: "not a JSON object")); return }
            switch post(from: object) {
            case .success(let (id, p)): try body(.post(id: id, p))
            case .failure(let e): try body(.bad(where: where_, message: e.message))
            }
        }
    }

    struct LineError: Error { var message: String }

    /// Every non-empty line parsed as a JSON object (nil when it is not one).
    public static func readObjects(_ file: String, _ body: (String, [String: Any]?) throws -> Void) throws {
        let data: Data
        if file == "-" { data = FileHandle.standardInput.readDataToEndOfFile() }
        else {
            guard let d = FileManager.default.contents(atPath: file) else {
                throw CommandError(.noInput, "cannot read '\(file)'")
            }
            data = d
        }
        var lineNo = 0
        for raw in data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            lineNo += 1
            if raw.allSatisfy({ $0 == 0x20 || $0 == 0x0D || $0 == 0x09 }) { continue }
            let object = (try? JSONSerialization.jsonObject(with: Data(raw))) as? [String: Any]
            try body("\(file):\(lineNo)", object)
        }
    }

    static func post(from o: [String: Any]) -> Result<(String, Post), LineError> {
        func str(_ k: String) -> String? {
            if let s = o[k] as? String { return s }
            if let n = o[k] as? NSNumber { return n.stringValue }
            return nil
        }
        guard let text = o["text"] as? String else { return .failure(LineError(message: "missing string field 'text'")) }
        guard let id = str("id") ?? str("post_id") else { return .failure(LineError(message: "missing field 'id'")) }
        let post = Explainer.post(id: id, text: text, sourceID: str("source_id") ?? "explain",
                                  sourceKind: str("source_kind") ?? "explain")
        return .success((id, post))
    }
}
