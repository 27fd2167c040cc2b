import OtklikCore

/// What the connector does about a VK error code.
public enum VKErrorReaction: String, Sendable, Hashable {
    /// 6: too many requests per second — widen the token's pacing and retry.
    case slowDown = "slow_down"
    /// 9, 29: flood control or the method's daily quota — stop calling that method for long.
    case methodBackoff = "method_backoff"
    /// 10 (and 1): a VK-side failure — retry soon.
    case retry
    /// 5, 17: the token is invalid or needs validation — stop using it and alarm.
    case stopToken = "stop_token"
    /// 14: captcha — pause the token and alarm.
    case pauseToken = "pause_token"
    /// 15, 18, 19, 30, 100, 113, 203: the source is closed, deleted, private or wrong — skip it, retry rarely.
    case skipSource = "skip_source"
    /// Anything else: skip this call, retry the source later.
    case unknown

    public static func of(code: Int) -> VKErrorReaction {
        switch code {
        case 6: .slowDown
        case 9, 29: .methodBackoff
        case 1, 10: .retry
        case 5, 17: .stopToken
        case 14: .pauseToken
        case 15, 18, 19, 30, 100, 113, 203: .skipSource
        default: .unknown
        }
    }
}

/// An error VK returned in the body (VK answers errors with HTTP 200).
///
/// The message is redacted: VK echoes `request_params`, access token included.
public struct VKAPIError: Error, Sendable, Hashable, CustomStringConvertible {
    public var code: Int
    public var message: String
    /// The method that failed (from `request_params` or `execute_errors`).
    public var method: String?
    public var captchaSID: String?

    public init(code: Int, message: String, method: String? = nil, captchaSID: String? = nil) {
        self.code = code; self.message = Redactor.redact(message); self.method = method; self.captchaSID = captchaSID
    }

    public var reaction: VKErrorReaction { .of(code: code) }

    public var description: String {
        "VK error \(code)" + (method.map { " in \($0)" } ?? "") + ": \(message)"
    }

    /// Reads `{"error_code": …, "error_msg": …, "request_params": […]}`; nil for another shape.
    static func from(_ json: VKJSON) -> VKAPIError? {
        guard let code = json["error_code"]?.int else { return nil }
        var method = json["method"]?.string
        if method == nil, let params = json["request_params"]?.array {
            method = params.first { $0["key"]?.string == "method" }?["value"]?.string
        }
        return VKAPIError(code: Int(code), message: json["error_msg"]?.string ?? "",
                          method: method, captchaSID: json["captcha_sid"]?.string)
    }
}
