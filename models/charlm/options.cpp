// Parses the family's options (see options.h); defaults from config_cpu.py and config.py of
// pankajtakawale/llm-reproducibility-activations.
#include "models/charlm/options.h"

#include <stdexcept>

#include "models/options.h"

namespace claimcheck::models::charlm {

std::string type_name(Architecture arch) {
  switch (arch) {
    case Architecture::kCharLm:
      return "charlm";
    case Architecture::kNanoTransformer:
      return "nano-transformer";
    case Architecture::kMiniGpt:
      return "minigpt";
    case Architecture::kConvLm:
      return "convlm";
    case Architecture::kHybridLm:
      return "hybridlm";
    case Architecture::kTinyLstm:
      return "tinylstm";
  }
  throw std::logic_error("type_name: unhandled architecture");
}

const std::vector<Architecture>& architectures() {
  static const std::vector<Architecture> kAll = {
      Architecture::kCharLm, Architecture::kNanoTransformer, Architecture::kMiniGpt,
      Architecture::kConvLm, Architecture::kHybridLm,        Architecture::kTinyLstm};
  return kAll;
}

FamilyOptions parse_family_options(Architecture arch, const nlohmann::json& options) {
  const std::string type = type_name(arch);
  const bool minigpt = arch == Architecture::kMiniGpt;
  const bool conv = arch == Architecture::kConvLm;
  const bool has_heads = arch == Architecture::kCharLm || arch == Architecture::kNanoTransformer ||
                         minigpt || arch == Architecture::kHybridLm;

  OptionReader r(type, options);
  FamilyOptions o;
  o.arch = arch;
  const std::vector<std::string> valid =
      conv ? activation_names_except_matched() : activation_names();
  if (conv) {
    if (options.value("activation", nlohmann::json()) == "swiglu-matched") {
      r.fail("activation",
             "'swiglu-matched' shrinks an FFN's hidden width and convlm has no FFN; "
             "use 'swiglu' (a gated conv with 2C output channels)");
    }
  }
  o.activation = activation_from_name(r.choice("activation", valid));
  o.n_layer = r.positive_int("n_layer", minigpt || conv ? 6 : 2);
  o.n_embd = r.positive_int("n_embd", minigpt ? 384 : 128);
  if (has_heads) {
    o.n_head = r.positive_int("n_head", minigpt ? 6 : 4);
    if (o.n_embd % o.n_head != 0) {
      r.fail("n_head", "must divide n_embd (" + std::to_string(o.n_embd) + "), got " +
                           std::to_string(o.n_head));
    }
  }
  if (!conv) {
    // HybridLM's ff is C→2C→C (model_hybridlm.py); every other FFN C→4C→C.
    const std::int64_t ratio = arch == Architecture::kHybridLm ? 2 : 4;
    o.ffn_hidden = r.positive_int("ffn_hidden", ratio * o.n_embd);
  }
  if (conv) {
    // Dilations double per block: 2^(n-2) must stay a sane int64 receptive field.
    if (o.n_layer > 16) r.fail("n_layer", "must be <= 16 for convlm (dilations double per block)");
    o.kernel_size = r.positive_int("kernel_size", 3);
    if (o.kernel_size < 2) r.fail("kernel_size", "must be >= 2");
  }
  // NanoTransformer is the source's dropout-free model: no option, p = 0.
  o.dropout = arch == Architecture::kNanoTransformer ? 0.0 : r.number("dropout", 0.2, 0.0, 0.9);
  r.finish();
  return o;
}

std::int64_t convlm_dilation(std::int64_t block, std::int64_t n_layer) {
  return block == n_layer - 1 ? 1 : std::int64_t{1} << block;
}

}  // namespace claimcheck::models::charlm
