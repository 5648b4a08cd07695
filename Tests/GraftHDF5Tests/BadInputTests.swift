import Foundation
import GraftHDF5
import Testing

/// Missing, foreign, truncated and corrupted files, and wrong requests, each give an `HDF5Error`
/// naming the file and the object, never a crash.
@Suite struct BadInputTests {
  let scratch: ScratchDirectory
  init() throws { scratch = try ScratchDirectory() }

  /// A copy of the fixture at `name` in the test's directory, passed through `edit`.
  func copyOfFixture(_ name: String, _ edit: (inout [UInt8]) -> Void) throws -> String {
    var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: mixedFixture)))
    edit(&bytes)
    let path = scratch.path(name)
    try Data(bytes).write(to: URL(fileURLWithPath: path))
    return path
  }

  @Test func missingFile() {
    let path = scratch.path("absent.h5")
    let error = hdf5Error { _ = try HDF5File(opening: path) }
    #expect(error?.kind == .cannotOpen)
    #expect(error?.file == path)
    #expect(error?.description == "cannot open '\(path)': no such file")
  }

  @Test(arguments: [
    "", "not an HDF5 file at all, just text\n", String(repeating: "\0", count: 4096),
  ])
  func foreignFiles(content: String) throws {
    let path = scratch.path("foreign.h5")
    try content.write(toFile: path, atomically: false, encoding: .utf8)
    let error = hdf5Error { _ = try HDF5File(opening: path) }
    #expect(error?.kind == .cannotOpen)
    #expect(
      error?.description == "cannot open '\(path)': not an HDF5 file (truncated or corrupted?)")
  }

  @Test(arguments: [1, 64, 800, 4000, 9000, 17000, 17703])
  func truncatedCopies(length: Int) throws {
    let path = try copyOfFixture("truncated-\(length).h5") { $0.removeSubrange(length...) }
    let error = hdf5Error { try readEverything(in: try HDF5File(opening: path)) }
    #expect(error?.kind == .cannotOpen)
    #expect(error?.description.hasPrefix("cannot open '\(path)': ") == true)
    if length >= 800 {
      #expect(
        error?.description.contains("file is truncated (libhdf5: truncated file: eof = \(length)")
          == true)
    }
  }

  /// Overwrites 16 bytes every 64 across the file: every copy either reads completely (the
  /// bytes were data) or fails with an `HDF5Error` naming the file.
  @Test func corruptedCopiesFailCleanly() throws {
    let original = [UInt8](try Data(contentsOf: URL(fileURLWithPath: mixedFixture)))
    var failures = 0
    for offset in stride(from: 0, to: original.count - 16, by: 64)
    where try readsOrFailsCleanly(corrupting: offset..<offset + 16) {
      failures += 1
    }
    #expect(failures > 30)
  }

  /// Every 8-byte word of the global heap collection (`GCOL`, where variable-length strings
  /// live) corrupted in turn: libhdf5 1.10 would copy out of bounds on a corrupted object size;
  /// `GlobalHeapCheck` refuses those files first.
  @Test func corruptedGlobalHeapFailsCleanly() throws {
    let original = [UInt8](try Data(contentsOf: URL(fileURLWithPath: mixedFixture)))
    let heap = try #require(globalHeap(in: original))
    var refused = 0
    for offset in stride(from: heap.lowerBound, to: min(heap.upperBound, original.count - 8), by: 8)
    {
      let path = try copyOfFixture("heap-\(offset).h5") { bytes in
        for index in offset..<offset + 8 { bytes[index] ^= 0xA5 }
      }
      if let error = hdf5Error({ try readEverything(in: try HDF5File(opening: path)) }),
        error.description.contains("global heap")
      {
        refused += 1
      }
    }
    // The collection's size and each string's size field.
    #expect(refused >= 2)
    #expect(try readsOrFailsCleanly(corrupting: heap.lowerBound + 16..<heap.upperBound))
  }

  /// Whether a copy of the fixture with `range` XOR-ed fails with an error naming the file
  /// (true) or reads completely (false); any other error fails the test.
  func readsOrFailsCleanly(corrupting range: Range<Int>) throws -> Bool {
    let path = try copyOfFixture("corrupt-\(range.lowerBound)-\(range.count).h5") { bytes in
      for index in range where index < bytes.count { bytes[index] ^= 0xA5 }
    }
    do {
      try readEverything(in: try HDF5File(opening: path))
      return false
    } catch let error as HDF5Error {
      #expect(error.file == path)
      #expect(error.description.contains("'\(path)'"), "\(error)")
      return true
    }
  }

  /// The byte range of the file's one global heap collection: `GCOL`, version, 3 reserved bytes,
  /// then its total size as 8 little-endian bytes.
  func globalHeap(in bytes: [UInt8]) -> Range<Int>? {
    let signature = Array("GCOL".utf8)
    guard
      let start = (0..<bytes.count - 16).first(where: { Array(bytes[$0..<$0 + 4]) == signature })
    else { return nil }
    let size = bytes[start + 8..<start + 16].reversed().reduce(0) { $0 << 8 | Int($1) }
    return start..<start + size
  }

  @Test func missingObjectsAndWrongKinds() throws {
    let file = try HDF5File(opening: mixedFixture)
    let missing = hdf5Error { _ = try file.root.dataset("model_weights/dense/kernel:0") }
    #expect(missing?.kind == .missingObject)
    #expect(missing?.object == "/model_weights/dense/kernel:0")
    #expect(missing?.description == "'\(mixedFixture)': no dataset '/model_weights/dense/kernel:0'")
    let group = hdf5Error { _ = try file.root.group("features/inside") }
    #expect(group?.description == "'\(mixedFixture)': no group '/features/inside'")
    let kind = hdf5Error { _ = try file.root.dataset("model_weights") }
    #expect(kind?.kind == .wrongKind)
    #expect(kind?.description == "'\(mixedFixture)': '/model_weights' is a group, not a dataset")
    let attribute = hdf5Error { _ = try file.root.group("data").stringAttribute("layer_names") }
    #expect(attribute?.kind == .missingObject)
    #expect(
      attribute?.description == "'\(mixedFixture)': no attribute 'layer_names' on group '/data'")
    let split = hdf5Error { _ = try file.root.splitStringArrayAttribute("weight_names") }
    #expect(split?.description.contains("no attribute 'weight_names' (nor 'weight_names0'") == true)
    let parent = hdf5Error { _ = try file.root.group("../up") }
    #expect(parent?.kind == .invalidArgument)
  }

  @Test func wrongTypes() throws {
    let file = try HDF5File(opening: mixedFixture)
    let data = try file.root.group("data")
    let narrowing = hdf5Error { _ = try data.dataset("i64").read(as: Float.self) }
    #expect(narrowing?.kind == .typeMismatch)
    #expect(
      narrowing?.description
        == "'\(mixedFixture)': dataset '/data/i64' has dtype int64, expected float32")
    let sign = hdf5Error { _ = try data.dataset("i32").read(as: UInt32.self) }
    #expect(
      sign?.description.hasSuffix("dataset '/data/i32' has dtype int32, expected uint32") == true)
    let strings = hdf5Error { _ = try data.dataset("f64").readStrings() }
    #expect(strings?.description.hasSuffix("has dtype float64, expected strings") == true)
    let number = hdf5Error { _ = try file.root.attribute("layer_names", as: Int64.self) }
    #expect(
      number?.description
        == "'\(mixedFixture)': attribute 'layer_names' of '/' has dtype "
        + "fixed-length string (9 bytes), expected int64")
    let many = hdf5Error { _ = try file.root.stringAttribute("layer_names") }
    #expect(many?.kind == .shapeMismatch)
    #expect(
      many?.description.hasSuffix("attribute 'layer_names' of '/' holds 3 elements, expected one")
        == true)
    let uint64 = hdf5Error { _ = try data.dataset("names").readTensor() }
    #expect(
      uint64?.description.hasSuffix("has dtype variable-length string, which no tensor dtype holds")
        == true)
  }

  @Test func readOnlyFilesRefuseWrites() throws {
    let file = try HDF5File(opening: mixedFixture)
    let error = hdf5Error { try file.root.setAttribute("new", Int64(1)) }
    #expect(error?.kind == .libraryFailure)
    #expect(
      error?.description.hasPrefix("'\(mixedFixture)': cannot create attribute 'new' of '/'")
        == true)
  }

  @Test func writesOfTheWrongTypeOrCount() throws {
    let path = scratch.path("w.h5")
    let file = try HDF5File(creating: path)
    let dataset = try file.root.createDataset("features", elementType: .float32, shape: [2])
    let wider = hdf5Error { try dataset.write([1, 2] as [Double]) }
    #expect(
      wider?.description
        == "'\(path)': dataset '/features' has dtype float32, cannot store float64 values")
    let count = hdf5Error { try dataset.write([1, 2, 3] as [Float]) }
    #expect(count?.description == "'\(path)': dataset '/features' holds 2 elements, cannot write 3")
    let nul = hdf5Error { try file.root.setAttribute("s", "a\u{0}b") }
    #expect(nul?.kind == .invalidArgument)
    let fixed = try file.root.createDataset("ids", elementType: .fixedString(length: 2), shape: [1])
    let long = hdf5Error { try fixed.write(strings: ["abc"]) }
    #expect(long?.description.hasSuffix("holds strings of at most 2 bytes, \"abc\" has 3") == true)
    let exists = hdf5Error { _ = try file.root.createGroup("features") }
    #expect(
      exists?.description == "'\(path)': cannot create group '/features': a dataset exists there")
  }

  /// A dataset claiming more elements than memory holds is refused before any allocation; its
  /// rows can still be read in ranges.
  @Test func absurdSizesAreRefusedBeforeAllocating() throws {
    let path = scratch.path("huge.h5")
    let file = try HDF5File(creating: path)
    let huge = try file.root.createDataset(
      "huge", elementType: .float32, shape: [1 << 40], layout: .chunked([1024]))
    let error = hdf5Error { _ = try huge.read(as: Float.self) }
    #expect(error?.kind == .tooLarge)
    #expect(
      error?.description
        == "'\(path)': dataset '/huge' needs \(4 << 40) bytes, more than this machine's memory")
    #expect(hdf5Error { _ = try huge.readTensor() }?.kind == .tooLarge)
    #expect(try huge.readRows(5..<8, as: Float.self) == [0, 0, 0])
  }

  @Test func creatingOverAnExistingFileNeedsOverwrite() throws {
    let path = scratch.path("existing.h5")
    try HDF5File(creating: path).close()
    let error = hdf5Error { _ = try HDF5File(creating: path) }
    #expect(error?.kind == .cannotOpen)
    #expect(error?.description.hasPrefix("cannot create '\(path)': file exists") == true)
    #expect(try HDF5File(creating: path, overwrite: true).root.childNames() == [])
  }

  @Test func closedFiles() throws {
    let file = try HDF5File(opening: mixedFixture)
    let dataset = try file.root.dataset("features")
    try file.close()
    try file.close()
    let error = hdf5Error { _ = try dataset.read(as: Float.self) }
    #expect(error?.kind == .closed)
    #expect(error?.description == "'\(mixedFixture)': file is closed")
  }
}

/// Reads every attribute and dataset under `file`'s root, as an importer would.
func readEverything(in file: HDF5File) throws {
  func visit(_ object: HDF5Object) throws {
    for name in try object.attributeNames() {
      switch try object.attributeInfo(name).elementType {
      case .fixedString, .variableString: _ = try object.stringArrayAttribute(name)
      case .bool: _ = try object.attribute(name, as: Bool.self)
      case .uint64: _ = try object.attribute(name, as: UInt64.self)
      case let type where type.converts(to: .float64):
        _ = try object.attribute(name, as: Double.self)
      default: _ = try object.attribute(name, as: Int64.self)
      }
    }
  }
  func walk(_ group: HDF5Group) throws {
    try visit(group)
    for name in try group.childNames() {
      switch try group.kind(of: name) {
      case .group?: try walk(try group.group(name))
      case .dataset?:
        let dataset = try group.dataset(name)
        try visit(dataset)
        if dataset.elementType.isString {
          _ = try dataset.readStrings()
        } else {
          _ = try dataset.readTensor()
        }
      default: break
      }
    }
  }
  try walk(file.root)
}
