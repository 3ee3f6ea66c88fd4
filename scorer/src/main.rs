//! rust-scorer: a Passport-style stamp scorer served as an AWS Lambda behind an ALB target group.
//! See README.md for the routes, the scoring rules and the OTEL switch.

mod handler;
mod points;
mod scoring;
mod telemetry;
mod weights;

use std::sync::Arc;
use std::time::SystemTime;

use lambda_http::{service_fn, Error, Request, RequestExt};

use crate::handler::App;
use crate::telemetry::{SpanRecord, Telemetry};
use crate::weights::Weights;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Error> {
    let env = |key: &str| std::env::var(key).ok();
    let loaded =
        weights::locate(env, std::env::current_exe().ok()).and_then(|path| Weights::load(&path).map(|w| (path, w)));
    let weights = match loaded {
        Ok((path, weights)) => {
            eprintln!("rust-scorer: loaded {} scorer(s) from {}", weights.len(), path.display());
            weights
        }
        Err(e) => {
            // Lambda reports this as Runtime.ExitError with this line in the log.
            eprintln!("rust-scorer: cannot start: {e}");
            std::process::exit(1);
        }
    };
    let telemetry = Arc::new(Telemetry::from_env(env));
    let app = Arc::new(App { weights, clock: Box::new(chrono::Utc::now) });

    lambda_http::run(service_fn(move |req: Request| {
        let app = Arc::clone(&app);
        let telemetry = Arc::clone(&telemetry);
        async move {
            let start = SystemTime::now();
            let handled = handler::handle(&app, &req);
            let context = req.lambda_context_ref();
            // Exported (and awaited) before the response goes back: Lambda freezes the process after it.
            telemetry
                .finish(SpanRecord {
                    route: handled.route,
                    method: req.method().as_str(),
                    status: handled.response.status().as_u16(),
                    start,
                    end: SystemTime::now(),
                    xray_trace_header: context.and_then(|c| c.xray_trace_id.as_deref()),
                    request_id: context.map(|c| c.request_id.as_str()),
                })
                .await;
            Ok::<_, std::convert::Infallible>(handled.response)
        }
    }))
    .await
}
