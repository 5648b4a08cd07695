import Foundation
import GraftData
import GraftHDF5
import GraftIR
import Testing

/// A fresh folder for one test's arrays.
private func temporaryFolder() throws -> URL {
  let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
    "graft-arrays-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
  return folder
}

/// An HDF5 file at `path` holding `datasets` (path in the file → tensor).
private func writeHDF5(_ datasets: [String: Tensor], to path: String) throws {
  let file = try HDF5File(creating: path)
  for (name, tensor) in datasets { _ = try file.root.createDataset(name, tensor: tensor) }
  try file.close()
}

/// Rows `0..<rows` of `width` values each: row `r`, column `c` holds `r·width + c`.
private func counting(rows: Int, width: Int, as dtype: DType) -> Tensor {
  Tensor.converting((0..<(rows * width)).map(Double.init), to: dtype, shape: [rows, width])
}

/// The error `body` throws, as text; nil when it throws nothing.
private func message(_ body: () throws -> Void) -> String? {
  do {
    try body()
    return nil
  } catch {
    return "\(error)"
  }
}

/// Ranges of rows read from a `.npy` file equal the same slices of the array, as stored and as
/// float32.
@Test(arguments: [DType.float32, .float64, .uint8])
func npyRowRangesEqualTheSlices(dtype: DType) throws {
  let path = try temporaryFolder().appendingPathComponent("x.npy").path
  let array = Tensor.converting((0..<36).map(Double.init), to: dtype, shape: [6, 2, 3])
  try NPY.write(array, to: path)
  let dataset = try ArrayDataset(contentsOf: path)
  #expect(dataset.count == 6 && dataset.rowShape == [2, 3] && dataset.dtype == dtype)
  #expect(dataset.location == ArrayLocation(spec: path))
  #expect(dataset.labelColumns.isEmpty && dataset.labels(0..<6).isEmpty)
  let stored = try dataset.rows(1..<4, as: dtype)
  #expect(stored.dtype == dtype && stored.shape == [3, 2, 3])
  #expect(stored.doubles() == Array(array.doubles()[6..<24]))
  let floats = try dataset.rows(4..<6, as: .float32)
  #expect(floats.dtype == .float32 && floats.shape == [2, 2, 3])
  #expect(floats.elements(as: Float.self) == (24..<36).map(Float.init))
  #expect(try dataset.rows(2..<2, as: dtype).shape == [0, 2, 3])
  #expect(dataset.ids(2..<5) == ["2", "3", "4"])
}

/// A big-endian `.npy` file (as NumPy writes for `>f4`) reads with its bytes swapped.
@Test func bigEndianNPYRowsAreSwapped() throws {
  let path = try temporaryFolder().appendingPathComponent("big.npy").path
  let header =
    "{'descr': '>f4', 'fortran_order': False, 'shape': (3, 2), }".padding(
      toLength: 117, withPad: " ", startingAt: 0) + "\n"
  var bytes: [UInt8] = [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(header.utf8.count), 0]
  bytes += Array(header.utf8)
  for value in (0..<6).map(Float.init) {
    withUnsafeBytes(of: value.bitPattern.bigEndian) { bytes += $0 }
  }
  try Data(bytes).write(to: URL(fileURLWithPath: path))
  let rows = try ArrayDataset(contentsOf: path).rows(1..<3, as: .float32)
  #expect(rows.elements(as: Float.self) == [2, 3, 4, 5])
  #expect(try NPY.read(contentsOf: path).elements(as: Float.self) == [0, 1, 2, 3, 4, 5])
}

/// An HDF5 dataset in a nested group, named as `file.hdf5:/group/name`, reads by rows.
@Test func hdf5DatasetInANestedGroupReadsByRows() throws {
  let path = try temporaryFolder().appendingPathComponent("x.hdf5").path
  try writeHDF5(["group/inner/name": counting(rows: 5, width: 4, as: .int32)], to: path)
  let dataset = try ArrayDataset(contentsOf: path + ":/group/inner/name")
  #expect(dataset.location == ArrayLocation(spec: path + ":/group/inner/name"))
  #expect(dataset.location.file == path && dataset.location.dataset == "/group/inner/name")
  #expect(dataset.count == 5 && dataset.rowShape == [4] && dataset.dtype == .int32)
  let rows = try dataset.rows(3..<5, as: .float32)
  #expect(rows.shape == [2, 4] && rows.elements(as: Float.self) == (12..<20).map(Float.init))
  #expect(try dataset.rows(0..<1, as: .int32).elements(as: Int32.self) == [0, 1, 2, 3])
}

