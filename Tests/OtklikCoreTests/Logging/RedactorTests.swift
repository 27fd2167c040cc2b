import Foundation
import Testing
import OtklikCore

/// `Redactor` on its own: what is masked, and what is left alone.
@Suite struct RedactorTests {
    @Test(arguments: [
        ("https://api.vk.com/method/wall.get?access_token=abc123&v=5.199",
         "https://api.vk.com/method/wall.get?access_token=***&v=5.199"),
        ("grant_type=refresh&refresh_token=r3fr3sh&x=1", "grant_type=refresh&refresh_token=***&x=1"),
        ("ACCESS_TOKEN=UPPER", "ACCESS_TOKEN=***"),
        ("client_secret=s3cr3t&password=hunter22", "client_secret=***&password=***"),
        ("api_key=k123 cache_key=posts:1", "api_key=*** cache_key=posts:1"),
        ("Authorization: Bearer abc.def", "Authorization: ***"),
        ("h1=\"authorization: Basic dXNlcg==\" h2=\"AUTHORIZATION: token xyz\" ok=1",
         "h1=\"authorization: ***\" h2=\"AUTHORIZATION: ***\" ok=1"),
        ("Proxy-Authorization: Basic cHJveHk=\nnext line", "Proxy-Authorization: ***\nnext line"),
        ("Authorization: Bearer x\r\nHost: vk.com", "Authorization: ***\r\nHost: vk.com"),
        ("a?access_token=zz\r\nnext", "a?access_token=***\r\nnext"),
        ("GET /bot123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw/getMe", "GET /bot***/getMe"),
        ("see /bottles then /bot123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw/x", "see /bottles then /bot***/x"),
        ("token 123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw leaked", "token *** leaked"),
    ])
    func redact_masksSecretShapes(input: String, expected: String) {
        #expect(Redactor.redact(input) == expected)
    }

    @Test(arguments: [
        "posted at 12:30:45 by user 1234567",
        "https://t.me/s/bataysk_news?before=1200",
        "key_count=3 tokens=5",
        "Во дворе яма, ул. Ленина 12:00",
        "ratio 100000:1",
    ])
    func redact_leavesOrdinaryTextAlone(input: String) {
        #expect(Redactor.redact(input) == input)
    }

    @Test func registeredSecrets_areMaskedEverywhereLongestFirst() {
        let short = "abcd-\(UUID().uuidString.prefix(8))"
        let long = short + "-extended"
        Redactor.register(secret: short)
        Redactor.register(secret: long)
        #expect(Redactor.redact("x \(long) y \(short) z") == "x *** y *** z")
    }

    @Test func tinySecrets_areNotRegistered() {
        Redactor.register(secret: "ab")
        #expect(Redactor.redact("a cab and a crab") == "a cab and a crab")
    }

    @Test func redact_isIdempotent() {
        let once = Redactor.redact("u?access_token=zz&Authorization: Bearer q /bot123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw/")
        #expect(Redactor.redact(once) == once)
    }
}
