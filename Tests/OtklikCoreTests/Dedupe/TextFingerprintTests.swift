import Foundation
import Testing
@testable import OtklikCore
import OtklikTestSupport

/// The fast SimHash (`SimHashCounter`, eight bits per table lookup) and the allocation-free
/// fingerprint must give exactly the values of the straightforward bit-by-bit code they
/// replaced: stored windows and incident joins depend on them.
@Suite struct TextFingerprintTests {
    /// The original SimHash: one vote per bit per shingle.
    static func referenceSimhash(_ features: [UInt64], shingle: Int) -> UInt64 {
        guard !features.isEmpty else { return 0 }
        var counts = [Int32](repeating: 0, count: 64)
        let k = min(max(1, shingle), features.count)
        for i in 0..<(features.count - k + 1) {
            var h: UInt64 = 0x243f_6a88_85a3_08d3
            for j in 0..<k { h = StableHash.mix(h ^ (features[i + j] &+ UInt64(j))) }
            for bit in 0..<64 { counts[bit] += (h >> UInt64(bit)) & 1 == 1 ? 1 : -1 }
        }
        var out: UInt64 = 0
        for bit in 0..<64 where counts[bit] > 0 { out |= 1 << UInt64(bit) }
        return out
    }

    /// The original fingerprint, built with arrays.
    static func reference(_ tokens: [Token], shingle: Int) -> TextFingerprint {
        var feature: [UInt64] = []
        var anchors: [UInt64] = []
        for i in tokens.indices {
            let kind = tokens[i].kind
            if kind == .number || kind == .mixed {
                anchors.append(tokens[i].wordHash)
            } else if tokens[i].capitalized, i > 0, tokens[i - 1].sentence == tokens[i].sentence || tokens[i - 1].length <= 3,
                      TextFingerprint.placeMarkers.contains(tokens[i - 1].wordHash) {
                anchors.append(tokens[i].stemHash)
            }
            if kind == .word && tokens[i].length <= 2 { continue }
            feature.append(tokens[i].stemHash)
        }
        var anchor: UInt32 = 0
        if !anchors.isEmpty {
            anchors.sort()
            var h: UInt64 = 0x9e37_79b9_7f4a_7c15
            var last: UInt64?
            for a in anchors where a != last { h = StableHash.mix(h ^ a); last = a }
            anchor = UInt32(truncatingIfNeeded: h >> 32) | 1
        }
        return TextFingerprint(simhash: referenceSimhash(feature, shingle: max(1, shingle)), anchor: anchor, words: feature.count)
    }

    @Test func simhash_onRandomFeatureLists_equalsTheBitByBitReference() {
        var rng = SplitMix(seed: 2024)
        for length in Array(0...300) + [509, 510, 511, 765, 766, 1000, 2049] {
            // Few distinct values make ties and long runs of one bit, as repeated words do.
            let distinct = length % 3 == 0 ? 3 : Int.max
            let features = (0..<length).map { _ in distinct == 3 ? rng.next() % 3 : rng.next() }
            for shingle in 1...4 {
                #expect(TextFingerprint.simhash(features: features, shingle: shingle)
                        == Self.referenceSimhash(features, shingle: shingle), "length \(length), shingle \(shingle)")
            }
        }
    }

    @Test func simhash_whenEveryHashHasTheSameBits_countsPast255WithoutOverflow() {
        var counter = SimHashCounter()
        for _ in 0..<1000 { counter.add(0xF0F0_F0F0_0000_FFFF) }
        for _ in 0..<999 { counter.add(0x0F0F_0F0F_FFFF_0000) }
        #expect(counter.simhash() == 0xF0F0_F0F0_0000_FFFF)
        #expect(counter.count == 1999)
    }

    static let texts = [
        "На ул. Ленина 15 в Батайске третий день нет воды, управляющая компания не отвечает.",
        "Во дворе дома 7 по улице Садовой не вывозят мусор. Контейнеры переполнены!",
        "Яма на дороге у остановки «Школа №3» в х. Ленинакан, машины объезжают по встречке",
        "Продаю диван, недорого. Звоните 8-900-000-00-00",
        "Hello world, the road near Main St 5 is broken again",
        "", "а", "в Ростове", "Дом 5. Дом 5. Дом 5. Дом 5.",
    ]

    @Test func fingerprint_ofPostTokens_equalsTheReference() {
        let tokenizer = Tokenizer()
        for text in Self.texts {
            let tokens = tokenizer.tokenize(text)
            for shingle in 1...4 {
                #expect(TextFingerprint(tokens: tokens, shingle: shingle) == Self.reference(tokens, shingle: shingle), "\(shingle): \(text)")
            }
        }
    }

    @Test func fingerprint_ofRealAppeals_equalsTheReference() throws {
        guard let appeals = try DedupeRealDataTests.appeals() else {
            print("skipped: ../shared/fixtures/complaints/kursk-appeals.jsonl not found"); return
        }
        let tokenizer = Tokenizer()
        var checked = 0
        for a in appeals.prefix(2000) {
            let tokens = tokenizer.tokenize(a.text)
            for shingle in [1, 2, 3] where TextFingerprint(tokens: tokens, shingle: shingle) != Self.reference(tokens, shingle: shingle) {
                Issue.record("appeal \(a.id), shingle \(shingle): fingerprint differs from the reference")
            }
            checked += 1
        }
        #expect(checked > 100)
    }
}
