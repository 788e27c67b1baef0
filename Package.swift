// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "Hangar",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "hangar", targets: ["hangar"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/vapor/sql-kit.git", from: "3.36.0"),
        .package(url: "https://github.com/vapor/sqlite-kit.git", from: "4.5.2"),
        .package(url: "https://github.com/vapor/postgres-kit.git", from: "2.17.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        // Already in the graph through Hummingbird; named for the serving fast path's HTTP part types.
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.0"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
    ],
    targets: [
        .target(name: "HangarCore"),
        .target(name: "HangarML", dependencies: ["HangarCore"]),
        .target(
            name: "HangarStore",
            dependencies: [
                "HangarCore",
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "SQLiteKit", package: "sqlite-kit"),
                .product(name: "PostgresKit", package: "postgres-kit"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ]
        ),
        .target(name: "HangarArtifacts", dependencies: ["HangarCore"]),
        .target(
            name: "HangarServing",
            dependencies: [
                "HangarCore", "HangarML", "HangarStore", "HangarArtifacts",
                .product(name: "Yams", package: "Yams"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .target(
            name: "HangarServer",
            dependencies: [
                "HangarCore", "HangarStore", "HangarArtifacts", "HangarNotifications", "HangarServing", "HangarML",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .target(
            name: "HangarNotifications",
            dependencies: [
                "HangarCore", "HangarStore",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .target(name: "HangarClient", dependencies: ["HangarCore"]),
        .executableTarget(
            name: "hangar",
            dependencies: [
                "HangarCore", "HangarStore", "HangarArtifacts", "HangarServer", "HangarClient", "HangarNotifications",
                "HangarML", "HangarServing",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Release-mode timing harness of the ML engine, driven by bench/training/run_bench.py.
        .executableTarget(name: "mlbench", dependencies: ["HangarML"], path: "bench/training/mlbench"),
        .testTarget(name: "HangarCoreTests", dependencies: ["HangarCore"]),
        .testTarget(
            name: "HangarNotificationsTests",
            dependencies: [
                "HangarNotifications", "HangarStore", "HangarCore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .testTarget(name: "HangarMLTests", dependencies: ["HangarML"]),
        .testTarget(
            name: "HangarServingTests",
            dependencies: ["HangarServing", "HangarML", "HangarCore", .product(name: "Logging", package: "swift-log")]
        ),
        .testTarget(
            name: "HangarStoreTests",
            dependencies: ["HangarStore", "HangarCore", .product(name: "SQLKit", package: "sql-kit")]
        ),
        .testTarget(
            name: "HangarServerTests",
            dependencies: [
                "HangarServer", "HangarStore", "HangarCore", "HangarArtifacts", "HangarNotifications", "HangarServing",
                "HangarML",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
    ]
)
