import Foundation
import Testing
import OtklikTestSupport
@testable import OtklikCore

@Suite struct SQLiteDatabaseTests {
    /// Text is bound from the string's own bytes: what reads back is what a C string of it holds
    /// (everything up to a NUL), for empty, ASCII, Cyrillic, emoji and long strings.
    @Test func bindText_readsBackTheStringUpToItsFirstNUL() throws {
        let db = try SQLiteDatabase(path: TestPaths.makeTempDir("sqlitedb") + "/t.sqlite")
        try db.executeScript("CREATE TABLE t (k INTEGER PRIMARY KEY, v TEXT)")
        let long = String(repeating: "ёж🦔", count: 5000)
        let cases: [(String, String)] = [("", ""), ("a", "a"), ("вода нет", "вода нет"), (long, long),
                                         ("вода\u{0}нет", "вода"), ("\u{0}x", "")]
        for (k, (given, _)) in cases.enumerated() {
            try db.execute("INSERT INTO t (k, v) VALUES (?, ?)", [.int(Int64(k)), .text(given)])
        }
        let got = try db.query("SELECT v FROM t ORDER BY k").map { $0[0].text }
        #expect(got == cases.map { $0.1 })
        let substring = String("xx=abc".split(separator: "=")[1])
        #expect(try db.query("SELECT count(*) FROM t WHERE v = ?", [.text(substring)]).first?.first?.int == 0)
        #expect(try db.query("SELECT count(*) FROM t WHERE v = ?", [.text("вода")]).first?.first?.int == 1)
    }

    /// `.utf8` binds the same text as `.text` of the same bytes (a JSON encoded as bytes).
    @Test func bindUTF8_readsBackAsTheTextOfItsBytes() throws {
        let db = try SQLiteDatabase(path: TestPaths.makeTempDir("sqlitedb") + "/t.sqlite")
        try db.executeScript("CREATE TABLE t (k INTEGER PRIMARY KEY, v TEXT)")
        let cases = ["", "a", "{\"text\":\"нет воды 🚰\"}", String(repeating: "ёж", count: 3000), "вода\u{0}нет"]
        for (k, s) in cases.enumerated() {
            try db.execute("INSERT INTO t (k, v) VALUES (?, ?)", [.int(Int64(k)), .utf8(Array(s.utf8))])
        }
        let got = try db.query("SELECT v, typeof(v) FROM t ORDER BY k")
        #expect(got.map { $0[0].text } == ["", "a", "{\"text\":\"нет воды 🚰\"}", String(repeating: "ёж", count: 3000), "вода"])
        #expect(got.allSatisfy { $0[1] == .text("text") })
        #expect(SQLiteValue.utf8(Array("ёж".utf8)).text == "ёж")
    }
}
