import Foundation
import Synchronization

/// Removes secrets from any text before it is logged or written to an error file:
/// registered secret values, `access_token=…` / `token=…` in URLs and forms,
/// `Authorization:` header values, and Telegram bot tokens in paths (`/bot123:ABC/`).
public enum Redactor {
    private static let secrets = Mutex<Set<String>>([])

    /// Registers a secret value (a token read from env or a file) to be masked everywhere.
    public static func register(secret: String) {
        guard secret.count >= 4 else { return }
        _ = secrets.withLock { $0.insert(secret) }
    }

    public static func redact(_ text: String) -> String {
        var out = text
        for s in secrets.withLock({ $0 }) where out.contains(s) {
            out = out.replacingOccurrences(of: s, with: "***")
        }
        out = maskParameter(out, names: ["access_token=", "token=", "api_key=", "key=", "password="])
        out = maskAfter(out, marker: "Authorization:")
        out = maskAfter(out, marker: "authorization:")
        out = maskBotToken(out)
        return out
    }

    private static func maskParameter(_ s: String, names: [String]) -> String {
        var out = s
        for name in names {
            var searchStart = out.startIndex
            while let r = out.range(of: name, options: .caseInsensitive, range: searchStart..<out.endIndex) {
                if name == "key=" || name == "token=", r.lowerBound > out.startIndex {
                    let prev = out[out.index(before: r.lowerBound)]
                    if prev.isLetter || prev == "_" { searchStart = r.upperBound; continue }
                }
                let end = out[r.upperBound...].firstIndex(where: { "&\"' \n,;)}".contains($0) }) ?? out.endIndex
                if out[r.upperBound..<end] == "***" || r.upperBound == end { searchStart = r.upperBound; continue }
                out.replaceSubrange(r.upperBound..<end, with: "***")
                searchStart = out.index(r.upperBound, offsetBy: 3, limitedBy: out.endIndex) ?? out.endIndex
            }
        }
        return out
    }

    private static func maskAfter(_ s: String, marker: String) -> String {
        guard let r = s.range(of: marker) else { return s }
        var out = s
        let valueStart = out[r.upperBound...].firstIndex(where: { $0 != " " }) ?? out.endIndex
        let end = out[valueStart...].firstIndex(where: { "\"\n".contains($0) }) ?? out.endIndex
        out.replaceSubrange(valueStart..<end, with: "***")
        return out
    }

    private static func maskBotToken(_ s: String) -> String {
        guard let r = s.range(of: "/bot") else { return s }
        let rest = s[r.upperBound...]
        guard let colon = rest.firstIndex(of: ":"), rest[..<colon].allSatisfy(\.isNumber), !rest[..<colon].isEmpty else { return s }
        let end = rest[colon...].firstIndex(where: { "/?\" ".contains($0) }) ?? s.endIndex
        var out = s
        out.replaceSubrange(r.upperBound..<end, with: "***")
        return out
    }
}
