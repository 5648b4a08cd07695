// swift-tools-version: 6.0
import PackageDescription

let package = Package(
  name: "Graft",
  products: [
    .library(name: "Graft", targets: ["Graft"]),
    .executable(name: "graft", targets: ["GraftCLI"]),
    .executable(name: "graft-conformance", targets: ["GraftConformance"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
    .package(url: "https://github.com/yaslab/CSV.swift", from: "2.5.2"),
  ],
  targets: [
    // C libraries, each owned by exactly one Swift module.
    .systemLibrary(
      name: "CHDF5", pkgConfig: "hdf5-serial", providers: [.apt(["libhdf5-dev"])]),
    .systemLibrary(
      name: "COpenBLAS", pkgConfig: "openblas", providers: [.apt(["libopenblas-dev"])]),
    .systemLibrary(
      name: "CProtobufC", pkgConfig: "libprotobuf-c", providers: [.apt(["libprotobuf-c-dev"])]),
    .systemLibrary(
      name: "CTurboJPEG", pkgConfig: "libturbojpeg", providers: [.apt(["libturbojpeg0-dev"])]),
    .systemLibrary(name: "CPNG", pkgConfig: "libpng", providers: [.apt(["libpng-dev"])]),
    .systemLibrary(
      name: "CCrypto", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),
    // libpng's setjmp/longjmp error handling kept inside C.
    .target(name: "CGraftImage", dependencies: ["CPNG"]),
    .target(
      name: "COnnxProto", dependencies: ["CProtobufC"], exclude: ["onnx-ml.proto"],
      cSettings: [.unsafeFlags(["-Wno-deprecated-declarations"])]),

    .target(name: "GraftIR"),
    .target(name: "GraftONNX", dependencies: ["GraftIR", "COnnxProto", "CProtobufC"]),
    .target(name: "GraftHDF5", dependencies: ["GraftIR", "CHDF5"]),
    .target(
      name: "GraftKeras",
      dependencies: [
        "GraftIR", "GraftHDF5", .product(name: "ZIPFoundation", package: "ZIPFoundation"),
      ]),
    // Hot float loops compiled for AVX2 + FMA and for baseline x86-64, picked at run time.
    .target(name: "CGraftKernels"),
    .target(name: "GraftRuntime", dependencies: ["GraftIR", "COpenBLAS", "CGraftKernels"]),
    .target(
      name: "GraftData",
      dependencies: [
        "GraftIR", "GraftHDF5", "CTurboJPEG", "CGraftImage", "CCrypto",
        .product(name: "CSV", package: "CSV.swift"),
      ]),
    .target(name: "GraftHeads", dependencies: ["CGraftKernels", "GraftIR", "GraftRuntime"]),
    .target(
      name: "Graft",
      dependencies: [
        "GraftIR", "GraftONNX", "GraftHDF5", "GraftKeras", "GraftRuntime", "GraftData",
        "GraftHeads",
      ]),
    .executableTarget(
      name: "GraftCLI",
      dependencies: ["Graft", .product(name: "ArgumentParser", package: "swift-argument-parser")]
    ),

    .executableTarget(
      name: "GraftConformance", dependencies: ["GraftIR", "GraftONNX", "GraftRuntime"]),

    .testTarget(name: "GraftIRTests", dependencies: ["GraftIR"]),
    .testTarget(
      name: "GraftRuntimeTests",
      dependencies: ["GraftRuntime", "GraftONNX", "GraftIR", "GraftData"]),
    .testTarget(name: "GraftDataTests", dependencies: ["GraftData", "GraftIR", "GraftHDF5"]),
    .testTarget(name: "GraftONNXTests", dependencies: ["GraftONNX", "GraftIR"]),
    .testTarget(name: "GraftHDF5Tests", dependencies: ["GraftHDF5", "GraftIR"]),
    .testTarget(
      name: "GraftKerasTests", dependencies: ["GraftKeras", "GraftIR", "GraftRuntime", "GraftData"]),
    .testTarget(name: "GraftHeadsTests", dependencies: ["GraftHeads", "GraftIR", "GraftRuntime"]),
    .testTarget(name: "GraftTests", dependencies: ["Graft", "GraftONNX"]),
    .testTarget(name: "GraftCLITests", dependencies: ["GraftCLI", "GraftData"]),
  ]
)
