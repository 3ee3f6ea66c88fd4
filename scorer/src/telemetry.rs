//! Request traces over OTLP/HTTP (protobuf) to the ADOT collector extension, switched on with
//! `OTEL_ENABLED=true`.
//!
//! Why not the SDK's batch or simple processor: the batch processor runs its own thread (qemu hangs on
//! `pthread_create`, and Lambda freezes the process between invocations, so a background flush may
//! never run), and the simple processor `block_on`s the export, which deadlocks a current-thread
//! Tokio runtime whose hyper connection it needs. Instead [`Collector`] keeps ended spans in memory and
//! [`Telemetry::finish`] awaits `SpanExporter::export` on the request's own task, so the span is
//! delivered before the response is handed back to Lambda. With OTEL off nothing is built at all.

use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use opentelemetry::trace::{
    SpanContext, SpanId, SpanKind, Status, TraceContextExt, TraceFlags, TraceId, TraceState, Tracer, TracerProvider,
};
use opentelemetry::{Context, KeyValue};
use opentelemetry_otlp::{Protocol, RetryPolicy, WithExportConfig, WithHttpConfig};
use opentelemetry_sdk::error::OTelSdkResult;
use opentelemetry_sdk::trace::{
    IdGenerator, RandomIdGenerator, Sampler, SdkTracer, SdkTracerProvider, Span, SpanData, SpanExporter, SpanProcessor,
};
use opentelemetry_sdk::Resource;

/// Where the ADOT collector layer listens for OTLP/HTTP. An IP literal on purpose: resolving
/// `localhost` goes through `spawn_blocking` (a thread).
pub const DEFAULT_TRACES_ENDPOINT: &str = "http://127.0.0.1:4318/v1/traces";
pub const DEFAULT_SERVICE_NAME: &str = "rust-scorer";
/// The collector is on loopback; a slow export must not eat the request's time budget.
const EXPORT_TIMEOUT: Duration = Duration::from_secs(2);

/// What is known about a request when its span is recorded.
pub struct SpanRecord<'a> {
    pub route: &'static str,
    pub method: &'a str,
    pub status: u16,
    pub start: SystemTime,
    pub end: SystemTime,
    /// `Lambda-Runtime-Trace-Id` (X-Ray header): the span joins that trace when present.
    pub xray_trace_header: Option<&'a str>,
    pub request_id: Option<&'a str>,
}

/// Either off (nothing allocated, nothing started) or a ready exporter.
pub struct Telemetry {
    exporting: Option<Exporting>,
}

struct Exporting {
    _provider: SdkTracerProvider,
    tracer: SdkTracer,
    ended: Arc<Mutex<Vec<SpanData>>>,
    exporter: opentelemetry_otlp::SpanExporter,
    endpoint: String,
}

impl Telemetry {
    pub fn disabled() -> Telemetry {
        Telemetry { exporting: None }
    }

    /// Reads `OTEL_ENABLED`, `OTEL_SERVICE_NAME`, `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` and
    /// `OTEL_EXPORTER_OTLP_ENDPOINT`. A broken configuration disables traces with one stderr line;
    /// it never stops the scorer.
    pub fn from_env(env: impl Fn(&str) -> Option<String>) -> Telemetry {
        let enabled =
            env("OTEL_ENABLED").is_some_and(|v| matches!(v.trim().to_ascii_lowercase().as_str(), "true" | "1" | "yes"));
        if !enabled {
            return Telemetry::disabled();
        }
        if let Some(protocol) = env("OTEL_EXPORTER_OTLP_PROTOCOL").filter(|p| p != "http/protobuf") {
            eprintln!("rust-scorer: OTEL_EXPORTER_OTLP_PROTOCOL={protocol} is not supported; sending http/protobuf");
        }
        let service =
            env("OTEL_SERVICE_NAME").filter(|s| !s.trim().is_empty()).unwrap_or_else(|| DEFAULT_SERVICE_NAME.into());
        let endpoint = traces_endpoint(&env);
        match Exporting::build(&service, &endpoint) {
            Ok(exporting) => {
                eprintln!("rust-scorer: exporting traces for service {service} to {endpoint}");
                Telemetry { exporting: Some(exporting) }
            }
            Err(e) => {
                eprintln!("rust-scorer: traces disabled, cannot set up the OTLP exporter for {endpoint}: {e}");
                Telemetry::disabled()
            }
        }
    }

    #[cfg(test)]
    pub fn is_enabled(&self) -> bool {
        self.exporting.is_some()
    }

