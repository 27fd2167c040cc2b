// swift-tools-version: 6.0
// libFuzzer targets for Otklik's parsers. A side package, so the normal `swift build` and
// `swift test` never see it; it depends on the main package by path (our own code).
// Build and run with `scripts/fuzz.sh [seconds]` (see Fuzz/README.md).
import PackageDescription

let fuzzFlags: [SwiftSetting] = [.unsafeFlags(["-parse-as-library"])]

/// Every target takes the same products, so building one after another reuses a single
/// instrumented build of the main package instead of recompiling it.
func fuzzTarget(_ name: String) -> Target {
    .executableTarget(name: "fuzz-\(name)",
                      dependencies: [.product(name: "OtklikCore", package: "Otklik"),
                                     .product(name: "OtklikConnectors", package: "Otklik")],
                      path: "Targets/\(name)", swiftSettings: fuzzFlags)
}

let package = Package(
    name: "OtklikFuzz",
    dependencies: [.package(name: "Otklik", path: "..")],
    targets: [
        fuzzTarget("telegram"),
        fuzzTarget("vk"),
        fuzzTarget("config"),
        fuzzTarget("rules"),
        fuzzTarget("tokenizer"),
    ],
    swiftLanguageModes: [.v6]
)
