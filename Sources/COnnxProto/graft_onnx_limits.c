#include "graft_onnx_limits.h"

/* Reads a base-128 varint at data[*at]; returns 0 when it runs past the end or over 10 bytes. */
static int read_varint(const uint8_t *data, size_t length, size_t *at, uint64_t *value) {
  uint64_t result = 0;
  for (unsigned shift = 0; shift < 70 && *at < length; shift += 7) {
    uint8_t byte = data[(*at)++];
    result |= (uint64_t)(byte & 0x7f) << shift;
    if (!(byte & 0x80)) {
      *value = result;
      return 1;
    }
  }
  return 0;
}

int graft_protobuf_nesting_within(const ProtobufCMessageDescriptor *descriptor,
                                  const uint8_t *data, size_t length, unsigned max_depth) {
  size_t at = 0;
  while (at < length) {
    uint64_t key, size;
    if (!read_varint(data, length, &at, &key)) return 1;
    switch (key & 7) {
    case 0:
      if (!read_varint(data, length, &at, &size)) return 1;
      break;
    case 1:
      at += 8;
      break;
    case 5:
      at += 4;
      break;
    case 2: {
      if (!read_varint(data, length, &at, &size) || size > length - at) return 1;
      const ProtobufCFieldDescriptor *field =
          protobuf_c_message_descriptor_get_field(descriptor, (unsigned)(key >> 3));
      if (field && field->type == PROTOBUF_C_TYPE_MESSAGE) {
        if (max_depth == 0) return 0;
        if (!graft_protobuf_nesting_within(field->descriptor, data + at, (size_t)size,
                                           max_depth - 1))
          return 0;
      }
      at += (size_t)size;
      break;
    }
    default:
      return 1;
    }
  }
  return 1;
}
