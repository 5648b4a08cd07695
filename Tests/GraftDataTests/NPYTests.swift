import Foundation
import GraftIR
import Testing

@testable import GraftData

private let repository = URL(fileURLWithPath: #filePath)
  .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// Arrays written by NumPy (the fixtures' inputs) read with their shape and dtype.
@Test func readsArraysWrittenByNumPy() throws {
  let input = try NPY.read(
    contentsOf: repository.appendingPathComponent("fixtures/onnx/resnet_keras/input_0.npy").path)
  #expect(input.dtype == .float32)
  #expect(input.shape == [2, 32, 32, 3])
  let typed = try NPY.read(
    contentsOf: repository.appendingPathComponent("fixtures/onnx/typed_initializers/output_4.npy")
      .path)
  #expect(typed.dtype == .bool)
}

@Test(arguments: DType.allCases)
func writeThenReadRoundTrips(dtype: DType) throws {
  let tensor = Tensor.converting([0, 1, 2, 3, 4, 5] as [Double], to: dtype, shape: [2, 3])
  let path = FileManager.default.temporaryDirectory.appendingPathComponent(
    "graft-npy-\(dtype.rawValue).npy"
  ).path
  try NPY.write(tensor, to: path)
  let back = try NPY.read(contentsOf: path)
  #expect(back.dtype == dtype && back.shape == [2, 3])
  #expect(back.doubles() == tensor.doubles())
  let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int
  #expect(((size ?? 0) - 6 * dtype.byteSize) % 64 == 0, "data must start on a 64-byte boundary")
}

@Test func badFilesGiveClearErrors() {
  func error(_ bytes: [UInt8]) -> String? {
    do {
      _ = try NPY.read(data: Data(bytes), path: "x.npy")
      return nil
    } catch {
      return "\(error)"
    }
  }
  #expect(error([1, 2, 3])?.contains("does not start with the .npy magic") == true)
  let header = Array("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }".utf8)
  let prefix: [UInt8] = [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(header.count), 0]
  #expect(error(prefix + header + [0, 0, 0, 0])?.contains("holds 4 data bytes") == true)
  let fortran = Array("{'descr': '<f4', 'fortran_order': True, 'shape': (1,), }".utf8)
  #expect(
    error(
      [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(fortran.count), 0] + fortran + [0, 0, 0, 0])?
      .contains("Fortran-order") == true)
  let complex = Array("{'descr': '<c8', 'fortran_order': False, 'shape': (1,), }".utf8)
  #expect(
    error([0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(complex.count), 0] + complex)?
      .contains("'<c8' is not supported") == true)
}
