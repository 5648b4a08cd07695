#include "graft_png.h"

#include <png.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

// Everything a decode touches after setjmp lives here, in memory, so the longjmp back into
// graft_png_decode sees its current values (locals would need volatile).
typedef struct decode_state {
  const uint8_t *data;
  size_t size;
  size_t offset;
  jmp_buf jump;
  char *message;
  size_t capacity;
  png_bytep *rows;
  void *pixels;
  uint8_t *exif;
} decode_state;

static void copy_message(decode_state *state, const char *text) {
  if (state->capacity == 0) return;
  snprintf(state->message, state->capacity, "%s", text);
}

static void on_error(png_structp png, png_const_charp text) {
  decode_state *state = png_get_error_ptr(png);
  copy_message(state, text);
  longjmp(state->jump, 1);
}

static void on_warning(png_structp png, png_const_charp text) {
  (void)png;
  (void)text;
}

static void read_bytes(png_structp png, png_bytep into, size_t count) {
  decode_state *state = png_get_io_ptr(png);
  if (count > state->size - state->offset) png_error(png, "truncated: the data ends early");
  memcpy(into, state->data + state->offset, count);
  state->offset += count;
}

int graft_png_decode(
    const uint8_t *data, size_t size, size_t max_bytes, graft_png_image *out, char *message,
    size_t capacity) {
  memset(out, 0, sizeof *out);
  decode_state state = {
      .data = data, .size = size, .message = message, .capacity = capacity};
  copy_message(&state, "");
  png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &state, on_error, on_warning);
  if (png == NULL) {
    copy_message(&state, "out of memory");
    return 1;
  }
  png_infop info = png_create_info_struct(png);
  if (info == NULL || setjmp(state.jump) != 0) {
    if (info == NULL) copy_message(&state, "out of memory");
    png_destroy_read_struct(&png, info == NULL ? NULL : &info, NULL);
    free(state.rows);
    free(state.pixels);
    free(state.exif);
    return 1;
  }
  png_set_read_fn(png, &state, read_bytes);
  png_read_info(png, info);
  png_bytep exif = NULL;
  png_uint_32 exif_size = 0;
  if (png_get_eXIf_1(png, info, &exif_size, &exif) != 0 && exif != NULL && exif_size > 0) {
    state.exif = malloc(exif_size);
    if (state.exif == NULL) png_error(png, "out of memory");
    memcpy(state.exif, exif, exif_size);
  }
  png_uint_32 width = png_get_image_width(png, info);
  png_uint_32 height = png_get_image_height(png, info);
  int color_type = png_get_color_type(png, info);
  int bit_depth = png_get_bit_depth(png, info);
  if (color_type == PNG_COLOR_TYPE_PALETTE) png_set_palette_to_rgb(png);
  if (color_type == PNG_COLOR_TYPE_GRAY && bit_depth < 8) png_set_expand_gray_1_2_4_to_8(png);
  if (bit_depth == 16) png_set_swap(png);  // PNG is big-endian; x86-64 and arm64 are not.
  png_set_interlace_handling(png);
  png_read_update_info(png, info);

  int channels = png_get_channels(png, info);
  int out_depth = png_get_bit_depth(png, info);
  size_t row_bytes = png_get_rowbytes(png, info);
  if (row_bytes != (size_t)width * (size_t)channels * (size_t)(out_depth / 8))
    png_error(png, "unexpected row size after the transforms");
  if (height != 0 && row_bytes > max_bytes / height) png_error(png, "image too large to decode");
  state.pixels = malloc(row_bytes * height);
  state.rows = malloc(sizeof(png_bytep) * height);
  if (state.pixels == NULL || state.rows == NULL) png_error(png, "out of memory");
  for (png_uint_32 y = 0; y < height; y++)
    state.rows[y] = (png_bytep)state.pixels + (size_t)y * row_bytes;
  png_read_image(png, state.rows);

  png_destroy_read_struct(&png, &info, NULL);
  free(state.rows);
  out->width = width;
  out->height = height;
  out->channels = (uint32_t)channels;
  out->bit_depth = (uint32_t)out_depth;
  out->pixels = state.pixels;
  out->exif = state.exif;
  out->exif_size = state.exif == NULL ? 0 : exif_size;
  return 0;
}

void graft_png_free(graft_png_image *image) {
  free(image->pixels);
  free(image->exif);
  image->pixels = NULL;
  image->exif = NULL;
  image->exif_size = 0;
}
