import ArgumentParser

/// How a long-running command reports: `--quiet` and `--json`.
struct ReportArguments: ParsableArguments {
  @Flag(help: "Print nothing but errors (and --json).")
  var quiet = false

  @Flag(help: "Print a summary as one JSON object on stdout.")
  var json = false
}

/// How a command runs a model over many inputs: `--batch`, `--threads` and `--strict`.
struct BatchArguments: ParsableArguments {
  @Option(help: "Inputs per batch.")
  var batch = 32

  @Option(help: "Threads for the model (default: all cores).")
  var threads: Int?

  @Flag(help: "Stop at the first image that cannot be decoded (default: skip it, list it).")
  var strict = false
}
