import Foundation
import GraftHDF5
import GraftIR
import Testing

/// The feature cache's pattern: an extendable, chunked, compressed dataset grown batch by batch
/// and read back by row ranges.
@Suite struct RowsTests {
  let scratch: ScratchDirectory
  let path: String
  init() throws {
    scratch = try ScratchDirectory()
    path = scratch.path("rows.h5")
  }

  @Test func appendBatchesThenReadRowRanges() throws {
    let width = 5
    func row(_ index: Int) -> [Float] { (0..<width).map { Float(index * 10 + $0) } }
    do {
      let file = try HDF5File(creating: path)
      let features = try file.root.createDataset(
        "features/avg_pool", elementType: .float32, shape: [0, width],
        layout: .extendableRows(perChunk: 4, gzipLevel: 4, shuffle: true))
      let labels = try file.root.createDataset(
        "labels", elementType: .int64, shape: [0], layout: .extendableRows(perChunk: 8))
      let ids = try file.root.createDataset(
        "ids", elementType: .variableString, shape: [0], layout: .extendableRows(perChunk: 8))
      for batch in stride(from: 0, to: 23, by: 7) {
        let rows = batch..<min(batch + 7, 23)
        try features.appendRows(rows.flatMap(row))
        try labels.appendRows(rows.map { Int64($0 % 3) })
        try ids.appendRows(strings: rows.map { "class_\($0 % 3)/img_\($0).jpg" })
        try file.root.setAttribute("rows_complete", Int64(rows.upperBound))
      }
      #expect(try features.shape == [23, width])
      try file.close()
    }
    let file = try HDF5File(opening: path)
    let features = try file.root.dataset("features/avg_pool")
    #expect(features.chunkShape == [4, width])
    #expect(try features.maxShape == [nil, width])
    #expect(try features.shape == [23, width])
    #expect(try features.readRows(0..<1, as: Float.self) == row(0))
    #expect(try features.readRows(5..<19, as: Float.self) == (5..<19).flatMap(row))
    #expect(try features.readTensor(rows: 20..<23).shape == [3, width])
    #expect(try features.read(as: Float.self) == (0..<23).flatMap(row))
    #expect(try file.root.dataset("labels").readRows(3..<6, as: Int64.self) == [0, 1, 2])
    #expect(
      try file.root.dataset("ids").readStrings(rows: 21..<23) == [
        "class_0/img_21.jpg", "class_1/img_22.jpg",
      ])
    #expect(try file.root.scalarAttribute("rows_complete", as: Int64.self) == 23)
  }

  @Test func appendTensorsAndResizeForResume() throws {
    let file = try HDF5File(creating: path)
    let dataset = try file.root.createDataset(
      "f", elementType: .float32, shape: [0, 2, 2], layout: .chunked([3, 2, 2], extendable: true))
    try dataset.appendRows(Tensor((0..<8).map(Float.init), shape: [2, 2, 2]))
    try dataset.appendRows(Tensor((8..<20).map(Float.init), shape: [3, 2, 2]))
    #expect(try dataset.shape == [5, 2, 2])
    try dataset.resize(rows: 3)
    try dataset.appendRows((100..<104).map(Float.init))
    #expect(
      try dataset.read(as: Float.self) == (0..<12).map(Float.init) + (100..<104).map(Float.init))
    let wrongRow = hdf5Error {
      try dataset.appendRows(Tensor([1, 2, 3] as [Float], shape: [1, 3]))
    }
    #expect(wrongRow?.kind == .shapeMismatch)
    #expect(wrongRow?.description.contains("rows of shape [2, 2]") == true)
    let partialRow = hdf5Error { try dataset.appendRows([1, 2, 3] as [Float]) }
    #expect(partialRow?.description.contains("has rows of 4 elements, cannot append 3") == true)
    #expect(try dataset.shape == [4, 2, 2])
  }

  @Test func fixedSizeDatasetsDoNotGrow() throws {
    let file = try HDF5File(creating: path)
    let dataset = try file.root.createDataset("fixed", values: [1, 2, 3] as [Int32])
    let error = hdf5Error { try dataset.appendRows([4] as [Int32]) }
    #expect(error?.kind == .shapeMismatch)
    #expect(error?.description.contains("dataset '/fixed' cannot grow to 4 rows") == true)
    let outside = hdf5Error { _ = try dataset.readRows(2..<5, as: Int32.self) }
    #expect(
      outside?.description == "'\(path)': dataset '/fixed' has 3 rows, cannot select rows 2..<5")
  }

  @Test func layoutsThatDoNotFitTheShapeAreRefused() throws {
    let file = try HDF5File(creating: path)
    let cases: [(HDF5DatasetLayout, String)] = [
      (HDF5DatasetLayout(chunking: .none, extendable: true), "extendable or filtered layout"),
      (.chunked([2]), "chunk shape [2] for shape [4, 3]"),
      (.chunked([8, 3]), "larger than its fixed shape"),
      (.chunked([2, 3], gzipLevel: 12), "gzip level 12"),
    ]
    for (layout, message) in cases {
      let error = hdf5Error {
        _ = try file.root.createDataset("d", elementType: .float32, shape: [4, 3], layout: layout)
      }
      #expect(error?.kind == .invalidArgument)
      #expect(error?.description.contains(message) == true, "\(String(describing: error))")
    }
    #expect(try file.root.childNames() == [])
  }
}
