#ifndef GRAFT_ONNX_WRITE_H
#define GRAFT_ONNX_WRITE_H
#include <stdio.h>
#include "onnx-ml.pb-c.h"

/// Serialises `model` into `file` through protobuf-c's streaming packer, so the encoding is never
/// held in memory as a whole (a model's weights may be most of the machine's memory). Returns 0
/// on success, else the `errno` of the first write that failed; later writes are skipped.
int graft_onnx_write_model(const Onnx__ModelProto *model, FILE *file);

#endif
