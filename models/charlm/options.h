// Options of the activation-reproducibility model family (CLAIMS.md §4): one plain struct for the
// six architectures, parsed by one function that validate, count and build all use (parsing
// builds nothing). Defaults are the source's sizes (pankajtakawale/llm-reproducibility-activations
// config_cpu.py: 2 layers, n_embd 128, 4 heads, dropout 0.2; MiniGPT at config.py: 6 layers,
// n_embd 384, 6 heads; ConvLM's six dilated blocks of model_convlm.py); every size is an option so
// claims can scale down to a 2-core CPU. Keys per type ("-" = not an option of that type):
//   key          charlm  nano-transformer  minigpt  convlm  hybridlm  tinylstm
//   activation   relu    relu              relu     relu    relu      relu
//   n_layer      2       2                 6        6       2         2
//   n_embd       128     128               384      128     128       128
//   n_head       4       4                 6        -       4         -
//   ffn_hidden   4C      4C                4C       -       2C        4C
//   kernel_size  -       -                 -        3       -         -
//   dropout      0.2     -                 0.2      0.2     0.2       0.2
// n_layer counts transformer blocks, ConvLM's conv blocks, or the LSTM layers of hybridlm and
// tinylstm. ffn_hidden is H of the elementwise C→H→C FFN. NanoTransformer has no dropout.
// activation: any name of the activation registry (models/activations.h: relu, relu2, gelu,
// swish, smelu-0.5, smelu-1.0, geglu, swiglu, swiglu-matched; a GLU doubles c_fc, or ConvLM's
// output channels); convlm has no FFN width to shrink, so it takes every activation but
// swiglu-matched.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <vector>

#include "models/activations.h"

namespace claimcheck::models::charlm {

/// The six architectures of the source.
enum class Architecture { kCharLm, kNanoTransformer, kMiniGpt, kConvLm, kHybridLm, kTinyLstm };

/// The registry type name: charlm, nano-transformer, minigpt, convlm, hybridlm, tinylstm.
std::string type_name(Architecture arch);

/// All six, in enum order.
const std::vector<Architecture>& architectures();

/// One model's options; fields a type does not take keep their defaults and are unused.
struct FamilyOptions {
  Architecture arch = Architecture::kCharLm;
  Activation activation = Activation::kRelu;
  std::int64_t n_layer = 2;
  std::int64_t n_embd = 128;
  std::int64_t n_head = 4;
  std::int64_t ffn_hidden = 512;  ///< H; gated FFNs size themselves from it (ffn_widths)
  std::int64_t kernel_size = 3;
  double dropout = 0.2;
};

/// Parses `options` for `arch` with the defaults above; throws std::invalid_argument naming the
/// bad or unknown key (n_embd must divide by n_head; convlm: n_layer <= 16, kernel_size >= 2).
FamilyOptions parse_family_options(Architecture arch, const nlohmann::json& options);

/// ConvLM's dilation of block i of n: 1, 2, 4, ..., 2^(n-2), then 1 (the source's [1,2,4,8,16,1]).
std::int64_t convlm_dilation(std::int64_t block, std::int64_t n_layer);

}  // namespace claimcheck::models::charlm
