import Foundation
import GraftHDF5
import GraftIR
import Testing

/// Writes datasets and attributes of every type, reopens the file and reads them back.
@Suite struct RoundTripTests {
  let scratch: ScratchDirectory
  let path: String
  init() throws {
    scratch = try ScratchDirectory()
    path = scratch.path("round.h5")
  }

  /// Writes `values` as a `[2, 3]` dataset and a 1-D attribute of `T`, reads both back exactly.
  func roundTrip<T: HDF5Element & Equatable>(_ values: [T]) throws {
    let name = "\(T.hdf5Type)"
    do {
      let file = try HDF5File(creating: path, overwrite: true)
      let dataset = try file.root.createDataset("typed/\(name)", values: values, shape: [2, 3])
      #expect(dataset.elementType == T.hdf5Type)
      try dataset.setAttribute("copy", values)
      try dataset.setAttribute("first", values[0])
      try file.close()
    }
    let file = try HDF5File(opening: path)
    let dataset = try file.root.dataset("typed/\(name)")
    #expect(dataset.elementType == T.hdf5Type)
    #expect(try dataset.shape == [2, 3])
    #expect(try dataset.read(as: T.self) == values)
    #expect(try dataset.attribute("copy", as: T.self) == values)
    #expect(try dataset.scalarAttribute("first", as: T.self) == values[0])
    #expect(
      try dataset.attributeInfo("copy") == HDF5AttributeInfo(elementType: T.hdf5Type, shape: [6]))
  }

  @Test func everyNumericType() throws {
    try roundTrip([0.5, -1, 65504, 0, -0.25, 3] as [Float16])
    try roundTrip([0.5, -1, .greatestFiniteMagnitude, 0, -.infinity, 1e-30] as [Float])
    try roundTrip([0.5, -1, .greatestFiniteMagnitude, 0, -.infinity, 1e-300] as [Double])
    try roundTrip([.min, -1, 0, 1, 2, .max] as [Int8])
    try roundTrip([.min, -1, 0, 1, 2, .max] as [Int16])
    try roundTrip([.min, -1, 0, 1, 2, .max] as [Int32])
    try roundTrip([.min, -1, 0, 1, 2, .max] as [Int64])
    try roundTrip([0, 1, 2, 3, 128, .max] as [UInt8])
    try roundTrip([0, 1, 2, 3, 128, .max] as [UInt16])
    try roundTrip([0, 1, 2, 3, 128, .max] as [UInt32])
    try roundTrip([0, 1, 2, 3, 128, .max] as [UInt64])
    try roundTrip([true, false, false, true, true, false])
  }

  @Test func stringsOfBothStorages() throws {
    let names = ["dense", "", "café/kernel:0", "x"]
    do {
      let file = try HDF5File(creating: path)
      let root = file.root
      try root.setAttribute("config", #"{"name": "naïve"}"#)
      try root.setAttribute("version", "2.15.0", storage: .fixedLength)
      try root.setAttribute("layer_names", strings: names, storage: .fixedLength)
      try root.setAttribute("vlen_names", strings: names)
      try root.setAttribute("empty_names", strings: [], storage: .fixedLength)
      _ = try root.createDataset("ids", strings: names)
      _ = try root.createDataset("fixed_ids", strings: names, storage: .fixedLength)
      try file.close()
    }
    let root = try HDF5File(opening: path).root
    #expect(try root.stringAttribute("config") == #"{"name": "naïve"}"#)
    #expect(try root.attributeInfo("config").elementType == .variableString)
    #expect(try root.stringAttribute("version") == "2.15.0")
    #expect(try root.attributeInfo("version").elementType == .fixedString(length: 6))
    #expect(try root.stringArrayAttribute("layer_names") == names)
    #expect(try root.attributeInfo("layer_names").elementType == .fixedString(length: 14))
    #expect(try root.stringArrayAttribute("vlen_names") == names)
    #expect(try root.stringArrayAttribute("empty_names") == [])
    #expect(try root.dataset("ids").readStrings() == names)
    #expect(try root.dataset("fixed_ids").readStrings() == names)
    #expect(try root.dataset("fixed_ids").elementType == .fixedString(length: 14))
  }

  @Test func replacingAndRemovingAttributes() throws {
    let file = try HDF5File(creating: path)
    let root = file.root
    try root.setAttribute("rows_complete", Int64(10))
    try root.setAttribute("rows_complete", Int64(20))
    #expect(try root.scalarAttribute("rows_complete", as: Int64.self) == 20)
    try root.setAttribute("rows_complete", "twenty")
    #expect(try root.stringAttribute("rows_complete") == "twenty")
    try root.removeAttribute("rows_complete")
    #expect(try !root.hasAttribute("rows_complete"))
    #expect(try root.attributeNames() == [])
  }

  /// Keras's split: 3000 names of 41 bytes are 123000 bytes, so two parts of 1500 names each.
  @Test func splitStringArrayAttributes() throws {
    let long = (0..<3000).map { "layer_\(String(repeating: "x", count: 30))_\($0 + 1000)" }
    let file = try HDF5File(creating: path)
    let group = try file.root.createGroup("model_weights")
    try group.setSplitStringArrayAttribute("layer_names", long)
    #expect(try group.attributeNames() == ["layer_names0", "layer_names1"])
    #expect(try group.stringArrayAttribute("layer_names0").count == 1500)
    #expect(try group.attributeInfo("layer_names1").elementType == .fixedString(length: 41))
    #expect(try group.splitStringArrayAttribute("layer_names") == long)
    try group.setSplitStringArrayAttribute("layer_names", ["a", "b"])
    #expect(try group.attributeNames() == ["layer_names"])
    #expect(try group.splitStringArrayAttribute("layer_names") == ["a", "b"])
    try group.setSplitStringArrayAttribute("uneven", ["aa", "bb", "cc"], byteLimit: 4)
    #expect(try group.stringArrayAttribute("uneven0") == ["aa", "bb"])
    #expect(try group.stringArrayAttribute("uneven1") == ["cc"])
  }

  @Test func groupsListInCreationOrder() throws {
    let file = try HDF5File(creating: path)
    let root = file.root
    for name in ["zeta", "alpha", "mid"] { _ = try root.createGroup("layers/\(name)") }
    _ = try root.createDataset("layers/beta", values: [1] as [Int32])
    let layers = try root.group("layers")
    #expect(try layers.childNames(order: .creation) == ["zeta", "alpha", "mid", "beta"])
    #expect(try layers.childNames() == ["alpha", "beta", "mid", "zeta"])
    #expect(try layers.kind(of: "beta") == .dataset)
    #expect(try root.requireGroup("layers/zeta").path == "/layers/zeta")
    #expect(try root.requireGroup("layers/new/deeper").path == "/layers/new/deeper")
    #expect(try root.contains("/layers/new"))
  }

  @Test(arguments: DType.allCases)
  func tensors(dtype: DType) throws {
    let tensor = Tensor.converting(
      [0, 1, 2, 3, 4, 5, -1, 7] as [Double], to: dtype, shape: [2, 2, 2])
    do {
      let file = try HDF5File(creating: path, overwrite: true)
      let dataset = try file.root.createDataset("t", tensor: tensor)
      #expect(dataset.elementType == HDF5ElementType(dtype))
    }
    let back = try HDF5File(opening: path).root.dataset("t").readTensor()
    #expect(back.dtype == dtype && back.shape == [2, 2, 2])
    #expect(back.doubles() == tensor.doubles())
  }

  @Test func scalarDataset() throws {
    let file = try HDF5File(creating: path)
    let dataset = try file.root.createDataset("s", values: [42] as [Int64], shape: [])
    #expect(try dataset.shape == [])
    #expect(try dataset.read(as: Int64.self) == [42])
    #expect(try dataset.readTensor().shape == [])
  }
}