/// Labels are indices into the distinct values sorted numerically, from `.npy` or HDF5 (the
/// data's own file included), of any integer type.
@Test func labelsIndexTheNumericallySortedValues() throws {
  let folder = try temporaryFolder()
  let npy = folder.appendingPathComponent("x.npy").path
  let labels = folder.appendingPathComponent("y.npy").path
  try NPY.write(counting(rows: 4, width: 2, as: .float32), to: npy)
  try NPY.write(Tensor([2, 10, 2, 7] as [Int64], shape: [4]), to: labels)
  let fromNPY = try ArrayDataset(contentsOf: npy, labels: [LabelArray(spec: labels)])
  #expect(fromNPY.labelColumns == [LabelColumn(name: "label", classes: ["2", "7", "10"])])
  #expect(fromNPY.labels(0..<4) == [[0, 2, 0, 1]])
  #expect(fromNPY.labels(1..<3) == [[2, 0]])

  let h5 = folder.appendingPathComponent("x.h5").path
  try writeHDF5(
    [
      "images": counting(rows: 4, width: 2, as: .float64),
      "meta/labels": Tensor([-1, 30, 4, 30] as [Int8], shape: [4]),
    ], to: h5)
  let fromH5 = try ArrayDataset(
    contentsOf: h5 + ":/images", labels: [LabelArray(spec: h5 + ":/meta/labels")])
  #expect(fromH5.labelColumns.map(\.classes) == [["-1", "4", "30"]])
  #expect(fromH5.labels(0..<4) == [[0, 2, 1, 2]])
  #expect(try fromH5.rows(0..<4, as: .float32).elements(as: Float.self) == (0..<8).map(Float.init))
}

/// Shards are contiguous slices cut as `ImageDataset.shard` cuts them; their ids, rows and labels
/// are those of the whole file, so shards run in order give the whole file.
@Test func shardsAreContiguousSlicesWithWholeFileIds() throws {
  let folder = try temporaryFolder()
  let path = folder.appendingPathComponent("x.npy").path
  let labels = folder.appendingPathComponent("y.npy").path
  try NPY.write(counting(rows: 10, width: 3, as: .float32), to: path)
  try NPY.write(Tensor((0..<10).map { Int32($0 % 3) }, shape: [10]), to: labels)
  let dataset = try ArrayDataset(contentsOf: path, labels: [LabelArray(spec: labels)])
  let shards = (1...3).map { dataset.shard($0, of: 3) }
  #expect(shards.map(\.count) == [3, 3, 4])
  #expect(shards[1].ids(0..<3) == ["3", "4", "5"])
  #expect(shards.flatMap { $0.ids(0..<$0.count) } == (0..<10).map(String.init))
  #expect(shards.flatMap { $0.labels(0..<$0.count)[0] } == (0..<10).map { Int64($0 % 3) })
  #expect(shards[2].labelColumns.map(\.classes) == [["0", "1", "2"]])
  let rows = try shards[2].rows(1..<3, as: .float32)
  #expect(rows.elements(as: Float.self) == (21..<27).map(Float.init))
  let nested = shards[2].shard(2, of: 2)
  #expect(nested.count == 2 && nested.ids(0..<2) == ["8", "9"])
  #expect(dataset.shard(1, of: 20).count == 0)
}

/// Ten thousand rows read in ranges of 512 (the last one short) equal the array written.
@Test func largeFileReadInRangesMatches() throws {
  let path = try temporaryFolder().appendingPathComponent("large.npy").path
  let values = (0..<80_000).map { Float($0) * 0.5 }
  try NPY.write(Tensor(values, shape: [10_000, 8]), to: path)
  let dataset = try ArrayDataset(contentsOf: path)
  var read: [Float] = []
  for start in stride(from: 0, to: dataset.count, by: 512) {
    let rows = try dataset.rows(start..<min(start + 512, dataset.count), as: .float32)
    #expect(rows.shape == [min(512, dataset.count - start), 8])
    read += rows.elements(as: Float.self)
  }
  #expect(read == values)
}

@Test func recognizesArraySpecs() {
  for spec in ["x.npy", "dir/X.NPY", "x.h5:/images", "x.hdf5:/group/name", "a/x.H5:/y"] {
    #expect(ArrayDataset.recognizes(spec), "\(spec)")
  }
  for spec in ["x.h5", "images/", "x.csv", "x.npz", "x.h5:images"] {
    #expect(!ArrayDataset.recognizes(spec), "\(spec)")
  }
}

