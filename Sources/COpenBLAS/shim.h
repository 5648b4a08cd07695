#ifndef GRAFT_COPENBLAS_SHIM_H
#define GRAFT_COPENBLAS_SHIM_H
#include <cblas.h>
#include <stddef.h>

// LAPACK's Fortran entry points, which libopenblas exports (Debian ships no lapacke.h for it).
// Every argument is passed by pointer and matrices are column-major; gfortran appends the
// length of each character argument as a trailing size_t, declared here so the call matches.

/// Solves A·X = B for symmetric positive definite A by Cholesky factorisation (A is overwritten
/// by its factor, B by X).
void dposv_(const char *uplo, const int *n, const int *nrhs, double *a, const int *lda, double *b,
            const int *ldb, int *info, size_t uplo_len);

/// Eigenvalues (ascending) and, with jobz 'V', eigenvectors (overwriting A, one per column) of
/// the symmetric matrix A, by divide and conquer.
void dsyevd_(const char *jobz, const char *uplo, const int *n, double *a, const int *lda, double *w,
             double *work, const int *lwork, int *iwork, const int *liwork, int *info,
             size_t jobz_len, size_t uplo_len);
#endif
