import Foundation
import Testing
import OtklikCore
import OtklikTestSupport

/// Log lines: journald priorities, key=value quoting, levels, redaction on the way out.
@Suite struct LoggerTests {
    @Test func journalMode_prefixesEachLineWithItsSyslogPriority() {
        let sink = LogSink(level: .debug, journal: true, capturing: true)
        let log = Logger(label: "vk", sink: sink)
        log.debug("d"); log.info("i"); log.notice("n"); log.warning("w"); log.error("e")
        #expect(sink.captured == [
            "<7>level=debug component=vk msg=d",
            "<6>level=info component=vk msg=i",
            "<5>level=notice component=vk msg=n",
            "<4>level=warning component=vk msg=w",
            "<3>level=error component=vk msg=e",
        ])
    }

    @Test func terminalMode_startsWithATimestampAndNoPriority() throws {
        let sink = LogSink(level: .info, journal: false, capturing: true)
        Logger(label: "run", sink: sink).info("started")
        let line = try #require(sink.captured.first)
        #expect(!line.hasPrefix("<"))
        #expect(line.hasSuffix(" level=info component=run msg=started"))
        let stamp = String(line.prefix { $0 != " " })
        #expect(OtklikJSON.parseDate(stamp) != nil, "\(stamp)")
    }

    @Test func journalDetection_followsJournalStream() throws {
        #expect(LogSink.isJournal(environment: [:]) == false)
        #expect(LogSink.isJournal(environment: ["JOURNAL_STREAM": ""]) == false)
        #expect(LogSink.isJournal(environment: ["JOURNAL_STREAM": "1"]) == true)
        let dir = TestPaths.makeTempDir()
        let path = dir + "/stderr.log"
        #expect(FileManager.default.createFile(atPath: path, contents: nil))
        let handle = try #require(FileHandle(forWritingAtPath: path))
        defer { try? handle.close() }
        var st = stat()
        #expect(fstat(handle.fileDescriptor, &st) == 0)
        let matching = "\(st.st_dev):\(st.st_ino)"
        #expect(LogSink.isJournal(environment: ["JOURNAL_STREAM": matching], fd: handle.fileDescriptor))
        #expect(!LogSink.isJournal(environment: ["JOURNAL_STREAM": "\(st.st_dev):\(st.st_ino + 1)"],
                                   fd: handle.fileDescriptor))
    }

    @Test func fields_areQuotedOnlyWhenNeeded() {
        let sink = LogSink(level: .info, journal: true, capturing: true)
        Logger(label: "t", sink: sink).info("two words", [
            "plain": "abc", "count": 42, "spaced": "a b", "quoted": "say \"hi\"", "equals": "a=b",
            "newline": "x\ny", "empty": "", "cyrillic": "Батайск", "backslash": "c:\\dir", "tab": "a\tb",
        ])
        #expect(sink.captured == [
            "<6>level=info component=t msg=\"two words\" plain=abc count=42 spaced=\"a b\" quoted=\"say \\\"hi\\\"\" "
                + "equals=\"a=b\" newline=\"x\\ny\" empty=\"\" cyrillic=Батайск backslash=\"c:\\\\dir\" tab=\"a\\tb\"",
        ])
    }

    @Test func level_dropsLinesBelowTheSinksLevel() {
        let sink = LogSink(level: .warning, journal: true, capturing: true)
        let log = Logger(label: "t", sink: sink)
        log.debug("no"); log.info("no"); log.notice("no"); log.warning("yes"); log.error("yes")
        #expect(sink.captured.count == 2)
        sink.setLevel(.debug)
        log.debug("now")
        #expect(sink.captured.last == "<7>level=debug component=t msg=now")
        #expect(sink.level == .debug)
    }

    @Test func with_label_keepsTheSink() {
        let sink = LogSink(level: .info, journal: true, capturing: true)
        Logger(label: "a", sink: sink).with(label: "b").info("x")
        #expect(sink.captured == ["<6>level=info component=b msg=x"])
    }

    @Test func secrets_neverReachTheLog() {
        let token = "vk1.a.SECRET-\(UUID().uuidString)"
        Redactor.register(secret: token)
        let sink = LogSink(level: .debug, journal: true, capturing: true)
        let log = Logger(label: "vk", sink: sink)
        log.error("request failed with token \(token)", ["token_value": token])
        log.info("GET", ["url": "https://api.vk.com/method/wall.get?owner_id=-1&access_token=abcdef123&v=5.199"])
        log.info("sent", ["header": "Authorization: Bearer eyJhbGciOi.payload.sig"])
        log.info("poll", ["url": "https://api.telegram.org/bot123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw/getUpdates"])
        let all = sink.captured.joined(separator: "\n")
        #expect(!all.contains(token))
        #expect(!all.contains("abcdef123"))
        #expect(!all.contains("eyJhbGciOi"))
        #expect(!all.contains("AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"))
        #expect(all.contains("access_token=***&v=5.199"))
        #expect(all.contains("Authorization: ***\""))
        #expect(all.contains("/bot***/getUpdates"))
    }

    @Test func secretsWithQuotes_areMaskedBeforeEscaping() {
        let token = "q\"uo\\te-\(UUID().uuidString)"
        Redactor.register(secret: token)
        let sink = LogSink(level: .info, journal: true, capturing: true)
        Logger(label: "t", sink: sink).info("using \(token)", ["t": token])
        #expect(sink.captured == ["<6>level=info component=t msg=\"using ***\" t=***"])
    }
}
