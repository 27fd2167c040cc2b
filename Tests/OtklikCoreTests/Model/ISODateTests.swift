import Foundation
import Testing
@testable import OtklikCore

/// The hand-written time formatting must write exactly what Foundation writes.
@Suite struct ISODateTests {
    @Test func formatDate_withAFraction_matchesFoundationsFractionalISO8601() {
        let style = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
        var rng = BenchRandom(seed: 17)
        var fractions: [Double] = [0.5, 0.399, 0.001, 0.0004, 0.9999999, 0.123456789, 0.999]
        for _ in 0..<400 { fractions.append(Double(rng.below(1_000_000)) / 1_000_000) }
        let seconds: [Double] = [0, -1, 951_782_400, -2_208_988_800, 253_402_300_798, 1_793_491_200, 978_307_200, -978_307_200]
        var checked = 0
        for (k, f) in fractions.enumerated() {
            for s in seconds + [Double(rng.below(8_000_000_000)) - 2_000_000_000] {
                let date = Date(timeIntervalSince1970: s + (k % 2 == 0 ? f : -f))
                guard date.timeIntervalSince1970 != date.timeIntervalSince1970.rounded() else { continue }
                var fast: [UInt8] = []
                if ISODate.appendMilliseconds(date, to: &fast) {
                    #expect(String(decoding: fast, as: UTF8.self) == date.formatted(style), "\(date.timeIntervalSince1970)")
                    checked += 1
                }
                #expect(OtklikJSON.formatDate(date) == date.formatted(style))
            }
        }
        #expect(checked > 3000)
    }

    @Test func appendMilliseconds_wholeSecondsOrOutOfRange_appendsNothing() {
        for t in [0, 1_793_491_200, -2_208_988_800.5, 253_402_300_800.5, .infinity] as [Double] {
            var out: [UInt8] = []
            #expect(!ISODate.appendMilliseconds(Date(timeIntervalSince1970: t), to: &out))
            #expect(out.isEmpty)
        }
    }
}