/// Specs that name no array, missing files and datasets, scalars, empty arrays and element
/// types without a tensor dtype give errors naming the file and dataset.
@Test func badArraysGiveClearErrors() throws {
  let folder = try temporaryFolder()
  let npy = folder.appendingPathComponent("x.npy").path
  let h5 = folder.appendingPathComponent("x.h5").path
  try writeHDF5(
    [
      "group/images": counting(rows: 2, width: 2, as: .float32),
      "empty": Tensor([] as [Float], shape: [0, 3]),
      "scalar": Tensor(scalar: Float(1)),
    ], to: h5)
  let strings = try HDF5File(opening: h5, mode: .readWrite)
  _ = try strings.root.createDataset("names", strings: ["a", "b"])
  try strings.close()
  func error(_ spec: String) -> String? { message { _ = try ArrayDataset(contentsOf: spec) } }

  #expect(
    error("x.csv") == "'x.csv' is not an array file: give a .npy file or an HDF5 dataset "
      + "as FILE.h5:/name")
  #expect(error(npy) == "'\(npy)': no such file")
  #expect(error(folder.path + "/none.h5:/x") == "'\(folder.path)/none.h5': no such file")
  #expect(
    error(h5 + ":/group/imgs") == "'\(h5)' has no dataset '/group/imgs' ('/group' holds images)")
  #expect(
    error(h5 + ":/group") == "'\(h5)' has no dataset '/group' ('/group' holds images)")
  #expect(error(h5 + ":/a/b")?.hasPrefix("'\(h5)' has no dataset '/a/b' ('/' holds ") == true)
  #expect(error(h5 + ":/empty") == "'\(h5)' dataset '/empty' holds no rows (shape [0, 3])")
  #expect(error(h5 + ":/scalar")?.hasPrefix("'\(h5)' dataset '/scalar' is a scalar") == true)
  #expect(
    error(h5 + ":/names")
      == "'\(h5)' dataset '/names' holds variable-length string elements, which cannot be "
      + "model inputs")

  let notHDF5 = folder.appendingPathComponent("text.h5").path
  try Data("not HDF5".utf8).write(to: URL(fileURLWithPath: notHDF5))
  #expect(error(notHDF5 + ":/x")?.hasPrefix("cannot open '\(notHDF5)': not an HDF5 file") == true)
  let directory = folder.appendingPathComponent("dir.npy")
  try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: false)
  #expect(error(directory.path) == "\(directory.path): cannot read the file: not a regular file")

  try NPY.write(Tensor(scalar: Float(2)), to: npy)
  #expect(error(npy)?.hasPrefix("'\(npy)' is a scalar") == true)
  try NPY.write(Tensor([] as [Float], shape: [0]), to: npy)
  #expect(error(npy) == "'\(npy)' holds no rows (shape [0])")
}

/// A `.npy` file whose data is shorter than its header says is refused when opened.
@Test func truncatedNPYIsRefusedWhenOpened() throws {
  let path = try temporaryFolder().appendingPathComponent("cut.npy").path
  try NPY.write(counting(rows: 100, width: 4, as: .float32), to: path)
  let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
  try handle.truncate(atOffset: 128 + 1000)
  try handle.close()
  let text = message { _ = try ArrayDataset(contentsOf: path) }
  #expect(text?.hasPrefix("\(path): not a usable .npy array: holds 1000 data bytes") == true)
  #expect(text?.contains("needs 1600") == true)
}

/// Labels that are not one integer per row are refused, naming both arrays.
@Test func badLabelsGiveClearErrors() throws {
  let folder = try temporaryFolder()
  let data = folder.appendingPathComponent("x.npy").path
  let labels = folder.appendingPathComponent("y.npy").path
  try NPY.write(counting(rows: 4, width: 2, as: .float32), to: data)
  func error() -> String? {
    message { _ = try ArrayDataset(contentsOf: data, labels: [LabelArray(spec: labels)]) }
  }

  try NPY.write(Tensor([1, 2, 3] as [Int64], shape: [3]), to: labels)
  #expect(
    error() == "labels '\(labels)' have shape [3]; expected one label per row of '\(data)': [4]")
  try NPY.write(Tensor([1, 2, 3, 4] as [Int64], shape: [4, 1]), to: labels)
  #expect(error()?.hasPrefix("labels '\(labels)' have shape [4, 1]") == true)
  try NPY.write(Tensor([1, 2, 3, 4] as [Float], shape: [4]), to: labels)
  #expect(error()?.hasPrefix("labels '\(labels)' are float32; labels must be integers") == true)
  try NPY.write(Tensor([true, false, true, true], shape: [4]), to: labels)
  #expect(error()?.hasPrefix("labels '\(labels)' are bool") == true)
  #expect(
    message { _ = try ArrayDataset(contentsOf: data, labels: [LabelArray(spec: "y.txt")]) }
      == "'y.txt' is not an array file: give a .npy file or an HDF5 dataset as FILE.h5:/name")
}

