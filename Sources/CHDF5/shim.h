#ifndef AELAB_HDF5_SHIM_H
#define AELAB_HDF5_SHIM_H
#include <hdf5/serial/hdf5.h>

// HDF5's type and flag constants are macros over library globals, which Swift
// cannot import (and whose *_g globals Swift 6 rejects as shared mutable state).
// Each is wrapped in a function here.
static inline hid_t aelab_h5t_native_float(void) { return H5T_NATIVE_FLOAT; }
static inline hid_t aelab_h5t_native_double(void) { return H5T_NATIVE_DOUBLE; }
static inline hid_t aelab_h5t_native_int64(void) { return H5T_NATIVE_INT64; }
static inline hid_t aelab_h5t_native_uint64(void) { return H5T_NATIVE_UINT64; }
static inline hid_t aelab_h5t_c_s1(void) { return H5T_C_S1; }
static inline size_t aelab_h5t_variable(void) { return H5T_VARIABLE; }
static inline unsigned aelab_h5f_acc_trunc(void) { return H5F_ACC_TRUNC; }
static inline unsigned aelab_h5f_acc_excl(void) { return H5F_ACC_EXCL; }
static inline unsigned aelab_h5f_acc_rdonly(void) { return H5F_ACC_RDONLY; }
static inline unsigned aelab_h5f_acc_rdwr(void) { return H5F_ACC_RDWR; }
static inline hid_t aelab_h5p_link_create(void) { return H5P_LINK_CREATE; }
static inline hid_t aelab_h5p_file_access(void) { return H5P_FILE_ACCESS; }
// H5P_DEFAULT and H5S_ALL are plain 0 macros that import as Int32, not hid_t.
static inline hid_t aelab_h5p_default(void) { return H5P_DEFAULT; }
static inline hid_t aelab_h5s_all(void) { return H5S_ALL; }
static inline void aelab_h5_silence_errors(void) { H5Eset_auto2(H5E_DEFAULT, NULL, NULL); }
#endif
