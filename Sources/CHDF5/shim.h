#ifndef GRAFT_CHDF5_SHIM_H
#define GRAFT_CHDF5_SHIM_H
#include <hdf5.h>

// Typed accessors for libhdf5 constants that Swift cannot import: most are macros that call
// H5open() and then read a global (H5T_NATIVE_FLOAT), or casts ((hid_t)0, (hsize_t)-1).
// GraftHDF5 is the only user; it calls these with its process-wide HDF5 lock held.

// File access flags for H5Fopen / H5Fcreate.
static inline unsigned graft_h5f_acc_rdonly(void) { return H5F_ACC_RDONLY; }
static inline unsigned graft_h5f_acc_rdwr(void) { return H5F_ACC_RDWR; }
static inline unsigned graft_h5f_acc_trunc(void) { return H5F_ACC_TRUNC; }
static inline unsigned graft_h5f_acc_excl(void) { return H5F_ACC_EXCL; }

// Default property list, whole-dataspace selection, the error stack, unlimited and variable sizes.
static inline hid_t graft_h5p_default(void) { return H5P_DEFAULT; }
static inline hid_t graft_h5s_all(void) { return H5S_ALL; }
static inline hid_t graft_h5e_default(void) { return H5E_DEFAULT; }
static inline hsize_t graft_h5s_unlimited(void) { return H5S_UNLIMITED; }
static inline size_t graft_h5t_variable(void) { return H5T_VARIABLE; }

// Property list classes for H5Pcreate.
static inline hid_t graft_h5p_file_create(void) { return H5P_FILE_CREATE; }
static inline hid_t graft_h5p_file_access(void) { return H5P_FILE_ACCESS; }
static inline hid_t graft_h5p_group_create(void) { return H5P_GROUP_CREATE; }
static inline hid_t graft_h5p_dataset_create(void) { return H5P_DATASET_CREATE; }
static inline hid_t graft_h5p_link_create(void) { return H5P_LINK_CREATE; }

// Predefined datatypes: native numbers, the C string base type, IEEE single (float16's template).
static inline hid_t graft_h5t_native_int8(void) { return H5T_NATIVE_INT8; }
static inline hid_t graft_h5t_native_int16(void) { return H5T_NATIVE_INT16; }
static inline hid_t graft_h5t_native_int32(void) { return H5T_NATIVE_INT32; }
static inline hid_t graft_h5t_native_int64(void) { return H5T_NATIVE_INT64; }
static inline hid_t graft_h5t_native_uint8(void) { return H5T_NATIVE_UINT8; }
static inline hid_t graft_h5t_native_uint16(void) { return H5T_NATIVE_UINT16; }
static inline hid_t graft_h5t_native_uint32(void) { return H5T_NATIVE_UINT32; }
static inline hid_t graft_h5t_native_uint64(void) { return H5T_NATIVE_UINT64; }
static inline hid_t graft_h5t_native_float(void) { return H5T_NATIVE_FLOAT; }
static inline hid_t graft_h5t_native_double(void) { return H5T_NATIVE_DOUBLE; }
static inline hid_t graft_h5t_c_s1(void) { return H5T_C_S1; }
static inline hid_t graft_h5t_ieee_f32le(void) { return H5T_IEEE_F32LE; }

#endif
