#ifndef GRAFT_PNG_H
#define GRAFT_PNG_H
#include <stddef.h>
#include <stdint.h>

/// A PNG decoded as libpng stores it, with palettes expanded and nothing else changed.
///
/// `pixels` holds `height` rows of `width` pixels of `channels` samples each (row-major HWC):
/// 1 grey, 2 grey + alpha, 3 RGB, 4 RGBA. Samples are bytes when `bit_depth` is 8 and native-endian
/// `uint16_t` when it is 16. Grey below 8 bits is scaled to 8 (1-bit: 0/255, 2-bit: ×85, 4-bit:
/// ×17), palette images become RGB (RGBA with a tRNS chunk), grey and RGB tRNS colour keys and
/// gamma chunks are ignored, as PIL's conversion to RGB ignores them.
typedef struct graft_png_image {
  uint32_t width;
  uint32_t height;
  uint32_t channels;
  uint32_t bit_depth;
  void *pixels;
  /// The eXIf chunk's TIFF bytes when one precedes the image data (PIL writes it there), or NULL.
  uint8_t *exif;
  uint32_t exif_size;
} graft_png_image;

/// Decodes the PNG in `data[0..<size]` into `out`, whose `pixels` and `exif` the caller frees
/// with `graft_png_free`.
///
/// libpng reports errors by longjmp, so the whole decode, setjmp included, stays in this C
/// function. Returns 0 on success; otherwise nonzero, with libpng's reason (NUL-terminated) in
/// `message[0..<capacity]` and `out->pixels` NULL. Images over `max_bytes` decoded bytes fail
/// before any pixel buffer is allocated.
int graft_png_decode(
    const uint8_t *data, size_t size, size_t max_bytes, graft_png_image *out, char *message,
    size_t capacity);

/// Frees the pixels and EXIF of an image `graft_png_decode` filled; safe on a failed or freed
/// image.
void graft_png_free(graft_png_image *image);

#endif
