#include "models/ensemble/member_gemm.h"

#include <torch/torch.h>

#include <dlfcn.h>

#include <algorithm>
#include <climits>
#include <stdexcept>
#include <utility>

namespace claimcheck::models {
namespace {

// The Fortran BLAS entry point ATen's cpublas::gemm calls for float.
using SgemmFn = void (*)(const char* transa, const char* transb, const int* m, const int* n,
                         const int* k, const float* alpha, const float* a, const int* lda,
                         const float* b, const int* ldb, const float* beta, float* c,
                         const int* ldc);

SgemmFn sgemm() {
  // The symbol the process resolved for libtorch's own undefined sgemm_ (global scope).
  static const auto fn = reinterpret_cast<SgemmFn>(::dlsym(RTLD_DEFAULT, "sgemm_"));
  return fn;
}

MatrixLayout layout_of(const torch::Tensor& t) {  // t: (E, rows, cols)
  return {t.size(1), t.size(2), t.stride(1), t.stride(2)};
}

// How addmm_impl_cpu_ casts an operand with these (row, col) strides as a BLAS matrix whose
// untransposed leading dimension must be >= `rows` and transposed one >= `cols`: as it lies
// (false), transposed (true), or not at all (nullopt: ATen clones it first).
std::optional<bool> operand_transposed(const std::int64_t strides[2], bool transpose_c,
                                       std::int64_t rows, std::int64_t cols) {
  const std::int64_t unit = strides[transpose_c ? 1 : 0];
  const std::int64_t lead = strides[transpose_c ? 0 : 1];
  if (unit == 1 && lead >= std::max<std::int64_t>(1, rows)) return false;
  if (lead == 1 && unit >= std::max<std::int64_t>(1, cols)) return true;
  return std::nullopt;
}

}  // namespace

std::optional<SgemmCall> aten_sgemm_call(const MatrixLayout& out, const MatrixLayout& a,
                                         const MatrixLayout& b) {
  // addmm_impl_cpu_ (ATen/native/LinearAlgebra.cpp), for result = out, m1 = a, m2 = b, beta 0.
  if (out.rows == 0 || out.cols == 0 || a.cols == 0) return std::nullopt;  // ATen's own paths
  SgemmCall call;
  const std::int64_t r_sizes[2] = {out.rows, out.cols};
  const std::int64_t r_strides[2] = {out.row_stride, out.col_stride};
  bool transpose_c = false;
  if (r_strides[0] == 1 &&
      (r_sizes[1] == 1 || r_strides[1] >= std::max<std::int64_t>(1, r_sizes[0]))) {
    transpose_c = false;
  } else if (r_strides[1] == 1 &&
             (r_sizes[0] == 1 || r_strides[0] >= std::max<std::int64_t>(1, r_sizes[1]))) {
    transpose_c = true;
  } else {
    return std::nullopt;  // ATen writes into a Fortran-contiguous copy of the result
  }
  MatrixLayout m1 = a;
  MatrixLayout m2 = b;
  if (transpose_c) std::swap(m1, m2);
  call.swap = transpose_c;
  const std::int64_t m1_sizes[2] = {m1.rows, m1.cols};
  const std::int64_t m1_strides[2] = {m1.row_stride, m1.col_stride};
  const std::int64_t m2_strides[2] = {m2.row_stride, m2.col_stride};
  const std::int64_t m = r_sizes[transpose_c ? 1 : 0];
  const std::int64_t n = r_sizes[transpose_c ? 0 : 1];
  const std::int64_t k = m1_sizes[transpose_c ? 0 : 1];
  const std::optional<bool> cast_a = operand_transposed(m1_strides, transpose_c, m, k);
  const std::optional<bool> cast_b = operand_transposed(m2_strides, transpose_c, k, n);
  if (!cast_a || !cast_b) return std::nullopt;  // ATen clones the operand first
  const bool transpose_a = *cast_a;
  const bool transpose_b = *cast_b;
  std::int64_t lda = m1_strides[(transpose_a == transpose_c) ? 1 : 0];
  std::int64_t ldb = m2_strides[(transpose_b == transpose_c) ? 1 : 0];
  std::int64_t ldc = r_strides[transpose_c ? 0 : 1];
  // cpublas::gemm (ATen/native/CPUBlas.cpp): normalize_last_dims, then BLAS if use_blas_gemm.
  if (n == 1) ldc = m;
  if (transpose_a) {
    if (m == 1) lda = k;
  } else if (k == 1) {
    lda = m;
  }
  if (transpose_b) {
    if (k == 1) ldb = n;
  } else if (n == 1) {
    ldb = k;
  }
  const bool blas =
      m <= INT_MAX && n <= INT_MAX && k <= INT_MAX && lda <= INT_MAX && ldb <= INT_MAX &&
      ldc <= INT_MAX && lda >= std::max<std::int64_t>(1, transpose_a ? k : m) &&
      ldb >= std::max<std::int64_t>(1, transpose_b ? n : k) && ldc >= std::max<std::int64_t>(1, m);
  if (!blas) return std::nullopt;  // ATen's own gemm kernel
  call.transa = transpose_a ? 't' : 'n';
  call.transb = transpose_b ? 't' : 'n';
  call.m = m;
  call.n = n;
  call.k = k;
  call.lda = lda;
  call.ldb = ldb;
  call.ldc = ldc;
  return call;
}

bool direct_sgemm_available() {
  return sgemm() != nullptr;
}

void member_mm_out(torch::Tensor& out, const torch::Tensor& a, const torch::Tensor& b) {
  const std::int64_t members = a.size(0);
  if (b.size(0) != members || out.size(0) != members || a.size(2) != b.size(1) ||
      out.size(1) != a.size(1) || out.size(2) != b.size(2)) {
    throw std::invalid_argument("member_mm_out: shapes (E, n, k), (E, k, m) -> (E, n, m) expected");
  }
  const std::optional<SgemmCall> call =
      out.scalar_type() == torch::kFloat && a.scalar_type() == torch::kFloat &&
              b.scalar_type() == torch::kFloat && out.device().is_cpu() && direct_sgemm_available()
          ? aten_sgemm_call(layout_of(out), layout_of(a), layout_of(b))
          : std::nullopt;
  if (!call) {
    for (std::int64_t e = 0; e < members; ++e) {  // ATen's mm per member, as the model alone
      torch::Tensor r = out.select(0, e);
      at::mm_out(r, a.select(0, e), b.select(0, e));
    }
    return;
  }
  const int m = static_cast<int>(call->m), n = static_cast<int>(call->n);
  const int k = static_cast<int>(call->k), lda = static_cast<int>(call->lda);
  const int ldb = static_cast<int>(call->ldb), ldc = static_cast<int>(call->ldc);
  const float alpha = 1.0f, beta = 0.0f;
  const torch::Tensor& first = call->swap ? b : a;
  const torch::Tensor& second = call->swap ? a : b;
  const float* pa = first.data_ptr<float>();
  const float* pb = second.data_ptr<float>();
  float* pc = out.data_ptr<float>();
  const SgemmFn fn = sgemm();
  for (std::int64_t e = 0; e < members; ++e) {
    fn(&call->transa, &call->transb, &m, &n, &k, &alpha, pa + e * first.stride(0), &lda,
       pb + e * second.stride(0), &ldb, &beta, pc + e * out.stride(0), &ldc);
  }
}

}  // namespace claimcheck::models
