import Foundation
import Testing
import TelegramConnector

/// Hostile t.me/s pages through the real parser: a correct page or an empty one, never a
/// crash or a hang. Big inputs are generated here, not committed.
@Suite struct BadTelegramPageTests {
    static func message(_ id: String, text: String, time: String = "2026-11-20T09:00:00+00:00",
                        views: String = "12") -> String {
        """
        <div class="tgme_widget_message_wrap js-widget_message_wrap"><div class="tgme_widget_message js-widget_message" data-post="town/\(id)">\
        <div class="tgme_widget_message_text js-message_text" dir="auto">\(text)</div>\
        <div class="tgme_widget_message_footer"><span class="tgme_widget_message_views">\(views)</span>\
        <a class="tgme_widget_message_date" href="https://t.me/town/\(id)"><time datetime="\(time)" class="time">09:00</time></a>\
        </div></div></div>
        """
    }

    static func page(_ body: String) -> String {
        "<html><body><section class=\"tgme_channel_history js-message_history\">\(body)</section></body></html>"
    }

    @Test func page_whenTagsNeverClose_keepsTheTextAndLaterMessages() {
        let broken = "<div class=\"tgme_widget_message js-widget_message\" data-post=\"town/1\">"
            + "<div class=\"tgme_widget_message_text js-message_text\">яма <b>у <i>школы <a href=\"x"
        let html = Self.page(broken + Self.message("2", text: "нет воды"))
        let page = TelegramPageParser.parse(html: html)
        #expect(page.messages.contains { $0.id == 2 && $0.text == "нет воды" }, "\(page.messages.map(\.id))")
    }

    @Test func page_whenTenThousandUnclosedTagsOrComments_completes() {
        let deep = String(repeating: "<div><span class=\"tgme_widget_message_text\">", count: 10_000)
        for hostile in [deep, String(repeating: "<", count: 100_000), "<!--" + String(repeating: "x", count: 100_000),
                        "<script>" + String(repeating: "<div data-post=\"a/1\">", count: 10_000),
                        String(repeating: "<a href=\"", count: 20_000)] {
            let page = TelegramPageParser.parse(html: Self.page(hostile + Self.message("7", text: "текст")))
            #expect(page.messages.count <= 1)
        }
    }

    @Test func page_whenTextHasInvalidUTF8_replacesOnlyTheBadBytes() {
        var bytes = Array(Self.page(Self.message("3", text: "яма@@двор")).utf8)
        let at = bytes.firstIndex(of: UInt8(ascii: "@"))!
        bytes.replaceSubrange(at..<at + 2, with: [0xFF, 0xC3, 0x28, 0xE2, 0x82])
        let page = TelegramPageParser.parse(html: bytes)
        let text = page.messages.first?.text ?? ""
        #expect(text.hasPrefix("яма") && text.hasSuffix("двор"), "\(text.debugDescription)")
        #expect(text.contains("\u{FFFD}"))
    }

    @Test func page_whenNULBytesAndRightToLeftMarks_keepsMessage() {
        let text = "вода\u{0}нет \u{200F}двор\u{202E} אבג"
        let page = TelegramPageParser.parse(html: Self.page(Self.message("4", text: text)))
        let m = page.messages.first
        #expect(m?.id == 4)
        #expect(m?.text.contains("двор") == true)
        #expect(m?.text.contains("\u{202E}") == true)
    }

    @Test func page_whenNumbersOverflow_dropsTheFieldNotThePage() {
        let html = Self.page(
            Self.message("99999999999999999999999", text: "огромный id")
            + Self.message("5", text: "огромные просмотры", views: "99999999999999999999M")
            + Self.message("6", text: "дата вне диапазона", time: "99999-99-99T99:99:99+99:99")
            + Self.message("-9223372036854775808", text: "минимальный id")
            + Self.message("8", text: "норма"))
        let page = TelegramPageParser.parse(html: html)
        #expect(page.messages.contains { $0.id == 8 && $0.text == "норма" })
        #expect(!page.messages.contains { $0.text == "огромный id" })
        if let m = page.messages.first(where: { $0.id == 5 }) { #expect(m.views == nil) }
        #expect(page.before == nil)
    }

    /// Regression: «99999999999999999999M» views trapped on arithmetic overflow (found by this suite).
    @Test(arguments: ["99999999999999999999", "9223372036854775807K", "9300000000000000000", "10B9999999999",
                      "922337203685477580.7K", "18446744073709551616"])
    func compactCount_whenBeyondInt_isNil(_ s: String) {
        #expect(TelegramValues.compactCount(s) == nil)
    }

    @Test func compactCount_atTheEdgeOfInt_isExact() {
        #expect(TelegramValues.compactCount("9223372036854775807") == Int.max)
        #expect(TelegramValues.compactCount("9223372036854775.807K") == 9_223_372_036_854_775_807)
    }

    @Test func page_whenOneMessageHoldsTenMegabytes_readsItWhole() {
        let text = String(repeating: "яма на дороге ", count: 10_000_000 / 25)
        let page = TelegramPageParser.parse(html: Self.page(Self.message("9", text: text)))
        let read = page.messages.first?.text ?? ""
        #expect(read.trimmingCharacters(in: .whitespaces).utf8.count == text.trimmingCharacters(in: .whitespaces).utf8.count)
    }

    @Test func page_whenGarbage_isEmptyAndSaysWhy() {
        for raw in ["", "\u{0}", "{\"ok\":true}", String(repeating: "\u{FFFD}", count: 1000)] {
            let page = TelegramPageParser.parse(html: raw)
            #expect(page.messages.isEmpty)
            #expect(!page.hasMessageHistory)
        }
    }
}
