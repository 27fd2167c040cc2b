import Testing
@testable import OtklikCore

@Suite struct DedupeRootKeysTests {
    @Test func key_keptForItsHash_whileItsEntryIsInTheWindow() {
        let keys = DedupeWindow.RootKeys(places: 64)
        defer { keys.deallocate() }
        let key = "telegram:bench_12/345", h = StableHash.fnv1a64("telegram:bench_12/345")
        #expect(keys.key(h, holds: { _ in true }) == nil)
        keys.keep(key, hash: h, sequence: 7)
        #expect(keys.key(h, holds: { $0 == 7 }) == key)
        #expect(keys.key(h, holds: { _ in false }) == nil)
        #expect(keys.key(h ^ 1, holds: { _ in true }) == nil)
    }

    @Test func key_longerThanAPlace_isNotKept_andEmptiesThePlace() {
        let keys = DedupeWindow.RootKeys(places: 1)
        defer { keys.deallocate() }
        keys.keep("vk:wall-1_2", hash: 42, sequence: 1)
        #expect(keys.key(42, holds: { _ in true }) == "vk:wall-1_2")
        let long = "telegram:" + String(repeating: "я", count: 30)  // 69 bytes
        keys.keep(long, hash: 42, sequence: 2)
        #expect(keys.key(42, holds: { _ in true }) == nil)
        keys.keep(String(repeating: "x", count: DedupeWindow.RootKeys.maxBytes), hash: 9, sequence: 3)
        #expect(keys.key(9, holds: { _ in true })?.utf8.count == DedupeWindow.RootKeys.maxBytes)
    }
}
