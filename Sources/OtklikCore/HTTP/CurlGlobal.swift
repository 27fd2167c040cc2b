import CCurl
import Foundation

/// libcurl's process-wide initialisation, done once before the first handle.
enum CurlGlobal {
    private static let once: Void = {
        disableOpenSSLAtExit()
        curl_global_init(otk_curl_global_ssl())
    }()

    static func initialize() { _ = once }

    /// Tells OpenSSL not to free itself in an `atexit` handler: otherwise its cleanup can
    /// race a curl handle being torn down on another thread at process exit (a double free;
    /// swift-corelibs-foundation does the same, see its issue 5469). Looked up with `dlsym`
    /// so no OpenSSL headers are needed; a no-op when libcurl uses another TLS library.
    private static func disableOpenSSLAtExit() {
        typealias InitCrypto = @convention(c) (UInt64, UnsafeRawPointer?) -> Int32
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "OPENSSL_init_crypto") else { return }
        let noAtExit: UInt64 = 0x0008_0000 // OPENSSL_INIT_NO_ATEXIT
        _ = unsafeBitCast(symbol, to: InitCrypto.self)(noAtExit, nil)
    }
}
