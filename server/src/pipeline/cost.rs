//! The cost of a call from its token usage and the deployment's configured prices
//! (`input_cost_per_token`, `output_cost_per_token`). Without prices a call costs 0; the price
//! table and budgets come with the spend issue.

use crate::router::Deployment;
use crate::types::openai::Usage;

/// USD for `usage` on `deployment`.
pub fn of_usage(deployment: &Deployment, usage: Option<&Usage>) -> f64 {
    let Some(usage) = usage else { return 0.0 };
    let p = &deployment.entry.params;
    let input = p.input_cost_per_token.unwrap_or(0.0);
    let output = p.output_cost_per_token.unwrap_or(0.0);
    usage.prompt_tokens as f64 * input + usage.completion_tokens as f64 * output
}
