import Foundation
import Synchronization

/// Removes secrets from any text before it is logged or written to an error file:
/// registered secret values, `access_token=…` / `token=…` in URLs and forms,
/// `Authorization:` header values, passwords in URLs (`https://user:***@host`), and
/// Telegram bot tokens (`/bot123:ABC…/` or bare).
///
/// It over-masks rather than under-masks: an `Authorization:` value is masked up to the
/// end of its quoted field or line.
public enum Redactor {
    private static let secrets = Mutex<Set<String>>([])

    /// Registers a secret value (a token read from env or a file) to be masked everywhere.
    /// Values shorter than 4 characters are ignored (they would mask ordinary words).
    public static func register(secret: String) {
        guard secret.count >= 4 else { return }
        _ = secrets.withLock { $0.insert(secret) }
    }

    public static func redact(_ text: String) -> String {
        var out = text
        // Longest first, so a secret that contains another is masked whole.
        for s in secrets.withLock({ $0 }).sorted(by: { $0.count > $1.count }) where out.contains(s) {
            out = out.replacingOccurrences(of: s, with: "***")
        }
        out = maskParameter(out, names: ["access_token=", "token=", "api_key=", "key=", "password=", "secret="])
        out = maskAfter(out, marker: "Authorization:")
        out = maskAfter(out, marker: "Proxy-Authorization:")
        out = maskURLPasswords(out)
        out = maskBotTokens(out)
        return out
    }

    private static func maskParameter(_ s: String, names: [String]) -> String {
        var out = s
        for name in names {
            var searchStart = out.startIndex
            while let r = out.range(of: name, options: .caseInsensitive, range: searchStart..<out.endIndex) {
                // `key=` alone is common (`cache_key=`); only a bare or `api_key=` key is a secret.
                if r.lowerBound > out.startIndex, name == "key=" {
                    let prev = out[out.index(before: r.lowerBound)]
                    if prev.isLetter || prev == "_" { searchStart = r.upperBound; continue }
                }
                let end = out[r.upperBound...].firstIndex(where: { "&\"' \n\r\r\n\t,;)}".contains($0) }) ?? out.endIndex
                if out[r.upperBound..<end] == "***" || r.upperBound == end { searchStart = r.upperBound; continue }
                out.replaceSubrange(r.upperBound..<end, with: "***")
                searchStart = out.index(r.upperBound, offsetBy: 3, limitedBy: out.endIndex) ?? out.endIndex
            }
        }
        return out
    }

    /// `scheme://user:password@host` → `scheme://user:***@host`.
    private static func maskURLPasswords(_ s: String) -> String {
        var out = s
        var searchStart = out.startIndex
        while let r = out.range(of: "://", range: searchStart..<out.endIndex) {
            let authorityEnd = out[r.upperBound...].firstIndex(where: { "/?#\"' \n\r\t<>".contains($0) }) ?? out.endIndex
            searchStart = r.upperBound
            guard let at = out[r.upperBound..<authorityEnd].lastIndex(of: "@"),
                  let colon = out[r.upperBound..<at].firstIndex(of: ":") else { continue }
            let password = out.index(after: colon)..<at
            if password.isEmpty || out[password] == "***" { continue }
            out.replaceSubrange(password, with: "***")
            searchStart = out.index(after: colon)
        }
        return out
    }

    /// Masks every `marker` value (case-insensitive) up to the closing quote or the end of line.
    private static func maskAfter(_ s: String, marker: String) -> String {
        var out = s
        var searchStart = out.startIndex
        while let r = out.range(of: marker, options: .caseInsensitive, range: searchStart..<out.endIndex) {
            let valueStart = out[r.upperBound...].firstIndex(where: { $0 != " " }) ?? out.endIndex
            let end = out[valueStart...].firstIndex(where: { "\"\n\r\r\n".contains($0) }) ?? out.endIndex
            if valueStart < end, out[valueStart..<end] != "***" {
                out.replaceSubrange(valueStart..<end, with: "***")
            }
            searchStart = out.index(valueStart, offsetBy: 3, limitedBy: out.endIndex) ?? out.endIndex
        }
        return out
    }

    /// Telegram bot tokens: `<5+ digits>:<30+ of [A-Za-z0-9_-]>`, alone or after `/bot`.
    private static func maskBotTokens(_ s: String) -> String {
        guard s.contains(":") else { return s }
        var scalars = Array(s.unicodeScalars)
        func isDigit(_ c: Unicode.Scalar) -> Bool { c.value >= 48 && c.value <= 57 }
        func isTokenChar(_ c: Unicode.Scalar) -> Bool {
            isDigit(c) || (c.value >= 65 && c.value <= 90) || (c.value >= 97 && c.value <= 122) || c == "_" || c == "-"
        }
        var i = 0
        var changed = false
        while i < scalars.count {
            guard scalars[i] == ":" else { i += 1; continue }
            var start = i
            while start > 0, isDigit(scalars[start - 1]) { start -= 1 }
            var end = i + 1
            while end < scalars.count, isTokenChar(scalars[end]) { end += 1 }
            let leftBoundary = start == 0 || !isTokenChar(scalars[start - 1])
                || (start >= 3 && String(String.UnicodeScalarView(scalars[(start - 3)..<start])) == "bot")
            if i - start >= 5, end - i - 1 >= 30, leftBoundary {
                scalars.replaceSubrange(start..<end, with: "***".unicodeScalars)
                i = start + 3
                changed = true
            } else {
                i += 1
            }
        }
        return changed ? String(String.UnicodeScalarView(scalars)) : s
    }
}
