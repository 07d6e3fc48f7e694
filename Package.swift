// swift-tools-version: 6.0
import PackageDescription

/// Strict settings shared by every Swift target (see Docs/architecture.md).
let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "ConfirmationKit",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "ConfirmationKit", targets: ["ConfirmationKit"]),
        .library(name: "ConfirmationKitEthereum", targets: ["ConfirmationKitEthereum"]),
        .library(name: "ConfirmationNetwork", targets: ["ConfirmationNetwork"]),
        .library(name: "ConfirmationKitCometBFT", targets: ["ConfirmationKitCometBFT"]),
        .library(name: "ConfirmationKitEspresso", targets: ["ConfirmationKitEspresso"]),
        .executable(name: "confirm", targets: ["confirm"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        // System libraries, found by pkg-config; `.ci/run` and `scripts/bootstrap` install them.
        .systemLibrary(
            name: "CSecp256k1",
            pkgConfig: "libsecp256k1",
            providers: [.apt(["libsecp256k1-dev"]), .brew(["secp256k1"])]
        ),
        .systemLibrary(
            name: "COpenSSL",
            pkgConfig: "libcrypto",
            providers: [.apt(["libssl-dev"]), .brew(["openssl@3"])]
        ),

        // The only code that touches C. Public value types, no C type in any public signature.
        .target(
            name: "ConfirmationCrypto",
            dependencies: ["CSecp256k1", "COpenSSL"],
            swiftSettings: strict
        ),
        // The pure verification core; re-exports the crypto value types.
        .target(
            name: "ConfirmationKit",
            dependencies: ["ConfirmationCrypto"],
            swiftSettings: strict
        ),
        // libbrotlidec, behind ConfirmationCompression only (Astria's Celestia blobs).
        .systemLibrary(
            name: "CBrotli",
            pkgConfig: "libbrotlidec",
            providers: [.apt(["libbrotli-dev"]), .brew(["brotli"])]
        ),
        .target(
            name: "ConfirmationCompression",
            dependencies: ["CBrotli", "ConfirmationCrypto"],
            swiftSettings: strict
        ),
        // The CometBFT profile (light-client verification, Astria rollup data proofs).
        .target(
            name: "ConfirmationKitCometBFT",
            dependencies: ["ConfirmationKit", "ConfirmationCompression"],
            swiftSettings: strict
        ),
        // An in-process shared sequencer and simulated L1 for the demo, `confirm clocks simulate` and tests.
        .target(
            name: "ConfirmationSimulation",
            dependencies: ["ConfirmationKit"],
            swiftSettings: strict
        ),
        // Ethereum L1 settlement evidence: RLP, header hashes, Merkle-Patricia proofs, receipts. Pure.
        .target(
            name: "ConfirmationKitEthereum",
            dependencies: ["ConfirmationKit"],
            swiftSettings: strict
        ),
        // Espresso (HotShot): QCs with BLS over BN254, commitments, finality proofs, block Merkle tree. Pure.
        .target(
            name: "ConfirmationKitEspresso",
            dependencies: ["ConfirmationKit"],
            swiftSettings: strict
        ),
        // Optional I/O: a verified Ethereum JSON-RPC L1 source over URLSession.
        .target(
            name: "ConfirmationNetwork",
            dependencies: ["ConfirmationKit", "ConfirmationKitEthereum"],
            swiftSettings: strict
        ),
        // Published test vectors: deterministic generators and case-by-case verifiers.
        .target(
            name: "ConfirmationVectors",
            dependencies: ["ConfirmationKit", "ConfirmationKitEthereum", "ConfirmationKitCometBFT", "ConfirmationKitEspresso",
                           "ConfirmationCompression", "ConfirmationSimulation"],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "confirm",
            dependencies: [
                "ConfirmationKit",
                "ConfirmationKitEthereum",
                "ConfirmationKitCometBFT",
                "ConfirmationKitEspresso",
                "ConfirmationVectors",
                "ConfirmationSimulation",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict
        ),
        // libsodium, used only by the benchmark as the Ed25519 reference point.
        .systemLibrary(
            name: "CSodium",
            pkgConfig: "libsodium",
            providers: [.apt(["libsodium-dev"]), .brew(["libsodium"])]
        ),
        // Benchmark-only C helper (heap statistics).
        .target(name: "CBenchSupport"),
        // Benchmarks: each wrapper next to a direct call of the C function it wraps.
        .executableTarget(
            name: "confirm-bench",
            dependencies: ["ConfirmationKit", "ConfirmationKitEthereum", "ConfirmationKitCometBFT", "ConfirmationKitEspresso",
                           "ConfirmationVectors", "ConfirmationSimulation", "ConfirmationCrypto", "CSecp256k1", "COpenSSL",
                           "CBenchSupport", "CSodium"],
            swiftSettings: strict
        ),

        // Test support: locating ../shared/vectors and small helpers shared by test targets.
        .target(
            name: "VectorSupport",
            dependencies: ["ConfirmationCrypto"],
            path: "Tests/VectorSupport",
            swiftSettings: strict
        ),
        .testTarget(
            name: "ConfirmationCryptoTests",
            dependencies: ["ConfirmationCrypto", "VectorSupport"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "ConfirmationKitEthereumTests",
            dependencies: ["ConfirmationKitEthereum", "VectorSupport"],
            exclude: ["Fixtures"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "ConfirmationNetworkTests",
            dependencies: ["ConfirmationNetwork", "ConfirmationKitEthereum", "VectorSupport"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "ConfirmationKitEspressoTests",
            dependencies: ["ConfirmationKitEspresso", "VectorSupport"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "ConfirmationKitTests",
            dependencies: ["ConfirmationKit", "ConfirmationVectors", "ConfirmationSimulation", "VectorSupport"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "ConfirmationKitCometBFTTests",
            dependencies: ["ConfirmationKitCometBFT", "ConfirmationCompression", "ConfirmationVectors", "VectorSupport"],
            swiftSettings: strict
        ),
    ]
)
