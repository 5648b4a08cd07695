import GraftIR

/// The ONNX import table and the export coverage, derived from the IR's list of all operators.
enum ONNXOperators {
  typealias Importer = @Sendable (inout ONNXNode) throws -> any Operator

  /// Op types that import into an IR op of another name.
  private static let aliases: [String: Importer] = [
    "Upsample": { try UpsampleImport.fromONNX(&$0) }
  ]

  private static let table: [String: Importer] = {
    var table = aliases
    for type in allOperatorTypes {
      guard let importable = type as? any ONNXImportable.Type else { continue }
      table[importable.opType] = { try importable.fromONNX(&$0) }
    }
    return table
  }()

  /// The importer for a default-domain op type, or nil when the IR lacks the op.
  static func importer(for opType: String) -> Importer? { table[opType] }

  /// IR operators that have no ONNX import (the coverage test expects none).
  static var operatorsWithoutImport: [String] {
    allOperatorTypes.filter { !($0 is any ONNXImportable.Type) }.map { $0.opType }
  }

  /// IR operators that have no ONNX export (the coverage test expects none).
  static var operatorsWithoutExport: [String] {
    allOperatorTypes.filter { !($0 is any ONNXExportable.Type) }.map { $0.opType }
  }
}
