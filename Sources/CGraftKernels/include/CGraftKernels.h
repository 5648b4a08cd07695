// The module's umbrella header: every public header of CGraftKernels, listed so that a new one
// invalidates Clang's module cache (an umbrella directory would not notice it).
#include "graft_activation.h"
#include "graft_depthwise.h"
#include "graft_gemm.h"
#include "graft_kernels.h"
#include "graft_linear.h"
