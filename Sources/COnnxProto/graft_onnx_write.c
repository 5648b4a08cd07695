#include "graft_onnx_write.h"
#include <errno.h>

/* A ProtobufCBuffer whose appends go to a FILE. `base` comes first so protobuf-c's pointer to it
   is a pointer to the whole struct. */
typedef struct {
  ProtobufCBuffer base;
  FILE *file;
  int error;
} FileBuffer;

static void append_to_file(ProtobufCBuffer *buffer, size_t length, const uint8_t *data) {
  FileBuffer *sink = (FileBuffer *)buffer;
  if (sink->error != 0 || length == 0) return;
  if (fwrite(data, 1, length, sink->file) != length) sink->error = errno != 0 ? errno : EIO;
}

int graft_onnx_write_model(const Onnx__ModelProto *model, FILE *file) {
  FileBuffer sink = {{append_to_file}, file, 0};
  errno = 0;
  onnx__model_proto__pack_to_buffer(model, &sink.base);
  return sink.error;
}
