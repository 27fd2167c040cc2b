import Foundation
import OtklikCore

// The composition root: which plugins exist (Registry.swift), and which command runs.
let code = await CommandRunner.main(Array(CommandLine.arguments.dropFirst()))
fflush(nil)
exit(code.rawValue)
