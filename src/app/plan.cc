#include "app/plan.h"

namespace bench {

DatasetOptions DatasetOptionsOf(const ProfileConfig& c) {
  DatasetOptions d;
  d.models = c.models;
  d.model_selection_strategy = c.model_selection_strategy;
  d.endpoint_type = c.endpoint_type;
  d.streaming = c.streaming;
  d.extra_inputs = c.extra_inputs;
  d.random_seed = c.random_seed;
  d.num_dataset_entries = c.num_dataset_entries;
  d.synthetic_input_tokens_mean = c.synthetic_input_tokens_mean;
  d.synthetic_input_tokens_stddev = c.synthetic_input_tokens_stddev;
  d.synthetic_input_tokens_clip = c.synthetic_input_tokens_clip;
  d.output_tokens_mean = c.output_tokens_mean;
  d.output_tokens_stddev = c.output_tokens_stddev;
  d.output_tokens_clip = c.output_tokens_clip;
  d.num_prefix_prompts = c.num_prefix_prompts;
  d.prefix_prompt_length = c.prefix_prompt_length;
  d.input_file = c.input_file;
  d.payload_input = c.payload_input;
  d.fixed_schedule = c.fixed_schedule;
  d.session_concurrency = c.session_concurrency;
  d.num_sessions = c.num_sessions;
  d.session_turns_mean = c.session_turns_mean;
  d.session_turns_stddev = c.session_turns_stddev;
  d.session_turn_delay_mean = c.session_turn_delay_mean;
  d.session_turn_delay_stddev = c.session_turn_delay_stddev;
  d.session_delay_ratio = c.session_delay_ratio;
  return d;
}

}  // namespace bench
