// swift-tools-version:6.0
import PackageDescription

// Builds on Linux with glibc only: sweeps use prctl and /proc/self/exe, and the C
// libraries come from Debian's packages; so no Apple platform is declared.
let package = Package(
    name: "AutoencoderLab",
    products: [
        .executable(name: "aelab", targets: ["aelab"]),
        .library(name: "LabCore", targets: ["LabCore"]),
        .library(name: "LabModules", targets: ["LabModules"]),
        .library(name: "LabIO", targets: ["LabIO"]),
        .library(name: "LabRunner", targets: ["LabRunner"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
    ],
    targets: [
        // C libraries from Debian, each through a small shim header.
        .systemLibrary(
            name: "CBLAS", path: "Sources/CBLAS", pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(
            name: "CLAPACKE", path: "Sources/CLAPACKE", pkgConfig: "lapacke",
            providers: [.apt(["liblapacke-dev"])]),
        .systemLibrary(
            name: "CZlib", path: "Sources/CZlib", pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(
            name: "CHDF5", path: "Sources/CHDF5", pkgConfig: "hdf5",
            providers: [.apt(["libhdf5-dev"])]),

        // Elementwise kernels that must vectorise, the allocator setting, process control (see CKernels.h).
        .target(name: "CKernels"),

        .target(name: "LabCore", dependencies: ["CBLAS", "CLAPACKE", "CKernels"]),
        .target(name: "LabModules", dependencies: ["LabCore", "LabIO", "CKernels"]),
        .target(name: "LabIO", dependencies: ["LabCore", "CHDF5", "CZlib"]),
        .target(
            name: "LabRunner",
            dependencies: ["LabCore", "LabModules", "LabIO", "CKernels", .product(name: "Yams", package: "Yams")]),

        // Plugins: extension modules on LabCore alone, listed in aelab's ModuleCatalog.
        // (Ordinary library targets, not SwiftPM package plugins.)
        .target(name: "SiLUActivation", dependencies: ["LabCore"], path: "Plugins/SiLUActivation"),
        .target(name: "RecallAnalysis", dependencies: ["LabCore"], path: "Plugins/RecallAnalysis"),

        .executableTarget(
            name: "aelab",
            dependencies: ["LabRunner", "SiLUActivation", "RecallAnalysis",
                           .product(name: "ArgumentParser", package: "swift-argument-parser")]),

        // Helpers shared by the test targets.
        .target(name: "TestSupport", dependencies: ["LabCore"], path: "Tests/TestSupport"),
        .testTarget(name: "LabCoreTests", dependencies: ["LabCore"]),
        .testTarget(name: "LabModulesTests", dependencies: ["LabModules", "TestSupport"]),
        .testTarget(name: "LabIOTests", dependencies: ["LabIO", "LabModules", "CZlib", "TestSupport"]),
        .testTarget(name: "LabRunnerTests", dependencies: ["LabRunner", "TestSupport"]),
        .testTarget(name: "SiLUActivationTests", dependencies: ["SiLUActivation", "TestSupport"]),
        .testTarget(name: "RecallAnalysisTests", dependencies: ["RecallAnalysis", "LabModules"]),
        .testTarget(name: "aelabTests", dependencies: ["aelab", "LabIO", "TestSupport"]),
    ]
)