    /// Records the request's span and exports it before returning. Failures are logged, never raised.
    pub async fn finish(&self, record: SpanRecord<'_>) {
        let Some(exporting) = &self.exporting else { return };
        exporting.record(&record);
        let batch = std::mem::take(&mut *exporting.ended.lock().unwrap_or_else(|poisoned| poisoned.into_inner()));
        if batch.is_empty() {
            return;
        }
        if let Err(e) = exporting.exporter.export(batch).await {
            eprintln!("rust-scorer: trace export to {} failed (request unaffected): {e}", exporting.endpoint);
        }
    }
}

impl Exporting {
    fn build(service: &str, endpoint: &str) -> Result<Exporting, String> {
        let resource = Resource::builder().with_service_name(service.to_string()).build();
        let mut exporter = opentelemetry_otlp::SpanExporter::builder()
            .with_http()
            .with_protocol(Protocol::HttpBinary)
            .with_endpoint(endpoint)
            .with_timeout(EXPORT_TIMEOUT)
            // One attempt: a retry backoff would delay the response, and a lost span is acceptable.
            .with_retry_policy(RetryPolicy::disabled())
            .build()
            .map_err(|e| e.to_string())?;
        exporter.set_resource(&resource);
        let ended = Arc::new(Mutex::new(Vec::new()));
        let provider = SdkTracerProvider::builder()
            .with_span_processor(Collector { ended: Arc::clone(&ended) })
            // Always record: with Lambda tracing in PassThrough mode the incoming header says
            // Sampled=0, and honouring it would drop every span.
            .with_sampler(Sampler::AlwaysOn)
            .with_id_generator(XrayIdGenerator::default())
            .with_resource(resource)
            .build();
        let tracer = provider.tracer("rust-scorer");
        Ok(Exporting { _provider: provider, tracer, ended, exporter, endpoint: endpoint.to_string() })
    }

    fn record(&self, r: &SpanRecord<'_>) {
        let parent = r
            .xray_trace_header
            .and_then(parse_xray_header)
            .map(|sc| Context::new().with_remote_span_context(sc))
            .unwrap_or_default();
        let mut attributes = vec![
            KeyValue::new("http.route", r.route),
            KeyValue::new("http.request.method", r.method.to_string()),
            KeyValue::new("http.response.status_code", i64::from(r.status)),
        ];
        if let Some(id) = r.request_id {
            attributes.push(KeyValue::new("faas.invocation_id", id.to_string()));
        }
        let builder = self
            .tracer
            .span_builder(format!("{} {}", r.method, r.route))
            .with_kind(SpanKind::Server)
            .with_start_time(r.start)
            .with_attributes(attributes);
        let mut span = builder.start_with_context(&self.tracer, &parent);
        if r.status >= 500 {
            opentelemetry::trace::Span::set_status(&mut span, Status::error(format!("HTTP {}", r.status)));
        }
        opentelemetry::trace::Span::end_with_timestamp(&mut span, r.end);
    }
}

/// `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` as is, else `OTEL_EXPORTER_OTLP_ENDPOINT` + `/v1/traces`
/// (the OTLP spec's rule), else [`DEFAULT_TRACES_ENDPOINT`].
pub fn traces_endpoint(env: &impl Fn(&str) -> Option<String>) -> String {
    let non_empty = |key: &str| env(key).map(|v| v.trim().to_string()).filter(|v| !v.is_empty());
    if let Some(full) = non_empty("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT") {
        return full;
    }
    match non_empty("OTEL_EXPORTER_OTLP_ENDPOINT") {
        Some(base) => format!("{}/v1/traces", base.trim_end_matches('/')),
        None => DEFAULT_TRACES_ENDPOINT.to_string(),
    }
}

/// Parses `Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1`.
pub fn parse_xray_header(header: &str) -> Option<SpanContext> {
    let mut trace_id = None;
    let mut parent = None;
    let mut sampled = false;
    for part in header.split(';') {
        match part.trim().split_once('=') {
            Some(("Root", root)) => {
                let mut pieces = root.split('-');
                let (Some("1"), Some(epoch), Some(unique), None) =
                    (pieces.next(), pieces.next(), pieces.next(), pieces.next())
                else {
                    return None;
                };
                if epoch.len() != 8 || unique.len() != 24 {
                    return None;
                }
                trace_id = TraceId::from_hex(&format!("{epoch}{unique}")).ok();
            }
            Some(("Parent", id)) if id.len() == 16 => parent = SpanId::from_hex(id).ok(),
            Some(("Sampled", flag)) => sampled = flag == "1",
            _ => {}
        }
    }
    let flags = if sampled { TraceFlags::SAMPLED } else { TraceFlags::default() };
    let context = SpanContext::new(trace_id?, parent?, flags, true, TraceState::default());
    context.is_valid().then_some(context)
}

