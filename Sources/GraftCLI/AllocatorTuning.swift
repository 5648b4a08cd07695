import Glibc

/// Makes glibc's malloc keep large blocks in the heap instead of mapping and unmapping them on
/// every allocation.
///
/// Extraction allocates and frees several 0.2–2 MB buffers per image (decoded pixels, resized
/// pixels, the model input); with glibc's default 128 KB mmap threshold each one is a fresh
/// mapping whose pages the kernel faults in and zeroes: 0.8 s of system time per 2,000 500×375
/// JPEGs, 15 % of the wall time (measured with `MALLOC_MMAP_THRESHOLD_` set and unset). Blocks of
/// up to 256 MB now come from the heap, which is trimmed only past 512 MB free at its top.
/// `mallopt` is looked up by name because Swift's Glibc module does not import `<malloc.h>`.
func keepLargeAllocationsInTheHeap() {
  typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
  guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return }
  let mallopt = unsafeBitCast(symbol, to: Mallopt.self)
  // <malloc.h>'s M_MMAP_THRESHOLD and M_TRIM_THRESHOLD.
  let (mmapThreshold, trimThreshold): (Int32, Int32) = (-3, -1)
  _ = mallopt(mmapThreshold, 256 << 20)
  _ = mallopt(trimThreshold, 512 << 20)
}
