import CCurl
import Foundation

/// One request's libcurl easy handle, its header list, and the response collected so far.
///
/// Built on the caller's thread, then handed to the loop thread, which alone touches it
/// until it completes (hence `@unchecked Sendable`). The continuation is resumed exactly
/// once, by `CurlLoop`, and only through `finish(_:)`.
final class CurlTransfer: @unchecked Sendable {
    let id: UInt64
    let easy: UnsafeMutableRawPointer
    /// `scheme://host:port`, the unit of the per-host concurrency limit.
    let hostKey: String
    let url: String
    private var headerList: UnsafeMutablePointer<curl_slist>?
    private let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE) + 1)

    var body = Data()
    var headers: [(name: String, value: String)] = []
    let bodyLimit: Int
    var overflowed = false
    var continuation: CheckedContinuation<HTTPResponse, any Error>?

    init(id: UInt64, request: HTTPRequest, configuration c: HTTPClientConfiguration) throws {
        guard let components = URLComponents(string: request.url),
              let scheme = components.scheme?.lowercased(), scheme == "http" || scheme == "https",
              let host = components.host, !host.isEmpty else {
            throw HTTPError.invalidURL(request.url)
        }
        guard let easy = curl_easy_init() else {
            throw HTTPError.transport(code: -1, message: "curl_easy_init failed")
        }
        self.id = id
        self.easy = easy
        self.url = request.url
        self.hostKey = "\(scheme)://\(host.lowercased()):\(components.port ?? (scheme == "https" ? 443 : 80))"
        self.bodyLimit = request.maxBodyBytes ?? c.maxBodyBytes
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        try configure(request, c)
    }

    deinit {
        curl_easy_cleanup(easy)
        curl_slist_free_all(headerList)
        errorBuffer.deallocate()
    }

    private func configure(_ r: HTTPRequest, _ c: HTTPClientConfiguration) throws {
        let me = Unmanaged.passUnretained(self).toOpaque()
        var rc = CURLE_OK
        func set(_ code: CURLcode) { if rc == CURLE_OK { rc = code } }
        set(otk_easy_setopt_str(easy, CURLOPT_URL, r.url))
        set(otk_easy_setopt_str(easy, CURLOPT_PROTOCOLS_STR, "http,https"))
        set(otk_easy_setopt_str(easy, CURLOPT_REDIR_PROTOCOLS_STR, "http,https"))
        set(otk_easy_setopt_ptr(easy, CURLOPT_ERRORBUFFER, errorBuffer))
        set(otk_easy_setopt_str(easy, CURLOPT_USERAGENT, c.userAgent))
        set(otk_easy_setopt_long(easy, CURLOPT_NOSIGNAL, 1))
        set(otk_easy_setopt_long(easy, CURLOPT_TIMEOUT_MS, Self.millis(r.timeout ?? c.timeout)))
        set(otk_easy_setopt_long(easy, CURLOPT_CONNECTTIMEOUT_MS, Self.millis(r.connectTimeout ?? c.connectTimeout)))
        set(otk_easy_setopt_long(easy, CURLOPT_FOLLOWLOCATION, r.followRedirects ? 1 : 0))
        set(otk_easy_setopt_long(easy, CURLOPT_MAXREDIRS, c.maxRedirects))
        set(otk_easy_setopt_str(easy, CURLOPT_ACCEPT_ENCODING, ""))
        set(otk_easy_setopt_off(easy, CURLOPT_MAXFILESIZE_LARGE, curl_off_t(bodyLimit)))
        if let proxy = c.proxy { set(otk_easy_setopt_str(easy, CURLOPT_PROXY, proxy)) }
        if c.insecureSkipTLSVerify {
            set(otk_easy_setopt_long(easy, CURLOPT_SSL_VERIFYPEER, 0))
            set(otk_easy_setopt_long(easy, CURLOPT_SSL_VERIFYHOST, 0))
        }
        let sendsBody = r.method == .post || (r.body != nil && r.method != .head)
        switch r.method {
        case .get where sendsBody:
            // A body would otherwise turn the request into a POST.
            set(otk_easy_setopt_str(easy, CURLOPT_CUSTOMREQUEST, "GET"))
        case .get, .post: break
        case .head: set(otk_easy_setopt_long(easy, CURLOPT_NOBODY, 1))
        case .put, .delete: set(otk_easy_setopt_str(easy, CURLOPT_CUSTOMREQUEST, r.method.rawValue))
        }
        if sendsBody {
            let body = r.body ?? Data()
            set(otk_easy_setopt_off(easy, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.count)))
            body.withUnsafeBytes { p in
                let empty: StaticString = ""
                let base = p.baseAddress.map { UnsafeMutableRawPointer(mutating: $0) }
                    ?? UnsafeMutableRawPointer(mutating: empty.utf8Start)
                set(otk_easy_setopt_ptr(easy, CURLOPT_COPYPOSTFIELDS, base))
            }
        }
        for (name, value) in r.headers {
            // A line break would smuggle another header (or a request) onto the wire.
            guard !name.isEmpty, !(name + value).unicodeScalars.contains(where: { $0 == "\r" || $0 == "\n" || $0 == "\0" }),
                  !name.contains(":") else {
                throw HTTPError.transport(code: Int(CURLE_BAD_FUNCTION_ARGUMENT.rawValue),
                                          message: "invalid header \(Redactor.redact(name))")
            }
            headerList = curl_slist_append(headerList, "\(name): \(value)")
        }
        if !r.headers.contains(where: { $0.name.caseInsensitiveCompare("Expect") == .orderedSame }) {
            // No `Expect: 100-continue` round trip before POST bodies.
            headerList = curl_slist_append(headerList, "Expect:")
        }
        set(otk_easy_setopt_slist(easy, CURLOPT_HTTPHEADER, headerList))
        set(otk_easy_setopt_ptr(easy, CURLOPT_WRITEDATA, me))
        set(otk_easy_setopt_data_cb(easy, CURLOPT_WRITEFUNCTION, curlWriteBody))
        set(otk_easy_setopt_ptr(easy, CURLOPT_HEADERDATA, me))
        set(otk_easy_setopt_data_cb(easy, CURLOPT_HEADERFUNCTION, curlWriteHeader))
        guard rc == CURLE_OK else {
            if rc == CURLE_URL_MALFORMAT || rc == CURLE_UNSUPPORTED_PROTOCOL { throw HTTPError.invalidURL(r.url) }
            throw HTTPError.transport(code: Int(rc.rawValue), message: String(cString: curl_easy_strerror(rc)))
        }
    }

    /// The outcome of a finished transfer: the final response, or the error it maps to.
    func result(for code: CURLcode) -> Result<HTTPResponse, any Error> {
        if overflowed || code == CURLE_FILESIZE_EXCEEDED { return .failure(HTTPError.bodyTooLarge(limit: bodyLimit)) }
        guard code == CURLE_OK else { return .failure(Self.error(for: code, detail: errorMessage, url: url)) }
        var status = 0
        _ = otk_easy_getinfo_long(easy, CURLINFO_RESPONSE_CODE, &status)
        var effective: UnsafeMutablePointer<CChar>?
        _ = otk_easy_getinfo_str(easy, CURLINFO_EFFECTIVE_URL, &effective)
        return .success(HTTPResponse(status: status, headers: headers, body: body,
                                     url: effective.map { String(cString: $0) } ?? url))
    }

    private var errorMessage: String { String(cString: errorBuffer) }

    static func error(for code: CURLcode, detail: String, url: String) -> HTTPError {
        let message = Redactor.redact(detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail)
        switch code {
        case CURLE_OPERATION_TIMEDOUT: return .timeout
        case CURLE_COULDNT_CONNECT, CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY: return .connect(message)
        case CURLE_TOO_MANY_REDIRECTS: return .tooManyRedirects
        case CURLE_URL_MALFORMAT, CURLE_UNSUPPORTED_PROTOCOL: return .invalidURL(url)
        case CURLE_FILESIZE_EXCEEDED: return .bodyTooLarge(limit: 0)
        default: return .transport(code: Int(code.rawValue), message: message)
        }
    }

    static func millis(_ d: Duration) -> Int {
        let c = d.components
        return max(1, Int(c.seconds) * 1000 + Int(c.attoseconds / 1_000_000_000_000_000))
    }
}

