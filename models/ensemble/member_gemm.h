// One matrix product per ensemble member, made by the very BLAS call ATen's mm() makes for that
// member alone, without ATen's per-call cost. A standalone model's mm() (forward, and autograd's
// MmBackward) reaches BLAS through addmm_impl_cpu_ -> cpublas::gemm -> sgemm_ (ATen/native/
// LinearAlgebra.cpp and CPUBlas.cpp, 1.13 and 2.x): the layout of the result and operands decides
// the transposition flags, m, n, k and leading dimensions. aten_sgemm_call() repeats that decision
// from sizes and strides alone, and member_mm_out() calls sgemm_ with it for each member; the
// numbers are the same because the call is the same. The per-member ATen route (select() three
// times, then mm) costs ~1 µs per member and product, about as much as a batch-8 product itself
// (bench/ensemble_bench.cpp). Where the process has no sgemm_ to call (a LibTorch that links its
// BLAS privately), or ATen would copy an operand first, member_mm_out() calls ATen per member.
#pragma once

#include <torch/types.h>

#include <cstdint>
#include <optional>

namespace claimcheck::models {

/// A row-major view of one member's matrix: element (i, j) at data[i·row_stride + j·col_stride].
struct MatrixLayout {
  std::int64_t rows = 0;
  std::int64_t cols = 0;
  std::int64_t row_stride = 0;
  std::int64_t col_stride = 0;
};

/// The column-major sgemm_ call ATen's mm(a, b) into `out` makes: C = op(A)·op(B), with A the
/// operand `swap` says (false: a, true: b; ATen swaps them to write a row-major result).
struct SgemmCall {
  char transa = 'n';
  char transb = 'n';
  std::int64_t m = 0, n = 0, k = 0;
  std::int64_t lda = 0, ldb = 0, ldc = 0;
  bool swap = false;
};

/// ATen's decision for out (n×m) = a (n×k) · b (k×m), or nullopt where ATen would not call
/// sgemm_ on the operands as they lie (it would copy one, or use its own kernel).
std::optional<SgemmCall> aten_sgemm_call(const MatrixLayout& out, const MatrixLayout& a,
                                         const MatrixLayout& b);

/// True when this process can call the sgemm_ that ATen calls.
bool direct_sgemm_available();

/// out[e] = a[e]·b[e] for every member e, bit for bit a[e].mm(b[e]); out (E, n, m) float CPU, a
/// (E, n, k) and b (E, k, m) any strides (e.g. transposed views).
void member_mm_out(torch::Tensor& out, const torch::Tensor& a, const torch::Tensor& b);

}  // namespace claimcheck::models
