/// sysexits(3) codes, so systemd and scripts can tell a bad config from a crash.
public enum ExitCode: Int32, Sendable {
    case ok = 0
    case failure = 1
    case usage = 64
    case dataError = 65
    case noInput = 66
    case unavailable = 69
    case software = 70
    case cantCreate = 73
    case ioError = 74
    case tempFail = 75
    case config = 78
}

/// An error that ends a command with a message and an exit code.
public struct CommandError: Error, CustomStringConvertible, Sendable {
    public var code: ExitCode
    public var message: String
    public init(_ code: ExitCode, _ message: String) { self.code = code; self.message = message }
    public var description: String { message }
}
