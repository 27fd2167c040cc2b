// swift-tools-version: 6.0
// libFuzzer targets for Otklik's parsers. A side package, so the normal `swift build` and
// `swift test` never see it; it depends on the main package by path (our own code).
// Build and run with `scripts/fuzz.sh [seconds]` (see Fuzz/README.md).
import PackageDescription

let fuzzFlags: [SwiftSetting] = [.unsafeFlags(["-parse-as-library"])]

func fuzzTarget(_ name: String, _ products: [String]) -> Target {
    .executableTarget(name: "fuzz-\(name)",
                      dependencies: products.map { .product(name: $0, package: "Otklik") },
                      path: "Targets/\(name)", swiftSettings: fuzzFlags)
}

let package = Package(
    name: "OtklikFuzz",
    dependencies: [.package(name: "Otklik", path: "..")],
    targets: [
        fuzzTarget("telegram", ["OtklikCore", "OtklikConnectors"]),
        fuzzTarget("vk", ["OtklikCore", "OtklikConnectors"]),
        fuzzTarget("config", ["OtklikCore"]),
        fuzzTarget("rules", ["OtklikCore"]),
        fuzzTarget("tokenizer", ["OtklikCore"]),
    ],
    swiftLanguageModes: [.v6]
)