/// Rows convert only to their own dtype or, from numbers, to float32; `check` compares the row
/// shape (nil taking any size) and dtype with a model input's.
@Test func conversionsAndModelInputChecks() throws {
  let folder = try temporaryFolder()
  let path = folder.appendingPathComponent("x.npy").path
  try NPY.write(counting(rows: 3, width: 8, as: .float64).reshaped([3, 2, 4]), to: path)
  let dataset = try ArrayDataset(contentsOf: path)
  try dataset.check(fits: [2, 4], dtype: .float32)
  try dataset.check(fits: [nil, 4], dtype: .float64)
  #expect(
    message { try dataset.check(fits: [4, 2], dtype: .float32) }
      == "'\(path)' has rows of shape [2, 4] (float64); the model takes [4, 2] (float32) after "
      + "the batch dimension")
  #expect(message { try dataset.check(fits: [nil, nil, 4], dtype: .float32) } != nil)
  let wrongType = message { try dataset.check(fits: [nil, 4], dtype: .int64) }
  #expect(wrongType?.contains("takes [?, 4] (int64)") == true)
  #expect(wrongType?.contains("as float32 from float16/float64 and integer types") == true)
  #expect(
    message { _ = try dataset.rows(0..<1, as: .float16) }?.hasPrefix(
      "'\(path)' holds float64 rows, which do not convert to float16") == true)

  let bools = folder.appendingPathComponent("b.h5").path
  try writeHDF5(["mask": Tensor([true, false, false, true], shape: [2, 2])], to: bools)
  let mask = try ArrayDataset(contentsOf: bools + ":/mask")
  #expect(
    message { _ = try mask.rows(0..<2, as: .float32) }?.hasPrefix(
      "'\(bools)' dataset '/mask' holds bool rows, which do not convert to float32") == true)
  #expect(message { try mask.check(fits: [2], dtype: .float32) }?.contains("(bool)") == true)
  #expect(try mask.rows(0..<2, as: .bool).elements(as: Bool.self) == [true, false, false, true])
}

/// Several label arrays, each `NAME=SPEC`, make label columns in name order; one array alone
/// makes the column `label`; several not all named, or one name twice, are refused.
@Test func labelArraysMakeNamedColumns() throws {
  let folder = try temporaryFolder()
  let data = folder.appendingPathComponent("x.npy").path
  let y1 = folder.appendingPathComponent("y1.npy").path
  let y2 = folder.appendingPathComponent("y2.npy").path
  try NPY.write(counting(rows: 3, width: 2, as: .float32), to: data)
  try NPY.write(Tensor([5, 6, 5] as [Int64], shape: [3]), to: y1)
  try NPY.write(Tensor([1, 0, 0] as [Int32], shape: [3]), to: y2)
  #expect(try LabelArray.parse([y1]) == [LabelArray(column: "label", spec: y1)])
  let arrays = try LabelArray.parse(["size=\(y1)", "odd=\(y2)"])
  #expect(arrays == [LabelArray(column: "size", spec: y1), LabelArray(column: "odd", spec: y2)])
  let dataset = try ArrayDataset(contentsOf: data, labels: arrays)
  #expect(dataset.labelColumns.map(\.name) == ["odd", "size"])
  #expect(dataset.labels(0..<3) == [[1, 0, 0], [0, 1, 0]])
  #expect(
    message { _ = try LabelArray.parse([y1, "odd=\(y2)"]) }?.hasPrefix(
      "--labels '\(y1)': several label arrays each need a column name") == true)
  #expect(
    message {
      _ = try ArrayDataset(contentsOf: data, labels: LabelArray.parse(["a=\(y1)", "a=\(y2)"]))
    }
      == "two label arrays are named 'a'; give each label column its own name")
}
