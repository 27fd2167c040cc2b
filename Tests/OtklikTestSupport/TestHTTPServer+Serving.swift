import Foundation

/// Reading requests and delivering scripted answers on one connection.
extension TestHTTPServer {
    func serve(_ conn: TestConnection, id: Int) {
        while !isStopped {
            guard let head = conn.readHead() else { return }
            guard var request = Self.parseHead(head, connectionID: id) else {
                conn.write(Array("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".utf8))
                return
            }
            if request.header("Expect")?.lowercased() == "100-continue" {
                conn.write(Array("HTTP/1.1 100 Continue\r\n\r\n".utf8))
            }
            guard let body = Self.readBody(of: request, from: conn) else { return }
            request.body = Data(body)
            let response = answer(&request)
            let keepOpen = deliver(response, for: request, on: conn)
            requestFinished()
            if !keepOpen || request.header("Connection")?.lowercased() == "close" { return }
        }
    }

    static func parseHead(_ head: [UInt8], connectionID: Int) -> TestRequest? {
        let lines = String(decoding: head, as: UTF8.self).components(separatedBy: "\r\n")
        let parts = lines[0].split(separator: " ")
        guard parts.count == 3, parts[2].hasPrefix("HTTP/1.") else { return nil }
        var headers: [(name: String, value: String)] = []
        for line in lines.dropFirst() where !line.isEmpty {
            guard let colon = line.firstIndex(of: ":") else { return nil }
            headers.append((String(line[..<colon]),
                            line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
        }
        let target = String(parts[1])
        let (path, query) = TestRequest.splitTarget(target)
        return TestRequest(method: String(parts[0]), target: target, path: path, query: query,
                           headers: headers, body: Data(), connectionID: connectionID, sequence: 0)
    }

    static func readBody(of request: TestRequest, from conn: TestConnection) -> [UInt8]? {
        if request.header("Transfer-Encoding")?.lowercased().contains("chunked") == true {
            var body: [UInt8] = []
            while true {
                guard let sizeLine = conn.readLine(),
                      let size = Int(sizeLine.split(separator: ";")[0].trimmingCharacters(in: .whitespaces),
                                     radix: 16) else { return nil }
                if size == 0 {
                    while let trailer = conn.readLine(), !trailer.isEmpty {}
                    return body
                }
                guard let chunk = conn.read(count: size), conn.readLine() != nil else { return nil }
                body += chunk
            }
        }
        let length = Int(request.header("Content-Length") ?? "0") ?? 0
        return length > 0 ? conn.read(count: length) : []
    }

    /// Sends the answer; returns whether the connection may serve another request.
    func deliver(_ r: TestResponse, for request: TestRequest, on conn: TestConnection) -> Bool {
        if r.delay > .zero, !conn.pause(r.delay) {
            if !isStopped { clientDisconnected() }
            return false
        }
        switch r.delivery {
        case .stall:
            if conn.waitForPeerClose() { clientDisconnected() }
            return false
        case .reset:
            conn.armReset()
            return false
        case .normal, .slow, .truncated, .chunked:
            break
        }
        let withBody = request.method != "HEAD" && r.status != 204 && r.status != 304 && r.status >= 200
        var head = "HTTP/1.1 \(r.status) \(Self.reason(r.status))\r\n"
        for (name, value) in r.headers { head += "\(name): \(value)\r\n" }
        let chunkedSize: Int? = if case .chunked(let size) = r.delivery { size } else { nil }
        if chunkedSize != nil && withBody { head += "Transfer-Encoding: chunked\r\n" }
        if r.header("Content-Length") == nil && withBody && chunkedSize == nil { head += "Content-Length: \(r.body.count)\r\n" }
        if r.closeConnection { head += "Connection: close\r\n" }
        head += "\r\n"
        let body = withBody ? [UInt8](r.body) : []
        switch r.delivery {
        case .slow(let chunk, let every):
            guard conn.write(Array(head.utf8)) else { clientDisconnected(); return false }
            var offset = 0
            while offset < body.count {
                if offset > 0, !conn.pause(every) {
                    if !isStopped { clientDisconnected() }
                    return false
                }
                let end = min(body.count, offset + chunk)
                guard conn.write(Array(body[offset..<end])) else { clientDisconnected(); return false }
                offset = end
            }
        case .chunked(let size):
            var out = Array(head.utf8)
            if withBody {
                var offset = 0
                while offset < body.count {
                    let end = min(body.count, offset + size)
                    out += Array((String(end - offset, radix: 16) + "\r\n").utf8) + body[offset..<end] + [13, 10]
                    offset = end
                }
                out += Array("0\r\n\r\n".utf8)
            }
            guard conn.write(out) else { clientDisconnected(); return false }
        case .truncated(let sending):
            conn.write(Array(head.utf8) + body.prefix(max(0, min(sending, body.count))))
            return false
        default:
            guard conn.write(Array(head.utf8) + body) else { clientDisconnected(); return false }
        }
        return !r.closeConnection
    }

    static func reason(_ status: Int) -> String {
        switch status {
        case 200: "OK"
        case 201: "Created"
        case 202: "Accepted"
        case 204: "No Content"
        case 301: "Moved Permanently"
        case 302: "Found"
        case 303: "See Other"
        case 304: "Not Modified"
        case 307: "Temporary Redirect"
        case 308: "Permanent Redirect"
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 413: "Content Too Large"
        case 429: "Too Many Requests"
        case 500: "Internal Server Error"
        case 502: "Bad Gateway"
        case 503: "Service Unavailable"
        case 504: "Gateway Timeout"
        default: "Status"
        }
    }
}
