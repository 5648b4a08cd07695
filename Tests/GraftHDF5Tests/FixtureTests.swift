import GraftHDF5
import GraftIR
import Testing

/// Reads `fixtures/hdf5/mixed.h5`, written by h5py in the shapes Keras uses; every expected value
/// here is written literally in `fixtures/hdf5/generate.py`.
@Suite struct FixtureTests {
  let file: HDF5File
  init() throws { file = try HDF5File(opening: mixedFixture) }

  @Test func stringAttributesOfEveryStorage() throws {
    let root = file.root
    #expect(try root.stringAttribute("backend") == "tensorflow")
    #expect(try root.attributeInfo("backend").elementType == .variableString)
    #expect(try root.stringAttribute("keras_version") == "2.15.0")
    #expect(try root.attributeInfo("keras_version").elementType == .fixedString(length: 6))
    #expect(
      try root.stringAttribute("model_config") == #"{"class_name": "Sequential", "name": "café"}"#)
    #expect(try root.stringArrayAttribute("layer_names") == ["dense", "dropout_1", "out"])
    #expect(
      try root.attributeInfo("layer_names")
        == HDF5AttributeInfo(elementType: .fixedString(length: 9), shape: [3]))
    #expect(try root.stringArrayAttribute("vlen_names") == ["alpha", "βeta"])
    #expect(try root.splitStringArrayAttribute("layer_names") == ["dense", "dropout_1", "out"])
    #expect(try root.splitStringArrayAttribute("long_names") == ["a0", "a1", "a2", "b0", "b1"])
    #expect(
      try root.group("model_weights/dense").stringArrayAttribute("weight_names")
        == ["dense/kernel:0", "dense/bias:0"])
  }

  @Test func numericAttributes() throws {
    let root = file.root
    #expect(try root.scalarAttribute("epoch", as: Int64.self) == 7)
    #expect(try root.attributeInfo("epoch") == HDF5AttributeInfo(elementType: .int64, shape: []))
    #expect(try root.attribute("scale", as: Double.self) == [0.5, 1.5, -2.0])
    #expect(try root.attribute("flags", as: Bool.self) == [true, false])
    #expect(try root.attributeInfo("flags").elementType == .bool)
    #expect(
      try root.attributeNames() == [
        "backend", "epoch", "flags", "keras_version", "layer_names", "long_names0", "long_names1",
        "model_config", "scale", "vlen_names",
      ])
  }

  @Test func nestedGroupsAndKinds() throws {
    let root = file.root
    #expect(try root.childNames() == ["data", "features", "model_weights"])
    #expect(try root.kind(of: "features") == .dataset)
    #expect(try root.kind(of: "/model_weights/dense") == .group)
    #expect(try root.kind(of: "model_weights/nothing") == nil)
    #expect(try root.kind(of: "features/below_a_dataset") == nil)
    let dense = try root.group("model_weights/dense")
    #expect(dense.path == "/model_weights/dense")
    #expect(try dense.childNames() == ["dense"])
    #expect(try dense.group("dense").childNames() == ["bias:0", "kernel:0"])
    let kernel = try dense.dataset("dense/kernel:0")
    #expect(kernel.path == "/model_weights/dense/dense/kernel:0")
    #expect(try kernel.shape == [3, 4])
    #expect(try kernel.read(as: Float.self) == (0..<12).map { Float($0) / 2 })
    #expect(
      try dense.dataset("/model_weights/dense/dense/bias:0").read() == [0.1, 0.2, 0.3, 0.4]
        as [Float])
  }

  @Test func numericDatasetsOfEveryType() throws {
    let data = try file.root.group("data")
    let f16 = try data.dataset("f16")
    #expect(f16.elementType == .float16)
    #expect(try f16.read(as: Float16.self) == [0.5, -1, 2, 65504, 0, -0.25])
    #expect(try f16.read(as: Float.self) == [0.5, -1, 2, 65504, 0, -0.25])
    #expect(try data.dataset("f64").read(as: Double.self) == [1, 2.5, -3.25, 1e300, 0])
    #expect(try data.dataset("i64").read(as: Int64.self) == [1, -2, 1 << 40, -(1 << 62)])
    #expect(try data.dataset("i32").read(as: Int32.self) == [-7, 0, .max])
    #expect(try data.dataset("i32").read(as: Int64.self) == [-7, 0, Int64(Int32.max)])
    #expect(try data.dataset("i32").read(as: Double.self) == [-7, 0, Double(Int32.max)])
    #expect(try data.dataset("u8").read(as: UInt8.self) == [0, 1, 128, 255])
    #expect(try data.dataset("u8").read(as: Int32.self) == [0, 1, 128, 255])
    #expect(try data.dataset("bool").elementType == .bool)
    #expect(try data.dataset("bool").read(as: Bool.self) == [true, false, true])
    #expect(try data.dataset("names").readStrings() == ["x", "yy", "é"])
    #expect(try data.dataset("names").readStrings(rows: 1..<3) == ["yy", "é"])
  }

  @Test func tensorsKeepDtypeAndShape() throws {
    let data = try file.root.group("data")
    let f16 = try data.dataset("f16").readTensor()
    #expect(f16.dtype == .float16 && f16.shape == [2, 3])
    #expect(f16.doubles() == [0.5, -1, 2, 65504, 0, -0.25])
    let i64 = try data.dataset("i64").readTensor()
    #expect(i64.dtype == .int64 && i64.shape == [2, 2])
    #expect(i64.integers() == [1, -2, 1 << 40, -(1 << 62)])
    let flags = try data.dataset("bool").readTensor()
    #expect(flags.dtype == .bool && flags.elements(as: Bool.self) == [true, false, true])
    #expect(try data.dataset("u8").readTensor().integers() == [0, 1, 128, 255])
  }

  @Test func gzipChunkedDataset() throws {
    let features = try file.root.dataset("features")
    #expect(features.chunkShape == [4, 3])
    #expect(try features.shape == [10, 3])
    #expect(try features.maxShape == [nil, 3])
    let rows = try features.readRows(3..<6, as: Float.self)
    #expect(rows == [3, 3.25, 3.5, 4, 4.25, 4.5, 5, 5.25, 5.5])
    let all = try features.readTensor()
    #expect(all.shape == [10, 3])
    #expect(all.elements(as: Float.self)[27...] == [9, 9.25, 9.5])
    #expect(try features.readTensor(rows: 9..<10).elements(as: Float.self) == [9, 9.25, 9.5])
    #expect(try features.readRows(10..<10, as: Float.self) == [])
  }
}
