import Foundation
import OtklikCore
import OtklikTestSupport
import Testing

/// Hostile YAML through the real config loader: every case ends in a clear error, never a crash or hang.
@Suite struct BadConfigInputTests {
    private func loadErrors(_ text: String) -> [String] {
        let diagnostics = ConfigDiagnostics()
        do {
            _ = try ConfigLoader(environment: [:], diagnostics: diagnostics).load(text, file: "bad.yaml")
        } catch let e as ConfigErrors {
            return e.errors.map(\.description) + diagnostics.errors.map(\.description)
        } catch {
            return ["\(error)"]
        }
        return diagnostics.errors.map(\.description)
    }

    @Test func config_whenAliasBomb_stopsAtNodeLimit() throws {
        let path = try #require(Bundle.module.path(forResource: "alias-bomb", ofType: "yaml",
                                                   inDirectory: "Fixtures/bad-input"))
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let errors = loadErrors(text)
        #expect(!errors.isEmpty, "a 9^8-node alias bomb must be refused")
        #expect(errors.allSatisfy { $0.hasPrefix("bad.yaml:") }, "errors carry a position: \(errors)")
    }

    @Test func config_whenNestedTenThousandDeep_failsWithoutStackOverflow() {
        let flow = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        #expect(!loadErrors("x: " + flow).isEmpty)
        let block = (0..<5_000).map { String(repeating: " ", count: $0) + "k\($0):" }.joined(separator: "\n") + " v\n"
        #expect(!loadErrors(block).isEmpty)
    }

    @Test func config_whenNULByte_reportsItsPosition() {
        let errors = loadErrors("a: 1\nb: x\u{0}y\n")
        #expect(errors.contains { $0.contains("bad.yaml:2:") && $0.contains("NUL") }, "\(errors)")
    }

    @Test func config_whenFileIsNotUTF8_saysSo() throws {
        let file = TestPaths.makeTempDir() + "/latin1.yaml"
        try Data([0x61, 0x3A, 0x20, 0xFF, 0xFE, 0xC0, 0x0A]).write(to: URL(fileURLWithPath: file))
        do {
            _ = try ConfigLoader(environment: [:]).loadFile(file)
            Issue.record("invalid UTF-8 must not load")
        } catch let e as ConfigErrors {
            #expect(e.description.contains("UTF-8"))
        }
    }

    @Test func config_whenHugeNumbersAndRTLMarks_loadsAsText() throws {
        let text = "n: 1e99999\nbig: 123456789012345678901234567890\nname: \"\u{202E}кат\u{200F}\"\n"
        let node = try ConfigLoader(environment: [:]).load(text, file: "x.yaml")
        let pairs = try #require(node.mapping)
        #expect(pairs.count == 3)
        #expect(pairs[1].value.scalar == "123456789012345678901234567890")
    }

    @Test func config_whenUnterminatedQuoteOrTabIndent_failsWithPosition() {
        for text in ["a: \"never closed\nb: 2\n", "a:\n\t- tab\n", "a: [1, 2\n", "{{{{", ": : :"] {
            let errors = loadErrors(text)
            #expect(!errors.isEmpty, "should fail: \(text.debugDescription)")
        }
    }
}
