import GraftIR

/// An op the importer has no IR operator for, as reported to the user.
public struct UnsupportedOperatorReport: Hashable, Sendable {
  public var opType: String
  /// `""` for the default ONNX domain.
  public var domain: String
  public var opset: Int
  /// Every node using this op, in graph order.
  public var nodes: [String]
}

/// Errors reading an ONNX model. Each names the file and, where one is at fault, the node or tensor.
public enum ONNXError: Error, CustomStringConvertible {
  /// The file cannot be read at all (missing, a folder, permissions).
  case unreadable(path: String, reason: String)
  /// The bytes are not an ONNX model (not protobuf, truncated, no graph).
  case notONNX(path: String, reason: String)
  /// The model is well-formed protobuf but breaks ONNX's rules.
  case invalidModel(path: String, reason: String)
  /// A tensor's data is missing or inconsistent (external file, size, element type).
  case invalidTensor(path: String, tensor: String, reason: String)
  /// The graph's structure or types are wrong.
  case invalidGraph(path: String, GraphError)
  /// The model uses ops outside the IR; all of them are listed.
  case unsupportedOperators(path: String, [UnsupportedOperatorReport])

  public var description: String {
    switch self {
    case .unreadable(let path, let reason): "\(path): cannot read the file: \(reason)"
    case .notONNX(let path, let reason): "\(path): not an ONNX model: \(reason)"
    case .invalidModel(let path, let reason): "\(path): invalid ONNX model: \(reason)"
    case .invalidTensor(let path, let tensor, let reason): "\(path): tensor '\(tensor)': \(reason)"
    case .invalidGraph(let path, let error):
      "\(path): invalid graph: " + error.description.replacingOccurrences(of: "\n", with: "\n  ")
    case .unsupportedOperators(let path, let reports):
      "\(path): \(reports.count) unsupported op type\(reports.count == 1 ? "" : "s"):\n"
        + reports.map { "  " + $0.summary }.joined(separator: "\n")
    }
  }
}

extension UnsupportedOperatorReport {
  /// `TopK (ai.onnx opset 13): nodes 'topk_1', 'topk_2'`
  public var summary: String {
    let domainName = domain.isEmpty ? "ai.onnx" : domain
    let listed = nodes.prefix(5).map { "'\($0)'" }.joined(separator: ", ")
    let more = nodes.count > 5 ? " and \(nodes.count - 5) more" : ""
    return
      "\(opType) (\(domainName) opset \(opset)): node\(nodes.count == 1 ? "" : "s") \(listed)\(more)"
  }
}

extension Model {
  /// The unsupported ops of the graph, grouped by op type and domain in order of first use.
  public var unsupportedOperators: [UnsupportedOperatorReport] {
    var reports: [UnsupportedOperatorReport] = []
    var index: [String: Int] = [:]
    for (node, op) in graph.unsupportedNodes {
      let key = op.domain + "\u{0}" + op.originalType
      if let existing = index[key] {
        reports[existing].nodes.append(node.name)
      } else {
        index[key] = reports.count
        reports.append(
          UnsupportedOperatorReport(
            opType: op.originalType, domain: op.domain, opset: op.opset, nodes: [node.name]))
      }
    }
    return reports
  }
}
