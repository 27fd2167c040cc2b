/// Escaping for text put into HTML, so a post's `<script>` is shown, never run.
public enum HTMLText {
    /// Escapes `& < > " '`: safe in element content and in quoted attribute values.
    public static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for c in s.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }

    /// The link to put in `href`, escaped; nil unless it is `http://` or `https://`
    /// (a `javascript:` URL in a post must not become a live link).
    public static func safeURL(_ url: String?) -> String? {
        guard let url, let colon = url.firstIndex(of: ":") else { return nil }
        let scheme = url[..<colon].lowercased()
        guard scheme == "http" || scheme == "https" else { return nil }
        return escape(url)
    }
}
