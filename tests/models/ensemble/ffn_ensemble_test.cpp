// The batched FFNs: for every member, the ensemble's logits and hand-written gradients equal, bit
// for bit, the standalone model's forward and autograd's gradients, for products above and below
// the size where ATen's bmm stops calling BLAS per member (member_gemm_test.cpp).
#include "models/ensemble/ffn_ensemble.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cstring>

#include "models/registry.h"

namespace claimcheck::models {
namespace {

::testing::AssertionResult BitIdentical(const torch::Tensor& a, const torch::Tensor& b) {
  const torch::Tensor x = a.contiguous();
  const torch::Tensor y = b.contiguous();
  if (x.sizes() != y.sizes()) return ::testing::AssertionFailure() << "shapes differ";
  if (std::memcmp(x.data_ptr<float>(), y.data_ptr<float>(), x.numel() * sizeof(float)) != 0) {
    const torch::Tensor diff = (x - y).abs();
    return ::testing::AssertionFailure()
           << "max |diff| " << diff.max().item<float>() << " at flat index "
           << diff.flatten().argmax().item<std::int64_t>();
  }
  return ::testing::AssertionSuccess();
}

struct Case {
  std::string type;
  std::int64_t hidden;
  std::int64_t batch;  // batch·hidden·10 < 400: where a plain bmm would sum differently
};

// Every batch here keeps each member's slice of the group's buffers 64-byte aligned (batch ·
// width a multiple of 16 floats), as every batch the claims train with does. On some CPUs MKL's
// small-N sgemm sums differently for operands that are not 64-byte aligned (measured on an AMD
// EPYC with pip's 2.13: x·Wᵀ and gᵀ·x differ at N <= 8 for 12 of 15 misalignments, none with
// MKL_CBWR=AUTO,STRICT), so a batch of 3 gave another gradient there than the member trained
// alone; on the Intel Xeon of earlier sessions it did not.

TEST(FfnEnsemble, EachMemberMatchesItsStandaloneModelAndAutograd) {
  for (const Case& c : {Case{"ffn-relu", 8, 8}, Case{"ffn-geglu", 8, 8}, Case{"ffn-geglu", 2, 64},
                        Case{"ffn-relu", 2, 8}, Case{"ffn-geglu", 2, 16}}) {
    SCOPED_TRACE(c.type + " h=" + std::to_string(c.hidden) + " B=" + std::to_string(c.batch));
    const std::int64_t members = 3;
    std::vector<std::shared_ptr<Model>> alone;
    for (std::int64_t m = 0; m < members; ++m) {
      at::Generator init = at::detail::createCPUGenerator(40 + m);
      alone.push_back(make_model(c.type, {{"hidden", c.hidden}}, {784, 10}, init));
    }
    FfnEnsemble ensemble(c.type, alone);
    at::Generator g = at::detail::createCPUGenerator(9);
    // MNIST-like inputs: in [0, 1], about 80% exact zeros.
    const torch::Tensor x =
        torch::rand({members, c.batch, 784}, g) * (torch::rand({members, c.batch, 784}, g) > 0.8);
    const torch::Tensor grad_logits = torch::randn({members, c.batch, 10}, g);
    const torch::Tensor logits = ensemble.forward(x);
    ensemble.backward(grad_logits);
    for (std::int64_t m = 0; m < members; ++m) {
      const torch::Tensor out = alone[m]->forward(x[m].clone());
      EXPECT_TRUE(BitIdentical(logits[m], out)) << "logits of member " << m;
      out.backward(grad_logits[m].clone());
      const auto params = alone[m]->parameters();
      for (std::size_t k = 0; k < params.size(); ++k)
        EXPECT_TRUE(BitIdentical(ensemble.grads()[k][m], params[k].grad())) << "grad " << k;
    }
  }
}

TEST(FfnEnsemble, CopiesAMemberBackAndRejectsOtherTypes) {
  at::Generator init = at::detail::createCPUGenerator(1);
  std::vector<std::shared_ptr<Model>> two = {
      make_model("ffn-relu", {{"hidden", 4}}, {784, 10}, init),
      make_model("ffn-relu", {{"hidden", 4}}, {784, 10}, init)};
  FfnEnsemble ensemble("ffn-relu", two);
  EXPECT_EQ(ensemble.members(), 2);
  EXPECT_EQ(ensemble.weights()[0].sizes(), (std::vector<std::int64_t>{2, 784, 4}));
  auto target = make_model("ffn-relu", {{"hidden", 4}}, {784, 10}, init);
  ensemble.copy_member(1, *target);
  EXPECT_TRUE(torch::equal(target->parameters()[0], two[1]->parameters()[0]));
  EXPECT_THROW(FfnEnsemble("ffn-geglu", two), std::invalid_argument);
  EXPECT_THROW(FfnEnsemble("gpt", two), std::invalid_argument);
  EXPECT_FALSE(FfnEnsemble::supports("gpt"));
  // The generic "ffn" type has no batched variant (it trains alone), even with relu.
  EXPECT_FALSE(FfnEnsemble::supports("ffn"));
  EXPECT_THROW(FfnEnsemble("ffn", two), std::invalid_argument);
  // A member of the right class with another activation is refused, not mis-trained.
  std::vector<std::shared_ptr<Model>> swiglu = {
      make_model("ffn", {{"hidden", 4}, {"activation", "swiglu"}}, {784, 10}, init)};
  EXPECT_THROW(FfnEnsemble("ffn-geglu", swiglu), std::invalid_argument);
}

}  // namespace
}  // namespace claimcheck::models
