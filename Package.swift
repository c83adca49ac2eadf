// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "Roadshow",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "roadshow", targets: ["roadshow"]),
        // The in-process fuzzer: `make fuzz` builds it with -sanitize=fuzzer,address (docs/reliability.md, point 8).
        .executable(name: "roadshow-fuzz", targets: ["RoadshowFuzz"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", exact: "0.9.20"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
    ],
    targets: [
        .systemLibrary(
            name: "CLibWebSockets",
            pkgConfig: "libwebsockets",
            providers: [.apt(["libwebsockets-dev"])]
        ),
        .target(name: "RoadshowCore"),
        // The Word writer: a Document from the core → a .docx, zipped in memory.
        .target(name: "RoadshowDocuments", dependencies: ["RoadshowCore", "ZIPFoundation"]),
        .target(
            name: "RoadshowStore",
            dependencies: ["RoadshowCore", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .target(
            name: "RoadshowServer",
            dependencies: [
                "RoadshowCore", "RoadshowStore", "RoadshowDocuments", "CLibWebSockets",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "DequeModule", package: "swift-collections"),
                .product(name: "OrderedCollections", package: "swift-collections"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),
        .target(
            name: "RoadshowClient",
            dependencies: ["RoadshowCore", "CLibWebSockets", .product(name: "DequeModule", package: "swift-collections")]
        ),
        .executableTarget(
            name: "roadshow",
            dependencies: [
                "RoadshowCore", "RoadshowStore", "RoadshowServer", "RoadshowClient",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // libFuzzer's driver, declared for the fuzzer's main (only called when built with -DROADSHOW_FUZZING).
        .target(name: "CLibFuzzer"),
        .executableTarget(
            name: "RoadshowFuzz",
            dependencies: [
                "RoadshowCore", "RoadshowStore", "RoadshowServer", "CLibFuzzer",
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        .testTarget(name: "RoadshowCoreTests", dependencies: ["RoadshowCore"]),
        .testTarget(
            name: "RoadshowStoreTests",
            dependencies: ["RoadshowCore", "RoadshowStore", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .testTarget(
            name: "RoadshowEngineTests",
            dependencies: [
                "RoadshowCore", "RoadshowStore", "RoadshowServer",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "RoadshowIntegrationTests",
            dependencies: [
                "RoadshowCore", "RoadshowStore", "RoadshowServer", "RoadshowClient", "ZIPFoundation",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
