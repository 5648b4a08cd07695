#ifndef GRAFT_KERNELS_H
#define GRAFT_KERNELS_H

#include "graft_activation.h"

/// Graft's innermost float loops, in C so that each is compiled twice — for AVX2 + FMA and for
/// baseline x86-64 — and the variant this CPU supports is picked at run time (Swift cannot
/// compile one function for several CPU targets). Every function computes each element with the
/// same operations on any thread count; results may differ between CPUs with and without FMA,
/// as OpenBLAS's per-CPU kernels already do.

/// a[i] += w0·s0[i] + w1·s1[i] + w2·s2[i] for i < n.
void graft_accumulate3(float *a, const float *s0, const float *s1, const float *s2, float w0,
                       float w1, float w2, long n);

/// a[i] += w·s[i] for i < n.
void graft_accumulate1(float *a, const float *s, float w, long n);

/// target[i] = activation(source[i] + bias) for i < n (source may be target).
void graft_add_bias_activate(const float *source, float *target, float bias,
                             graft_activation activation, float lower, float upper, long n);

#endif
