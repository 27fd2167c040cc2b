import Glibc

/// A mutex that spins briefly before it sleeps (glibc's adaptive mutex).
///
/// For state every analysis worker touches once per post (the dedupe window, the incident
/// index): the critical section is a few microseconds, so a waiter that goes to sleep on
/// `NSLock` pays a futex wake-up and a reschedule (tens of microseconds on a VM) while the
/// holder is already done, and with two workers the cores sat idle in those gaps.
final class AdaptiveLock: @unchecked Sendable {
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>

    init() {
        mutex = .allocate(capacity: 1)
        var attr = pthread_mutexattr_t()
        pthread_mutexattr_init(&attr)
        pthread_mutexattr_settype(&attr, Int32(PTHREAD_MUTEX_ADAPTIVE_NP))
        pthread_mutex_init(mutex, &attr)
        pthread_mutexattr_destroy(&attr)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    func lock() { pthread_mutex_lock(mutex) }
    /// Takes the lock when it is free; false (at once) when another thread holds it.
    func tryLock() -> Bool { pthread_mutex_trylock(mutex) == 0 }
    func unlock() { pthread_mutex_unlock(mutex) }
}
