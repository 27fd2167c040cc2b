import CCurl
import Foundation

/// The shared HTTP client. (Interim implementation: one blocking easy transfer per
/// request on a dispatch queue; the libcurl multi loop replaces it.)
public final class HTTPClient: Sendable {
    public let configuration: HTTPClientConfiguration
    private let queue = DispatchQueue(label: "otklik.http", attributes: .concurrent)

    public init(configuration: HTTPClientConfiguration = HTTPClientConfiguration()) {
        self.configuration = configuration
        _ = Self.globalInit
    }

    private static let globalInit: Void = { curl_global_init(otk_curl_global_ssl()) }()

    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        let config = configuration
        return try await withCheckedThrowingContinuation { cont in
            queue.async { cont.resume(with: Result { try Self.perform(request, config) }) }
        }
    }

    public func get(_ url: String, headers: [(name: String, value: String)] = []) async throws -> HTTPResponse {
        try await send(HTTPRequest(url: url, headers: headers))
    }

    private final class Buffer {
        var body = Data()
        var headers: [(name: String, value: String)] = []
        var limit: Int
        var overflow = false
        init(limit: Int) { self.limit = limit }
    }

    private static func perform(_ r: HTTPRequest, _ c: HTTPClientConfiguration) throws -> HTTPResponse {
        guard let h = curl_easy_init() else { throw HTTPError.transport(code: -1, message: "curl_easy_init failed") }
        defer { curl_easy_cleanup(h) }
        let buf = Buffer(limit: r.maxBodyBytes ?? c.maxBodyBytes)
        let ctx = Unmanaged.passUnretained(buf).toOpaque()
        _ = otk_easy_setopt_str(h, CURLOPT_URL, r.url)
        _ = otk_easy_setopt_str(h, CURLOPT_USERAGENT, c.userAgent)
        _ = otk_easy_setopt_long(h, CURLOPT_NOSIGNAL, 1)
        _ = otk_easy_setopt_long(h, CURLOPT_TIMEOUT_MS, Int(((r.timeout ?? c.timeout).seconds * 1000)))
        _ = otk_easy_setopt_long(h, CURLOPT_CONNECTTIMEOUT_MS, Int(((r.connectTimeout ?? c.connectTimeout).seconds * 1000)))
        _ = otk_easy_setopt_long(h, CURLOPT_FOLLOWLOCATION, r.followRedirects ? 1 : 0)
        _ = otk_easy_setopt_long(h, CURLOPT_MAXREDIRS, c.maxRedirects)
        _ = otk_easy_setopt_str(h, CURLOPT_ACCEPT_ENCODING, "")
        _ = otk_easy_setopt_str(h, CURLOPT_CUSTOMREQUEST, r.method.rawValue)
        if let body = r.body {
            body.withUnsafeBytes { p in
                _ = otk_easy_setopt_long(h, CURLOPT_POSTFIELDSIZE, p.count)
                _ = otk_easy_setopt_ptr(h, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: p.baseAddress))
            }
        }
        var list: UnsafeMutablePointer<curl_slist>?
        for (n, v) in r.headers { list = curl_slist_append(list, "\(n): \(v)") }
        defer { curl_slist_free_all(list) }
        if list != nil { _ = otk_easy_setopt_slist(h, CURLOPT_HTTPHEADER, list) }
        _ = otk_easy_setopt_ptr(h, CURLOPT_WRITEDATA, ctx)
        _ = otk_easy_setopt_data_cb(h, CURLOPT_WRITEFUNCTION) { ptr, size, n, ud in
            let b = Unmanaged<Buffer>.fromOpaque(ud!).takeUnretainedValue()
            let count = size * n
            if b.body.count + count > b.limit { b.overflow = true; return 0 }
            if let ptr { b.body.append(UnsafeRawPointer(ptr).assumingMemoryBound(to: UInt8.self), count: count) }
            return count
        }
        _ = otk_easy_setopt_ptr(h, CURLOPT_HEADERDATA, ctx)
        _ = otk_easy_setopt_data_cb(h, CURLOPT_HEADERFUNCTION) { ptr, size, n, ud in
            let b = Unmanaged<Buffer>.fromOpaque(ud!).takeUnretainedValue()
            let count = size * n
            let line = String(decoding: UnsafeRawBufferPointer(start: ptr, count: count), as: UTF8.self)
                .trimmingCharacters(in: .whitespacesAndNewlines)
            if line.hasPrefix("HTTP/") { b.headers = [] }
            else if let colon = line.firstIndex(of: ":") {
                b.headers.append((String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
            }
            return count
        }
        let rc = curl_easy_perform(h)
        if buf.overflow { throw HTTPError.bodyTooLarge(limit: buf.limit) }
        switch rc {
        case CURLE_OK: break
        case CURLE_OPERATION_TIMEDOUT: throw HTTPError.timeout
        case CURLE_COULDNT_CONNECT, CURLE_COULDNT_RESOLVE_HOST: throw HTTPError.connect(String(cString: curl_easy_strerror(rc)))
        case CURLE_TOO_MANY_REDIRECTS: throw HTTPError.tooManyRedirects
        case CURLE_URL_MALFORMAT, CURLE_UNSUPPORTED_PROTOCOL: throw HTTPError.invalidURL(r.url)
        default: throw HTTPError.transport(code: Int(rc.rawValue), message: String(cString: curl_easy_strerror(rc)))
        }
        var status = 0
        _ = otk_easy_getinfo_long(h, CURLINFO_RESPONSE_CODE, &status)
        var eff: UnsafeMutablePointer<CChar>?
        _ = otk_easy_getinfo_str(h, CURLINFO_EFFECTIVE_URL, &eff)
        return HTTPResponse(status: status, headers: buf.headers, body: buf.body,
                            url: eff.map { String(cString: $0) } ?? r.url)
    }
}
