import Foundation
import Testing
@testable import OtklikCore

@Suite struct ConfigValuesTests {
    @Test func duration_acceptsUnits() {
        #expect(ConfigValues.duration("90s") == .seconds(90))
        #expect(ConfigValues.duration("5m") == .seconds(300))
        #expect(ConfigValues.duration("2h") == .seconds(7200))
        #expect(ConfigValues.duration("7d") == .seconds(7 * 86400))
        #expect(ConfigValues.duration("500ms") == .milliseconds(500))
        #expect(ConfigValues.duration("1h30m") == .seconds(5400))
    }
    @Test func duration_rejectsBareNumbersAndJunk() {
        #expect(ConfigValues.duration("90") == nil)
        #expect(ConfigValues.duration("5 parsecs") == nil)
        #expect(ConfigValues.duration("") == nil)
    }
    @Test func size_acceptsUnits() {
        #expect(ConfigValues.size("100MB") == 100 * 1024 * 1024)
        #expect(ConfigValues.size("512") == 512)
        #expect(ConfigValues.size("1GiB") == 1024 * 1024 * 1024)
        #expect(ConfigValues.size("12XB") == nil)
    }
}
