import Testing
@testable import OtklikCore

@Suite struct InternTableTests {
    @Test func refWas_sameValue_keepsTheOldReference_otherwiseAsRef() {
        var t = InternTable<String>()
        let a = t.ref("roads"), b = t.ref("housing.water")
        #expect(t.ref("roads", was: a) == a)
        #expect(t.ref("housing.water", was: a) == b)       // a changed value: found as usual
        #expect(t.ref("waste", was: b) == 2 && t.count == 3)  // a new value: added as usual
        #expect(t.ref(nil, was: InternTable<String>.none) == InternTable<String>.none)
        #expect(t.ref(nil, was: a) == InternTable<String>.none)
        #expect(t.ref("roads", was: InternTable<String>.none) == a)
        #expect(t.ref("roads", was: nil) == a)
    }
}
