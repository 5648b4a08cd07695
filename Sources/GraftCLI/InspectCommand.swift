import ArgumentParser
import Foundation
import Graft

struct InspectCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "inspect",
    abstract: "Describe a model: format, inputs, outputs, ops, parameters, FLOPs and cut points.",
    discussion: """
      Lists every value usable as a cut point (node name, op, value name, inferred type) and every
      unsupported op at once. For a Keras model the cut points include each layer's name with its
      shape in Keras's own layout (NHWC for channels_last), as `graft run --output` returns it. A
      model with unsupported ops can still be inspected; shapes past them are shown as unknown
      ('?' in text, null in JSON).

      JSON keys: format, producer, producer_version, ir_version, opsets, metadata, inputs,
      outputs, ops, parameters, parameter_bytes, flops_per_sample, cut_points, unsupported.
      Shapes are lists of integers (fixed), strings (symbolic, e.g. the batch) and null (unknown).
      """)

  @OptionGroup var source: ModelArguments

  @Flag(help: "Print one JSON object instead of text.")
  var json = false

  func run() throws {
    try reportingErrors {
      let inspection = ModelInspection(model: try source.load(), path: source.model)
      if json {
        try printJSON(inspection)
      } else {
        print(inspection.text, terminator: "")
      }
    }
  }
}
