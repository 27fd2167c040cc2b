/// Each distinct value once, named by a small number: the incident book keeps a `UInt32`
/// per incident for its category, place, executor and status instead of their strings.
struct InternTable<Value: Hashable> {
    /// The reference that names no value.
    static var none: UInt32 { .max }

    private(set) var values: [Value] = []
    private var index: [Value: UInt32] = [:]

    var count: Int { values.count }

    /// The value's reference, adding it when new.
    mutating func ref(_ v: Value) -> UInt32 {
        if let r = index[v] { return r }
        let r = UInt32(values.count)
        values.append(v)
        index[v] = r
        return r
    }

    mutating func ref(_ v: Value?) -> UInt32 { v.map { ref($0) } ?? Self.none }

    /// `ref(v)`, answered without hashing when `v` is the value `old` already names: an
    /// incident's new version mostly keeps its category, place, executor and status, and
    /// hashing a place (Cyrillic names go through Unicode normalisation) under the incident
    /// index's lock was about a tenth of the incident stage.
    mutating func ref(_ v: Value?, was old: UInt32?) -> UInt32 {
        if let old {
            if old == Self.none { if v == nil { return old } } else if let v, values[Int(old)] == v { return old }
        }
        return ref(v)
    }

    /// The value's reference when it is in the table.
    func find(_ v: Value) -> UInt32? { index[v] }

    subscript(r: UInt32) -> Value? { r == Self.none ? nil : values[Int(r)] }
}
