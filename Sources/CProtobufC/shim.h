#ifndef GRAFT_CPROTOBUFC_SHIM_H
#define GRAFT_CPROTOBUFC_SHIM_H
#include <protobuf-c/protobuf-c.h>
#endif
