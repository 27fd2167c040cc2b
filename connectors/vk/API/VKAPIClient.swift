import Foundation
import OtklikCore

/// Sends VK API calls: `POST <base_url><method>` with a form body holding the
/// parameters, `v` and `access_token` (in the body, so the token is never part of a URL
/// that could be logged). Returns the raw body; decoding and error handling are the caller's.
public struct VKAPIClient: Sendable {
    public var baseURL: String
    public var version: String
    public var http: HTTPClient
    private let token: String

    public init(baseURL: String, version: String, token: String, http: HTTPClient) {
        self.baseURL = baseURL; self.version = version; self.token = token; self.http = http
    }

    /// One call. HTTP statuses other than 200 and transport failures become `ConnectorError.unavailable`.
    public func call(_ method: String, _ params: [(String, String)]) async throws -> Data {
        var form = params
        form.append(("v", version))
        form.append(("access_token", token))
        let body = form.map { "\(Self.encode($0.0))=\(Self.encode($0.1))" }.joined(separator: "&")
        let request = HTTPRequest(method: .post, url: baseURL + method,
                                  headers: [("Content-Type", "application/x-www-form-urlencoded")],
                                  body: Data(body.utf8))
        let response: HTTPResponse
        do { response = try await http.send(request) } catch let e as HTTPError {
            throw ConnectorError.unavailable("VK \(method): \(e)")
        }
        guard response.status == 200 else {
            if let d = response.retryAfter() { throw ConnectorError.retryAfter(d) }
            throw ConnectorError.unavailable("VK \(method): HTTP \(response.status)")
        }
        return response.body
    }

    /// `API.wall.get({"owner_id": -1, "count": 100})` calls joined into one VKScript array.
    public static func executeScript(_ calls: [(method: String, params: [(String, String)])]) -> String {
        let parts = calls.map { call -> String in
            let args = call.params.map { k, v in
                "\"\(k)\":" + (Int64(v) != nil ? v : "\"" + escapeScript(v) + "\"")
            }.joined(separator: ",")
            return "API.\(call.method)({\(args)})"
        }
        return "return [" + parts.joined(separator: ",") + "];"
    }

    private static func escapeScript(_ s: String) -> String {
        s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n")
    }

    private static let unreserved = CharacterSet(charactersIn:
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~")

    static func encode(_ s: String) -> String {
        s.addingPercentEncoding(withAllowedCharacters: unreserved) ?? s
    }
}
