#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// glibc gives threads that allocate up to eight malloc arenas per core, and memory freed in
/// one arena is not reused by another: the workers, sink queues and poll tasks of a daemon
/// spread their garbage over all of them. Two arenas keep the peak about 6 MB lower at a
/// million posts in the window, with no measurable cost on two cores.
///
/// Applied once when the first pipeline runtime is made; `MALLOC_ARENA_MAX` in the
/// environment (the operator's own choice) wins.
enum MallocArenas {
    static let limited: Void = {
        #if canImport(Glibc)
        // `mallopt` is declared in <malloc.h>, which the Glibc module does not export.
        guard ProcessInfo.processInfo.environment["MALLOC_ARENA_MAX"] == nil,
              let f = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return }
        let mallopt = unsafeBitCast(f, to: (@convention(c) (Int32, Int32) -> Int32).self)
        _ = mallopt(-8, 2)   // M_ARENA_MAX
        #endif
    }()
}
