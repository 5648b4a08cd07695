internal import CGraftKernels

/// A row-major `rows×depth` matrix packed once for `graft_gemm` (a convolution's weights), and the
/// products `C = epilogue(A · B)` computed from it.
///
/// The packed layout (panels of 6 rows in chunks of 256 along the depth) is described in
/// `graft_gemm.c`; it is private to the C kernel.
final class PackedMatrix: @unchecked Sendable {
  let rows: Int
  let depth: Int
  private let elements: UnsafeMutablePointer<Float>

  /// Packs `rows×depth` values of `a`, whose rows start `leadingDimension` floats apart.
  init(packing a: UnsafePointer<Float>, leadingDimension: Int, rows: Int, depth: Int) {
    self.rows = rows
    self.depth = depth
    elements = .allocate(capacity: max(graft_gemm_packed_a_count(rows, depth), 1))
    graft_gemm_pack_a(a, leadingDimension, rows, depth, elements)
  }

  deinit { elements.deallocate() }

  /// Scratch floats `multiply` needs for `columns` columns of B.
  func workspaceCount(columns: Int) -> Int { graft_gemm_workspace_count(columns, depth) }

  /// `C[i][j] = activation((A·B)[i][j] + bias[i] + residual[i][j])` for `i < rows`,
  /// `j < columns`; absent terms are skipped, additions happen in that order.
  ///
  /// Layout: B is `depth×columns` with rows `ldb` apart, C and the residual `rows×columns` with
  /// rows `ldc` apart. `workspace` holds `workspaceCount(columns:)` floats, 64-byte aligned.
  func multiply(
    _ b: UnsafePointer<Float>, ldb: Int, columns: Int, into c: UnsafeMutablePointer<Float>,
    ldc: Int, bias: UnsafePointer<Float>?, residual: UnsafePointer<Float>?,
    activation: FusedActivation?, workspace: UnsafeMutablePointer<Float>
  ) {
    let (kind, lower, upper) = activation.kernelArguments
    var epilogue = graft_epilogue(
      bias: bias, residual: residual, residual_stride: ldc, activation: kind, lower: lower,
      upper: upper)
    graft_gemm(rows, columns, depth, elements, b, ldb, c, ldc, &epilogue, workspace)
  }
}

/// Scratch for `PackedMatrix.multiply`, 64-byte aligned.
struct GEMMWorkspace: ~Copyable {
  let floats: UnsafeMutablePointer<Float>

  init(count: Int) {
    floats = UnsafeMutableRawPointer.allocate(
      byteCount: max(count, 1) * MemoryLayout<Float>.size, alignment: 64
    ).bindMemory(to: Float.self, capacity: max(count, 1))
  }

  deinit { floats.deallocate() }
}
