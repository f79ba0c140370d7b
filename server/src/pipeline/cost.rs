//! The cost of a call: its usage at the serving deployment's price (see [`crate::pricing`]).

use crate::router::Deployment;
use crate::types::openai::Usage;

/// USD for `usage` on `deployment`; 0 without usage.
pub fn of_usage(deployment: &Deployment, usage: Option<&Usage>) -> f64 {
    usage.map_or(0.0, |u| crate::pricing::cost(&deployment.price, u))
}
