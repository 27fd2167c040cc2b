/// A growable array of trivial values over memory its owner allocates and frees by hand.
///
/// For per-post scratch state in hot loops: Swift arrays check uniqueness (copy-on-write)
/// on every write and append, a call that showed up as a tenth of the rule matcher's time.
/// Copying a `ScratchArray` copies the pointer, not the elements; the owner calls
/// `deallocate()` exactly once (the rule matcher does it in `deinit`).
struct ScratchArray<Element: BitwiseCopyable> {
    private(set) var base: UnsafeMutablePointer<Element>
    private(set) var count = 0
    private(set) var capacity: Int

    init(capacity: Int = 16) {
        self.capacity = Swift.max(1, capacity)
        base = .allocate(capacity: self.capacity)
    }

    init(repeating value: Element, count: Int) {
        self.init(capacity: count)
        base.initialize(repeating: value, count: count)
        self.count = count
    }

    /// A copy of `array`'s elements (for read-only tables a hot loop reads without retains).
    init(_ array: [Element]) {
        self.init(capacity: array.count)
        array.withUnsafeBufferPointer { base.initialize(from: $0.baseAddress!, count: $0.count) }
        count = array.count
    }

    @inline(__always)
    subscript(i: Int) -> Element {
        get { precondition(i >= 0 && i < count); return base[i] }
        nonmutating set { precondition(i >= 0 && i < count); base[i] = newValue }
    }

    @inline(__always)
    mutating func append(_ e: Element) {
        if count == capacity { grow() }
        base[count] = e
        count += 1
    }

    /// Appends `count` elements from `source`.
    mutating func append(from source: UnsafePointer<Element>, count n: Int) {
        reserve(n)
        (base + count).update(from: source, count: n)
        count += n
    }

    /// Makes room for `n` more elements, so that `base + count` may be written up to there.
    @inline(__always)
    mutating func reserve(_ n: Int) {
        while count + n > capacity { grow() }
    }

    /// Takes in `n` elements written past the end (after `reserve`).
    @inline(__always)
    mutating func extend(by n: Int) {
        precondition(n >= 0 && count + n <= capacity)
        count += n
    }

    /// Forgets the elements, keeps the memory.
    mutating func removeAll() { count = 0 }

    /// Sets every element to `value`.
    func fill(_ value: Element) { base.update(repeating: value, count: count) }

    func deallocate() { base.deallocate() }

    private mutating func grow() {
        let bigger = UnsafeMutablePointer<Element>.allocate(capacity: capacity * 2)
        bigger.moveInitialize(from: base, count: count)
        base.deallocate()
        base = bigger
        capacity *= 2
    }
}

extension ScratchArray: Sequence {
    struct Iterator: IteratorProtocol {
        let a: ScratchArray
        var i = 0
        mutating func next() -> Element? {
            guard i < a.count else { return nil }
            defer { i += 1 }
            return a.base[i]
        }
    }
    func makeIterator() -> Iterator { Iterator(a: self) }
}
