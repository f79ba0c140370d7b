//! `grpc.health.v1.Health` for the services served here: SERVING until shutdown starts, then
//! NOT_SERVING.
//!
//! tonic-health's generated service is used with our own implementation rather than its
//! `HealthReporter`: the reporter needs an async call per service after construction, and its
//! `Watch` streams never end, which would hold graceful shutdown open for the whole grace period.
//! Here `Watch` sends the current status, then NOT_SERVING when shutdown starts, and ends.

use std::pin::Pin;

use futures_util::Stream;
use tokio_util::sync::CancellationToken;
use tonic::{Request, Response, Status};
use tonic_health::pb::health_check_response::ServingStatus;
use tonic_health::pb::health_server::Health;
use tonic_health::pb::{HealthCheckRequest, HealthCheckResponse};

/// Health of the gateway (`""`) and of each named service.
#[derive(Clone)]
pub struct HealthApi {
    services: &'static [&'static str],
    shutdown: CancellationToken,
}

impl HealthApi {
    /// Reports `""` and `services`; everything else is unknown.
    pub fn new(services: &'static [&'static str], shutdown: CancellationToken) -> Self {
        Self { services, shutdown }
    }

    fn knows(&self, service: &str) -> bool {
        service.is_empty() || self.services.contains(&service)
    }

    fn current(&self) -> ServingStatus {
        if self.shutdown.is_cancelled() {
            ServingStatus::NotServing
        } else {
            ServingStatus::Serving
        }
    }
}

fn answer(status: ServingStatus) -> HealthCheckResponse {
    HealthCheckResponse {
        status: status.into(),
    }
}

#[tonic::async_trait]
impl Health for HealthApi {
    async fn check(
        &self,
        request: Request<HealthCheckRequest>,
    ) -> Result<Response<HealthCheckResponse>, Status> {
        let service = request.into_inner().service;
        if !self.knows(&service) {
            return Err(Status::not_found(format!("unknown service `{service}`")));
        }
        Ok(Response::new(answer(self.current())))
    }

    type WatchStream = Pin<Box<dyn Stream<Item = Result<HealthCheckResponse, Status>> + Send>>;

    async fn watch(
        &self,
        request: Request<HealthCheckRequest>,
    ) -> Result<Response<Self::WatchStream>, Status> {
        let service = request.into_inner().service;
        let first = if self.knows(&service) {
            self.current()
        } else {
            ServingStatus::ServiceUnknown
        };
        let shutdown = self.shutdown.clone();
        let stream = async_stream::stream! {
            yield Ok(answer(first));
            shutdown.cancelled().await;
            if first == ServingStatus::Serving {
                yield Ok(answer(ServingStatus::NotServing));
            }
        };
        Ok(Response::new(Box::pin(stream)))
    }
}
