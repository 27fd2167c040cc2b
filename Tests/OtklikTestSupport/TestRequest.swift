import Foundation

/// One HTTP request as the `TestHTTPServer` received it.
public struct TestRequest: Sendable {
    public var method: String
    /// The request target as sent: path plus query (`/method/wall.get?count=100`).
    public var target: String
    /// The path without the query, percent-encoding kept.
    public var path: String
    /// Query items in order, percent-decoded.
    public var query: [(name: String, value: String)]
    /// Headers in order, names as sent.
    public var headers: [(name: String, value: String)]
    public var body: Data
    /// Which connection carried it (1, 2, …): equal ids mean keep-alive reuse.
    public var connectionID: Int
    /// Position among all requests the server received (0-based).
    public var sequence: Int

    /// The first header of that name, case-insensitively.
    public func header(_ name: String) -> String? {
        headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }

    /// The first query value of that name.
    public func queryValue(_ name: String) -> String? {
        query.first { $0.name == name }?.value
    }

    public var bodyText: String { String(decoding: body, as: UTF8.self) }

    static func splitTarget(_ target: String) -> (path: String, query: [(name: String, value: String)]) {
        guard let q = target.firstIndex(of: "?") else { return (target, []) }
        let path = String(target[..<q])
        let items = target[target.index(after: q)...].split(separator: "&", omittingEmptySubsequences: true).map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ s: Substring) -> String {
                let spaced = s.replacingOccurrences(of: "+", with: " ")
                return spaced.removingPercentEncoding ?? spaced
            }
            return (name: decode(parts[0]), value: parts.count > 1 ? decode(parts[1]) : "")
        }
        return (path, items)
    }
}
