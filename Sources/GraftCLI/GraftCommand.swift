import ArgumentParser
import Foundation
import Graft

@main
struct GraftCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "graft",
    abstract: "Transfer learning without Python: convert, cut and run pretrained models, "
      + "extract features, train heads and graft them back.",
    discussion: """
      Graft reads ONNX and Keras models into one graph IR. A typical job:
        graft extract model.onnx photos/ --layer L --preset torch -o feats.h5
        graft train-head feats.h5 -o head.onnx
        graft attach model.onnx head.onnx -o classifier.onnx
        graft predict classifier.onnx new_photos/ -o predictions.csv
      Every command takes --help. Errors are printed as 'error: …' naming
      the file and the node, layer or row at fault.
      """,
    version: "graft \(graftVersion) (\(linkedLibraries))",
    subcommands: [
      InspectCommand.self, ConvertCommand.self, RunCommand.self, ExtractCommand.self,
      MergeCommand.self, TrainHeadCommand.self, EvaluateCommand.self, AttachCommand.self,
      PredictCommand.self, BenchCommand.self,
    ])

  static func main() {
    keepLargeAllocationsInTheHeap()
    main(nil)
  }
}

/// Runs `body`, printing Graft's errors as one `error:` line on stderr and exiting with status 1.
func reportingErrors(_ body: () throws -> Void) throws {
  do {
    try body()
  } catch let error as ExitCode {
    throw error
  } catch {
    FileHandle.standardError.write(Data("error: \(error)\n".utf8))
    throw ExitCode.failure
  }
}

/// Refuses an output path that is not an `.onnx` file: Graft writes no other model format yet.
func requireONNXOutput(_ path: String) throws {
  guard (path as NSString).pathExtension.lowercased() == "onnx" else {
    throw ValidationError(
      "'\(path)': the output must be an .onnx file (writing Keras files is not supported yet)")
  }
}

/// Prints `value` as one JSON object (sorted keys, indented) on stdout, as every `--json` does.
func printJSON(_ value: some Encodable) throws {
  let encoder = JSONEncoder()
  encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
  print(String(decoding: try encoder.encode(value), as: UTF8.self))
}