/// Keeps ended spans until [`Telemetry::finish`] exports them on the request's task.
#[derive(Debug)]
struct Collector {
    ended: Arc<Mutex<Vec<SpanData>>>,
}

impl SpanProcessor for Collector {
    fn on_start(&self, _span: &mut Span, _cx: &Context) {}

    fn on_end(&self, span: SpanData) {
        self.ended.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).push(span);
    }

    fn force_flush(&self) -> OTelSdkResult {
        Ok(())
    }

    fn shutdown_with_timeout(&self, _timeout: Duration) -> OTelSdkResult {
        Ok(())
    }
}

/// X-Ray trace ids start with the epoch seconds (the `5759e988` of `1-5759e988-…`); the collector's
/// `awsxray` exporter translates OTLP ids to that format, so new root traces carry the time there.
#[derive(Debug, Default)]
struct XrayIdGenerator {
    random: RandomIdGenerator,
}

impl IdGenerator for XrayIdGenerator {
    fn new_trace_id(&self) -> TraceId {
        let mut bytes = self.random.new_trace_id().to_bytes();
        let secs = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0) as u32;
        bytes[..4].copy_from_slice(&secs.to_be_bytes());
        TraceId::from_bytes(bytes)
    }

    fn new_span_id(&self) -> SpanId {
        self.random.new_span_id()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoint_resolution_follows_the_otlp_rules() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |k: &str| pairs.iter().find(|(key, _)| *key == k).map(|(_, v)| v.to_string())
        };
        assert_eq!(traces_endpoint(&env(&[])), DEFAULT_TRACES_ENDPOINT);
        assert_eq!(
            traces_endpoint(&env(&[("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:9/")])),
            "http://127.0.0.1:9/v1/traces"
        );
        assert_eq!(
            traces_endpoint(&env(&[
                ("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:9"),
                ("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://127.0.0.1:7/x")
            ])),
            "http://127.0.0.1:7/x"
        );
    }

    #[test]
    fn parses_the_lambda_xray_header() {
        let sc =
            parse_xray_header("Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1").unwrap();
        assert_eq!(sc.trace_id().to_string(), "5759e988bd862e3fe1be46a994272793");
        assert_eq!(sc.span_id().to_string(), "53995c3f42cd8ad8");
        assert!(sc.is_sampled() && sc.is_remote());
        assert!(!parse_xray_header("Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=0")
            .unwrap()
            .is_sampled());
    }

    #[test]
    fn rejects_partial_or_malformed_xray_headers() {
        assert!(parse_xray_header("Root=1-5759e988-bd862e3fe1be46a994272793").is_none(), "no parent");
        assert!(parse_xray_header("Root=2-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8").is_none());
        assert!(parse_xray_header("Root=1-zz59e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8").is_none());
        assert!(parse_xray_header("garbage").is_none());
        assert!(parse_xray_header("").is_none());
    }

    #[test]
    fn disabled_unless_otel_enabled_is_true() {
        assert!(!Telemetry::from_env(|_| None).is_enabled());
        assert!(!Telemetry::from_env(|k| (k == "OTEL_ENABLED").then(|| "false".into())).is_enabled());
    }

    #[test]
    fn generated_trace_ids_start_with_epoch_seconds() {
        let id = XrayIdGenerator::default().new_trace_id().to_bytes();
        let secs = u32::from_be_bytes([id[0], id[1], id[2], id[3]]) as u64;
        let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs();
        assert!(now.abs_diff(secs) < 5);
    }

    #[tokio::test(flavor = "current_thread")]
    async fn export_failure_is_logged_not_raised() {
        // Port 9 (discard) on loopback: nothing listens, the connection is refused.
        let telemetry = Telemetry::from_env(|k| match k {
            "OTEL_ENABLED" => Some("true".into()),
            "OTEL_EXPORTER_OTLP_ENDPOINT" => Some("http://127.0.0.1:9".into()),
            _ => None,
        });
        assert!(telemetry.is_enabled());
        let now = SystemTime::now();
        telemetry
            .finish(SpanRecord {
                route: "/health",
                method: "GET",
                status: 200,
                start: now,
                end: now,
                xray_trace_header: None,
                request_id: None,
            })
            .await;
    }
}
