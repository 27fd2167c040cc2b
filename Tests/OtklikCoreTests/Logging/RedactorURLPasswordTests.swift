import Testing
@testable import OtklikCore

/// Passwords written into URLs (`https://user:password@host`) — a sink URL with basic auth —
/// are masked in every log line and error (found by the secrets fault test).
struct RedactorURLPasswordTests {
    @Test(arguments: [
        ("POST http://otklik:pw1234secret@127.0.0.1:80/in: HTTP 500", "POST http://otklik:***@127.0.0.1:80/in: HTTP 500"),
        ("url=https://u:p%40ss@h.example/x?y=1", "url=https://u:***@h.example/x?y=1"),
        ("a ftp://a:bbbb@c and https://d:eeee@f", "a ftp://a:***@c and https://d:***@f"),
        ("proxy=\"http://user:s3cr3t@proxy:3128\"", "proxy=\"http://user:***@proxy:3128\""),
    ])
    func redact_masksThePasswordOfAURL(input: String, expected: String) {
        #expect(Redactor.redact(input) == expected)
    }

    @Test(arguments: [
        "https://user@host/path",
        "http://host/a@b:c",
        "mail me: user@example.org",
        "https://host:8443/x",
    ])
    func redact_leavesURLsWithoutPasswordAlone(input: String) {
        #expect(Redactor.redact(input) == input)
    }
}
