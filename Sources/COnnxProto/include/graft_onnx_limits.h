#ifndef GRAFT_ONNX_LIMITS_H
#define GRAFT_ONNX_LIMITS_H
#include <stddef.h>
#include <stdint.h>
#include <protobuf-c/protobuf-c.h>

/// Returns 0 when the protobuf message in `data` nests sub-messages (as `descriptor` declares them)
/// deeper than `max_depth`, 1 otherwise. Malformed wire data also returns 1: protobuf-c's unpacker
/// reports that. This guards protobuf-c's recursive unpacker against stack exhaustion by hostile
/// files, which it has no limit for.
int graft_protobuf_nesting_within(const ProtobufCMessageDescriptor *descriptor,
                                  const uint8_t *data, size_t length, unsigned max_depth);

#endif