/// libcurl's body callback: appends up to the cap; returning less than given aborts the transfer.
private func curlWriteBody(_ ptr: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int,
                           _ context: UnsafeMutableRawPointer?) -> Int {
    guard let context else { return 0 }
    let t = Unmanaged<CurlTransfer>.fromOpaque(context).takeUnretainedValue()
    let n = size * count
    if t.body.count + n > t.bodyLimit {
        t.overflowed = true
        return 0
    }
    if let ptr, n > 0 { t.body.append(UnsafeRawPointer(ptr).assumingMemoryBound(to: UInt8.self), count: n) }
    return n
}

/// libcurl's header callback: keeps the headers of the latest status line (the final response).
private func curlWriteHeader(_ ptr: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int,
                             _ context: UnsafeMutableRawPointer?) -> Int {
    let n = size * count
    guard let context, let ptr else { return n }
    let t = Unmanaged<CurlTransfer>.fromOpaque(context).takeUnretainedValue()
    let line = String(decoding: UnsafeRawBufferPointer(start: ptr, count: n), as: UTF8.self)
        .trimmingCharacters(in: .whitespacesAndNewlines)
    if line.hasPrefix("HTTP/") {
        t.headers = []
    } else if let colon = line.firstIndex(of: ":") {
        t.headers.append((String(line[..<colon]),
                          line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
    }
    return n
}
