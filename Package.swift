// swift-tools-version: 6.0
// Otklik: no third-party Swift packages. System C libraries only (see README).
import PackageDescription

let package = Package(
    name: "Otklik",
    products: [
        .executable(name: "otklik", targets: ["otklik"]),
        // Libraries only for our own side packages (Fuzz/ depends on this package by path).
        .library(name: "OtklikCore", targets: ["OtklikCore"]),
        .library(name: "OtklikConnectors", targets: ["JSONLConnector", "TelegramConnector", "VKConnector"]),
    ],
    targets: [
        // System C libraries: a module map and a shim header each.
        .systemLibrary(name: "CCurl", path: "Sources/CCurl", pkgConfig: "libcurl",
                       providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(name: "CSQLite", path: "Sources/CSQLite",
                       providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "CYAML", path: "Sources/CYAML",
                       providers: [.apt(["libyaml-dev"])]),
        .systemLibrary(name: "CStemmer", path: "Sources/CStemmer",
                       providers: [.apt(["libstemmer-dev"])]),

        // Release builds skip the run-time exclusivity checks (debug builds and tests keep
        // them): on the analysis path they were about 2% of the CPU (swift_beginAccess).
        .target(name: "OtklikCore",
                dependencies: ["CCurl", "CSQLite", "CYAML", "CStemmer"],
                swiftSettings: [.unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))]),

        // Connectors: one folder and one target each (see connectors/README.md).
        .target(name: "JSONLConnector", dependencies: ["OtklikCore"],
                path: "connectors/jsonl", exclude: ["README.md"]),
        .target(name: "TelegramConnector", dependencies: ["OtklikCore"],
                path: "connectors/telegram", exclude: ["README.md"]),
        .target(name: "VKConnector", dependencies: ["OtklikCore"],
                path: "connectors/vk", exclude: ["README.md"]),

        .executableTarget(name: "otklik",
                          dependencies: ["OtklikCore", "JSONLConnector", "TelegramConnector", "VKConnector"]),

        // Test-only code: the local HTTP server and fixtures helpers.
        .target(name: "OtklikTestSupport", dependencies: ["OtklikCore"],
                path: "Tests/OtklikTestSupport"),
        .testTarget(name: "OtklikCoreTests",
                    dependencies: ["OtklikCore", "OtklikTestSupport"],
                    resources: [.copy("Fixtures")]),
        .testTarget(name: "ConnectorTests",
                    dependencies: ["OtklikCore", "OtklikTestSupport",
                                   "JSONLConnector", "TelegramConnector", "VKConnector"],
                    resources: [.copy("Fixtures")]),
        .testTarget(name: "EndToEndTests",
                    dependencies: ["OtklikCore", "OtklikTestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
