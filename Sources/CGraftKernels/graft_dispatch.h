#ifndef GRAFT_DISPATCH_H
#define GRAFT_DISPATCH_H

// Private to CGraftKernels: how each kernel is compiled once per CPU level and dispatched.

// For loops that run in place (source == target) or on disjoint arrays: element i is read before
// it is written either way, so the loop is declared safe to vectorise (clang's runtime overlap
// check would otherwise send the in-place case down the scalar loop).
#define GRAFT_VECTORIZE _Pragma("clang loop vectorize(assume_safety)")

// Each kernel's body is written once as an always-inline function and wrapped twice: the AVX2
// wrapper's target attribute makes the compiler vectorise the inlined body with AVX2 and FMA.
#define GRAFT_DISPATCH(name, params, args)                                                    \
  __attribute__((target("avx2,fma"))) static void name##_avx2 params { name##_body args; }  \
  static void name##_baseline params { name##_body args; }                                  \
  void name params {                                                                          \
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) {                   \
      name##_avx2 args;                                                                       \
    } else {                                                                                  \
      name##_baseline args;                                                                   \
    }                                                                                         \
  }

#endif
