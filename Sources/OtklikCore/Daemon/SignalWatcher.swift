import Dispatch
import Foundation

/// Turns UNIX signals into an async stream: the default action is switched off and a
/// dispatch signal source yields each arrival, so shutdown and reload run as ordinary
/// async code.
public final class SignalWatcher: @unchecked Sendable {  // sources are set once in init, cancelled in deinit
    public let signals: AsyncStream<Int32>
    private let sources: [any DispatchSourceSignal]

    public init(_ numbers: [Int32]) {
        let (stream, continuation) = AsyncStream.makeStream(of: Int32.self)
        signals = stream
        let queue = DispatchQueue(label: "otklik.signals")
        sources = numbers.map { n in
            signal(n, SIG_IGN)
            let s = DispatchSource.makeSignalSource(signal: n, queue: queue)
            s.setEventHandler { continuation.yield(n) }
            s.resume()
            return s
        }
    }

    deinit { for s in sources { s.cancel() } }

    public static func name(_ n: Int32) -> String {
        switch n {
        case SIGTERM: "SIGTERM"
        case SIGINT: "SIGINT"
        case SIGHUP: "SIGHUP"
        default: "signal \(n)"
        }
    }
}
